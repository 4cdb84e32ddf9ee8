/**
 * The request path of a distribution in the CloudFront emulator
 * (local/cloudfront/distribution.ts), with fake origins and fake edge
 * functions: methods, the required and secured levels' functions and what
 * they see, caching by lifetime and error caching TTL, invalidation, HEAD,
 * function failures and origin trouble as CloudFront reports them, the
 * response headers policy, and the ordered cache behaviors (the resizer's
 * path pattern, its origin, Host and `custom` origin in the event, and a
 * viewer-request CloudFront Function run before the cache lookup). No HTTP:
 * requests and responses are plain objects.
 */
import { expect } from "chai";
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResponseEvent, CloudFrontResultResponse } from "aws-lambda";
import type { EdgeEventType } from "../../../core/edge-settings";
import { DEFAULT_VARIANT_PRESETS, VARIANT_PATH_PATTERN } from "../../../core/variants";
import { acceptFunctionSource } from "../../../edge/accept-function";
import { Distribution, ViewerRequest } from "../../../local/cloudfront/distribution";
import { EdgeExecutionError, EdgeFunction, EdgeEvent } from "../../../local/cloudfront/edge-runner";
import { getHeader, HeaderList } from "../../../local/cloudfront/headers";
import { Origin, OriginRequest, OriginResponse, OriginUnreachableError } from "../../../local/cloudfront/origin";
import { loadViewerFunction } from "../../../local/cloudfront/viewer-function";
import { BROWSER_IMAGE_ACCEPT } from "../../support/browser-accept";
import { manualClock } from "../../support/clock";

const T0 = Date.UTC(2030, 0, 1);
const HASH = "0123456789abcdef0123456789abcdef";

/** An origin that records requests and answers from a table of objects (it never answers 304: the emulator sends no conditional requests). */
class FakeOrigin implements Origin {
    readonly requests: OriginRequest[] = [];
    objects = new Map<string, { body: string; headers?: HeaderList }>();
    down = false;
    async fetch(request: OriginRequest): Promise<OriginResponse> {
        this.requests.push(request);
        if (this.down) throw new OriginUnreachableError("origin unreachable: connect ECONNREFUSED", false);
        const object = this.objects.get(request.uri);
        if (!object) return { status: 404, statusDescription: "Not Found", headers: [["Content-Type", "application/xml"]], body: Buffer.from("<Error>NoSuchKey</Error>") };
        const etag = `"${object.body.length}"`;
        return {
            status: 200,
            statusDescription: "OK",
            headers: [["Content-Type", "image/png"], ["Content-Length", String(object.body.length)], ["ETag", etag], ...(object.headers ?? [])],
            body: request.method === "HEAD" ? Buffer.alloc(0) : Buffer.from(object.body),
        };
    }
}

type Handler = (eventType: EdgeEventType, event: EdgeEvent) => Promise<unknown>;

/** An edge function whose behaviour each test sets, recording the events it got. */
class FakeEdge implements EdgeFunction {
    readonly events: Array<{ eventType: EdgeEventType; event: EdgeEvent }> = [];
    constructor(
        readonly eventTypes: EdgeEventType[],
        public handler: Handler,
    ) {}
    async invoke(eventType: EdgeEventType, event: EdgeEvent): Promise<unknown> {
        this.events.push({ eventType, event: structuredClone(event) });
        return this.handler(eventType, structuredClone(event));
    }
    count(eventType: EdgeEventType): number {
        return this.events.filter((entry) => entry.eventType === eventType).length;
    }
}

/** The origin-request step of the required level, origin mode: /images/<hash> → /uploads/<hash>.png. */
const rewriteToObject: Handler = async (eventType, event) => {
    if (eventType === "origin-response") return (event as CloudFrontResponseEvent).Records[0].cf.response;
    const request = (event as CloudFrontRequestEvent).Records[0].cf.request;
    const match = /^\/images\/([0-9a-f]{32})$/.exec(request.uri);
    if (!match) return { status: "404", headers: { "cache-control": [{ key: "Cache-Control", value: "max-age=10" }] } };
    request.uri = `/uploads/${match[1]}.png`;
    return request;
};

function viewer(uri: string, extra: Partial<ViewerRequest> = {}): ViewerRequest {
    const [path, query = ""] = uri.split("?");
    return { method: "GET", uri: path, querystring: query, headers: [["Host", "127.0.0.1:4511"], ["User-Agent", "test"]], clientIp: "127.0.0.1", hasBody: false, ...extra };
}

function setup(edge?: FakeEdge, errorCachingTtls: Record<number, number> = { 404: 10, 403: 60, 503: 0 }) {
    const clock = manualClock(T0);
    const origin = new FakeOrigin();
    const distribution = new Distribution({
        id: "ELOCALTEST",
        domainName: "127.0.0.1:4511",
        bucket: "local-test-images",
        region: "eu-west-1",
        origin,
        ttls: { minTtl: 0, defaultTtl: 86400, maxTtl: 2592000 },
        errorCachingTtls,
        responseHeaders: {
            headers: [
                { name: "X-Content-Type-Options", value: "nosniff", override: true },
                { name: "Cache-Control", value: "private, no-cache", override: false },
            ],
            remove: ["x-amz-request-id"],
        },
        edge,
        now: clock.now,
    });
    return { clock, origin, distribution };
}

const xCache = (response: { headers: HeaderList }) => getHeader(response.headers, "x-cache");

describe("local CloudFront emulator: request path of a distribution (no HTTP)", () => {
    describe("methods", () => {
        for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
            it(`answers ${method} with 403 and X-Cache Error, touching neither the function nor the origin`, async () => {
                const edge = new FakeEdge(["origin-request"], rewriteToObject);
                const { origin, distribution } = setup(edge);
                const response = await distribution.handle(viewer(`/images/${HASH}`, { method }));
                expect(response.status).to.equal(403);
                expect(xCache(response)).to.equal("Error from cloudfront");
                expect(response.body.toString()).to.match(/not configured to allow the HTTP request method/);
                expect(edge.events).to.have.length(0);
                expect(origin.requests).to.have.length(0);
            });
        }
        it("answers a GET with a body with 403", async () => {
            const { origin, distribution } = setup();
            const response = await distribution.handle(viewer("/x", { hasBody: true }));
            expect(response.status).to.equal(403);
            expect(origin.requests).to.have.length(0);
        });
    });

    describe("required level, origin mode (origin-request + origin-response)", () => {
        it("misses, then hits with an Age, running the functions only on the miss", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { clock, origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });

            const first = await distribution.handle(viewer(`/images/${HASH}`));
            expect(first.status).to.equal(200);
            expect(first.body.toString()).to.equal("PNGDATA");
            expect(xCache(first)).to.equal("Miss from cloudfront");
            expect(getHeader(first.headers, "age")).to.equal(undefined);

            clock.advanceSeconds(7);
            const second = await distribution.handle(viewer(`/images/${HASH}`));
            expect(second.body.toString()).to.equal("PNGDATA");
            expect(xCache(second)).to.equal("Hit from cloudfront");
            expect(getHeader(second.headers, "age")).to.equal("7");

            expect(edge.count("origin-request")).to.equal(1);
            expect(edge.count("origin-response")).to.equal(1);
            expect(origin.requests.map((r) => r.uri)).to.deep.equal([`/uploads/${HASH}.png`]);
            expect(distribution.stats.counters).to.include({ requests: 2, hits: 1, misses: 1, originFetches: 1 });
        });

        it("keys the cache on the path only: a query string neither splits the cache nor reaches the origin", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            await distribution.handle(viewer(`/images/${HASH}?v=1`));
            const again = await distribution.handle(viewer(`/images/${HASH}?v=2&evil=../../x`));
            expect(xCache(again)).to.equal("Hit from cloudfront");
            const originRequest = (edge.events[0].event as CloudFrontRequestEvent).Records[0].cf.request;
            expect(originRequest.querystring).to.equal("");
        });

        it("shows the origin-request function CloudFront's event shape: config, S3 origin, no viewer headers", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            await distribution.handle(viewer(`/images/${HASH}`, { headers: [["Host", "127.0.0.1:4511"], ["Cookie", "session=secret"], ["X-Custom", "1"]] }));
            const { config, request } = (edge.events[0].event as CloudFrontRequestEvent).Records[0].cf;
            expect(config).to.include({ distributionId: "ELOCALTEST", distributionDomainName: "127.0.0.1:4511", eventType: "origin-request" });
            expect(config.requestId).to.match(/^[A-Za-z0-9_-]{56}$/);
            expect(request).to.include({ clientIp: "127.0.0.1", method: "GET", uri: `/images/${HASH}`, querystring: "" });
            expect(request.origin?.s3).to.deep.include({ domainName: "local-test-images.s3.eu-west-1.amazonaws.com", path: "" });
            expect(request.headers.host).to.deep.equal([{ key: "Host", value: "local-test-images.s3.eu-west-1.amazonaws.com" }]);
            expect(request.headers).to.not.have.property("cookie");
            expect(request.headers).to.not.have.property("x-custom");

            const response = (edge.events[1].event as CloudFrontResponseEvent).Records[0].cf;
            expect(response.config.eventType).to.equal("origin-response");
            expect(response.response).to.include({ status: "200" });
            expect(response.request.uri).to.equal(`/uploads/${HASH}.png`);
        });

        it("caches what the origin-response function decides: a Cache-Control it sets bounds the lifetime", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], async (eventType, event) => {
                if (eventType !== "origin-response") return rewriteToObject(eventType, event);
                const response = (event as CloudFrontResponseEvent).Records[0].cf.response;
                response.headers["cache-control"] = [{ key: "Cache-Control", value: "max-age=30" }];
                return response;
            });
            const { clock, origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            await distribution.handle(viewer(`/images/${HASH}`));
            clock.advanceSeconds(29);
            expect(xCache(await distribution.handle(viewer(`/images/${HASH}`)))).to.equal("Hit from cloudfront");
            clock.advanceSeconds(1);
            const afterExpiry = await distribution.handle(viewer(`/images/${HASH}`));
            // Expired: a plain miss, the origin-request check runs again and the object is fetched whole.
            expect(xCache(afterExpiry)).to.equal("Miss from cloudfront");
            expect(afterExpiry.body.toString()).to.equal("PNGDATA");
            expect(edge.count("origin-request")).to.equal(2);
            expect(origin.requests).to.have.length(2);
            expect(origin.requests[1].headers.map(([name]) => name.toLowerCase()).filter((name) => name.startsWith("if-")), "no conditional request").to.deep.equal([]);
        });

        it("a copy lives from when CloudFront asked for it: a max-age counted down to an expiry never outlives it, however long the answer took", async () => {
            // The origin-response function gives the copy what is left of a hash's life, in whole seconds, when it runs.
            const expiresAtMs = T0 + 10_000;
            let now = () => T0;
            let advance: (ms: number) => void = () => undefined;
            const edge = new FakeEdge(["origin-request", "origin-response"], async (eventType, event) => {
                if (eventType !== "origin-response") return rewriteToObject(eventType, event);
                const response = (event as CloudFrontResponseEvent).Records[0].cf.response;
                response.headers["cache-control"] = [{ key: "Cache-Control", value: `max-age=${Math.floor((expiresAtMs - now()) / 1000)}` }];
                // The function's own work after it read the clock.
                advance(5);
                return response;
            });
            const { clock, origin, distribution } = setup(edge);
            now = clock.now;
            advance = clock.advanceMs;
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            // Asked 10 ms before a whole second; the origin answers 10 ms later, on the second, and the function computes 9 s.
            const answer = origin.fetch.bind(origin);
            origin.fetch = async (request) => {
                clock.advanceMs(10);
                return answer(request);
            };
            clock.set(T0 + 990);
            await distribution.handle(viewer(`/images/${HASH}`));
            const [entry] = distribution.cache.entries();
            expect(entry.ttlSeconds, "max-age=9, computed at 1.000 s").to.equal(9);
            expect(entry.storedAtMs + entry.ttlSeconds * 1000, "the copy's end").to.be.at.most(expiresAtMs);
            clock.set(expiresAtMs - 1);
            expect(xCache(await distribution.handle(viewer(`/images/${HASH}`))), "just before the expiry").to.equal("Miss from cloudfront");
        });

        it("a generated 404 from origin-request is cached for the error caching TTL, then asked again", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { clock, origin, distribution } = setup(edge);
            const first = await distribution.handle(viewer("/nope"));
            expect(first.status).to.equal(404);
            expect(xCache(first)).to.equal("LambdaGeneratedResponse from cloudfront");
            clock.advanceSeconds(9);
            const cached = await distribution.handle(viewer("/nope"));
            expect(cached.status).to.equal(404);
            expect(xCache(cached)).to.equal("Error from cloudfront");
            expect(edge.count("origin-request")).to.equal(1);
            clock.advanceSeconds(1);
            await distribution.handle(viewer("/nope"));
            expect(edge.count("origin-request")).to.equal(2);
            expect(origin.requests).to.have.length(0);
        });

        it("a generated 403 with max-age is cached, one without is not (CloudFront caches 403 only with max-age)", async () => {
            const edge = new FakeEdge(["origin-request"], async () => ({ status: "403", headers: {} }));
            const { distribution } = setup(edge);
            await distribution.handle(viewer("/a"));
            await distribution.handle(viewer("/a"));
            expect(edge.count("origin-request")).to.equal(2);
            edge.handler = async () => ({ status: "403", headers: { "cache-control": [{ key: "Cache-Control", value: "max-age=60" }] } });
            await distribution.handle(viewer("/b"));
            await distribution.handle(viewer("/b"));
            expect(edge.count("origin-request")).to.equal(3);
        });

        it("a 503 the function answers with (table down) is not cached when 503 is configured to 0 s", async () => {
            const edge = new FakeEdge(["origin-request"], async () => ({ status: "503", headers: { "retry-after": [{ key: "Retry-After", value: "1" }] } }));
            const { distribution } = setup(edge);
            await distribution.handle(viewer(`/images/${HASH}`));
            await distribution.handle(viewer(`/images/${HASH}`));
            expect(edge.count("origin-request")).to.equal(2);
        });

        it("an invalidation makes the next request a miss that runs the function again", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            await distribution.handle(viewer(`/images/${HASH}`));
            expect(distribution.invalidate([`/images/${HASH}`])).to.equal(1);
            edge.handler = async () => ({ status: "404", headers: {} });
            const after = await distribution.handle(viewer(`/images/${HASH}`));
            expect(after.status).to.equal(404);
            expect(edge.count("origin-request")).to.equal(2);
            expect(distribution.stats.counters).to.include({ invalidations: 1, invalidatedEntries: 1 });
        });

        it("HEAD gets the headers (with the object's Content-Length) and no body, from the cache when it is there", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            await distribution.handle(viewer(`/images/${HASH}`));
            const head = await distribution.handle(viewer(`/images/${HASH}`, { method: "HEAD" }));
            expect(head.status).to.equal(200);
            expect(head.body.length).to.equal(0);
            expect(getHeader(head.headers, "content-length")).to.equal("7");
            expect(xCache(head)).to.equal("Hit from cloudfront");
        });

        it("HEAD on a miss asks the origin with HEAD, passes on its Content-Length, and stores nothing", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA" });
            const head = await distribution.handle(viewer(`/images/${HASH}`, { method: "HEAD" }));
            expect(head.status).to.equal(200);
            expect(head.body.length).to.equal(0);
            expect(getHeader(head.headers, "content-length")).to.equal("7");
            expect(origin.requests.map((r) => r.method)).to.deep.equal(["HEAD"]);
            expect(distribution.cache.size).to.equal(0);
            const get = await distribution.handle(viewer(`/images/${HASH}`));
            expect(get.body.toString()).to.equal("PNGDATA");
            expect(xCache(get)).to.equal("Miss from cloudfront");
        });
    });

    describe("secured level (viewer-request)", () => {
        it("runs the function on every request, hits included, and a generated answer is never cached", async () => {
            let allow = true;
            const edge = new FakeEdge(["viewer-request"], async (_type, event) => {
                const request = (event as CloudFrontRequestEvent).Records[0].cf.request;
                if (!allow) return { status: "404", headers: {} } satisfies CloudFrontResultResponse;
                request.uri = "/uploads/object.png";
                return request;
            });
            const { origin, distribution } = setup(edge);
            origin.objects.set("/uploads/object.png", { body: "PNGDATA" });
            expect(xCache(await distribution.handle(viewer(`/images/${HASH}`)))).to.equal("Miss from cloudfront");
            expect(xCache(await distribution.handle(viewer(`/images/${HASH}`)))).to.equal("Hit from cloudfront");
            allow = false;
            const refused = await distribution.handle(viewer(`/images/${HASH}`));
            expect(refused.status).to.equal(404);
            expect(xCache(refused)).to.equal("LambdaGeneratedResponse from cloudfront");
            expect(edge.count("viewer-request")).to.equal(3);
            expect(origin.requests).to.have.length(1);
            allow = true;
            // The bytes are still cached under the rewritten path.
            expect(xCache(await distribution.handle(viewer(`/images/${HASH}`)))).to.equal("Hit from cloudfront");
        });

        it("keeps headers CloudFront never exposes (Connection, X-Forwarded-Proto) from the function, so returning the request is valid", async () => {
            const edge = new FakeEdge(["viewer-request"], async (_type, event) => (event as CloudFrontRequestEvent).Records[0].cf.request);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/images/${HASH}`, { body: "PNGDATA" });
            const response = await distribution.handle(
                viewer(`/images/${HASH}`, { headers: [["Host", "127.0.0.1:4511"], ["Connection", "keep-alive"], ["X-Forwarded-Proto", "https"], ["Accept", "image/*"]] }),
            );
            expect(response.status).to.equal(200);
            const headers = (edge.events[0].event as CloudFrontRequestEvent).Records[0].cf.request.headers;
            expect(Object.keys(headers).sort()).to.deep.equal(["accept", "host"]);
        });

        it("a function that adds a disallowed header fails validation (502)", async () => {
            const edge = new FakeEdge(["viewer-request"], async (_type, event) => {
                const request = (event as CloudFrontRequestEvent).Records[0].cf.request;
                request.headers["x-forwarded-proto"] = [{ key: "X-Forwarded-Proto", value: "http" }];
                return request;
            });
            const { distribution } = setup(edge);
            expect((await distribution.handle(viewer(`/images/${HASH}`))).status).to.equal(502);
        });

        it("shows the viewer-request function the viewer's headers and query string", async () => {
            const edge = new FakeEdge(["viewer-request"], async () => ({ status: "404" }));
            const { distribution } = setup(edge);
            await distribution.handle(viewer(`/images/${HASH}?a=1`));
            const request: CloudFrontRequest = (edge.events[0].event as CloudFrontRequestEvent).Records[0].cf.request;
            expect(request.querystring).to.equal("a=1");
            expect(request.headers.host).to.deep.equal([{ key: "Host", value: "127.0.0.1:4511" }]);
            expect(request.headers["user-agent"]).to.deep.equal([{ key: "User-Agent", value: "test" }]);
            expect(request).to.not.have.property("origin");
        });
    });

    describe("function failures, as CloudFront reports them", () => {
        it("a function that throws or times out gives 503 LambdaExecutionError, not cached", async () => {
            const edge = new FakeEdge(["origin-request"], async () => {
                throw new EdgeExecutionError("origin-request function failed: boom");
            });
            const { distribution } = setup(edge);
            const response = await distribution.handle(viewer(`/images/${HASH}`));
            expect(response.status).to.equal(503);
            expect(xCache(response)).to.equal("LambdaExecutionError from cloudfront");
            await distribution.handle(viewer(`/images/${HASH}`));
            expect(edge.count("origin-request")).to.equal(2);
        });

        const invalid: Array<[string, unknown]> = [
            ["nothing", undefined],
            ["a status outside 200-599", { status: "700" }],
            ["a numeric-looking non-status", { status: "20x" }],
            ["a read-only header in a generated response", { status: "200", headers: { "content-length": [{ value: "5" }] } }],
            ["a disallowed header", { status: "200", headers: { "x-cache": [{ value: "Hit" }] } }],
            ["an uppercase header name", { status: "200", headers: { "Content-Type": [{ value: "text/plain" }] } }],
            ["a body over 1 MB", { status: "200", body: "x".repeat(1024 * 1024 + 1) }],
            ["invalid base64", { status: "200", body: "***", bodyEncoding: "base64" }],
        ];
        for (const [what, result] of invalid) {
            it(`a generated response with ${what} gives 502 LambdaValidationError`, async () => {
                const edge = new FakeEdge(["origin-request"], async () => result);
                const { distribution } = setup(edge);
                const response = await distribution.handle(viewer(`/images/${HASH}`));
                expect(response.status).to.equal(502);
                expect(xCache(response)).to.equal("LambdaValidationError from cloudfront");
            });
        }

        it("a request result that changes a read-only header (origin-request: via) gives 502", async () => {
            const edge = new FakeEdge(["origin-request"], async (_type, event) => {
                const request = (event as CloudFrontRequestEvent).Records[0].cf.request;
                request.headers.via = [{ key: "Via", value: "changed" }];
                return request;
            });
            const { distribution } = setup(edge);
            expect((await distribution.handle(viewer(`/images/${HASH}`))).status).to.equal(502);
        });

        it("a viewer-request generated body over 40 KB gives 502 (viewer quota)", async () => {
            const edge = new FakeEdge(["viewer-request"], async () => ({ status: "200", body: "x".repeat(40 * 1024 + 1) }));
            const { distribution } = setup(edge);
            expect((await distribution.handle(viewer(`/images/${HASH}`))).status).to.equal(502);
        });
    });

    describe("origin trouble", () => {
        it("an unreachable origin gives 502 Error from cloudfront", async () => {
            const { origin, distribution } = setup();
            origin.down = true;
            const response = await distribution.handle(viewer("/uploads/x.png"));
            expect(response.status).to.equal(502);
            expect(xCache(response)).to.equal("Error from cloudfront");
        });

        it("an expired copy is gone: while the origin is unreachable the next request gets 502, not the old bytes", async () => {
            const { clock, origin, distribution } = setup();
            origin.objects.set("/uploads/x.png", { body: "OLD", headers: [["Cache-Control", "max-age=5"]] });
            await distribution.handle(viewer("/uploads/x.png"));
            clock.advanceSeconds(4);
            origin.down = true;
            expect((await distribution.handle(viewer("/uploads/x.png"))).body.toString(), "still live: a hit").to.equal("OLD");
            clock.advanceSeconds(1);
            const response = await distribution.handle(viewer("/uploads/x.png"));
            expect(response.status).to.equal(502);
            expect(response.body.toString()).to.not.include("OLD");
        });

        it("an origin 404 (public level: no function) is cached for the 404 error caching TTL", async () => {
            const { clock, origin, distribution } = setup();
            await distribution.handle(viewer("/uploads/missing.png"));
            clock.advanceSeconds(5);
            const cached = await distribution.handle(viewer("/uploads/missing.png"));
            expect(cached.status).to.equal(404);
            expect(xCache(cached)).to.equal("Error from cloudfront");
            expect(origin.requests).to.have.length(1);
        });
    });

    describe("response headers policy", () => {
        it("adds its headers to every response (hits, misses, errors), overriding only where it says so", async () => {
            const edge = new FakeEdge(["origin-request", "origin-response"], rewriteToObject);
            const { origin, distribution } = setup(edge);
            origin.objects.set(`/uploads/${HASH}.png`, { body: "PNGDATA", headers: [["Cache-Control", "max-age=60"], ["x-amz-request-id", "REQ"]] });
            const responses = [
                await distribution.handle(viewer(`/images/${HASH}`)),
                await distribution.handle(viewer(`/images/${HASH}`)),
                await distribution.handle(viewer("/nope")),
                await distribution.handle(viewer("/x", { method: "POST" })),
            ];
            for (const response of responses) expect(getHeader(response.headers, "x-content-type-options")).to.equal("nosniff");
            // override: false keeps the origin's Cache-Control; it fills in where there is none.
            expect(getHeader(responses[0].headers, "cache-control")).to.equal("max-age=60");
            expect(getHeader(responses[3].headers, "cache-control")).to.equal("private, no-cache");
            expect(getHeader(responses[0].headers, "x-amz-request-id")).to.equal(undefined);
            for (const response of responses) {
                expect(getHeader(response.headers, "via")).to.match(/\(CloudFront\)$/);
                expect(getHeader(response.headers, "x-amz-cf-id")).to.match(/^[A-Za-z0-9_-]{56}$/);
            }
        });
    });
});

describe("local CloudFront emulator: ordered cache behaviors", () => {
    // This block's own helpers, in place of the file's: a viewer request with extra headers, and a distribution with an ordered behavior to a second origin.
    const HOST = "abcdefghij.lambda-url.eu-west-1.on.aws";

    /** An origin that records what it is asked and answers 200 with the URI it got. */
    class RecordingOrigin implements Origin {
        readonly requests: OriginRequest[] = [];
        async fetch(request: OriginRequest): Promise<OriginResponse> {
            this.requests.push(request);
            return { status: 200, statusDescription: "OK", headers: [["Content-Type", "text/plain"], ["Cache-Control", "max-age=600"]], body: Buffer.from(request.uri) };
        }
    }

    /** An edge function that records origin requests and passes them on. */
    class PassingEdge implements EdgeFunction {
        readonly eventTypes: EdgeEventType[] = ["origin-request"];
        readonly requests: CloudFrontRequestEvent[] = [];
        async invoke(_eventType: EdgeEventType, event: EdgeEvent): Promise<unknown> {
            this.requests.push(event as CloudFrontRequestEvent);
            return (event as CloudFrontRequestEvent).Records[0].cf.request;
        }
    }

    function viewer(uri: string, headers: HeaderList = []): ViewerRequest {
        return { method: "GET", uri, querystring: "", headers: [["Host", "127.0.0.1:4511"], ...headers], clientIp: "127.0.0.1", hasBody: false };
    }

    function setup(viewerFunctionSource?: string) {
        const bucket = new RecordingOrigin();
        const resizer = new RecordingOrigin();
        const edge = new PassingEdge();
        const logged: string[] = [];
        const distribution = new Distribution({
            id: "ELOCALTEST",
            domainName: "127.0.0.1:4511",
            bucket: "local-test-images",
            region: "eu-west-1",
            origin: bucket,
            ttls: { minTtl: 0, defaultTtl: 86400, maxTtl: 2592000 },
            errorCachingTtls: { 404: 10 },
            responseHeaders: { headers: [], remove: [] },
            edge,
            behaviors: [
                {
                    pathPattern: VARIANT_PATH_PATTERN,
                    origin: resizer,
                    originEvent: { custom: { customHeaders: {}, domainName: HOST, keepaliveTimeout: 5, path: "", port: 443, protocol: "https", readTimeout: 30, sslProtocols: ["TLSv1.2"] } },
                    originHost: HOST,
                    ...(viewerFunctionSource === undefined ? {} : { viewerFunction: loadViewerFunction(viewerFunctionSource) }),
                },
            ],
            now: manualClock(Date.UTC(2030, 0, 1)).now,
            log: (line) => logged.push(line),
        });
        return { bucket, resizer, edge, distribution, logged };
    }

    it("a path the ordered behavior matches goes to its origin, with its Host and its custom origin in the event; the rest to the bucket", async () => {
        const { bucket, resizer, edge, distribution } = setup();
        await distribution.handle(viewer(`/images/${HASH}/thumb.avif`));
        await distribution.handle(viewer(`/images/${HASH}`));
        expect(resizer.requests.map((r) => r.uri)).to.deep.equal([`/images/${HASH}/thumb.avif`]);
        expect(bucket.requests.map((r) => r.uri)).to.deep.equal([`/images/${HASH}`]);
        const [variantEvent, originalEvent] = edge.requests.map((event) => event.Records[0].cf.request);
        expect(variantEvent.origin).to.have.property("custom");
        expect(variantEvent.origin?.custom?.domainName).to.equal(HOST);
        expect(variantEvent.headers.host).to.deep.equal([{ key: "Host", value: HOST }]);
        expect(originalEvent.origin).to.have.property("s3");
        expect(originalEvent.headers.host?.[0].value).to.equal("local-test-images.s3.eu-west-1.amazonaws.com");
    });

    it("the behavior's CloudFront Function runs on viewer-request, before the cache lookup: one cache entry per token, every browser answered from it", async () => {
        const { resizer, distribution } = setup(acceptFunctionSource(DEFAULT_VARIANT_PRESETS));
        for (const { browser, accept, token } of BROWSER_IMAGE_ACCEPT) {
            const response = await distribution.handle(viewer(`/images/${HASH}/small`, accept === undefined ? [] : [["Accept", accept]]));
            expect(response.body.toString(), browser).to.equal(`/images/${HASH}/small.${token}`);
        }
        expect(resizer.requests.map((r) => r.uri).sort()).to.deep.equal(["avif", "fallback", "webp"].map((token) => `/images/${HASH}/small.${token}`));
        expect(distribution.cache.entries().map((entry) => entry.key).sort()).to.deep.equal(["avif", "fallback", "webp"].map((token) => `/images/${HASH}/small.${token}`));
        // The original's path is the default behavior's: the function never sees it.
        const original = await distribution.handle(viewer(`/images/${HASH}`, [["Accept", "image/avif"]]));
        expect(original.body.toString()).to.equal(`/images/${HASH}`);
    });

    it("a CloudFront Function that fails is CloudFront's 503 FunctionExecutionError, never cached, the origin never asked", async () => {
        const { resizer, distribution, logged } = setup("function handler(event) { throw new Error('broken'); }");
        const response = await distribution.handle(viewer(`/images/${HASH}/thumb`));
        expect([response.status, getHeader(response.headers, "x-cache")]).to.deep.equal([503, "FunctionExecutionError from cloudfront"]);
        expect(resizer.requests).to.deep.equal([]);
        expect(distribution.cache.size).to.equal(0);
        expect(logged[0]).to.match(/viewer-request function threw: broken/);
        // What the runtime lacks is missing here too: no require, no process.
        const { distribution: noRequire } = setup("function handler(event) { require('fs'); return event.request; }");
        expect((await noRequire.handle(viewer(`/images/${HASH}/thumb`))).status).to.equal(503);
    });
});
