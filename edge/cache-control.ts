/**
 * Cache lifetimes. Every lifetime the edge hands out is bounded by the
 * hash's remaining life, so neither CloudFront nor a browser keeps an image
 * (or a redirect to it) after the hash has expired.
 */
import type { EdgeSettings } from "../core/edge-settings";

/** `Cache-Control` for a lifetime in whole seconds: `no-store` when there is no time left. */
export function cacheControlFor(seconds: number): string {
    return seconds > 0 ? `max-age=${Math.floor(seconds)}` : "no-store";
}

/** Whole seconds from `nowMs` until `expiresAt` (epoch seconds), rounded down; negative once expired. */
export function remainingSeconds(expiresAt: number, nowMs: number): number {
    return Math.floor((expiresAt * 1000 - nowMs) / 1000);
}

/** What an origin's own caching headers say about how long its response may be kept. */
export type OriginLifetime = { kind: "uncacheable" } | { kind: "seconds"; seconds: number } | { kind: "unspecified" };

/**
 * Reads an origin's `Cache-Control` (and, failing that, `Expires`):
 * `no-store`, `no-cache` or `private` make the response uncacheable; otherwise
 * the smallest of `max-age` and `s-maxage`; otherwise `Expires − now`.
 */
export function originLifetime(cacheControl: string | undefined, expires: string | undefined, nowMs: number): OriginLifetime {
    let seconds: number | undefined;
    for (const raw of (cacheControl ?? "").split(",")) {
        const directive = raw.trim().toLowerCase();
        if (directive === "no-store" || directive === "no-cache" || directive === "private") return { kind: "uncacheable" };
        const match = /^(max-age|s-maxage)\s*=\s*"?(\d+)"?$/.exec(directive);
        if (match) {
            const value = Number(match[2]);
            seconds = seconds === undefined ? value : Math.min(seconds, value);
        }
    }
    if (seconds !== undefined) return { kind: "seconds", seconds };
    if (expires !== undefined) {
        const at = Date.parse(expires);
        // An unparseable Expires means "already expired" (RFC 9111 §5.3).
        return { kind: "seconds", seconds: Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - nowMs) / 1000)) };
    }
    return { kind: "unspecified" };
}

/**
 * Lifetime of an image CloudFront fetched from S3 (origin mode):
 * min(origin's own lifetime, or the default TTL when it says nothing; the
 * max TTL; the hash's remaining life). Zero or less means `no-store`.
 */
export function deliveredLifetime(
    origin: OriginLifetime,
    expiresAt: number,
    nowMs: number,
    settings: Pick<EdgeSettings, "defaultTtlSeconds" | "maxTtlSeconds">,
): number {
    if (origin.kind === "uncacheable") return 0;
    const own = origin.kind === "seconds" ? origin.seconds : settings.defaultTtlSeconds;
    return Math.min(own, settings.maxTtlSeconds, remainingSeconds(expiresAt, nowMs));
}

/** Default margin between a kept 302 going stale and its presigned URL dying, seconds. */
export const DEFAULT_REDIRECT_SAFETY_MARGIN_SECONDS = 30;

/**
 * Validity of a presigned URL, in whole seconds from `nowMs`: it dies
 * `signedUrlTtlSeconds` after the table read that vouched for the mapping
 * (`vouchedAtMs`; for a memo hit that read was up to the memo window ago), and
 * never (by more than the rounding second) past the hash's expiry. So a URL
 * handed out after a revocation, from a warm container's memory, dies no
 * later than one handed out just before it. At least 1 second.
 */
export function presignedUrlSeconds(
    expiresAt: number,
    vouchedAtMs: number,
    nowMs: number,
    settings: Pick<EdgeSettings, "signedUrlTtlSeconds">,
): number {
    // Counted in the URL's own whole seconds (X-Amz-Date is the signing second): a URL signed in
    // second S for N seconds works until S + N, which must not pass the vouching second + TTL.
    const untilVouchEnds = Math.floor(vouchedAtMs / 1000) + settings.signedUrlTtlSeconds - Math.floor(nowMs / 1000);
    return Math.max(1, Math.min(settings.signedUrlTtlSeconds, untilVouchEnds, remainingSeconds(expiresAt, nowMs)));
}

/**
 * How long a 302 may be kept (redirect mode, `required` level; by browsers
 * only, see on-request.ts): it must be gone a safety margin before its
 * presigned URL dies (which itself dies no later than the hash), and within
 * the max TTL. Zero or less means `no-store`.
 */
export function redirectLifetime(
    urlSeconds: number,
    settings: Pick<EdgeSettings, "maxTtlSeconds" | "redirectSafetyMarginSeconds">,
): number {
    const margin = settings.redirectSafetyMarginSeconds ?? DEFAULT_REDIRECT_SAFETY_MARGIN_SECONDS;
    return Math.min(urlSeconds - margin, settings.maxTtlSeconds);
}

/** `Cache-Control` for a response only a browser may keep, for a lifetime in whole seconds. */
export function privateCacheControlFor(seconds: number): string {
    return seconds > 0 ? `private, max-age=${Math.floor(seconds)}` : "private, no-store";
}
