/**
 * The edge gate in front of every variant (edge/request-check.ts,
 * edge/on-request.ts): the same lookup as the original, answered the same
 * way (unknown or revoked → 404, expired → 403), an unknown preset or
 * format the generic 404 without any read, a valid variant rewritten to the
 * resizer's path and its cache lifetime bounded by the hash's life; at
 * `secured` the format negotiated from `Accept` here, as the CloudFront
 * Function does at `required`.
 */
import { expect } from "chai";
import type { CloudFrontRequest, CloudFrontResponse } from "aws-lambda";
import { presetFormats, DEFAULT_VARIANT_PRESETS, parseResizerPath, resizerPath } from "../../core/variants";
import { handleEdgeEvent } from "../../edge/handler";
import { settingsProblems } from "../../edge/settings-check";
import { BROWSER_IMAGE_ACCEPT } from "../support/browser-accept";
import { expectValidGenerated, goodItem, HASH, header, itemsStore, KEY, NOW_S, requestEvent, responseEvent, settings, testDeps } from "./fixtures";

const VARIANTS = presetFormats(DEFAULT_VARIANT_PRESETS);
const withVariants = (overrides: Parameters<typeof settings>[0] = {}) => settings({ variants: VARIANTS, ...overrides });

describe("edge gate: variants", () => {
    describe("required + origin: origin-request", () => {
        it("rewrites a valid variant to the resizer's path for the mapping's key, with the hash's expiry attached", async () => {
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: withVariants() });
            const result = (await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${HASH}/thumb.avif`, querystring: "x=1" }), deps)) as CloudFrontRequest;
            expect(result.uri).to.equal(resizerPath("thumb", "avif", KEY));
            // What the resizer will read back is exactly this key, preset and token.
            expect(parseResizerPath(result.uri, DEFAULT_VARIANT_PRESETS, "users/")).to.deep.equal({ ok: true, request: { preset: "thumb", token: "avif", key: KEY } });
            expect(result.querystring).to.equal("");
            expect(result.headers["x-image-expires-at"]).to.deep.equal([{ key: "X-Image-Expires-At", value: String(NOW_S + 3600) }]);
            expect(calls).to.have.length(1);
            expect(deps.lines[0]).to.deep.include({ outcome: "rewritten", variant: "thumb.avif", hash: HASH.slice(0, 8) });
        });

        it("answers an unknown hash's variant, a revoked one's and an expired one's exactly as the original's", async () => {
            for (const items of [{}, { [HASH]: goodItem(NOW_S - 1) }]) {
                const original = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore(items).store, { settings: withVariants() })));
                for (const uri of [`/images/${HASH}/thumb.webp`, `/images/${HASH}/large.fallback`, `/images/${HASH}/small`]) {
                    const { store, calls } = itemsStore(items);
                    const variant = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { uri }), testDeps(store, { settings: withVariants() })));
                    expect(variant, uri).to.deep.equal(original);
                    expect(calls.length, `${uri}: looked up like the original`).to.be.greaterThan(0);
                }
                expect(original.status).to.equal(Object.keys(items).length === 0 ? "404" : "403");
            }
        });

        it("answers an unknown preset or format with the generic 404, decided from the path with no read", async () => {
            const unknownHash = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({}).store, { settings: withVariants() })));
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: withVariants() });
            const paths = [
                `/images/${HASH}/huge`,
                `/images/${HASH}/thumb.gif`,
                `/images/${HASH}/thumb.`,
                `/images/${HASH}/thumb.avif.webp`,
                `/images/${HASH}/THUMB`,
                `/images/${HASH}/thumb%2Eavif`,
                `/images/${HASH}/`,
                `/images/${HASH}/thumb/avif`,
                `/images/${HASH.slice(1)}/thumb`,
            ];
            for (const uri of paths) expect(await handleEdgeEvent(requestEvent("origin-request", { uri }), deps), uri).to.deep.equal(unknownHash);
            expect(calls, "no lookup for any of them").to.deep.equal([]);
            expect(deps.lines.map((line) => line.outcome)).to.deep.equal(paths.map(() => "bad_path"));
        });

        it("a format the preset does not allow is an unknown format, even one the catalogue knows", async () => {
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: withVariants({ variants: { thumb: ["webp"] } }) });
            const answer = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${HASH}/thumb.avif` }), deps));
            expect(answer.status).to.equal("404");
            expect(calls).to.deep.equal([]);
            const allowed = (await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${HASH}/thumb.webp` }), deps)) as CloudFrontRequest;
            expect(allowed.uri).to.equal(resizerPath("thumb", "webp", KEY));
        });

        it("an instance without variants serves none: every variant path is the generic 404 without a read", async () => {
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store);
            const answer = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${HASH}/thumb.avif` }), deps));
            expect(answer.status).to.equal("404");
            expect(calls).to.deep.equal([]);
        });

        it("a variant URI that reached the origin request without a token (no Accept travels there) gets the fallback", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: withVariants() });
            const result = (await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${HASH}/small` }), deps)) as CloudFrontRequest;
            expect(result.uri).to.equal(resizerPath("small", "fallback", KEY));
        });
    });

    describe("required + origin: origin-response", () => {
        const fromResizer = (status: string, headers: Record<string, string>, expiresAt: number) =>
            responseEvent("origin-response", status, { "Content-Type": "image/avif", ...headers }, { "X-Image-Expires-At": String(expiresAt) });

        it("bounds what the resizer returns (30 days) by the hash's remaining life, as for an original", async () => {
            const deps = testDeps(itemsStore({}).store, { settings: withVariants() });
            const result = (await handleEdgeEvent(fromResizer("200", { "Cache-Control": "max-age=2592000" }, NOW_S + 90), deps)) as CloudFrontResponse;
            expect(header(result, "cache-control")).to.equal("max-age=90");
            const gone = (await handleEdgeEvent(fromResizer("200", { "Cache-Control": "max-age=2592000" }, NOW_S), deps)) as CloudFrontResponse;
            expect(header(gone, "cache-control")).to.equal("no-store");
        });

        it("turns the resizer's refusal of a path (403) and a missing original (404) into the generic 404, and its 503 into the generic 503", async () => {
            const unknown = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({}).store, { settings: withVariants() })));
            for (const status of ["403", "404"]) {
                const result = (await handleEdgeEvent(fromResizer(status, { "Content-Type": "text/plain; charset=utf-8" }, NOW_S + 90), testDeps(itemsStore({}).store, { settings: withVariants() }))) as CloudFrontResponse & { body?: string };
                expect(result).to.deep.include({ status: "404", body: unknown.body });
            }
            const unavailable = (await handleEdgeEvent(fromResizer("503", { "Retry-After": "1" }, NOW_S + 90), testDeps(itemsStore({}).store, { settings: withVariants() }))) as CloudFrontResponse;
            expect(unavailable.status).to.equal("503");
            expect(header(unavailable, "cache-control")).to.equal("no-store");
        });
    });

    describe("secured + origin: viewer-request", () => {
        const secured = () => withVariants({ level: "secured", memoTtlSeconds: 0 });

        it("negotiates the token from each browser's Accept, as the CloudFront Function does at required", async () => {
            for (const { browser, accept, token } of BROWSER_IMAGE_ACCEPT) {
                const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: secured() });
                const result = (await handleEdgeEvent(requestEvent("viewer-request", { uri: `/images/${HASH}/thumb`, headers: accept === undefined ? {} : { Accept: accept } }), deps)) as CloudFrontRequest;
                expect(result.uri, browser).to.equal(resizerPath("thumb", token, KEY));
                expect(result.headers, "no expiry travels at secured").to.not.have.property("x-image-expires-at");
            }
        });

        it("keeps a token given in the URI, whatever Accept says", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: secured() });
            const result = (await handleEdgeEvent(requestEvent("viewer-request", { uri: `/images/${HASH}/large.jpeg`, headers: { Accept: "image/avif" } }), deps)) as CloudFrontRequest;
            expect(result.uri).to.equal(resizerPath("large", "jpeg", KEY));
        });

        it("refuses a revoked hash's variant on the very next request, and an expired one's", async () => {
            const revoked = expectValidGenerated(await handleEdgeEvent(requestEvent("viewer-request", { uri: `/images/${HASH}/thumb` }), testDeps(itemsStore({}).store, { settings: secured() })));
            expect(revoked.status).to.equal("404");
            const expired = expectValidGenerated(
                await handleEdgeEvent(requestEvent("viewer-request", { uri: `/images/${HASH}/thumb` }), testDeps(itemsStore({ [HASH]: goodItem(NOW_S) }).store, { settings: secured() })),
            );
            expect(expired.status).to.equal("403");
        });
    });

    describe("settings", () => {
        it("take the formats of each preset, checked, and only in origin mode", () => {
            expect(settingsProblems(withVariants())).to.deep.equal([]);
            expect(settingsProblems(withVariants({ mode: "redirect" }))).to.deep.equal(["variants apply to mode origin only (mode redirect hands out presigned URLs of the original)"]);
            expect(settingsProblems(settings({ variants: { Thumb: ["avif"] } }))[0]).to.match(/^variants: preset name "Thumb"/);
            expect(settingsProblems(settings({ variants: { thumb: ["gif" as never] } }))).to.deep.equal(["variants.thumb must be a non-empty list of distinct formats from avif, webp, jpeg, png"]);
            expect(settingsProblems(settings({ variants: {} }))).to.deep.equal(["variants must name at least one preset"]);
        });
    });
});
