/**
 * How long CloudFront keeps a response, as the CloudFront developer guide
 * describes it ("Manage how long content stays in the cache (expiration)" and
 * "How CloudFront processes HTTP 4xx and 5xx status codes from your origin").
 * Pure: no clock, no I/O; `now` is passed in.
 *
 * Successful responses (status below 400):
 * - `no-store`, `no-cache` or `private`: not cached when the minimum TTL is 0,
 *   else cached for the minimum TTL;
 * - `s-maxage`, else `max-age`, else `Expires`: that lifetime, clamped to
 *   [minimum TTL, maximum TTL];
 * - nothing: the default TTL (never below the minimum).
 *
 * Errors (400 and above):
 * - 404, 414, 500, 501, 502, 503, 504 are always cached; 400, 403, 405, 412
 *   and 415 only when the response carries `max-age` or `s-maxage`; any other
 *   error status is never cached;
 * - for how long: the greater of the status's error caching minimum TTL
 *   (10 s unless configured) and the header's lifetime (capped by the
 *   maximum TTL); with no lifetime header, the error caching minimum TTL.
 */
import { getHeader, HeaderList } from "./headers";

/** The TTL settings of a cache policy, in seconds. */
export interface CachePolicyTtls {
    minTtl: number;
    defaultTtl: number;
    maxTtl: number;
}

/** Error caching minimum TTL per status code (a distribution's `customErrorResponses`). */
export type ErrorCachingTtls = Readonly<Partial<Record<number, number>>>;

/** CloudFront's error caching minimum TTL when none is configured for a status. */
export const DEFAULT_ERROR_CACHING_SECONDS = 10;

/** Error statuses CloudFront caches whatever the response headers say. */
export const ALWAYS_CACHED_ERRORS: ReadonlySet<number> = new Set([404, 414, 500, 501, 502, 503, 504]);

/** Error statuses CloudFront caches only when the response has `max-age` or `s-maxage`. */
export const CACHED_WITH_MAX_AGE_ERRORS: ReadonlySet<number> = new Set([400, 403, 405, 412, 415]);

/** The `Cache-Control` directives that matter to a shared cache. */
export interface CacheControl {
    maxAge?: number;
    sMaxAge?: number;
    noStore: boolean;
    noCache: boolean;
    private: boolean;
}

/**
 * Parses a `Cache-Control` value. Directive names are case-insensitive;
 * a malformed number is ignored (the directive is treated as absent);
 * `no-cache="field"` and `private="field"` count as their bare form.
 */
export function parseCacheControl(value: string | undefined): CacheControl {
    const result: CacheControl = { noStore: false, noCache: false, private: false };
    if (!value) return result;
    for (const part of value.split(",")) {
        const [rawName, ...rest] = part.split("=");
        const name = rawName.trim().toLowerCase();
        const argument = rest.join("=").trim().replace(/^"(.*)"$/, "$1");
        switch (name) {
            case "max-age":
                result.maxAge = parseSeconds(argument) ?? result.maxAge;
                break;
            case "s-maxage":
                result.sMaxAge = parseSeconds(argument) ?? result.sMaxAge;
                break;
            case "no-store":
                result.noStore = true;
                break;
            case "no-cache":
                result.noCache = true;
                break;
            case "private":
                result.private = true;
                break;
        }
    }
    return result;
}

function parseSeconds(text: string): number | undefined {
    if (!/^\d{1,12}$/.test(text)) return undefined;
    return Number(text);
}

/**
 * The lifetime an `Expires` header gives, in whole seconds from `nowMs`
 * (0 for a date in the past or an unparseable value, which HTTP treats as
 * already expired), or `undefined` when there is no `Expires` header.
 */
export function expiresLifetime(headers: HeaderList, nowMs: number): number | undefined {
    const expires = getHeader(headers, "expires");
    if (expires === undefined) return undefined;
    const at = Date.parse(expires);
    if (Number.isNaN(at)) return 0;
    return Math.max(0, Math.floor((at - nowMs) / 1000));
}

/** The lifetime the response's own headers ask a shared cache for: `s-maxage`, `max-age`, then `Expires`. */
function headerLifetime(control: CacheControl, headers: HeaderList, nowMs: number): number | undefined {
    return control.sMaxAge ?? control.maxAge ?? expiresLifetime(headers, nowMs);
}

/**
 * Seconds CloudFront keeps this response, or `undefined` when it does not
 * store it at all. A lifetime of 0 means the next request goes to the
 * origin again (the emulator does not store it).
 */
export function cacheLifetimeSeconds(
    status: number,
    headers: HeaderList,
    policy: CachePolicyTtls,
    errorTtls: ErrorCachingTtls,
    nowMs: number,
): number | undefined {
    const control = parseCacheControl(getHeader(headers, "cache-control"));
    if (status >= 400) return errorLifetime(status, control, headers, policy, errorTtls, nowMs);
    if (control.noStore || control.noCache || control.private) return policy.minTtl > 0 ? policy.minTtl : undefined;
    const asked = headerLifetime(control, headers, nowMs);
    if (asked === undefined) return Math.max(policy.minTtl, policy.defaultTtl);
    return clamp(asked, policy.minTtl, policy.maxTtl);
}

function errorLifetime(
    status: number,
    control: CacheControl,
    headers: HeaderList,
    policy: CachePolicyTtls,
    errorTtls: ErrorCachingTtls,
    nowMs: number,
): number | undefined {
    const hasMaxAge = control.maxAge !== undefined || control.sMaxAge !== undefined;
    const cached = ALWAYS_CACHED_ERRORS.has(status) || (CACHED_WITH_MAX_AGE_ERRORS.has(status) && hasMaxAge);
    if (!cached) return undefined;
    const minimum = errorTtls[status] ?? DEFAULT_ERROR_CACHING_SECONDS;
    const asked = headerLifetime(control, headers, nowMs);
    const lifetime = asked === undefined ? minimum : Math.max(minimum, Math.min(asked, policy.maxTtl));
    // An error with no lifetime left is not kept.
    return lifetime > 0 ? lifetime : undefined;
}

function clamp(value: number, min: number, max: number): number {
    return Math.min(Math.max(value, min), max);
}
