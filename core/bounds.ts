/**
 * Our own bounds on the settings every part shares (the component's args,
 * the edge settings, the issuer's config), stated once, and the one check of
 * each. AWS's own limits are in limits.ts.
 *
 * A check returns what is wrong ({@link BoundProblem}) rather than throwing:
 * each caller words the error its own way (the component names the arg, the
 * issuer says `field '<name>'`, the edge lists its problems under `invalid
 * edge settings`), around the same words for the same bound.
 */
import { MAX_SINGLE_UPLOAD_BYTES } from "./limits";

/**
 * Service (and instance) names: lowercase letters, digits and single inner
 * hyphens, starting with a letter, at most 40 characters. Children append a
 * suffix to the name and must still fit AWS name limits (IAM role names: 64
 * characters; S3 bucket names: lowercase).
 */
export function isServiceName(name: unknown): name is string {
    return typeof name === "string" && /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(name) && !name.includes("--");
}

/** The service name rule in words, for error messages. */
export const SERVICE_NAME_RULE = "1-40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen";

/**
 * Longest life the edge gives a presigned URL (`signedUrlTtlSeconds`): 600 s.
 *
 * The edge signs with its role's temporary credentials, and a presigned URL
 * stops working when the credentials that signed it expire, whatever its
 * `X-Amz-Expires` says (Amazon S3 User Guide, "Sharing objects with
 * presigned URLs": with IAM role credentials "the presigned URL expires when
 * the role session expires, even if you specify a longer expiration time").
 * AWS does not publish how long Lambda's execution-role credentials last
 * ("Services that assume a role, such as the AWS Lambda execution role,
 * don't necessarily comply with the role's session duration settings", AWS
 * Knowledge Center, "Why is my presigned URL for an Amazon S3 bucket
 * expiring before the expiration time that I specified?"); the shortest role
 * session AWS STS issues at all is 15 minutes (AWS STS API Reference,
 * AssumeRole, `DurationSeconds` minimum 900). 600 s stays two thirds inside
 * that; a 302 a browser keeps goes 30 s before its URL. The edge cannot see
 * when its credentials expire, so this keeps the window in which they could
 * cut a URL short small.
 */
export const MAX_SIGNED_URL_TTL_SECONDS = 600;

/**
 * How long a presigned URL lives unless `signedUrlTtlSeconds` says otherwise:
 * 300 s. The issuer assumes it for a service whose config does not record
 * it.
 */
export const DEFAULT_SIGNED_URL_TTL_SECONDS = 300;

/** Shortest and longest lifetime of a hash, seconds (one minute; one year). */
export const MIN_HASH_TTL_SECONDS = 60;
export const MAX_HASH_TTL_SECONDS = 365 * 24 * 60 * 60;

/** Most user tags an instance takes: AWS allows 50 per resource and the component adds its own. */
export const MAX_USER_TAGS = 40;

/** Longest a 404 may be cached, seconds. */
export const MAX_NOT_FOUND_TTL_SECONDS = 3600;

/** Shortest and longest time budget of one edge lookup, retries included, milliseconds. */
export const MIN_LOOKUP_TIMEOUT_MS = 100;
export const MAX_LOOKUP_TIMEOUT_MS = 25000;

/**
 * The edge function's timeout unless `edge.timeoutSeconds` says otherwise: 5 s,
 * what a viewer-request trigger (`secured`) may have at most. The issuer
 * assumes it, through the invalidator's delay (revocation.ts), for a
 * service whose config does not record that delay.
 */
export const DEFAULT_EDGE_TIMEOUT_SECONDS = 5;

/** Time a lookup must leave of the function's timeout for the rest of the request, milliseconds. */
export const LOOKUP_RESERVE_MS = 1000;

/** Largest and longest-lived in-memory lookup cache of a warm edge function. */
export const MAX_MEMO_ENTRIES = 100000;
export const MAX_MEMO_TTL_SECONDS = 3600;

/**
 * How long a looked-up mapping may be reused from a warm edge function's
 * memo unless `edge.memoTtlSeconds` says otherwise, by level: a minute for
 * `required`, never for `secured` (a revoked hash stops on the very next
 * request). The issuer assumes it for a service whose config does not record
 * it.
 */
export const DEFAULT_MEMO_TTL_SECONDS: Readonly<Record<"required" | "secured", number>> = { required: 60, secured: 0 };

/**
 * The longest lookup budget a function with this timeout can have: its
 * timeout less {@link LOOKUP_RESERVE_MS}, and never above
 * {@link MAX_LOOKUP_TIMEOUT_MS}.
 */
export function maxLookupTimeoutMs(timeoutSeconds: number): number {
    return Math.min(MAX_LOOKUP_TIMEOUT_MS, timeoutSeconds * 1000 - LOOKUP_RESERVE_MS);
}

/**
 * How long CloudFront may take to get an object from the bucket, as the
 * component sets it on the distribution's S3 origin (CloudFront Developer
 * Guide, "Origin settings"; API Reference, `Origin`):
 * - `connectionAttempts` × `connectionTimeoutSeconds`: CloudFront's own
 *   defaults (3 attempts of 10 s), set explicitly so the revocation
 *   arithmetic (revocation.ts) reads the figures it runs with;
 * - `readTimeoutSeconds`: the origin response timeout for the first byte
 *   and between packets, CloudFront's default of 30 s (pulumi-aws's S3
 *   origin configuration does not set it);
 * - `responseCompletionTimeoutSeconds`: the longest a request to the origin
 *   may stay open until the whole response is in, after which CloudFront
 *   ends it. CloudFront enforces none unless it is set, and it must be at
 *   least the read timeout: 30 s, which an image from S3 in AWS's own
 *   network needs a small part of.
 */
export const S3_ORIGIN_TIMEOUTS = {
    connectionAttempts: 3,
    connectionTimeoutSeconds: 10,
    readTimeoutSeconds: 30,
    responseCompletionTimeoutSeconds: 30,
} as const;

/** A whole number from `min` to `max` (both included), safe as a JavaScript integer. */
export function isWholeNumber(value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** What is wrong with a value, for the caller to put after the field's name. */
export interface BoundProblem {
    /** What the value must be, e.g. `must be a whole number from 1 to 600`. */
    expected: string;
    /** Why the bound is where it is, when the reader needs that to choose a value. */
    reason?: string;
}

/** A whole number from `min` to `max`, or what is wrong with `value`. */
export function wholeNumberProblem(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): BoundProblem | undefined {
    if (isWholeNumber(value, min, max)) return undefined;
    return { expected: `must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`}` };
}

/** `signedUrlTtlSeconds`: 1 to {@link MAX_SIGNED_URL_TTL_SECONDS}; a longer life is refused with the reason. */
export function signedUrlTtlProblem(value: unknown): BoundProblem | undefined {
    if (typeof value === "number" && value > MAX_SIGNED_URL_TTL_SECONDS) {
        return {
            expected: `must be at most ${MAX_SIGNED_URL_TTL_SECONDS}`,
            reason: "the edge signs with its role's temporary credentials, and a presigned URL stops working when they expire",
        };
    }
    return wholeNumberProblem(value, 1, MAX_SIGNED_URL_TTL_SECONDS);
}

/** `hashTtlSeconds`: {@link MIN_HASH_TTL_SECONDS} to {@link MAX_HASH_TTL_SECONDS}. */
export function hashTtlProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, MIN_HASH_TTL_SECONDS, MAX_HASH_TTL_SECONDS);
}

/** `memoTtlSeconds`: 0 to {@link MAX_MEMO_TTL_SECONDS}. */
export function memoTtlProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, 0, MAX_MEMO_TTL_SECONDS);
}

/** `memoMaxEntries`: 0 to {@link MAX_MEMO_ENTRIES}. */
export function memoMaxEntriesProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, 0, MAX_MEMO_ENTRIES);
}

/**
 * `lookupTimeoutMs`: {@link MIN_LOOKUP_TIMEOUT_MS} to `maxMs`, which is at
 * most {@link MAX_LOOKUP_TIMEOUT_MS} (a caller that knows the function's
 * timeout passes {@link maxLookupTimeoutMs} of it).
 */
export function lookupTimeoutProblem(value: unknown, maxMs = MAX_LOOKUP_TIMEOUT_MS): BoundProblem | undefined {
    return wholeNumberProblem(value, MIN_LOOKUP_TIMEOUT_MS, Math.min(maxMs, MAX_LOOKUP_TIMEOUT_MS));
}

/** `notFoundTtlSeconds`: 0 to {@link MAX_NOT_FOUND_TTL_SECONDS}. */
export function notFoundTtlProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, 0, MAX_NOT_FOUND_TTL_SECONDS);
}

/** A cache lifetime of CloudFront's cache policy (`minTtlSeconds`, `defaultTtlSeconds`, `maxTtlSeconds`): 0 or more seconds. */
export function cacheTtlProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, 0);
}

/** `maxUploadBytes`: 1 to S3's largest single upload ({@link MAX_SINGLE_UPLOAD_BYTES}). */
export function maxUploadBytesProblem(value: unknown): BoundProblem | undefined {
    return wholeNumberProblem(value, 1, MAX_SINGLE_UPLOAD_BYTES);
}

/** A service (or instance) name ({@link isServiceName}). */
export function serviceNameProblem(value: unknown): BoundProblem | undefined {
    return isServiceName(value) ? undefined : { expected: `must be ${SERVICE_NAME_RULE}` };
}
