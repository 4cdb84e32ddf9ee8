/**
 * The CloudFront emulator's ordered cache behaviors (local/cloudfront/):
 * path patterns as CloudFront matches them, a behavior's own origin (the
 * resizer's function URL: its Host and its `custom` origin in origin
 * events), a viewer-request CloudFront Function run from its source in a
 * `vm` before the cache lookup, and a function URL origin's request events.
 * No HTTP: requests and responses are plain objects, as in
 * test/local/distribution.test.ts.
 */
import { expect } from "chai";
import type { CloudFrontRequestEvent } from "aws-lambda";
import { DEFAULT_VARIANT_PRESETS, VARIANT_PATH_PATTERN } from "../../core/variants";
import { acceptFunctionSource } from "../../edge/accept-function";
import { Distribution, ViewerRequest } from "../../local/cloudfront/distribution";
import type { EdgeEventType } from "../../core/edge-settings";
import type { EdgeEvent, EdgeFunction } from "../../local/cloudfront/edge-runner";
import { functionUrlOrigin, urlEvent } from "../../local/cloudfront/function-url-origin";
import { getHeader, HeaderList } from "../../local/cloudfront/headers";
import type { Origin, OriginRequest, OriginResponse } from "../../local/cloudfront/origin";
import { pathPatternMatches } from "../../local/cloudfront/path-pattern";
import { loadViewerFunction } from "../../local/cloudfront/viewer-function";
import { BROWSER_IMAGE_ACCEPT } from "../support/browser-accept";
import { manualClock } from "../support/clock";

const HASH = "0123456789abcdef0123456789abcdef";
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

describe("local CloudFront emulator: ordered cache behaviors", () => {
    it("path patterns: * is any run (slashes too), ? one character, case-sensitive, the leading / optional", () => {
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/thumb`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/thumb.avif`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/a/b`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}`)).to.equal(false);
        expect(pathPatternMatches("/images/*/*", `/Images/${HASH}/thumb`)).to.equal(false);
        expect(pathPatternMatches("images/*.jpg", "/images/a.jpg")).to.equal(true);
        expect(pathPatternMatches("/a?c", "/abc")).to.equal(true);
        expect(pathPatternMatches("/a?c", "/ac")).to.equal(false);
        expect(pathPatternMatches("/a.c", "/abc"), "a dot is a dot").to.equal(false);
    });

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

    describe("a function URL origin", () => {
        it("turns an origin request into a payload-format-2.0 event and the handler's base64 answer into bytes, with what its log line said", async () => {
            const events: unknown[] = [];
            const origin = functionUrlOrigin(HOST, (log) => async (event) => {
                events.push(event);
                log({ service: "chat", outcome: "served", status: 200, ms: 1, source: "stored" });
                return { statusCode: 200, headers: { "Content-Type": "image/webp" }, body: Buffer.from("WEBPDATA").toString("base64"), isBase64Encoded: true };
            });
            const response = await origin.fetch({ method: "GET", uri: "/variant/thumb/webp/uploads/a.png", headers: [["User-Agent", "Amazon CloudFront"], ["X-Image-Expires-At", "1"]] });
            expect(response).to.deep.include({ status: 200, detail: "stored" });
            expect(response.body.toString()).to.equal("WEBPDATA");
            expect(getHeader(response.headers, "content-type")).to.equal("image/webp");
            expect(origin.invocations).to.equal(1);
            const event = urlEvent(HOST, { method: "HEAD", uri: "/variant/thumb/webp/uploads/a.png?x=1", headers: [["Accept", "a"], ["accept", "b"]] });
            expect(event).to.deep.include({ version: "2.0", rawPath: "/variant/thumb/webp/uploads/a.png", rawQueryString: "x=1", isBase64Encoded: false });
            expect(event.headers).to.deep.equal({ accept: "a,b", host: HOST });
            expect(event.requestContext.http.method).to.equal("HEAD");
            expect((events[0] as { headers: Record<string, string> }).headers["x-image-expires-at"]).to.equal("1");
        });
    });
});
