/**
 * Our own bounds on the settings every part shares (the component's args,
 * the edge settings, the issuer's config), stated once. AWS's own limits are
 * in limits.ts.
 */

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

/** Time a lookup must leave of the function's timeout for the rest of the request, milliseconds. */
export const LOOKUP_RESERVE_MS = 1000;

/** Largest and longest-lived in-memory lookup cache of a warm edge function. */
export const MAX_MEMO_ENTRIES = 100000;
export const MAX_MEMO_TTL_SECONDS = 3600;

/**
 * The longest lookup budget a function with this timeout can have: its
 * timeout less {@link LOOKUP_RESERVE_MS}, and never above
 * {@link MAX_LOOKUP_TIMEOUT_MS}.
 */
export function maxLookupTimeoutMs(timeoutSeconds: number): number {
    return Math.min(MAX_LOOKUP_TIMEOUT_MS, timeoutSeconds * 1000 - LOOKUP_RESERVE_MS);
}

/** A whole number from `min` to `max` (both included), safe as a JavaScript integer. */
export function isWholeNumber(value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}
