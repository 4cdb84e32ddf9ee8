import { expect } from "chai";
import type { CloudFrontRequest, CloudFrontResponse } from "aws-lambda";
import { handleEdgeEvent } from "../../edge/handler";
import {
    BUCKET,
    CREDENTIALS,
    cfRequest,
    expectValidGenerated,
    fixedClock,
    goodItem,
    HASH,
    header,
    itemsStore,
    KEY,
    NOW_MS,
    NOW_S,
    requestEvent,
    responseEvent,
    settings,
    stubStore,
    testDeps,
} from "./fixtures";
import { independentPresignSignature } from "../support/sigv4-oracle";

const ENCODED_KEY = "/users/42/holiday%20photo%20%281%29.jpg";

describe("edge handler (in-process store, fixed clock)", () => {
    describe("required + origin: origin-request", () => {
        it("rewrites a valid hash to its object's key in the same bucket, with the expiry attached", async () => {
            const { store } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store);
            const event = requestEvent("origin-request", { querystring: "versionId=abc&response-content-type=text/html", headers: { "X-Image-Expires-At": "99999999999" } });
            const origin = JSON.parse(JSON.stringify(event.Records[0].cf.request.origin)) as unknown;
            const result = (await handleEdgeEvent(event, deps)) as CloudFrontRequest;
            expect(result.uri).to.equal(ENCODED_KEY);
            expect(result.querystring, "nothing from the query reaches S3").to.equal("");
            expect(result.method).to.equal("GET");
            expect(result.origin, "the origin (and its OAC) is never changed").to.deep.equal(origin);
            expect(result.headers["x-image-expires-at"]).to.deep.equal([{ key: "X-Image-Expires-At", value: String(NOW_S + 3600) }]);
            expect(result.headers["host"]).to.deep.equal(cfRequest().headers["host"]);
            expect(deps.lines).to.deep.equal([{ service: "chat", event: "origin-request", outcome: "rewritten", memo: false, attempts: 1, ms: 0, hash: HASH.slice(0, 8) }]);
        });

        it("answers an unknown hash 404, cached as long as the distribution's error TTL", async () => {
            const { store, calls } = itemsStore({});
            const deps = testDeps(store);
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps));
            expect(result).to.deep.include({ status: "404", statusDescription: "Not Found", body: "Not Found\n" });
            expect(header(result, "cache-control")).to.equal("max-age=10");
            expect(header(result, "content-type")).to.equal("text/plain; charset=utf-8");
            expect(calls.map((call) => call.consistent)).to.deep.equal([false, true]);
            expect(deps.lines[0]).to.deep.include({ outcome: "not_found", status: 404, attempts: 2 });
        });

        it("answers a malformed path exactly like an unknown hash, without a read", async () => {
            const unknown = await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({}).store));
            const { store, calls } = itemsStore({});
            const deps = testDeps(store);
            for (const uri of ["/", "/images/../secret.jpg", `/images/${HASH.toUpperCase()}`, "/users/42/holiday%20photo.jpg", `/images/${HASH}/x`]) {
                expect(await handleEdgeEvent(requestEvent("origin-request", { uri }), deps), uri).to.deep.equal(unknown);
            }
            expect(calls).to.have.length(0);
            expect(deps.lines.map((line) => line.outcome)).to.deep.equal(Array(5).fill("bad_path"));
            expect(deps.lines.filter((line) => line.hash !== undefined), "log lines naming a hash").to.deep.equal([]);
        });

        it("answers other methods 405 and over-long URIs 414, without a read", async () => {
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store);
            const post = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { method: "POST" }), deps));
            expect(post.status).to.equal("405");
            expect(header(post, "allow")).to.equal("GET, HEAD");
            expect(header(post, "cache-control")).to.equal("no-store");
            const long = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { uri: "/images/" + "a".repeat(5000) }), deps));
            expect(long.status).to.equal("414");
            expect(header(long, "cache-control")).to.equal("max-age=10");
            expect(calls).to.have.length(0);
        });

        it("answers an expired hash 403, cached one minute", async () => {
            const { store } = itemsStore({ [HASH]: goodItem(NOW_S - 1) });
            const deps = testDeps(store);
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps));
            expect(result).to.deep.include({ status: "403", statusDescription: "Forbidden" });
            expect(header(result, "cache-control")).to.equal("max-age=60");
            expect(deps.lines[0]).to.deep.include({ outcome: "expired", status: 403 });
        });

        it("is exact at the expiry boundary", async () => {
            const { store } = itemsStore({ [HASH]: goodItem(NOW_S + 10) });
            const clock = fixedClock(NOW_MS + 9_999);
            const deps = testDeps(store, { clock, settings: settings({ memoMaxEntries: 0 }) });
            expect(((await handleEdgeEvent(requestEvent("origin-request"), deps)) as CloudFrontRequest).uri).to.equal(ENCODED_KEY);
            clock.advanceMs(1);
            expect(((await handleEdgeEvent(requestEvent("origin-request"), deps)) as CloudFrontResponse).status).to.equal("403");
        });

        it("answers 503 with Retry-After, never cached and without detail, when the table cannot answer", async () => {
            const { store } = stubStore(() => ({ ok: false, failure: "throttled", errorType: "ProvisionedThroughputExceededException", attempts: 2 }));
            const deps = testDeps(store);
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps), [HASH, BUCKET, "Provisioned", "throttled"]);
            expect(result).to.deep.include({ status: "503", body: "Service Unavailable\n" });
            expect(header(result, "retry-after")).to.equal("1");
            expect(header(result, "cache-control")).to.equal("no-store");
            expect(deps.lines[0]).to.deep.include({ outcome: "unavailable", status: 503, attempts: 2, reason: "ProvisionedThroughputExceededException" });
        });

        it("answers a bad item like an unknown hash and logs why, not what", async () => {
            const { store } = itemsStore({ [HASH]: goodItem(NOW_S + 60, "x.jpg", "another-bucket") });
            const deps = testDeps(store);
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps), [HASH, "another-bucket", "x.jpg"]);
            expect(result.status).to.equal("404");
            expect(deps.lines[0]).to.deep.include({ outcome: "bad_item", status: 404, reason: "other_bucket" });
            expect(JSON.stringify(deps.lines)).not.to.include("another-bucket");
        });

        it("never throws: a store that throws becomes a 503", async () => {
            const deps = testDeps({ read: () => Promise.reject(new TypeError("socket exploded")) });
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps), ["socket exploded"]);
            expect(result.status).to.equal("503");
            expect(deps.lines[0]).to.deep.include({ outcome: "internal_error", status: 503, reason: "TypeError" });
        });

        it("answers even when logging fails", async () => {
            const deps = { ...testDeps(itemsStore({}).store), log: () => { throw new Error("stdout closed"); } };
            expect(((await handleEdgeEvent(requestEvent("origin-request"), deps)) as CloudFrontResponse).status).to.equal("404");
        });
    });

    describe("required + origin: origin-response", () => {
        const withExpiry = (expiresAt: number) => ({ "X-Image-Expires-At": String(expiresAt) });

        it("takes S3's Expires as its lifetime, bounds it by the max TTL and the hash, and drops the header", async () => {
            const deps = testDeps(itemsStore({}).store);
            const event = responseEvent("origin-response", "200", { Expires: "Thu, 01 Dec 2100 16:00:00 GMT" }, withExpiry(NOW_S + 30 * 86400));
            const result = (await handleEdgeEvent(event, deps)) as CloudFrontResponse;
            expect(result.status).to.equal("200");
            expect(header(result, "cache-control")).to.equal("max-age=2592000");
            expect(result.headers["expires"]).to.equal(undefined);
            expect(header(result, "content-type")).to.equal("image/jpeg");
            expect(deps.lines[0]).to.deep.include({ event: "origin-response", outcome: "cache_bounded" });
        });

        it("keeps S3's own shorter max-age, else the default TTL, and never outlives the hash", async () => {
            const deps = testDeps(itemsStore({}).store);
            const bounded = async (expiresAt: number, responseHeaders: Record<string, string> = {}) =>
                header(await handleEdgeEvent(responseEvent("origin-response", "200", responseHeaders, withExpiry(expiresAt)), deps), "cache-control");
            expect(await bounded(NOW_S + 30 * 86400)).to.equal("max-age=86400");
            expect(await bounded(NOW_S + 30 * 86400, { "Cache-Control": "public, max-age=600" })).to.equal("max-age=600");
            expect(await bounded(NOW_S + 90, { "Cache-Control": "max-age=3600" })).to.equal("max-age=90");
            expect(await bounded(NOW_S)).to.equal("no-store");
            expect(await bounded(NOW_S + 3600, { "Cache-Control": "no-cache" })).to.equal("no-store");
        });

        it("bounds a 304 revalidation the same way", async () => {
            const deps = testDeps(itemsStore({}).store);
            const result = await handleEdgeEvent(responseEvent("origin-response", "304", {}, withExpiry(NOW_S + 42)), deps);
            expect((result as CloudFrontResponse).status).to.equal("304");
            expect(header(result, "cache-control")).to.equal("max-age=42");
        });

        it("never lets CloudFront keep a response whose expiry did not come along", async () => {
            const deps = testDeps(itemsStore({}).store);
            const cases: Record<string, string>[] = [{}, { "X-Image-Expires-At": "soon" }, { "X-Image-Expires-At": "-5" }];
            for (const requestHeaders of cases) {
                const result = await handleEdgeEvent(responseEvent("origin-response", "200", { "Cache-Control": "max-age=86400" }, requestHeaders), deps);
                expect(header(result, "cache-control"), JSON.stringify(requestHeaders)).to.equal("no-store");
            }
            expect(deps.lines[0]).to.deep.include({ outcome: "cache_bounded", reason: "no_expiry" });
        });

        it("turns S3's 403 and 404 (whose body names the key) into the generic 404", async () => {
            for (const status of ["403", "404"]) {
                const deps = testDeps(itemsStore({}).store);
                const s3Headers = { "Content-Encoding": "gzip", "Content-Range": "bytes */2048", ETag: '"abc"' };
                const result = await handleEdgeEvent(responseEvent("origin-response", status, s3Headers, withExpiry(NOW_S + 60)), deps);
                expect((result as CloudFrontResponse).headers["etag"]).to.equal(undefined);
                expectValidGenerated({ ...(result as object), headers: { ...(result as CloudFrontResponse).headers } });
                expect(result).to.deep.include({ status: "404", statusDescription: "Not Found", body: "Not Found\n", bodyEncoding: "text" });
                expect(header(result, "cache-control")).to.equal("max-age=10");
                const names = Object.keys((result as CloudFrontResponse).headers);
                expect(names.filter((name) => name.startsWith("x-amz-") || name.startsWith("content-") && name !== "content-type")).to.deep.equal([]);
                expect(deps.lines[0]).to.deep.include({ outcome: "origin_missing", status: 404, reason: `s3_${status}` });
            }
        });

        it("turns S3's 5xx into a 503 that is never cached, and other 4xx into a generic body", async () => {
            const deps = testDeps(itemsStore({}).store);
            const failed = await handleEdgeEvent(responseEvent("origin-response", "500", {}, withExpiry(NOW_S + 60)), deps);
            expect(failed).to.deep.include({ status: "503", body: "Service Unavailable\n" });
            expect(header(failed, "retry-after")).to.equal("1");
            expect(header(failed, "cache-control")).to.equal("no-store");
            const range = await handleEdgeEvent(responseEvent("origin-response", "416", {}, withExpiry(NOW_S + 60)), deps);
            expect(range).to.deep.include({ status: "416", body: "Error\n" });
            expect(header(range, "cache-control")).to.equal("no-store");
        });

        it("answers any other origin status (S3's 301/307 redirects name the bucket and key) with the generic 503, at both levels", async () => {
            // Only 200, 206 and 304 are successes; S3's redirects carry Location and x-amz-bucket-region.
            const s3Redirect = {
                Location: `https://${BUCKET}.s3.eu-central-1.amazonaws.com/users/42/holiday%20photo%20%281%29.jpg`,
                "x-amz-bucket-region": "eu-central-1",
                "Cache-Control": "max-age=86400",
            };
            for (const level of ["required", "secured"] as const) {
                for (const status of ["301", "302", "307", "204"]) {
                    const deps = testDeps(itemsStore({}).store, { settings: settings({ level, ...(level === "secured" ? { memoTtlSeconds: 0 } : {}) }) });
                    const result = await handleEdgeEvent(responseEvent("origin-response", status, s3Redirect, withExpiry(NOW_S + 3600)), deps);
                    const what = `${level}, S3 answered ${status}`;
                    expect(result, what).to.deep.include({ status: "503", statusDescription: "Service Unavailable", body: "Service Unavailable\n", bodyEncoding: "text" });
                    expectValidGenerated({ ...(result as object), headers: { ...(result as CloudFrontResponse).headers } });
                    expect(header(result, "cache-control"), `${what}: Cache-Control`).to.equal("no-store");
                    expect(header(result, "retry-after"), `${what}: Retry-After`).to.equal("1");
                    expect(header(result, "location"), `${what}: Location`).to.equal(undefined);
                    expect(Object.keys((result as CloudFrontResponse).headers).filter((name) => name.startsWith("x-amz-")), `${what}: S3 headers`).to.deep.equal([]);
                    expect(JSON.stringify(result), `${what}: names neither bucket nor key`).to.not.include(BUCKET).and.to.not.include("holiday");
                    expect(deps.lines[0], `${what}: log`).to.deep.include({ event: "origin-response", outcome: "origin_error", status: 503, reason: `s3_${status}` });
                }
            }
        });

        it("answers an object deleted behind a live hash with exactly the headers of an unknown hash's 404, plus the read-only ones", async () => {
            // What S3 sends with its 404 (NoSuchKey) besides its error body: none of it may reach the viewer.
            const s3Headers = {
                Server: "AmazonS3",
                Date: "Tue, 01 Jan 2030 00:00:00 GMT",
                "Accept-Ranges": "bytes",
                "x-amz-bucket-region": "eu-west-1",
                Via: "1.1 abc.cloudfront.net (CloudFront)",
                "Transfer-Encoding": "chunked",
            };
            for (const level of ["required", "secured"] as const) {
                const s = settings({ level, ...(level === "secured" ? { memoTtlSeconds: 0 } : {}) });
                const phase = level === "secured" ? "viewer-request" : "origin-request";
                const unknown = expectValidGenerated(await handleEdgeEvent(requestEvent(phase), testDeps(itemsStore({}).store, { settings: s })));
                const deps = testDeps(itemsStore({}).store, { settings: s });
                const deleted = (await handleEdgeEvent(responseEvent("origin-response", "404", s3Headers, withExpiry(NOW_S + 3600)), deps)) as CloudFrontResponse;
                const expected = {
                    ...unknown.headers,
                    via: [{ key: "Via", value: "1.1 abc.cloudfront.net (CloudFront)" }],
                    "transfer-encoding": [{ key: "Transfer-Encoding", value: "chunked" }],
                };
                expect(deleted.headers, `${level}: header set of the replaced 404`).to.deep.equal(expected);
                expect(deleted, `${level}: status and body`).to.deep.include({ status: unknown.status, statusDescription: unknown.statusDescription, body: unknown.body });
            }
        });

        it("never touches read-only headers it was given", async () => {
            const deps = testDeps(itemsStore({}).store);
            const event = responseEvent("origin-response", "404", { Via: "1.1 abc.cloudfront.net", "Transfer-Encoding": "chunked" }, withExpiry(NOW_S + 60));
            const result = (await handleEdgeEvent(event, deps)) as CloudFrontResponse;
            expect(result.headers["via"]).to.deep.equal([{ key: "Via", value: "1.1 abc.cloudfront.net" }]);
            expect(result.headers["transfer-encoding"]).to.deep.equal([{ key: "Transfer-Encoding", value: "chunked" }]);
        });
    });

    describe("required + redirect", () => {
        const redirect = settings({ mode: "redirect", signedUrlTtlSeconds: 300 });

        it("answers 302 to a presigned GET, kept by browsers only (never by CloudFront), no longer than the memo would trust the read", async () => {
            const { store } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: redirect });
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request", { querystring: "X-Amz-Expires=999999" }), deps));
            expect(result).to.deep.include({ status: "302", statusDescription: "Found" });
            expect(result.body).to.equal(undefined);
            expect(header(result, "cache-control"), "memoTtlSeconds 60: trusted 60 s from the read").to.equal("private, max-age=60");
            const location = new URL(header(result, "location") ?? "");
            expect(location.origin).to.equal(`https://${BUCKET}.s3.eu-west-1.amazonaws.com`);
            expect(location.pathname).to.equal(ENCODED_KEY);
            expect(location.searchParams.get("X-Amz-Expires")).to.equal("300");
            expect(location.searchParams.get("X-Amz-Date")).to.equal("20300101T000000Z");
            expect([...location.searchParams.keys()].sort()).to.deep.equal(
                [
                    "X-Amz-Algorithm",
                    "X-Amz-Credential",
                    "X-Amz-Date",
                    "X-Amz-Expires",
                    "X-Amz-Signature",
                    "X-Amz-SignedHeaders",
                    "response-cache-control",
                    "response-content-disposition",
                ].sort(),
            );
            // S3 is told (in signed parameters) to keep the bytes out of shared caches for no longer than the URL
            // lives, and to make a browser that navigates to it save the file rather than render it.
            expect(location.searchParams.get("response-cache-control")).to.equal("private, max-age=300");
            expect(location.searchParams.get("response-content-disposition")).to.equal("attachment");
            expect(deps.lines[0]).to.deep.include({ outcome: "redirected", status: 302 });
        });

        it("signs the URL for the request's method: a HEAD is sent to a URL signed for HEAD", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: redirect });
            const get = new URL(header(await handleEdgeEvent(requestEvent("origin-request"), deps), "location") ?? "");
            const head = new URL(header(await handleEdgeEvent(requestEvent("origin-request", { method: "HEAD" }), deps), "location") ?? "");
            // Same object, same moment, same expiry: only the signed method differs, so only the signature does.
            const without = (url: URL) => [...url.searchParams.entries()].filter(([name]) => name !== "X-Amz-Signature");
            expect(without(head)).to.deep.equal(without(get));
            expect(head.searchParams.get("X-Amz-Signature")).to.not.equal(get.searchParams.get("X-Amz-Signature"));
            expect(head.searchParams.get("X-Amz-Signature")).to.equal(
                independentPresignSignature({ method: "HEAD", url: head, secretAccessKey: CREDENTIALS.secretAccessKey }),
            );
            expect(get.searchParams.get("X-Amz-Signature")).to.equal(
                independentPresignSignature({ method: "GET", url: get, secretAccessKey: CREDENTIALS.secretAccessKey }),
            );
        });

        it("keeps a 302 built from the memo no longer than the memo trusts it, and its URL dies when one signed at the read would", async () => {
            const clock = fixedClock();
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: redirect, clock });
            expect(header(await handleEdgeEvent(requestEvent("origin-request"), deps), "cache-control")).to.equal("private, max-age=60");
            clock.advanceMs(50_000); // read at NOW with a 60 s memo: trusted until NOW + 60
            const fromMemo = await handleEdgeEvent(requestEvent("origin-request"), deps);
            expect(deps.lines[1]).to.deep.include({ outcome: "redirected", memo: true });
            expect(header(fromMemo, "cache-control")).to.equal("private, max-age=10");
            const url = new URL(header(fromMemo, "location") ?? "");
            // Signed 50 s after the read: 250 s left, so it dies at NOW + 300 like a URL signed at the read.
            // (A revocation right after the read therefore ends every URL within signedUrlTtlSeconds.)
            expect(url.searchParams.get("X-Amz-Expires")).to.equal("250");
            expect(url.searchParams.get("X-Amz-Date")).to.equal("20300101T000050Z");
            expect(url.searchParams.get("response-cache-control")).to.equal("private, max-age=250");
        });

        it("keeps a 302 built from a fresh read no longer than the memo would trust that read, counted from the read's start", async () => {
            // Documented: max-age = min(URL life - 30 s, maxTtlSeconds, what the memo still trusts), the memo
            // trusting a read for memoTtlSeconds (60 s) but at most half a URL's life.
            const clock = fixedClock();
            const slowRead = stubStore(() => {
                clock.advanceMs(2_000); // the table answers 2 s after the read started
                return { ok: true, item: goodItem(), attempts: 1 };
            });
            const fresh = await handleEdgeEvent(requestEvent("origin-request"), testDeps(slowRead.store, { settings: redirect, clock }));
            expect(new URL(header(fresh, "location") ?? "").searchParams.get("X-Amz-Expires"), "URL life").to.equal("298");
            expect(header(fresh, "cache-control"), "read started at NOW: trusted until NOW + 60 s, 58 s from the answer").to.equal("private, max-age=58");
            const cases = [
                { s: settings({ mode: "redirect", signedUrlTtlSeconds: 300, memoTtlSeconds: 20 }), maxAge: "private, max-age=20" },
                { s: settings({ mode: "redirect", signedUrlTtlSeconds: 100, memoTtlSeconds: 60 }), maxAge: "private, max-age=50" },
                // No memo in the container: the bound the revocation promise counts on holds all the same.
                { s: settings({ mode: "redirect", signedUrlTtlSeconds: 300, memoMaxEntries: 0 }), maxAge: "private, max-age=60" },
                { s: settings({ mode: "redirect", signedUrlTtlSeconds: 300, memoTtlSeconds: 0 }), maxAge: "private, no-store" },
            ];
            for (const { s, maxAge } of cases) {
                const result = await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: s }));
                expect(header(result, "cache-control"), `memoTtlSeconds ${s.memoTtlSeconds}, signedUrlTtlSeconds ${s.signedUrlTtlSeconds}, memoMaxEntries ${s.memoMaxEntries}`).to.equal(maxAge);
            }
        });

        it("trusts its memo for at most half a URL's life, so a URL built from memory keeps at least half of it", async () => {
            const clock = fixedClock();
            const short = settings({ mode: "redirect", signedUrlTtlSeconds: 40, memoTtlSeconds: 60 });
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: short, clock });
            await handleEdgeEvent(requestEvent("origin-request"), deps);
            clock.advanceMs(19_999);
            const fromMemo = await handleEdgeEvent(requestEvent("origin-request"), deps);
            expect(deps.lines[1]).to.deep.include({ memo: true });
            // Signed in second 19 after the read: valid until 40 s after it, as a URL signed at the read.
            expect(new URL(header(fromMemo, "location") ?? "").searchParams.get("X-Amz-Expires")).to.equal("21");
            clock.advanceMs(1);
            const reread = await handleEdgeEvent(requestEvent("origin-request"), deps);
            expect(deps.lines[2], "20 s (half of 40) after the read the table is asked again").to.deep.include({ memo: false });
            expect(new URL(header(reread, "location") ?? "").searchParams.get("X-Amz-Expires")).to.equal("40");
            expect(calls).to.have.length(2);
        });

        it("shortens the URL and the cached 302 to the hash's remaining life, the 302 gone 30 s before its URL", async () => {
            const near = await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({ [HASH]: goodItem(NOW_S + 80) }).store, { settings: redirect }));
            expect(new URL(header(near, "location") ?? "").searchParams.get("X-Amz-Expires")).to.equal("80");
            expect(header(near, "cache-control"), "80 s left: 30 s before the URL dies, within the memo's 60 s").to.equal("private, max-age=50");
            const nearer = await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({ [HASH]: goodItem(NOW_S + 20) }).store, { settings: redirect }));
            expect(new URL(header(nearer, "location") ?? "").searchParams.get("X-Amz-Expires")).to.equal("20");
            expect(header(nearer, "cache-control")).to.equal("private, no-store");
        });

        it("gives no Location at all for an unknown hash", async () => {
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), testDeps(itemsStore({}).store, { settings: redirect })));
            expect(result.status).to.equal("404");
            expect(header(result, "location")).to.equal(undefined);
        });

        it("answers 503 when the role's credentials are missing", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: redirect, credentials: () => undefined });
            expect(expectValidGenerated(await handleEdgeEvent(requestEvent("origin-request"), deps)).status).to.equal("503");
            expect(deps.lines[0]).to.deep.include({ outcome: "unavailable", reason: "no_credentials" });
        });
    });

    describe("secured: viewer-request on every request", () => {
        it("rewrites in origin mode without passing any expiry header on", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: settings({ level: "secured", memoTtlSeconds: 0 }) });
            const event = requestEvent("viewer-request", { headers: { "X-Image-Expires-At": "99999999999" } });
            const result = (await handleEdgeEvent(event, deps)) as CloudFrontRequest;
            expect(result.uri).to.equal(ENCODED_KEY);
            expect(result.headers).to.not.have.property("x-image-expires-at");
            expect(deps.memo?.size(), "memoTtlSeconds 0 keeps nothing").to.equal(0);
        });

        it("redirects in redirect mode with a 302 no one may store, signed for the request's method", async () => {
            const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: settings({ level: "secured", mode: "redirect" }) });
            const result = expectValidGenerated(await handleEdgeEvent(requestEvent("viewer-request"), deps));
            expect(result.status).to.equal("302");
            expect(header(result, "cache-control")).to.equal("private, no-store");
            const head = expectValidGenerated(await handleEdgeEvent(requestEvent("viewer-request", { method: "HEAD" }), deps));
            const url = new URL(header(head, "location") ?? "");
            expect(url.searchParams.get("X-Amz-Signature")).to.equal(independentPresignSignature({ method: "HEAD", url, secretAccessKey: CREDENTIALS.secretAccessKey }));
        });

        it("origin mode: S3's errors on a miss (an object deleted behind a live hash) become the generic 404, never naming the key", async () => {
            const secured = settings({ level: "secured", memoTtlSeconds: 0 });
            const unknown = expectValidGenerated(await handleEdgeEvent(requestEvent("viewer-request"), testDeps(itemsStore({}).store, { settings: secured })));
            for (const status of ["403", "404"]) {
                const deps = testDeps(itemsStore({}).store, { settings: secured });
                const s3Headers = { "Content-Type": "application/xml", "x-amz-request-id": "4442587FB7D0A2F9", "x-amz-id-2": "abc" };
                const result = (await handleEdgeEvent(responseEvent("origin-response", status, s3Headers), deps)) as CloudFrontResponse & { body?: string };
                expect(result).to.deep.include({ status: "404", statusDescription: "Not Found", body: unknown.body });
                // The same answer an unknown hash gets, cached no longer than the 404 TTL.
                expect(header(result, "cache-control")).to.equal(header(unknown, "cache-control")).and.to.equal("max-age=10");
                expect(header(result, "content-type")).to.equal("text/plain; charset=utf-8");
                expect(Object.keys(result.headers).filter((name) => name.startsWith("x-amz-"))).to.deep.equal([]);
                expect(JSON.stringify(result)).to.not.include("holiday");
                expect(deps.lines[0]).to.deep.include({ event: "origin-response", outcome: "origin_missing", status: 404 });
            }
        });

        it("origin mode: a successful S3 response goes on unchanged (the viewer-request check decides on every request)", async () => {
            const deps = testDeps(itemsStore({}).store, { settings: settings({ level: "secured" }) });
            const event = responseEvent("origin-response", "200", { "Cache-Control": "max-age=86400" });
            const before = JSON.parse(JSON.stringify(event.Records[0].cf.response)) as unknown;
            expect(await handleEdgeEvent(event, deps)).to.deep.equal(before);
            expect(deps.lines[0]).to.deep.include({ event: "origin-response", outcome: "passed" });
        });
    });

    describe("events outside the plan", () => {
        it("fails closed on a request event the instance is not associated with", async () => {
            const cases = [
                { s: settings(), event: requestEvent("viewer-request") },
                { s: settings({ level: "secured" }), event: requestEvent("origin-request") },
            ];
            for (const { s, event } of cases) {
                const { store, calls } = itemsStore({ [HASH]: goodItem() });
                const deps = testDeps(store, { settings: s });
                const result = expectValidGenerated(await handleEdgeEvent(event, deps));
                expect(result.status).to.equal("503");
                expect(calls).to.have.length(0);
                expect(deps.lines[0]).to.deep.include({ outcome: "unexpected_event", status: 503 });
            }
        });

        it("passes an unplanned response event on unchanged", async () => {
            for (const [s, event] of [
                [settings({ mode: "redirect" }), responseEvent("origin-response", "200", { "Cache-Control": "max-age=5" })],
                [settings(), responseEvent("viewer-response", "200", { "Cache-Control": "max-age=5" })],
            ] as const) {
                const before = JSON.parse(JSON.stringify(event.Records[0].cf.response)) as unknown;
                const deps = testDeps(itemsStore({}).store, { settings: s });
                expect(await handleEdgeEvent(event, deps)).to.deep.equal(before);
                expect(deps.lines[0]).to.deep.include({ outcome: "unexpected_event" });
            }
        });

        it("answers malformed events with a 503 instead of throwing", async () => {
            for (const event of [undefined, null, {}, { Records: [] }, { Records: [{}] }, { Records: [{ cf: { config: { eventType: "origin-request" } } }] }, "x"]) {
                const deps = testDeps(itemsStore({}).store);
                expect(expectValidGenerated(await handleEdgeEvent(event, deps)).status, JSON.stringify(event)).to.equal("503");
                expect(deps.lines).to.have.length(1);
            }
        });
    });

    describe("fail-safe paths at origin-response: S3's error page never goes on", () => {
        it("never passes S3's error page on when a planned origin-response comes without a usable request", async () => {
            // S3's NoSuchKey names the key; with OAC a missing object is a 403 AccessDenied with S3's request ids.
            const s3Error = { "x-amz-request-id": "4442587FB7D0A2F9", "x-amz-bucket-region": "eu-west-1", Server: "AmazonS3", Via: "1.1 abc.cloudfront.net (CloudFront)" };
            const cases = [
                { status: "404", expected: { status: "404", body: "Not Found\n" }, cacheControl: "max-age=10" },
                { status: "403", expected: { status: "404", body: "Not Found\n" }, cacheControl: "max-age=10" },
                { status: "500", expected: { status: "503", body: "Service Unavailable\n" }, cacheControl: "no-store" },
                { status: "307", expected: { status: "503", body: "Service Unavailable\n" }, cacheControl: "no-store" },
            ];
            for (const level of ["required", "secured"] as const) {
                for (const { status, expected, cacheControl } of cases) {
                    const event = responseEvent("origin-response", status, s3Error);
                    delete (event.Records[0].cf.request as Partial<CloudFrontRequest>).uri; // fails the event's shape check
                    const deps = testDeps(itemsStore({}).store, { settings: settings({ level }) });
                    const result = (await handleEdgeEvent(event, deps)) as CloudFrontResponse;
                    const what = `${level}, S3 answered ${status}, no request`;
                    expect(result, what).to.deep.include(expected);
                    expect(header(result, "cache-control"), `${what}: Cache-Control`).to.equal(cacheControl);
                    expect(Object.keys(result.headers).filter((name) => name.startsWith("x-amz-") || name === "server"), `${what}: S3 headers`).to.deep.equal([]);
                    expect(result.headers["via"], `${what}: read-only Via`).to.deep.equal([{ key: "Via", value: "1.1 abc.cloudfront.net (CloudFront)" }]);
                    expect(deps.lines[0], `${what}: log`).to.deep.include({ event: "origin-response", outcome: "unexpected_event", status: Number(expected.status), reason: `s3_${status}` });
                }
            }
        });

        it("never passes S3's error page on when the origin-response step fails unexpectedly", async () => {
            const s3Error = { "x-amz-request-id": "4442587FB7D0A2F9", Server: "AmazonS3", "Cache-Control": "max-age=86400" };
            const cases = [
                { status: "404", expected: { status: "404", body: "Not Found\n" }, cacheControl: "max-age=10" },
                { status: "403", expected: { status: "404", body: "Not Found\n" }, cacheControl: "max-age=10" },
                { status: "503", expected: { status: "503", body: "Service Unavailable\n" }, cacheControl: "no-store" },
                { status: "301", expected: { status: "503", body: "Service Unavailable\n" }, cacheControl: "no-store" },
                { status: "200", expected: { status: "200" }, cacheControl: "no-store" },
            ];
            for (const { status, expected, cacheControl } of cases) {
                const deps = testDeps(itemsStore({}).store);
                // Any unexpected error inside the step will do: here its settings cannot be read.
                const failing = {
                    ...deps,
                    settings: new Proxy(deps.settings, {
                        get: (target, name) => {
                            if (name === "level") throw new TypeError("settings went away");
                            return Reflect.get(target, name) as unknown;
                        },
                    }),
                };
                const result = (await handleEdgeEvent(responseEvent("origin-response", status, s3Error, { "X-Image-Expires-At": String(NOW_S + 3600) }), failing)) as CloudFrontResponse;
                const what = `S3 answered ${status}, the step threw`;
                expect(result, what).to.deep.include(expected);
                expect(header(result, "cache-control"), `${what}: Cache-Control`).to.equal(cacheControl);
                if (status !== "200") {
                    expect(Object.keys(result.headers).filter((name) => name.startsWith("x-amz-") || name === "server"), `${what}: S3 headers`).to.deep.equal([]);
                }
                expect(deps.lines[0], `${what}: log`).to.deep.include({ event: "origin-response", outcome: "internal_error", reason: "TypeError" });
            }
        });
    });

    it("logs one line per invocation with at most the hash's first 8 characters", async () => {
        const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store);
        await handleEdgeEvent(requestEvent("origin-request"), deps);
        await handleEdgeEvent(requestEvent("origin-request"), deps);
        expect(deps.lines).to.have.length(2);
        expect(deps.lines[1]).to.deep.include({ outcome: "rewritten", memo: true, attempts: 0, hash: "01234567" });
        const text = JSON.stringify(deps.lines);
        for (const secret of [HASH, KEY, BUCKET, "users/42"]) expect(text).not.to.include(secret);
    });
});
