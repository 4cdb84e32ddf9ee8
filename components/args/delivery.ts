/**
 * How strictly images are guarded and how a valid hash is delivered:
 * `level`, `mode`, `hashTtlSeconds` and `signedUrlTtlSeconds`. The bounds
 * and the defaults the issuer also assumes (the presigned URL's life, the
 * delivery mode) are core's (core/bounds.ts, core/enums.ts).
 */
import { DEFAULT_SIGNED_URL_TTL_SECONDS, hashTtlProblem, signedUrlTtlProblem } from "../../core/bounds";
import { DEFAULT_DELIVERY_MODE, DELIVERY_MODES, SECURITY_LEVELS } from "../../core/enums";
import type { DeliveryMode, SecurityLevel } from "../../core/enums";
import { checked, fieldList, oneOf } from "./checks";

/** The security level and the delivery of a valid hash. */
export interface DeliveryArgs {
    /**
     * How strictly images are guarded.
     * - `public`: objects are served by key; no table, no edge function.
     * - `required`: hash URLs, looked up at the edge on cache misses.
     * - `secured`: hash URLs, checked at the edge on every request, so an
     *   expired or revoked hash stops working even for cached bytes.
     * @default "required"
     */
    level?: SecurityLevel;
    /**
     * How a valid hash is delivered (guarded levels only).
     * - `origin`: the edge rewrites the request to the object's key and
     *   CloudFront fetches it from the private bucket (bytes cached at the edge).
     * - `redirect`: the edge answers 302 to a short-lived presigned S3 URL.
     * @default "origin"
     */
    mode?: DeliveryMode;
    /**
     * Lifetime of an issued hash, seconds (guarded levels only); 60 s to one year.
     * @default 2592000 (30 days)
     * @example 86400
     */
    hashTtlSeconds?: number;
    /**
     * Validity of the presigned S3 URL a redirect points to, seconds
     * (`redirect` mode only); after a revocation the object can still be
     * fetched for at most this long. At most 600: the edge signs with its
     * role's temporary credentials, and a presigned URL dies when they expire
     * (see `MAX_SIGNED_URL_TTL_SECONDS` in core/bounds.ts). Shorter than
     * `hashTtlSeconds`.
     * @default 300
     * @example 120
     */
    signedUrlTtlSeconds?: number;
}

/** The defaults of {@link DeliveryArgs}. */
export const DELIVERY_DEFAULTS = {
    level: "required",
    mode: DEFAULT_DELIVERY_MODE,
    /** 30 days. */
    hashTtlSeconds: 30 * 24 * 60 * 60,
    signedUrlTtlSeconds: DEFAULT_SIGNED_URL_TTL_SECONDS,
} as const;

/** The fields of {@link DeliveryArgs}. */
export const DELIVERY_FIELDS = fieldList<DeliveryArgs>()(["level", "mode", "hashTtlSeconds", "signedUrlTtlSeconds"]);

/** The fields that mean nothing to a `public` instance (it hands out no hashes). */
export const DELIVERY_GUARDED_ONLY = ["mode", "signedUrlTtlSeconds", "hashTtlSeconds"] as const satisfies readonly (keyof DeliveryArgs)[];

/** The delivery of every instance: how long an issued hash lives (for `public`, the default, read by nothing but the issuer settings). */
export interface ResolvedDelivery {
    hashTtlSeconds: number;
}

/** The delivery of a guarded instance. */
export interface ResolvedGuardedDelivery extends ResolvedDelivery {
    mode: DeliveryMode;
    signedUrlTtlSeconds: number;
}

/** The level, checked. */
export function resolveLevel(args: Pick<DeliveryArgs, "level">): SecurityLevel {
    return oneOf(args.level ?? DELIVERY_DEFAULTS.level, SECURITY_LEVELS, "level");
}

/** The delivery of a `public` instance (what it may not set is refused before, with the other groups'). */
export function resolvePublicDelivery(args: DeliveryArgs): ResolvedDelivery {
    return { hashTtlSeconds: resolveHashTtl(args) };
}

/** The delivery of a guarded instance: the mode, the hash's life and, in redirect mode, the presigned URL's, shorter than the hash's. */
export function resolveGuardedDelivery(args: DeliveryArgs): ResolvedGuardedDelivery {
    const hashTtlSeconds = resolveHashTtl(args);
    const mode = oneOf(args.mode ?? DELIVERY_DEFAULTS.mode, DELIVERY_MODES, "mode");
    if (mode === "origin" && args.signedUrlTtlSeconds !== undefined) {
        throw new Error('signedUrlTtlSeconds applies only to mode "redirect"; mode "origin" hands out no presigned URLs');
    }
    const signedUrlTtlSeconds = args.signedUrlTtlSeconds ?? DELIVERY_DEFAULTS.signedUrlTtlSeconds;
    checked(signedUrlTtlSeconds, "signedUrlTtlSeconds", signedUrlTtlProblem(signedUrlTtlSeconds));
    if (signedUrlTtlSeconds >= hashTtlSeconds) {
        throw new Error(`signedUrlTtlSeconds (${signedUrlTtlSeconds}) must be shorter than hashTtlSeconds (${hashTtlSeconds})`);
    }
    return { hashTtlSeconds, mode, signedUrlTtlSeconds };
}

function resolveHashTtl(args: Pick<DeliveryArgs, "hashTtlSeconds">): number {
    const hashTtlSeconds = args.hashTtlSeconds ?? DELIVERY_DEFAULTS.hashTtlSeconds;
    return checked(hashTtlSeconds, "hashTtlSeconds", hashTtlProblem(hashTtlSeconds));
}
