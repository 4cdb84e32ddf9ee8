/**
 * Origin-response events (origin mode): turn S3's errors into generic
 * answers that reveal nothing (S3's 404 body names the key; with OAC a
 * missing object is a 403 `AccessDenied` with S3's request ids), the same 404
 * as an unknown hash; and, at the `required` level, bound how long CloudFront
 * and browsers keep what S3 returned by the hash's remaining life (carried in
 * EXPIRES_AT_HEADER on the origin request). At the `secured` level a
 * successful response goes on unchanged: the viewer-request check decides on
 * every request, whatever CloudFront keeps. Only 200, 206 and 304 count as
 * success, at both levels: any other status (S3's 301 or 307 redirects name
 * the bucket and key in `Location`) becomes the generic 503.
 */
import type { CloudFrontRequest, CloudFrontResponse } from "aws-lambda";
import type { Answer } from "./answer";
import { cacheControlFor, deliveredLifetime, originLifetime } from "./cache-control";
import type { EdgeDeps } from "./deps";
import { headerValue, joinedHeader, setHeader } from "./events";
import { NO_STORE, notFoundResponse, plainResponse, replaceOriginResponse, unavailableResponse } from "./responses";
import { EXPIRES_AT_HEADER, EdgeSettings } from "../core/edge-settings";

/** The expiry the origin-request step attached, or `undefined` when absent or malformed. */
export function attachedExpiry(request: Pick<CloudFrontRequest, "headers">): number | undefined {
    const raw = headerValue(request.headers, EXPIRES_AT_HEADER);
    if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
    return Number(raw);
}

/** The only statuses that count as S3 delivering the object: anything else is replaced by a generic answer. */
const ORIGIN_SUCCESS: readonly number[] = [200, 206, 304];

/**
 * For the handler's fail-safe paths (a planned origin-response without a
 * usable request, or an unexpected error in this step): S3's answer, unless
 * a success, replaced by the generic 404 (S3's 403 or 404) or the generic
 * 503 (anything else), so its error page (NoSuchKey names the key) never goes
 * on. `undefined` for a success.
 */
export function replaceOriginFailure(
    response: CloudFrontResponse,
    settings: Pick<EdgeSettings, "notFoundTtlSeconds">,
): { result: CloudFrontResponse; status: number; reason: string } | undefined {
    const status = Number(response.status);
    if (ORIGIN_SUCCESS.includes(status)) return undefined;
    const missing = status === 403 || status === 404;
    return {
        result: replaceOriginResponse(response, missing ? notFoundResponse(settings) : unavailableResponse()),
        status: missing ? 404 : 503,
        reason: `s3_${status}`,
    };
}

export function answerOriginResponse(request: Pick<CloudFrontRequest, "headers">, response: CloudFrontResponse, deps: EdgeDeps): Answer {
    const { settings } = deps;
    const status = Number(response.status);
    if (status === 403 || status === 404) {
        // With OAC and no s3:ListBucket, S3 says 403 for a missing object.
        return { result: replaceOriginResponse(response, notFoundResponse(settings)), outcome: "origin_missing", status: 404, reason: `s3_${status}` };
    }
    if (status >= 500) {
        return { result: replaceOriginResponse(response, unavailableResponse()), outcome: "origin_error", status: 503, reason: `s3_${status}` };
    }
    if (status >= 400) {
        const generic = plainResponse(status, "Error", NO_STORE);
        return { result: replaceOriginResponse(response, generic), outcome: "origin_error", status, reason: `s3_${status}` };
    }
    if (!ORIGIN_SUCCESS.includes(status)) {
        // A redirect (301 PermanentRedirect, 307 TemporaryRedirect: Location names the bucket and
        // key) or any other status S3 should not send for a plain GET of an object: never passed on.
        return { result: replaceOriginResponse(response, unavailableResponse()), outcome: "origin_error", status: 503, reason: `s3_${status}` };
    }
    if (settings.level === "secured") return { result: response, outcome: "passed" };
    const headers = response.headers;
    const expiresAt = attachedExpiry(request);
    const now = deps.now();
    const lifetime =
        expiresAt === undefined
            ? 0
            : deliveredLifetime(originLifetime(joinedHeader(headers, "cache-control"), headerValue(headers, "expires"), now), expiresAt, now, settings);
    setHeader(headers, "Cache-Control", cacheControlFor(lifetime));
    delete headers["expires"];
    return { result: response, outcome: "cache_bounded", reason: expiresAt === undefined ? "no_expiry" : undefined };
}
