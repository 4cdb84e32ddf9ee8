/**
 * Per-instance settings of the edge function. Lambda@Edge takes no
 * environment variables, so these are captured into the serialized closure
 * when the component builds the function's code. They must never hold a
 * secret: credentials come from the function's role at run time.
 */
import type { DeliveryMode, GuardedLevel, SecuredReads, VariantFormat } from "./enums";

export interface EdgeSettings {
    /** Service name, for log lines. */
    service: string;
    /** `required`: origin-request check on cache misses; `secured`: viewer-request check on every request. */
    level: GuardedLevel;
    /** `origin`: rewrite to the object's key and fetch through OAC; `redirect`: 302 to a presigned GET. */
    mode: DeliveryMode;
    /** DynamoDB table holding the mappings. */
    tableName: string;
    /** Region of the table: the function runs in many regions and must target this one. */
    tableRegion: string;
    /** The instance's bucket; a mapping pointing anywhere else is treated as not found. */
    bucket: string;
    /** Region of the bucket (for presigned URLs). */
    bucketRegion: string;
    /** Validity of a presigned URL in redirect mode, seconds. */
    signedUrlTtlSeconds: number;
    /** Cache lifetime for a delivered image when the origin says nothing, seconds (cache policy default TTL). */
    defaultTtlSeconds: number;
    /** Upper bound of any cache lifetime, seconds (cache policy max TTL). */
    maxTtlSeconds: number;
    /** Cache lifetime of a 404 answer, seconds. */
    notFoundTtlSeconds: number;
    /** Total time budget for one lookup, retries included, milliseconds. */
    lookupTimeoutMs: number;
    /** Most entries kept by the in-memory lookup cache of a warm container. */
    memoMaxEntries: number;
    /** Longest time an entry stays in that cache, seconds (never past the hash's expiry). */
    memoTtlSeconds: number;
    /**
     * Time budget of one DynamoDB attempt, milliseconds; a second attempt (one
     * retry) gets what is left of `lookupTimeoutMs`.
     * @default half of `lookupTimeoutMs`
     */
    lookupAttemptTimeoutMs?: number;
    /**
     * How long a confirmed miss stays in the in-memory lookup cache, seconds.
     * @default the smaller of `memoTtlSeconds` and `notFoundTtlSeconds`
     */
    memoNegativeTtlSeconds?: number;
    /**
     * Redirect mode: how long before its presigned URL dies a cached 302 must
     * already be gone, seconds (time for a browser to follow it).
     * @default 30
     */
    redirectSafetyMarginSeconds?: number;
    /**
     * Regions holding a replica of the table (a DynamoDB global table), home
     * excluded. Lookups read the nearest copy first (core/read-plan.ts).
     * @default none
     */
    replicaRegions?: string[];
    /**
     * `secured` only: `home` reads the home table with a consistent read, so a
     * revoked hash stops working on the next request; `nearest` reads like
     * `required` (nearest copy first), so a revoked hash may still be served
     * from a replica until the delete has replicated.
     * @default "home"
     */
    securedReads?: SecuredReads;
    /**
     * The image variants' catalogue, as the gate needs it: the formats of
     * each preset by name (sizes and qualities are the resizer's). A
     * request for `/images/<hash>/<preset>[.<token>]` with a preset or token
     * not in it is the generic 404, decided from the path alone. Origin mode
     * only.
     * @default none (no variants: only `/images/<hash>` is served)
     */
    variants?: Record<string, VariantFormat[]>;
    /** Endpoint overrides, for the local stack and tests only; unset in AWS. */
    endpoints?: {
        /** The home table's DynamoDB. */
        dynamodb?: string;
        /** Each replica region's DynamoDB, by region. */
        dynamodbReplicas?: Record<string, string>;
        s3?: string;
    };
}

/** CloudFront events a guarded instance's function is associated with. */
export const EDGE_EVENT_TYPES = ["viewer-request", "origin-request", "origin-response"] as const;
export type EdgeEventType = (typeof EDGE_EVENT_TYPES)[number];

/**
 * Which CloudFront events run the edge function, by level and mode. One
 * function (one numbered version) serves all of an instance's events and
 * dispatches on `cf.config.eventType`.
 *
 * - `required` + `origin`: origin-request looks the hash up and rewrites the
 *   URI to the object's key; origin-response bounds the cache lifetime of what
 *   S3 returns by the hash's remaining life (passed along in
 *   {@link EXPIRES_AT_HEADER}).
 * - `required` + `redirect`: origin-request answers 302 to a presigned URL.
 * - `secured`: viewer-request checks every request (cached or not), then
 *   rewrites (origin) or redirects (redirect).
 * - `secured` + `origin` also runs origin-response, on cache misses only, so
 *   that S3's own errors (an object deleted behind a live hash) reach the
 *   viewer as the same 404 as an unknown hash. The same function version
 *   serves both events: its viewer-request limits (5 s, 128 MB, 1 MB package)
 *   are within the origin-response ones, and each event type has one
 *   function per cache behavior ("Restrictions on Lambda@Edge", CloudFront
 *   developer guide).
 */
export function edgeEventTypes(level: GuardedLevel, mode: DeliveryMode): EdgeEventType[] {
    if (level === "secured") return mode === "origin" ? ["viewer-request", "origin-response"] : ["viewer-request"];
    return mode === "origin" ? ["origin-request", "origin-response"] : ["origin-request"];
}

/**
 * Request header the origin-request step adds to the origin request with the
 * hash's `expires_at` (epoch seconds); the origin-response step reads it back
 * from the event's request to bound the cache lifetime. The display name
 * goes in the header's `key`; CloudFront's header maps are keyed by the
 * lowercase name.
 */
export const EXPIRES_AT_HEADER_NAME = "X-Image-Expires-At";
export const EXPIRES_AT_HEADER = EXPIRES_AT_HEADER_NAME.toLowerCase();

/**
 * How long CloudFront may cache each error status the edge answers, seconds.
 * The edge puts the same figure in the response's `Cache-Control` and the
 * component sets it as the distribution's `errorCachingMinTtl`, so both agree.
 * - 403 (expired): an expired hash never comes back to life, but keep it short.
 * - 404 (unknown or revoked): short; confirmed with a consistent read first.
 * - 5xx: never cached, so a recovered table is used at once.
 */
export function errorCachingSeconds(settings: Pick<EdgeSettings, "notFoundTtlSeconds">): Record<403 | 404 | 500 | 502 | 503 | 504, number> {
    return { 403: 60, 404: settings.notFoundTtlSeconds, 500: 0, 502: 0, 503: 0, 504: 0 };
}
