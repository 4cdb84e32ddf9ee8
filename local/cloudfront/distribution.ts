/**
 * One emulated CloudFront distribution: the request path of a cache
 * behavior with GET/HEAD allowed, a cache policy that keys on the path only,
 * Lambda@Edge associations, an S3 origin and a response headers policy; and
 * ordered cache behaviors by path pattern, each with its own origin (the
 * variants' `/images/*\/*` towards the resizer's function URL) and
 * optionally a viewer-request CloudFront Function, with the same cache
 * policy, headers policy and Lambda@Edge associations.
 * No HTTP here (see server.ts): requests and responses are plain objects, so
 * the whole path is tested without sockets.
 *
 * For each viewer request (pages of the Amazon CloudFront Developer Guide in
 * quotes):
 * 0. the behavior: the first ordered behavior whose path pattern matches
 *    the path as received, else the default ("Path pattern");
 * 1. methods other than GET/HEAD → 403 ("HTTP 403 status code (Invalid
 *    method)"); a GET/HEAD with a body → 403 ("Request and response behavior
 *    for Amazon S3 origins", section "GET requests that include a body");
 * 2. the behavior's viewer-request CloudFront Function, when it has one
 *    (a failure → 503 FunctionExecutionError); then the viewer-request
 *    Lambda@Edge function, when associated: a generated response goes
 *    back as is, never cached (LambdaGeneratedResponse);
 * 3. cache lookup by the (possibly rewritten) path: a live copy → Hit, with
 *    the `Age` it has been cached for;
 * 4. otherwise origin-request function, when associated: a generated
 *    response is cached by the usual rules and returned;
 * 5. origin fetch from the behavior's origin (the bucket, or the function
 *    URL); unreachable → 502 ("HTTP 502 status code (Bad Gateway)"), no
 *    answer in time → 504 (see origin.ts);
 * 6. origin-response function, when associated;
 * 7. stored per {@link cacheLifetimeSeconds}, returned (Miss, or Error for 4xx/5xx).
 * Function events have the shape of "Lambda@Edge event structure"; a result
 * CloudFront would refuse → 502 ("HTTP 502 status code (Lambda validation
 * error)"), a throw or timeout → 503 ("HTTP 503 status code (function
 * execution error)"). Every response gets `X-Cache`, `Via`, `X-Amz-Cf-Pop`,
 * `X-Amz-Cf-Id` and the response headers policy.
 *
 * CloudFront does more on a miss: it collapses simultaneous requests for one
 * object into one origin request, revalidates an expired copy with a
 * conditional GET, and may serve an expired copy while the origin fails. The
 * product relies on none of it (no test of it fails without them), so the
 * emulator leaves them out: a copy whose lifetime has ended is gone, and the
 * next request for it is a plain miss.
 */
import type { CloudFrontOrigin, CloudFrontRequest, CloudFrontResponse, CloudFrontResultResponse } from "aws-lambda";
import { randomBytes } from "crypto";
import type { EdgeEventType } from "../../core/edge-settings";
import { cacheKeyOf, EdgeCache, StoredResponse } from "./cache";
import {
    BODY_ON_GET_TEXT,
    cloudFrontErrorPage,
    LAMBDA_EXECUTION_TEXT,
    LAMBDA_VALIDATION_TEXT,
    METHOD_NOT_ALLOWED_TEXT,
    ORIGIN_TIMEOUT_TEXT,
    ORIGIN_UNREACHABLE_TEXT,
    FUNCTION_EXECUTION_TEXT,
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
import { pathPatternMatches } from "./path-pattern";
import { FunctionExecutionError, ViewerFunction } from "./viewer-function";
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

/** An ordered cache behavior: its path pattern, its origin and, when it has one, its viewer-request CloudFront Function. */
export interface CacheBehavior {
    /** CloudFront path pattern, e.g. `/images/*\/*`. */
    pathPattern: string;
    origin: Origin;
    /** The origin as origin events show it (`custom` for a function URL). */
    originEvent: CloudFrontOrigin;
    /** The `Host` CloudFront sends the origin. */
    originHost: string;
    viewerFunction?: ViewerFunction;
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
    /** The Lambda@Edge function and its associations (every behavior's); none for `public` services. */
    edge?: EdgeFunction;
    /** Ordered cache behaviors, tried before the default (which takes `origin`). @default none */
    behaviors?: CacheBehavior[];
    cache?: EdgeCache;
    stats?: StatsRecorder;
    now?: () => number;
    /** Where function failures are reported (CloudWatch Logs stand-in). */
    log?: (line: string) => void;
}

type Result = "Hit" | "Miss" | "Error" | "LambdaGeneratedResponse" | "LambdaExecutionError" | "LambdaValidationError" | "FunctionExecutionError";

type RequestStep = { kind: "request"; request: CloudFrontRequest } | { kind: "response"; response: StoredResponse; status: number };

const POP = "LOCAL1-C1";

export class Distribution {
    readonly cache: EdgeCache;
    readonly stats: StatsRecorder;
    private readonly now: () => number;

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

    /** The behavior a request path takes: the first ordered one whose pattern matches, else the default. */
    behaviorFor(uri: string): CacheBehavior {
        const ordered = (this.options.behaviors ?? []).find((behavior) => pathPatternMatches(behavior.pathPattern, uri));
        if (ordered) return ordered;
        return {
            pathPattern: "*",
            origin: this.options.origin,
            originEvent: { s3: s3Origin(this.options.bucket, this.options.region) },
            originHost: s3Origin(this.options.bucket, this.options.region).domainName,
        };
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
        // Which copy of a replicated table the function's lookup was answered from, as its log line says.
        let tableCopy: string | undefined;
        const onLog = (line: string) => {
            const copy = loggedTableCopy(line);
            if (copy !== undefined) tableCopy = copy;
        };
        let originDetail: string | undefined;
        const finish = (response: StoredResponse, result: Result, fromCache: boolean, ageSeconds?: number): ViewerResponse => {
            const sent = this.viewerResponse(viewer.method, response, result, requestId, ageSeconds);
            this.stats.request({
                bytes: response.body.length,
                ...(getHeader(response.headers, "content-type") !== undefined ? { contentType: getHeader(response.headers, "content-type") } : {}),
                ...(originDetail === undefined ? {} : { originDetail }),
                at: this.now(),
                method: viewer.method,
                uri: viewer.uri,
                status: sent.status,
                result,
                fromCache,
                edgeEvents: events,
                durationMs: this.now() - startedAt,
                ...(tableCopy === undefined ? {} : { tableCopy }),
            });
            return sent;
        };

        if (viewer.method !== "GET" && viewer.method !== "HEAD") return finish(cloudFrontErrorPage(403, METHOD_NOT_ALLOWED_TEXT), "Error", false);
        if (viewer.hasBody) return finish(cloudFrontErrorPage(403, BODY_ON_GET_TEXT), "Error", false);
        // Chosen from the path as received, before any function runs.
        const behavior = this.behaviorFor(viewer.uri);

        // Headers CloudFront keeps to itself (Connection, X-Forwarded-Proto…) never reach a function.
        const viewerHeaders = toCloudFrontHeaders(viewer.headers.filter(([name]) => !isDisallowedHeader(name.toLowerCase())));
        let request: CloudFrontRequest = {
            clientIp: viewer.clientIp,
            headers: viewerHeaders,
            method: viewer.method,
            querystring: viewer.querystring,
            uri: viewer.uri,
        };

        if (behavior.viewerFunction) {
            try {
                request = behavior.viewerFunction.run(request, this.identity());
            } catch (error) {
                if (!(error instanceof FunctionExecutionError)) throw error;
                this.options.log?.(`[${this.options.id}] ${error.message}`);
                return finish(cloudFrontErrorPage(503, FUNCTION_EXECUTION_TEXT), "FunctionExecutionError", false);
            }
        }

        if (this.associated("viewer-request")) {
            events.push("viewer-request");
            const step = await this.runRequestFunction("viewer-request", request, requestId, onLog);
            if ("error" in step) return finish(step.error, step.result, false);
            if (step.kind === "response") return finish(step.response, "LambdaGeneratedResponse", false);
            request = step.request;
        }

        const key = cacheKeyOf(request.uri);
        const found = this.cache.lookup(key, this.now());
        if (found.state === "fresh") return finish(found.entry.response, found.entry.response.status >= 400 ? "Error" : "Hit", true, found.ageSeconds);
        // What is stored from here on lives from this moment: a max-age the origin or a function computes
        // while answering never outlives what it was computed from.
        const askedAtMs = this.now();

        let originRequest = this.originRequest(request, viewerHeaders, behavior);

        if (this.associated("origin-request")) {
            events.push("origin-request");
            const step = await this.runRequestFunction("origin-request", originRequest, requestId, onLog);
            if ("error" in step) return finish(step.error, step.result, false);
            if (step.kind === "response") {
                if (viewer.method === "GET") this.store(key, step.response, true, askedAtMs);
                return finish(step.response, "LambdaGeneratedResponse", false);
            }
            originRequest = step.request;
        }

        let fetched: OriginResponse;
        try {
            this.stats.originFetch();
            fetched = await behavior.origin.fetch({
                method: viewer.method === "HEAD" ? "HEAD" : "GET",
                uri: originRequest.uri,
                headers: fromCloudFrontHeaders(originRequest.headers).filter(([name]) => !ORIGIN_MANAGED.has(name.toLowerCase())),
            });
        } catch (error) {
            if (!(error instanceof OriginUnreachableError)) throw error;
            const page = cloudFrontErrorPage(error.timedOut ? 504 : 502, error.timedOut ? ORIGIN_TIMEOUT_TEXT : ORIGIN_UNREACHABLE_TEXT);
            if (viewer.method === "GET") this.store(key, page, false, askedAtMs);
            return finish(page, "Error", false);
        }

        originDetail = fetched.detail;
        let response: StoredResponse = { status: fetched.status, statusDescription: fetched.statusDescription, headers: fetched.headers, body: fetched.body };
        if (this.associated("origin-response")) {
            events.push("origin-response");
            const after = await this.runResponseFunction(originRequest, response, requestId);
            if ("error" in after) return finish(after.error, after.result, false);
            response = after.response;
        }

        if (viewer.method === "GET") this.store(key, response, false, askedAtMs);
        return finish(response, response.status >= 400 ? "Error" : "Miss", false);
    }

    /**
     * Stores a response per the cache policy and error caching rules, its
     * life counted from `askedAtMs`, when CloudFront asked the origin (or
     * the origin-request function) for it: HTTP counts a response's age
     * from when it was made (RFC 9111, 4.2.3), and a copy stored a few
     * milliseconds later must not outlive the hash expiry its max-age was
     * computed from.
     */
    private store(key: string, response: StoredResponse, generated: boolean, askedAtMs: number): void {
        const ttl = cacheLifetimeSeconds(response.status, response.headers, this.options.ttls, this.options.errorCachingTtls, askedAtMs);
        if (ttl === undefined || ttl === 0) {
            this.cache.remove(key);
            return;
        }
        this.cache.store(key, response, ttl, askedAtMs, generated);
    }

    /** The request CloudFront sends towards the behavior's origin (and shows the origin-request function). */
    private originRequest(request: CloudFrontRequest, viewerHeaders: CloudFrontRequest["headers"], behavior: CacheBehavior): CloudFrontRequest {
        // The cache policy forwards no viewer header, cookie or query string.
        // Headers a viewer-request function added are kept, as CloudFront does.
        const headers: CloudFrontRequest["headers"] = {};
        for (const [name, values] of Object.entries(request.headers)) {
            if (!(name in viewerHeaders) && !ORIGIN_MANAGED.has(name)) headers[name] = values;
        }
        headers["host"] = [{ key: "Host", value: behavior.originHost }];
        headers["user-agent"] = [{ key: "User-Agent", value: "Amazon CloudFront" }];
        headers["via"] = [{ key: "Via", value: `1.1 ${this.viaHost()} (CloudFront)` }];
        headers["x-forwarded-for"] = [{ key: "X-Forwarded-For", value: request.clientIp }];
        return {
            clientIp: request.clientIp,
            headers,
            method: request.method,
            querystring: "",
            uri: request.uri,
            origin: behavior.originEvent,
        };
    }

    private async runRequestFunction(
        eventType: "viewer-request" | "origin-request",
        request: CloudFrontRequest,
        requestId: string,
        onLog?: (line: string) => void,
    ): Promise<RequestStep | { error: StoredResponse; result: Result }> {
        const edge = this.options.edge;
        if (!edge) throw new Error(`no function is associated with ${eventType}`);
        try {
            const result = (await edge.invoke(eventType, requestEvent(this.identity(), eventType, requestId, request), onLog)) as
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
        // CloudFront's developer guide does not describe `Age`; its hits carry one, as
        // HTTP caching (RFC 9111, section 5.1) asks of a shared cache.
        if (ageSeconds !== undefined) headers = withHeader(headers, "Age", String(ageSeconds));
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

/** The `copy` field of an edge log line (a region name), if it has one. */
export function loggedTableCopy(line: string): string | undefined {
    if (!line.startsWith("{")) return undefined;
    try {
        const copy = (JSON.parse(line) as { copy?: unknown }).copy;
        return typeof copy === "string" && /^[a-z0-9-]{1,32}$/.test(copy) ? copy : undefined;
    } catch {
        return undefined;
    }
}
