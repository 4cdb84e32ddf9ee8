/**
 * Viewer-request (`secured`) and origin-request (`required`) events: the
 * strict path check, the lookup, then delivery by mode: rewrite the URI to the
 * object's key in the same bucket (origin), or 302 to a presigned URL
 * (redirect). A variant (`/images/<hash>/<preset>[.<token>]`, origin mode)
 * goes through the very same check and lookup as its original, then is
 * rewritten to the path the resizer takes (`/variant/<preset>/<token>/<key>`),
 * which only this step writes.
 */
import type { CloudFrontRequest } from "aws-lambda";
import type { Answer } from "./answer";
import { presignedUrlSeconds, privateCacheControlFor, redirectLifetime, remainingSeconds } from "./cache-control";
import type { EdgeDeps } from "./deps";
import { encodeObjectKey } from "./endpoints";
import { joinedHeader, setHeader } from "./events";
import type { EdgeMapping } from "../core/item";
import { lookupHash } from "./lookup";
import { trustedUntilMs } from "./memo";
import { checkRequest } from "./request-check";
import {
    badMethodResponse,
    expiredResponse,
    notFoundResponse,
    PRIVATE_NO_STORE,
    redirectResponse,
    unavailableResponse,
    uriTooLongResponse,
} from "./responses";
import { memoTrustSeconds } from "../core/revocation";
import { EXPIRES_AT_HEADER, EXPIRES_AT_HEADER_NAME } from "../core/edge-settings";
import { negotiateVariantToken, resizerPath, VariantRequest, VariantToken } from "../core/variants";

export type RequestPhase = "viewer-request" | "origin-request";

export async function answerRequest(request: CloudFrontRequest, phase: RequestPhase, deps: EdgeDeps): Promise<Answer> {
    const { settings } = deps;
    // Variants exist in origin mode only (the settings check refuses them with redirect).
    const check = checkRequest(request.method, request.uri, settings.mode === "origin" ? settings.variants : undefined);
    if (!check.ok) {
        switch (check.reason) {
            case "bad_method":
                return { result: badMethodResponse(), outcome: "bad_method", status: 405 };
            case "uri_too_long":
                return { result: uriTooLongResponse(settings), outcome: "uri_too_long", status: 414 };
            case "bad_path":
                return { result: notFoundResponse(settings), outcome: "bad_path", status: 404 };
        }
    }
    const hash = check.hash;
    const variant = check.variant;
    const outcome = await lookupHash(hash, {
        store: deps.store,
        replicated: deps.replicated,
        homeConsistentOnly: deps.homeConsistentOnly,
        memo: deps.memo,
        bucket: settings.bucket,
        lookupTimeoutMs: settings.lookupTimeoutMs,
        now: deps.now,
    });
    const stats = {
        hash,
        memo: outcome.memoHit,
        attempts: outcome.attempts,
        ...(outcome.copy === undefined ? {} : { copy: outcome.copy }),
        ...(variant === undefined ? {} : { variant: variant.token === undefined ? variant.preset : `${variant.preset}.${variant.token}` }),
    };
    switch (outcome.kind) {
        case "unavailable":
            return { result: unavailableResponse(), outcome: "unavailable", status: 503, reason: outcome.errorType ?? outcome.failure, ...stats };
        case "missing":
            return outcome.badItem === undefined
                ? { result: notFoundResponse(settings), outcome: "not_found", status: 404, ...stats }
                : { result: notFoundResponse(settings), outcome: "bad_item", status: 404, reason: outcome.badItem, ...stats };
        case "expired":
            return { result: expiredResponse(settings), outcome: "expired", status: 403, ...stats };
        case "valid":
            return { ...deliver(request, phase, outcome.mapping, outcome.cacheUntil, outcome.vouchedAtMs, deps, variant), ...stats };
    }
}

/**
 * The token a variant is served as: the one in its URI, or (at `secured`,
 * where this step runs on viewer-request and sees the viewer's `Accept`)
 * the one `Accept` negotiates, as the viewer-request CloudFront Function
 * does at `required`. An origin request carries no `Accept` (the cache
 * policy forwards no header), so a URI that reached it without a token
 * gets the fallback, which every browser shows.
 */
function variantToken(variant: VariantRequest, request: CloudFrontRequest, deps: EdgeDeps): VariantToken {
    if (variant.token !== undefined) return variant.token;
    const formats = deps.settings.variants?.[variant.preset] ?? [];
    return negotiateVariantToken(joinedHeader(request.headers, "accept"), formats) as VariantToken;
}

/**
 * `cacheUntil` (epoch seconds) bounds how long what this answer leads to may stay cached;
 * `vouchedAtMs` is when the table vouched for the mapping (see LookupOutcome).
 */
function deliver(
    request: CloudFrontRequest,
    phase: RequestPhase,
    mapping: EdgeMapping,
    cacheUntil: number,
    vouchedAtMs: number,
    deps: EdgeDeps,
    variant?: VariantRequest,
): Answer {
    const { settings } = deps;
    if (settings.mode === "origin") {
        // Same bucket, same origin (OAC signs for it); only the path changes. A variant's
        // behavior has the resizer as its origin (its OAC signs for the function URL), and
        // the path names the original's key, which the resizer reads from the same bucket.
        // The query string never reaches the origin (no versionId, no response-* overrides).
        request.uri = variant === undefined ? "/" + encodeObjectKey(mapping.key) : resizerPath(variant.preset, variantToken(variant, request, deps), mapping.key);
        request.querystring = "";
        delete request.headers[EXPIRES_AT_HEADER];
        // The origin-response step bounds the cache lifetime by this moment.
        if (phase === "origin-request") setHeader(request.headers, EXPIRES_AT_HEADER_NAME, String(cacheUntil));
        return { result: request, outcome: "rewritten" };
    }
    const credentials = deps.credentials();
    if (!deps.presigner || !credentials) {
        return { result: unavailableResponse(), outcome: "unavailable", status: 503, reason: deps.presigner ? "no_credentials" : "no_presigner" };
    }
    const now = deps.now();
    const urlSeconds = presignedUrlSeconds(mapping.expiresAt, vouchedAtMs, now, settings);
    // SigV4 signs the method: a HEAD gets a URL signed for HEAD, a GET one for GET.
    const method = request.method === "HEAD" ? "HEAD" : "GET";
    const location = deps.presigner.presign(mapping.key, urlSeconds, now, credentials, method);
    // CloudFront never keeps a 302 (`private`): its cache key cannot tell GET from HEAD, so a
    // kept 302 would send one of them to a URL signed for the other. A browser may keep it (GET
    // only) until a safety margin before its URL dies, and no longer than the memo trusts the
    // mapping: the memo's trust in the read that vouched for it (counted from that read's start),
    // whether this answer came from the memo or from the read itself, since no invalidation
    // reaches a browser. A viewer-request answer (`secured`) is kept by no one, or the
    // every-request check would be skipped.
    const memoTrusts = Math.min(cacheUntil, Math.floor(trustedUntilMs(vouchedAtMs, mapping.expiresAt, memoTrustSeconds(settings)) / 1000));
    const cacheControl =
        phase === "viewer-request"
            ? PRIVATE_NO_STORE
            : privateCacheControlFor(Math.min(redirectLifetime(urlSeconds, settings), remainingSeconds(memoTrusts, now)));
    return { result: redirectResponse(location, cacheControl), outcome: "redirected", status: 302 };
}
