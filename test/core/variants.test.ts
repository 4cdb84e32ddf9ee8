/**
 * The variant contract: the catalogue's validation names the field at
 * fault, the URL shapes parse strictly (an unknown preset or extension is a
 * bad path like a bad hash), `Accept` headers of real browsers negotiate
 * one token each, the rewrite the viewer-request function does agrees with
 * the parser, and the gate's path for the resizer round-trips and refuses
 * anything else.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import {
    catalogueSummary,
    cdnVariantUrl,
    checkedVariantCatalogue,
    DEFAULT_VARIANT_PRESETS,
    encodeKeySegments,
    MAX_PRESETS,
    negotiatedTokens,
    negotiatedVariantUri,
    negotiateVariantToken,
    parseResizerPath,
    parseVariantPath,
    parseVariantUri,
    presetFormats,
    presetFormatsProblems,
    presetTokens,
    resizerPath,
    variantCatalogueProblems,
    variantKey,
    variantKeyPrefix,
    variantPath,
    VariantCatalogue,
    VariantPreset,
} from "../../core/variants";
import { BROWSER_IMAGE_ACCEPT } from "../support/browser-accept";
import { hashCachePaths } from "../../core/revocation";
import { thrown } from "../support/rejection";

const HASH = "0123456789abcdef0123456789abcdef";
const ALL: VariantPreset = { width: 256, height: 256, fit: "cover", quality: 75, formats: ["avif", "webp", "jpeg", "png"], eager: false };
const CATALOGUE: VariantCatalogue = {
    thumb: ALL,
    webponly: { ...ALL, formats: ["webp"] },
    jpeg: { ...ALL, formats: ["jpeg"] },
};

describe("core/variants", () => {
    describe("catalogue validation", () => {
        it("accepts the default catalogue", () => {
            expect(variantCatalogueProblems(DEFAULT_VARIANT_PRESETS)).to.deep.equal([]);
            expect(Object.keys(DEFAULT_VARIANT_PRESETS)).to.deep.equal(["thumb", "small", "large"]);
        });

        const cases: [string, unknown, RegExp][] = [
            ["not an object", [], /^variants must be an object of presets by name$/],
            ["no preset", {}, /^variants must name at least one preset$/],
            ["a bad name", { Thumb: ALL }, /^variants: preset name "Thumb" must be 1-32 lowercase letters/],
            ["a 33-character name", { ["a".repeat(33)]: ALL }, /preset name "a{33}" must be 1-32/],
            ["a width over the bound", { thumb: { ...ALL, width: 5000 } }, /^variants\.thumb\.width must be an integer from 16 to 4096, got 5000$/],
            ["a height under the bound", { thumb: { ...ALL, height: 8 } }, /^variants\.thumb\.height must be an integer from 16 to 4096, got 8$/],
            ["a fractional width", { thumb: { ...ALL, width: 100.5 } }, /^variants\.thumb\.width must be an integer/],
            ["an unknown fit", { thumb: { ...ALL, fit: "fill" } }, /^variants\.thumb\.fit must be one of cover, inside, got "fill"$/],
            ["quality 0", { thumb: { ...ALL, quality: 0 } }, /^variants\.thumb\.quality must be an integer from 1 to 100, got 0$/],
            ["quality 101", { thumb: { ...ALL, quality: 101 } }, /^variants\.thumb\.quality must be an integer from 1 to 100, got 101$/],
            ["no formats", { thumb: { ...ALL, formats: [] } }, /^variants\.thumb\.formats must be a non-empty list/],
            ["an unknown format", { thumb: { ...ALL, formats: ["webp", "gif"] } }, /^variants\.thumb\.formats\[1\] must be one of avif, webp, jpeg, png, got "gif"$/],
            ["a repeated format", { thumb: { ...ALL, formats: ["webp", "webp"] } }, /^variants\.thumb\.formats\[1\] repeats webp$/],
            ["eager not a boolean", { thumb: { ...ALL, eager: "yes" } }, /^variants\.thumb\.eager must be true or false, got "yes"$/],
            ["an unknown field", { thumb: { ...ALL, sharpen: true } }, /^variants\.thumb\.sharpen is not a preset field/],
        ];
        for (const [what, catalogue, message] of cases) {
            it(`refuses ${what}, naming the field`, () => {
                const problems = variantCatalogueProblems(catalogue);
                expect(problems, JSON.stringify(problems)).to.have.length(1);
                expect(problems[0]).to.match(message);
            });
        }

        it(`refuses more than ${MAX_PRESETS} presets, and names the field it was given`, () => {
            const many = Object.fromEntries(Array.from({ length: MAX_PRESETS + 1 }, (_, i) => [`p${i}`, ALL]));
            expect(variantCatalogueProblems(many, "presets")).to.deep.equal([`presets has ${MAX_PRESETS + 1} presets; at most ${MAX_PRESETS} are allowed`]);
            const enough = Object.fromEntries(Array.from({ length: MAX_PRESETS }, (_, i) => [`p${i}`, ALL]));
            expect(variantCatalogueProblems(enough)).to.deep.equal([]);
        });

        it("checkedVariantCatalogue throws every problem at once", () => {
            const error = thrown(() => checkedVariantCatalogue({ thumb: { ...ALL, width: 1, quality: 0 } }), Error);
            expect(error.message).to.include("variants.thumb.width").and.include("variants.thumb.quality");
        });
    });

    describe("viewer URL shapes", () => {
        it("parses /images/<hash>/<preset> (negotiated) and /images/<hash>/<preset>.<token> (explicit)", () => {
            expect(parseVariantPath(`/images/${HASH}/thumb`, CATALOGUE)).to.deep.equal({ hash: HASH, preset: "thumb" });
            for (const token of ["avif", "webp", "jpeg", "png", "fallback"] as const) {
                expect(parseVariantPath(`/images/${HASH}/thumb.${token}`, CATALOGUE)).to.deep.equal({ hash: HASH, preset: "thumb", token });
                expect(parseVariantPath(variantPath(HASH, "thumb", token), CATALOGUE)).to.deep.equal({ hash: HASH, preset: "thumb", token });
            }
        });

        it("builds the public URL the issuer hands out, and lists the tokens a preset can be served as", () => {
            expect(cdnVariantUrl("https://img.example.com/", HASH, "thumb")).to.equal(`https://img.example.com/images/${HASH}/thumb`);
            expect(cdnVariantUrl("https://img.example.com", HASH, "thumb", "webp")).to.equal(`https://img.example.com/images/${HASH}/thumb.webp`);
            expect(presetTokens(CATALOGUE.webponly)).to.deep.equal(["webp", "fallback"]);
            for (const token of presetTokens(CATALOGUE.thumb)) expect(parseVariantPath(variantPath(HASH, "thumb", token), CATALOGUE)?.token).to.equal(token);
        });

        it("allows the fallback for every preset, and only the preset's own formats by extension", () => {
            expect(parseVariantPath(`/images/${HASH}/webponly.webp`, CATALOGUE)?.token).to.equal("webp");
            expect(parseVariantPath(`/images/${HASH}/webponly.fallback`, CATALOGUE)?.token).to.equal("fallback");
            expect(parseVariantPath(`/images/${HASH}/webponly.avif`, CATALOGUE)).to.equal(undefined);
            expect(parseVariantPath(`/images/${HASH}/jpeg.png`, CATALOGUE)).to.equal(undefined);
        });

        const bad = [
            ["an unknown preset", `/images/${HASH}/huge`],
            ["a preset named like an Object member", `/images/${HASH}/constructor`],
            ["an unknown extension", `/images/${HASH}/thumb.gif`],
            ["jpg for jpeg", `/images/${HASH}/thumb.jpg`],
            ["an empty extension", `/images/${HASH}/thumb.`],
            ["two extensions", `/images/${HASH}/thumb.avif.webp`],
            ["an upper-case extension", `/images/${HASH}/thumb.AVIF`],
            ["an upper-case preset", `/images/${HASH}/Thumb`],
            ["a bad hash", `/images/${HASH.slice(1)}/thumb`],
            ["an upper-case hash", `/images/${HASH.toUpperCase()}/thumb`],
            ["a trailing slash", `/images/${HASH}/thumb/`],
            ["an encoded character", `/images/${HASH}/thumb%2Ewebp`],
            ["an extra segment", `/images/${HASH}/thumb/x`],
            ["no preset", `/images/${HASH}/`],
            ["the original", `/images/${HASH}`],
            ["another prefix", `/image/${HASH}/thumb`],
            ["traversal", `/images/${HASH}/../thumb`],
        ];
        for (const [what, uri] of bad) {
            it(`treats ${what} as a bad path, from the path alone`, () => {
                expect(parseVariantPath(uri, CATALOGUE)).to.equal(undefined);
                expect(negotiatedVariantUri(uri, "image/avif", presetFormats(CATALOGUE))).to.equal(undefined);
            });
        }
    });

    describe("Accept negotiation", () => {
        for (const { browser, accept, token } of BROWSER_IMAGE_ACCEPT) {
            it(`${browser} → ${token}`, () => {
                expect(negotiateVariantToken(accept, ALL.formats)).to.equal(token);
            });
        }

        it("never picks a format the preset does not allow", () => {
            const chrome = BROWSER_IMAGE_ACCEPT[0].accept;
            expect(negotiateVariantToken(chrome, ["webp", "jpeg"])).to.equal("webp");
            expect(negotiateVariantToken(chrome, ["jpeg", "png"])).to.equal("fallback");
            expect(negotiateVariantToken(chrome, ["png"])).to.equal("fallback");
        });

        it("never negotiates JPEG or PNG by name: those are the fallback's to choose", () => {
            expect(negotiateVariantToken("image/jpeg,image/png", ALL.formats)).to.equal("fallback");
        });

        it("breaks a tie of q by the preset's order", () => {
            expect(negotiateVariantToken("image/avif,image/webp", ["webp", "avif"])).to.equal("webp");
            expect(negotiateVariantToken("image/webp,image/avif", ["avif", "webp"])).to.equal("avif");
        });

        it("follows q: a higher q wins, q=0 refuses, a malformed q counts for nothing", () => {
            expect(negotiateVariantToken("image/avif;q=0.5,image/webp;q=0.9", ALL.formats)).to.equal("webp");
            expect(negotiateVariantToken("image/avif;q=0,image/webp", ALL.formats)).to.equal("webp");
            expect(negotiateVariantToken("image/avif;q=0,image/webp;q=0.000", ALL.formats)).to.equal("fallback");
            expect(negotiateVariantToken("image/avif;q=2,image/webp;q=0.1", ALL.formats)).to.equal("webp");
            expect(negotiateVariantToken("image/avif;q=abc", ALL.formats)).to.equal("fallback");
            expect(negotiateVariantToken("image/avif;level=1;q=0.7, image/webp;q=0.6", ALL.formats)).to.equal("avif");
        });

        it("is case-insensitive and tolerates spaces, but takes only the exact type", () => {
            expect(negotiateVariantToken(" IMAGE/AVIF ; Q=0.9 ", ALL.formats)).to.equal("avif");
            expect(negotiateVariantToken("image/avifx,image/webp2,xImage/webp", ALL.formats)).to.equal("fallback");
            expect(negotiateVariantToken("image/*", ALL.formats)).to.equal("fallback");
        });

        it("reads only the first 1024 characters of a header", () => {
            const padding = "x/y,".repeat(256);
            expect(negotiateVariantToken(padding + "image/avif", ALL.formats)).to.equal("fallback");
            expect(negotiateVariantToken("image/avif," + padding, ALL.formats)).to.equal("avif");
        });

        it("rewrites exactly the negotiable URIs the parser accepts, to one the parser reads back with that token", () => {
            const formats = presetFormats(CATALOGUE);
            const piece = fc.constantFrom("/images/", HASH, HASH.toUpperCase(), "/", "thumb", "webponly", "jpeg", "huge", ".", "avif", "webp", "%2E", "..", "x");
            fc.assert(
                fc.property(fc.array(piece, { maxLength: 6 }), fc.constantFrom(...BROWSER_IMAGE_ACCEPT.map((row) => row.accept)), (pieces, accept) => {
                    const uri = pieces.join("");
                    const parsed = parseVariantPath(uri, CATALOGUE);
                    const rewritten = negotiatedVariantUri(uri, accept, formats);
                    if (parsed === undefined || parsed.token !== undefined) return rewritten === undefined;
                    const again = rewritten === undefined ? undefined : parseVariantPath(rewritten, CATALOGUE);
                    return again !== undefined && again.preset === parsed.preset && again.token === negotiateVariantToken(accept, formats[parsed.preset]);
                }),
                { numRuns: 2000 },
            );
            expect(negotiatedVariantUri(`/images/${HASH}/thumb`, "image/webp", formats)).to.equal(`/images/${HASH}/thumb.webp`);
        });
    });

    describe("stored variants", () => {
        it("are kept under derived/<original key>/<preset>.<token>", () => {
            expect(variantKey("uploads/a b.jpg", "thumb", "webp")).to.equal("derived/uploads/a b.jpg/thumb.webp");
            expect(variantKey("uploads/x.png", "large", "fallback")).to.equal("derived/uploads/x.png/large.fallback");
        });

        it("share one prefix per original, which no other original's variants fall under", () => {
            expect(variantKey("uploads/a.jpg", "thumb", "avif")!.startsWith(variantKeyPrefix("uploads/a.jpg"))).to.equal(true);
            expect(variantKey("uploads/a.jpg.x", "thumb", "avif")!.startsWith(variantKeyPrefix("uploads/a.jpg"))).to.equal(false);
        });

        it("refuses a key that would be longer than S3 allows", () => {
            const long = "uploads/" + "k".repeat(1000);
            expect(variantKey(long, "thumb", "avif")).to.equal(undefined);
            expect(variantKey("uploads/" + "k".repeat(990), "thumb", "avif")).to.be.a("string");
        });
    });

    describe("the resizer path the gate writes", () => {
        const keys = ["uploads/abc.jpg", "uploads/a b/ü (1)!.png", "uploads/~tilde/*star'.webp", "uploads/deep/er/key"];
        for (const key of keys) {
            it(`round-trips ${JSON.stringify(key)}`, () => {
                const path = resizerPath("thumb", "avif", key);
                expect(path.startsWith("/variant/thumb/avif/")).to.equal(true);
                expect(parseResizerPath(path, CATALOGUE, "uploads/")).to.deep.equal({ ok: true, request: { preset: "thumb", token: "avif", key } });
            });
        }

        const refused: [string, string, string][] = [
            ["another shape", `/images/${HASH}/thumb.avif`, "shape"],
            ["no key", "/variant/thumb/avif", "shape"],
            ["an unknown preset", "/variant/huge/avif/uploads/a.jpg", "preset"],
            ["a preset named like an Object member", "/variant/constructor/avif/uploads/a.jpg", "preset"],
            ["a token the preset does not allow", "/variant/webponly/avif/uploads/a.jpg", "token"],
            ["an unknown token", "/variant/thumb/gif/uploads/a.jpg", "token"],
            ["a non-canonical encoding", "/variant/thumb/avif/uploads/%61.jpg", "key"],
            ["lower-case percent hex", `/variant/thumb/avif/${encodeKeySegments("uploads/é.jpg").toLowerCase()}`, "key"],
            ["an encoded slash", "/variant/thumb/avif/uploads%2Fa.jpg", "key"],
            ["a traversal", "/variant/thumb/avif/uploads/../secret.jpg", "key"],
            ["an empty segment", "/variant/thumb/avif/uploads//a.jpg", "key"],
            ["a broken escape", "/variant/thumb/avif/uploads/%E0%A4%A.jpg", "key"],
            ["a control character", "/variant/thumb/avif/uploads/a%0A.jpg", "key"],
            ["a key outside the upload prefix", "/variant/thumb/avif/private/a.jpg", "outside_uploads"],
            ["a stored variant as the original", "/variant/thumb/avif/derived/uploads/a.jpg/thumb.avif", "outside_uploads"],
            ["a staging key", "/variant/thumb/avif/uploads/incoming/0123.jpg", "staging"],
        ];
        for (const [what, path, problem] of refused) {
            it(`refuses ${what} (${problem})`, () => {
                expect(parseResizerPath(path, CATALOGUE, "uploads/")).to.deep.equal({ ok: false, problem });
            });
        }
    });

    describe("what the edge and the issuer carry of the catalogue", () => {
        it("parseVariantUri decides from each preset's formats exactly as parseVariantPath does from the catalogue", () => {
            fc.assert(
                fc.property(fc.constantFrom("thumb", "small", "large", "huge", "Thumb", "thumb.avif"), fc.constantFrom("", ".avif", ".webp", ".jpeg", ".png", ".fallback", ".gif", "."), (preset, suffix) => {
                    const uri = `/images/${HASH}/${preset}${suffix}`;
                    expect(parseVariantUri(uri, presetFormats(DEFAULT_VARIANT_PRESETS))).to.deep.equal(parseVariantPath(uri, DEFAULT_VARIANT_PRESETS));
                }),
            );
            expect(parseVariantUri(`/images/${HASH}/thumb.avif`, { thumb: ["webp"] })).to.equal(undefined);
            expect(parseVariantUri(`/images/${HASH}/toString`, { thumb: ["webp"] })).to.equal(undefined);
        });

        it("presetFormatsProblems checks names and formats, naming the field", () => {
            expect(presetFormatsProblems(presetFormats(DEFAULT_VARIANT_PRESETS))).to.deep.equal([]);
            expect(presetFormatsProblems({ thumb: ["webp", "webp"] })).to.deep.equal(["variants.thumb must be a non-empty list of distinct formats from avif, webp, jpeg, png"]);
            expect(presetFormatsProblems({ thumb: [] }, "f")).to.deep.equal(["f.thumb must be a non-empty list of distinct formats from avif, webp, jpeg, png"]);
            expect(presetFormatsProblems([])).to.deep.equal(["variants must be an object of format lists by preset name"]);
        });

        it("the tokens a viewer's Accept can lead to: the preset's AVIF and WebP, then the fallback", () => {
            expect(negotiatedTokens(["avif", "webp", "jpeg", "png"])).to.deep.equal(["avif", "webp", "fallback"]);
            expect(negotiatedTokens(["jpeg"])).to.deep.equal(["fallback"]);
            expect(negotiatedTokens(["webp", "avif"])).to.deep.equal(["webp", "avif", "fallback"]);
            // Every browser of the table gets one of them.
            for (const { accept } of BROWSER_IMAGE_ACCEPT) expect(negotiatedTokens(["avif", "webp"])).to.include(negotiateVariantToken(accept, ["avif", "webp"]));
        });

        it("catalogueSummary keeps names, formats and eager, nothing of sizes", () => {
            expect(catalogueSummary(DEFAULT_VARIANT_PRESETS)).to.deep.equal({
                thumb: { formats: ["avif", "webp", "jpeg", "png"], eager: true },
                small: { formats: ["avif", "webp", "jpeg", "png"], eager: false },
                large: { formats: ["avif", "webp", "jpeg", "png"], eager: false },
            });
        });

        it("hashCachePaths: one wildcard path covering the original and every variant", () => {
            expect(hashCachePaths(HASH)).to.deep.equal([`/images/${HASH}*`]);
        });
    });
});
