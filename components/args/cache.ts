/**
 * How long CloudFront may keep what the instance serves: the cache policy's
 * `minTtlSeconds`, `defaultTtlSeconds` and `maxTtlSeconds`, and
 * `notFoundTtlSeconds` for a 404. The edge bounds each answer by the same
 * figures (their bounds are core's, checked again there).
 */
import { cacheTtlProblem, notFoundTtlProblem } from "../../core/bounds";
import type { SecurityLevel } from "../../core/enums";
import { checked, fieldList } from "./checks";

/** The cache lifetimes. */
export interface CacheArgs {
    /**
     * Cache policy minimum TTL, seconds. Guarded levels require 0: with a
     * positive minimum CloudFront caches responses that say `no-store`,
     * which would outlive expired hashes and presigned URLs.
     * @default 0
     */
    minTtlSeconds?: number;
    /**
     * Cache policy default TTL, seconds: how long CloudFront caches an image
     * whose response says nothing about caching.
     * @default 86400 (1 day)
     */
    defaultTtlSeconds?: number;
    /**
     * Cache policy maximum TTL, seconds. The edge further bounds each image
     * by its hash's remaining life.
     * @default 2592000 (30 days)
     */
    maxTtlSeconds?: number;
    /**
     * How long a 404 (unknown hash or missing object) may be cached, seconds; 0 to 3600.
     * @default 10
     */
    notFoundTtlSeconds?: number;
}

/** The defaults of {@link CacheArgs}. */
export const CACHE_DEFAULTS = {
    minTtlSeconds: 0,
    /** 1 day. */
    defaultTtlSeconds: 86400,
    /** 30 days. */
    maxTtlSeconds: 2592000,
    notFoundTtlSeconds: 10,
} as const;

/** The fields of {@link CacheArgs}. */
export const CACHE_FIELDS = fieldList<CacheArgs>()(["minTtlSeconds", "defaultTtlSeconds", "maxTtlSeconds", "notFoundTtlSeconds"]);

/** {@link CacheArgs} resolved. */
export interface ResolvedCache {
    minTtlSeconds: number;
    defaultTtlSeconds: number;
    maxTtlSeconds: number;
    notFoundTtlSeconds: number;
}

/** The lifetimes, in order (min ≤ default ≤ max), and for a guarded level a minimum of 0. */
export function resolveCache(args: CacheArgs, level: SecurityLevel): ResolvedCache {
    const ttl = (field: "minTtlSeconds" | "defaultTtlSeconds" | "maxTtlSeconds") => {
        const value = args[field] ?? CACHE_DEFAULTS[field];
        return checked(value, field, cacheTtlProblem(value));
    };
    const minTtlSeconds = ttl("minTtlSeconds");
    const defaultTtlSeconds = ttl("defaultTtlSeconds");
    const maxTtlSeconds = ttl("maxTtlSeconds");
    if (minTtlSeconds > defaultTtlSeconds) {
        throw new Error(`minTtlSeconds (${minTtlSeconds}) must not exceed defaultTtlSeconds (${defaultTtlSeconds})`);
    }
    if (defaultTtlSeconds > maxTtlSeconds) {
        throw new Error(`defaultTtlSeconds (${defaultTtlSeconds}) must not exceed maxTtlSeconds (${maxTtlSeconds})`);
    }
    const notFoundTtlSeconds = args.notFoundTtlSeconds ?? CACHE_DEFAULTS.notFoundTtlSeconds;
    checked(notFoundTtlSeconds, "notFoundTtlSeconds", notFoundTtlProblem(notFoundTtlSeconds));
    if (level !== "public" && minTtlSeconds !== 0) {
        throw new Error(`minTtlSeconds must be 0 for level "${level}": a positive minimum makes CloudFront cache responses that say no-store (expired hashes, redirects)`);
    }
    return { minTtlSeconds, defaultTtlSeconds, maxTtlSeconds, notFoundTtlSeconds };
}
