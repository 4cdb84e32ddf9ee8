/**
 * Responses the edge generates. Bodies are tiny and generic (no hash, bucket,
 * key or error detail); only headers CloudFront lets a function set are used
 * (never `Content-Length`, `Transfer-Encoding`, `Via`, `X-Cache`, `X-Amz-Cf-*`);
 * status is always a string in 200–599. Error lifetimes come from
 * `errorCachingSeconds`, the same figures the distribution's
 * `errorCachingMinTtl` uses.
 */
import type { CloudFrontHeaders, CloudFrontResponse, CloudFrontResultResponse } from "aws-lambda";
import { cacheControlFor } from "./cache-control";
import { setHeader } from "./events";
import { errorCachingSeconds, EdgeSettings } from "../core/edge-settings";

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Never kept by a browser or a shared cache. */
export const NO_STORE = "no-store";

/** Kept by nobody, and said so to browsers too (viewer-request answers of the `secured` level). */
export const PRIVATE_NO_STORE = "private, no-store";

/** A generated plain-text response whose body is just its status description. */
export function plainResponse(status: number, description: string, cacheControl: string, extra: Record<string, string> = {}): CloudFrontResultResponse {
    const headers: CloudFrontHeaders = {};
    setHeader(headers, "Content-Type", "text/plain; charset=utf-8");
    setHeader(headers, "Cache-Control", cacheControl);
    setHeader(headers, "X-Content-Type-Options", "nosniff");
    for (const name of Object.keys(extra)) setHeader(headers, name, extra[name]);
    return { status: String(status), statusDescription: description, headers, bodyEncoding: "text", body: `${description}\n` };
}

/** Unknown hash, malformed path or bad item: all look exactly alike. */
export function notFoundResponse(settings: Pick<EdgeSettings, "notFoundTtlSeconds">): CloudFrontResultResponse {
    return plainResponse(404, "Not Found", cacheControlFor(errorCachingSeconds(settings)[404]));
}

/** A hash past its `expires_at`. */
export function expiredResponse(settings: Pick<EdgeSettings, "notFoundTtlSeconds">): CloudFrontResultResponse {
    return plainResponse(403, "Forbidden", cacheControlFor(errorCachingSeconds(settings)[403]));
}

/** A path longer than any hash URL; depends on the path alone, so it is cached like a 404. */
export function uriTooLongResponse(settings: Pick<EdgeSettings, "notFoundTtlSeconds">): CloudFrontResultResponse {
    return plainResponse(414, "URI Too Long", cacheControlFor(errorCachingSeconds(settings)[404]));
}

/** Anything but GET or HEAD. Not cached: the cache key does not include the method. */
export function badMethodResponse(): CloudFrontResultResponse {
    return plainResponse(405, "Method Not Allowed", NO_STORE, { Allow: "GET, HEAD" });
}

/** The table (or the function's own setup) cannot answer now: retry soon, never cached. */
export function unavailableResponse(): CloudFrontResultResponse {
    return plainResponse(503, "Service Unavailable", NO_STORE, { "Retry-After": String(RETRY_AFTER_SECONDS) });
}

/** 302 to a presigned URL, with the given `Cache-Control`. No body. */
export function redirectResponse(location: string, cacheControl: string): CloudFrontResultResponse {
    const headers: CloudFrontHeaders = {};
    setHeader(headers, "Location", location);
    setHeader(headers, "Cache-Control", cacheControl);
    return { status: "302", statusDescription: "Found", headers };
}

/** Headers a function may not add, change or remove at origin-response ("Restrictions on edge functions", read-only headers). */
const ORIGIN_RESPONSE_READ_ONLY: Readonly<Record<string, true>> = {
    "transfer-encoding": true,
    via: true,
};

/**
 * Turns an origin response into a generated one in place (origin-response
 * event): new status, generic body, and exactly the generated answer's
 * headers. Every other header of the origin goes (S3's `x-amz-*` details,
 * `Server: AmazonS3`, its caching hints, what described the replaced body),
 * so the answer is the same as one the edge generates itself (a deleted
 * object's 404 is an unknown hash's 404); only the read-only headers
 * (`Transfer-Encoding`, `Via`) are left exactly as they are.
 */
export function replaceOriginResponse(response: CloudFrontResponse, generated: CloudFrontResultResponse): CloudFrontResponse & CloudFrontResultResponse {
    const headers = response.headers;
    for (const name of Object.keys(headers)) {
        if (ORIGIN_RESPONSE_READ_ONLY[name] !== true) delete headers[name];
    }
    for (const name of Object.keys(generated.headers ?? {})) headers[name] = (generated.headers ?? {})[name];
    return Object.assign(response, {
        status: generated.status,
        statusDescription: generated.statusDescription ?? "",
        headers,
        bodyEncoding: generated.bodyEncoding,
        body: generated.body,
    });
}
