/**
 * One emulated CloudFront distribution: the request path of a cache
 * behavior with GET/HEAD allowed, a cache policy that keys on the path only,
 * Lambda@Edge associations, an S3 origin and a response headers policy.
 * No HTTP here (see server.ts): requests and responses are plain objects, so
 * the whole path is tested without sockets.
 *
 * For each viewer request:
 * 1. methods other than GET/HEAD, and GET/HEAD with a body → 403 (Error);
 * 2. viewer-request function, when associated: a generated response goes
 *    back as is, never cached (LambdaGeneratedResponse);
 * 3. cache lookup by the (possibly rewritten) path: fresh → Hit with `Age`;
 * 4. otherwise origin-request function, when associated: a generated
 *    response is cached by the usual rules and returned;
 * 5. origin fetch from the bucket (conditional when a stale copy has
 *    validators: a 304 refreshes it → RefreshHit);
 * 6. origin-response function, when associated;
 * 7. stored per {@link cacheLifetimeSeconds}, returned (Miss, or Error for 4xx/5xx).
 * Every response gets `X-Cache`, `Via`, `X-Amz-Cf-Pop`, `X-Amz-Cf-Id` and
 * the response headers policy.
 */
import type { CloudFrontRequest, CloudFrontResponse, CloudFrontResultResponse } from "aws-lambda";
import { randomBytes } from "crypto";
import type { EdgeEventType } from "../../edge/settings";
import { cacheKeyOf, CacheEntry, EdgeCache, StoredResponse } from "./cache";
import {
    BODY_ON_GET_TEXT,
    cloudFrontErrorPage,
    LAMBDA_EXECUTION_TEXT,
    LAMBDA_VALIDATION_TEXT,
    METHOD_NOT_ALLOWED_TEXT,
    ORIGIN_TIMEOUT_TEXT,
    ORIGIN_UNREACHABLE_TEXT,
} from "./error-pages";
import { EdgeExecutionError, EdgeFunction } from "./edge-runner";
import {
    EdgeValidationError,
    generatedBody,
    isDisallowedHeader,
    isGeneratedResponse,
    requestEvent,
    responseEvent,
    s3Origin,
    validateGeneratedResponse,
    validateRequestResult,
    validateResponseResult,
} from "./events";
import { fromCloudFrontHeaders, getHeader, HeaderList, toCloudFrontHeaders, withHeader, withoutHeader } from "./headers";
import { Origin, OriginResponse, OriginUnreachableError } from "./origin";
import { applyResponseHeadersPolicy, ResponseHeadersPolicy } from "./response-headers";
import { StatsRecorder } from "./stats";
import { cacheLifetimeSeconds, CachePolicyTtls, ErrorCachingTtls } from "./ttl";

export interface ViewerRequest {
    method: string;
    /** Path part of the request target, as received. */
    uri: string;
    /** Query string without the `?`. */
    querystring: string;
    headers: HeaderList;
    clientIp: string;
    /** True when the request carries a body (Content-Length > 0 or chunked). */
    hasBody: boolean;
}

export interface ViewerResponse {
    status: number;
    statusDescription: string;
    headers: HeaderList;
    /** Empty for HEAD; `Content-Length` still gives the object's size. */
    body: Buffer;
}

export interface DistributionOptions {
    /** Distribution id, e.g. `ELOCALCHAT01`. */
    id: string;
    /** What CloudFront calls the distribution's domain; locally `127.0.0.1:<port>`. */
    domainName: string;
    bucket: string;
    region: string;
    origin: Origin;
    ttls: CachePolicyTtls;
    errorCachingTtls: ErrorCachingTtls;
    responseHeaders: ResponseHeadersPolicy;
    /** The Lambda@Edge function and its associations; none for `public` services. */
    edge?: EdgeFunction;
    cache?: EdgeCache;
    stats?: StatsRecorder;
    now?: () => number;
    /** Where function failures are reported (CloudWatch Logs stand-in). */
    log?: (line: string) => void;
}

type Result = "Hit" | "RefreshHit" | "Miss" | "Error" | "LambdaGeneratedResponse" | "LambdaExecutionError" | "LambdaValidationError";

type RequestStep = { kind: "request"; request: CloudFrontRequest } | { kind: "response"; response: StoredResponse; status: number };

const POP = "LOCAL1-C1";

export class Distribution {
    readonly cache: EdgeCache;
    readonly stats: StatsRecorder;
    private readonly now: () => number;
    /** Misses being fetched, by cache key; each resolves to whether it left a fresh copy in the cache. */
    private readonly inFlight = new Map<string, Promise<boolean>>();

    constructor(readonly options: DistributionOptions) {
        this.cache = options.cache ?? new EdgeCache();
        this.stats = options.stats ?? new StatsRecorder();
        this.now = options.now ?? Date.now;
    }

    get id(): string {
        return this.options.id;
    }

    private associated(eventType: EdgeEventType): boolean {
        return this.options.edge?.eventTypes.includes(eventType) ?? false;
    }

    /** Removes the cached copies an invalidation names; returns how many went. */
    invalidate(paths: readonly string[]): number {
        const removed = this.cache.invalidate(paths);
        this.stats.invalidation(removed);
        return removed;
    }

    async handle(viewer: ViewerRequest): Promise<ViewerResponse> {
        const startedAt = this.now();
        const requestId = randomBytes(42).toString("base64url");
        const events: EdgeEventType[] = [];
        const finish = (response: StoredResponse, result: Result, fromCache: boolean, ageSeconds?: number): ViewerResponse => {
            const sent = this.viewerResponse(viewer.method, response, result, requestId, ageSeconds);
            this.stats.request({
                at: this.now(),
                method: viewer.method,
                uri: viewer.uri,
                status: sent.status,
                result,
                fromCache,
                edgeEvents: events,
                durationMs: this.now() - startedAt,
            });
            return sent;
        };

        if (viewer.method !== "GET" && viewer.method !== "HEAD") return finish(cloudFrontErrorPage(403, METHOD_NOT_ALLOWED_TEXT), "Error", false);
        if (viewer.hasBody) return finish(cloudFrontErrorPage(403, BODY_ON_GET_TEXT), "Error", false);

        // Headers CloudFront keeps to itself (Connection, X-Forwarded-Proto…) never reach a function.
        const viewerHeaders = toCloudFrontHeaders(viewer.headers.filter(([name]) => !isDisallowedHeader(name.toLowerCase())));
        let request: CloudFrontRequest = {
            clientIp: viewer.clientIp,
            headers: viewerHeaders,
            method: viewer.method,
            querystring: viewer.querystring,
            uri: viewer.uri,
        };

        if (this.associated("viewer-request")) {
            events.push("viewer-request");
            const step = await this.runRequestFunction("viewer-request", request, requestId);
            if ("error" in step) return finish(step.error, step.result, false);
            if (step.kind === "response") return finish(step.response, "LambdaGeneratedResponse", false);
            request = step.request;
        }

        const key = cacheKeyOf(request.uri);
        // Simultaneous misses for one key wait for the first one's origin trip
        // (GET only). When that trip leaves nothing cacheable, the waiters go
        // on their own, all at once, rather than queueing one behind another.
        let collapse = viewer.method === "GET";
        for (;;) {
            const found = this.cache.lookup(key, this.now());
            if (found.state === "fresh") {
                const response = found.entry.response;
                return finish(response, response.status >= 400 ? "Error" : "Hit", true, found.ageSeconds);
            }
            const pending = collapse ? this.inFlight.get(key) : undefined;
            if (!pending) break;
            if (!(await pending)) collapse = false;
        }

        if (!collapse) return this.fetchAndRespond(viewer, request, viewerHeaders, key, requestId, events, finish);
        let release: (cached: boolean) => void = () => undefined;
        this.inFlight.set(key, new Promise<boolean>((resolve) => (release = resolve)));
        try {
            return await this.fetchAndRespond(viewer, request, viewerHeaders, key, requestId, events, finish);
        } finally {
            this.inFlight.delete(key);
            release(this.cache.lookup(key, this.now()).state === "fresh");
        }
    }

    private async fetchAndRespond(
        viewer: ViewerRequest,
        request: CloudFrontRequest,
        viewerHeaders: CloudFrontRequest["headers"],
        key: string,
        requestId: string,
        events: EdgeEventType[],
        finish: (response: StoredResponse, result: Result, fromCache: boolean, ageSeconds?: number) => ViewerResponse,
    ): Promise<ViewerResponse> {
        const lookup = this.cache.lookup(key, this.now());
        const stale = lookup.state === "stale" ? lookup.entry : undefined;
        let originRequest = this.originRequest(request, viewerHeaders, stale);

        if (this.associated("origin-request")) {
            events.push("origin-request");
            const step = await this.runRequestFunction("origin-request", originRequest, requestId);
            if ("error" in step) return finish(step.error, step.result, false);
            if (step.kind === "response") {
                if (viewer.method === "GET") this.store(key, step.response, true);
                return finish(step.response, "LambdaGeneratedResponse", false);
            }
            originRequest = step.request;
        }

        let fetched: OriginResponse;
        try {
            this.stats.originFetch();
            fetched = await this.options.origin.fetch({
                method: viewer.method === "HEAD" ? "HEAD" : "GET",
                uri: originRequest.uri,
                headers: fromCloudFrontHeaders(originRequest.headers).filter(([name]) => !ORIGIN_MANAGED.has(name.toLowerCase())),
            });
        } catch (error) {
            if (!(error instanceof OriginUnreachableError)) throw error;
            // CloudFront keeps serving an expired copy while the origin fails.
            if (stale) return finish(stale.response, stale.response.status >= 400 ? "Error" : "Hit", true, this.ageOf(stale));
            const page = cloudFrontErrorPage(error.timedOut ? 504 : 502, error.timedOut ? ORIGIN_TIMEOUT_TEXT : ORIGIN_UNREACHABLE_TEXT);
            if (viewer.method === "GET") this.store(key, page, false);
            return finish(page, "Error", false);
        }

        let response: StoredResponse = { status: fetched.status, statusDescription: fetched.statusDescription, headers: fetched.headers, body: fetched.body };
        if (this.associated("origin-response")) {
            events.push("origin-response");
            const after = await this.runResponseFunction(originRequest, response, requestId);
            if ("error" in after) return finish(after.error, after.result, false);
            response = after.response;
        }

        if (response.status === 304 && stale) {
            const headers = mergeRevalidated(stale.response.headers, response.headers);
            const ttl = cacheLifetimeSeconds(stale.response.status, headers, this.options.ttls, this.options.errorCachingTtls, this.now());
            const refreshed = ttl === undefined ? undefined : this.cache.refresh(key, headers, ttl, this.now());
            if (!refreshed) this.cache.remove(key);
            return finish({ ...stale.response, headers }, "RefreshHit", true, 0);
        }
        if (response.status >= 500 && stale) return finish(stale.response, stale.response.status >= 400 ? "Error" : "Hit", true, this.ageOf(stale));

        if (viewer.method === "GET") this.store(key, response, false);
        return finish(response, response.status >= 400 ? "Error" : "Miss", false);
    }

    private ageOf(entry: CacheEntry): number {
        return Math.max(0, Math.floor((this.now() - entry.storedAtMs) / 1000));
    }

    /** Stores a response per the cache policy and error caching rules. */
    private store(key: string, response: StoredResponse, generated: boolean): void {
        const ttl = cacheLifetimeSeconds(response.status, response.headers, this.options.ttls, this.options.errorCachingTtls, this.now());
        if (ttl === undefined) {
            this.cache.remove(key);
            return;
        }
        const hasValidator = getHeader(response.headers, "etag") !== undefined || getHeader(response.headers, "last-modified") !== undefined;
        if (ttl === 0 && !hasValidator) {
            this.cache.remove(key);
            return;
        }
        this.cache.store(key, response, ttl, this.now(), generated);
    }

    /** The request CloudFront sends towards the origin (and shows the origin-request function). */
    private originRequest(request: CloudFrontRequest, viewerHeaders: CloudFrontRequest["headers"], stale: CacheEntry | undefined): CloudFrontRequest {
        // The cache policy forwards no viewer header, cookie or query string.
        // Headers a viewer-request function added are kept, as CloudFront does.
        const headers: CloudFrontRequest["headers"] = {};
        for (const [name, values] of Object.entries(request.headers)) {
            if (!(name in viewerHeaders) && !ORIGIN_MANAGED.has(name)) headers[name] = values;
        }
        headers["host"] = [{ key: "Host", value: s3Origin(this.options.bucket, this.options.region).domainName }];
        headers["user-agent"] = [{ key: "User-Agent", value: "Amazon CloudFront" }];
        headers["via"] = [{ key: "Via", value: `1.1 ${this.viaHost()} (CloudFront)` }];
        headers["x-forwarded-for"] = [{ key: "X-Forwarded-For", value: request.clientIp }];
        const etag = stale && getHeader(stale.response.headers, "etag");
        const lastModified = stale && getHeader(stale.response.headers, "last-modified");
        if (etag) headers["if-none-match"] = [{ key: "If-None-Match", value: etag }];
        if (lastModified) headers["if-modified-since"] = [{ key: "If-Modified-Since", value: lastModified }];
        return {
            clientIp: request.clientIp,
            headers,
            method: request.method,
            querystring: "",
            uri: request.uri,
            origin: { s3: s3Origin(this.options.bucket, this.options.region) },
        };
    }

    private async runRequestFunction(
        eventType: "viewer-request" | "origin-request",
        request: CloudFrontRequest,
        requestId: string,
    ): Promise<RequestStep | { error: StoredResponse; result: Result }> {
        const edge = this.options.edge;
        if (!edge) throw new Error(`no function is associated with ${eventType}`);
        try {
            const result = (await edge.invoke(eventType, requestEvent(this.identity(), eventType, requestId, request))) as
                | CloudFrontRequest
                | CloudFrontResultResponse
                | null
                | undefined;
            if (result === null || result === undefined || typeof result !== "object") {
                throw new EdgeValidationError(`${eventType} function returned ${result === null ? "null" : typeof result} instead of a request or a response`);
            }
            if (isGeneratedResponse(result)) {
                const status = validateGeneratedResponse(eventType, result);
                return { kind: "response", status, response: fromResultResponse(eventType, result, status) };
            }
            validateRequestResult(eventType, request, result);
            return { kind: "request", request: result };
        } catch (error) {
            return this.functionFailure(eventType, error);
        }
    }

    private async runResponseFunction(
        request: CloudFrontRequest,
        response: StoredResponse,
        requestId: string,
    ): Promise<{ response: StoredResponse } | { error: StoredResponse; result: Result }> {
        const edge = this.options.edge;
        if (!edge) throw new Error("no function is associated with origin-response");
        const given: CloudFrontResponse = {
            status: String(response.status),
            statusDescription: response.statusDescription,
            headers: toCloudFrontHeaders(response.headers),
        };
        try {
            const result = (await edge.invoke("origin-response", responseEvent(this.identity(), requestId, request, given))) as CloudFrontResultResponse | null | undefined;
            if (result === null || result === undefined || typeof result !== "object") {
                throw new EdgeValidationError(`origin-response function returned ${result === null ? "null" : typeof result} instead of a response`);
            }
            const status = validateResponseResult(given, result);
            const body = result.body === undefined ? response.body : generatedBody("origin-response", result);
            return {
                response: {
                    status,
                    statusDescription: result.statusDescription ?? response.statusDescription,
                    headers: fromCloudFrontHeaders(result.headers),
                    body,
                },
            };
        } catch (error) {
            return this.functionFailure("origin-response", error);
        }
    }

    private functionFailure(eventType: EdgeEventType, error: unknown): { error: StoredResponse; result: Result } {
        if (error instanceof EdgeValidationError) {
            this.options.log?.(`[${this.options.id}] ${eventType}: ${error.message}`);
            return { error: cloudFrontErrorPage(502, LAMBDA_VALIDATION_TEXT), result: "LambdaValidationError" };
        }
        if (error instanceof EdgeExecutionError) {
            this.options.log?.(`[${this.options.id}] ${error.message}`);
            return { error: cloudFrontErrorPage(503, LAMBDA_EXECUTION_TEXT), result: "LambdaExecutionError" };
        }
        throw error;
    }

    private identity() {
        return { distributionId: this.options.id, distributionDomainName: this.options.domainName };
    }

    private viaHost(): string {
        return `${this.options.id.toLowerCase()}.cloudfront.local`;
    }

    private viewerResponse(method: string, response: StoredResponse, result: Result, requestId: string, ageSeconds?: number): ViewerResponse {
        // A HEAD that went to the origin has no body: its Content-Length is the origin's.
        const length = method === "HEAD" && response.body.length === 0 ? (getHeader(response.headers, "content-length") ?? "0") : String(response.body.length);
        let headers = response.headers.filter(([name]) => !VIEWER_MANAGED.has(name.toLowerCase()));
        headers = applyResponseHeadersPolicy(headers, this.options.responseHeaders);
        headers = withHeader(headers, "Content-Length", length);
        if (ageSeconds !== undefined && result !== "RefreshHit") headers = withHeader(headers, "Age", String(ageSeconds));
        else headers = withoutHeader(headers, "age");
        headers.push(["X-Cache", `${result} from cloudfront`]);
        headers.push(["Via", `1.1 ${this.viaHost()} (CloudFront)`]);
        headers.push(["X-Amz-Cf-Pop", POP]);
        headers.push(["X-Amz-Cf-Id", requestId]);
        return {
            status: response.status,
            statusDescription: response.statusDescription,
            headers,
            body: method === "HEAD" ? Buffer.alloc(0) : response.body,
        };
    }
}

/** Headers CloudFront sets itself on origin requests (never forwarded from the function's copy). */
const ORIGIN_MANAGED = new Set(["host", "content-length", "transfer-encoding", "connection"]);

/** Headers CloudFront sets itself on viewer responses. */
const VIEWER_MANAGED = new Set(["x-cache", "via", "x-amz-cf-pop", "x-amz-cf-id", "content-length", "transfer-encoding", "connection", "keep-alive"]);

/** A generated response as a stored one. */
function fromResultResponse(eventType: EdgeEventType, result: CloudFrontResultResponse, status: number): StoredResponse {
    return {
        status,
        statusDescription: result.statusDescription ?? "",
        headers: fromCloudFrontHeaders(result.headers),
        body: generatedBody(eventType, result),
    };
}

/** Headers a 304 may update on the stored copy (RFC 9111 §4.3.4, end-to-end headers). */
function mergeRevalidated(stored: HeaderList, fresh: HeaderList): HeaderList {
    let merged = stored;
    const updatable = new Set(["cache-control", "expires", "etag", "last-modified", "date", "vary"]);
    for (const [name, value] of fresh) {
        if (updatable.has(name.toLowerCase())) merged = withHeader(merged, name, value);
    }
    return merged;
}
