/**
 * How long after a revocation a hash can still lead to its object, per level
 * and mode. The edge sizes its memo and its presigned URLs by these rules;
 * the issuer (`revoke`, the CLI) and the playground report the same figures,
 * so what is promised is computed once, from the same settings the edge runs
 * with.
 *
 * A revocation deletes the mapping (and the issuer invalidates the CDN path).
 * After that moment R:
 * - the home table never vouches for the hash again. `secured` (reading
 *   home, its default) reads it with a consistent read, so from the very
 *   next read; `required` reads eventually consistent first, so up to
 *   DynamoDB's propagation delay within the region (typically well under a
 *   second, "Read consistency", DynamoDB developer guide);
 * - a replica of a global table (`replicaRegions`, read at `required`, and
 *   at `secured` only with `securedReads: "nearest"`) may still hold the
 *   mapping until the delete has replicated to it: the global table's
 *   replication latency ("Monitoring global tables", DynamoDB developer
 *   guide, metric `ReplicationLatency`), see {@link readsReplicas};
 * - a warm edge container may still answer from its memo until the entry's
 *   trust window ends: at most {@link memoTrustSeconds} after the read that
 *   filled it, so before R + memoTrustSeconds;
 * - in redirect mode every presigned URL dies at most `signedUrlTtlSeconds`
 *   after the table read that vouched for it (a URL built from the memo gets
 *   only what is left of that span), so every URL is dead by
 *   R + signedUrlTtlSeconds.
 */
import { IMAGE_PATH_PREFIX } from "./contract";
import type { DeliveryMode, GuardedLevel } from "./enums";
import type { EdgeSettings } from "./edge-settings";

/** What the bounds depend on: the level, the mode and two edge settings. */
export interface RevocationSettings {
    level: GuardedLevel;
    mode: DeliveryMode;
    /** The configured memo lifetime (`edge.memoTtlSeconds`). */
    memoTtlSeconds: number;
    /** Life of a presigned URL (redirect mode). */
    signedUrlTtlSeconds: number;
}

/**
 * How long a looked-up mapping may be reused from a warm container's memo,
 * seconds: `memoTtlSeconds`, and in redirect mode never more than half of
 * `signedUrlTtlSeconds`, so a URL built from the memo still has at least
 * half its life left for the viewer to follow it.
 */
export function memoTrustSeconds(settings: Pick<RevocationSettings, "mode" | "memoTtlSeconds" | "signedUrlTtlSeconds">): number {
    if (settings.mode !== "redirect") return settings.memoTtlSeconds;
    return Math.min(settings.memoTtlSeconds, Math.floor(settings.signedUrlTtlSeconds / 2));
}

/** Upper bounds, in seconds after the revocation, for one level and mode. */
export interface RevocationBounds {
    /**
     * The hash URL itself: after this many seconds every request for it is
     * answered 404. 0 means from the very next request.
     */
    hashUrlSeconds: number;
    /**
     * The object through this hash by any route: the hash URL, a redirect a
     * browser kept, or a presigned URL handed out before the revocation
     * (redirect mode). After this many seconds nobody can fetch it.
     */
    objectSeconds: number;
}

/**
 * The bounds for a level and mode. They hold from the moment the mapping is
 * deleted; for `required` they also assume the CloudFront invalidation the
 * issuer sends has completed (until then CloudFront may serve copies it
 * already cached: in origin mode the image, for at most what was left of the
 * memo window when it was cached).
 */
export function revocationBounds(settings: RevocationSettings): RevocationBounds {
    const memo = memoTrustSeconds(settings);
    if (settings.mode === "origin") return { hashUrlSeconds: memo, objectSeconds: memo };
    // Redirect: the 302s are never kept by CloudFront; a browser keeps one for
    // less than its URL's life, and that URL dies within signedUrlTtlSeconds of
    // the read that vouched for it.
    return { hashUrlSeconds: memo, objectSeconds: Math.max(memo, settings.signedUrlTtlSeconds) };
}

/**
 * True when the function may answer from a replica, so every bound above
 * holds from the moment the delete reaches that replica: add the global
 * table's replication latency (its `ReplicationLatency` metric) to them.
 */
export function readsReplicas(settings: Pick<EdgeSettings, "level" | "replicaRegions" | "securedReads">): boolean {
    if ((settings.replicaRegions ?? []).length === 0) return false;
    return settings.level === "required" || settings.securedReads === "nearest";
}

/**
 * Every CloudFront path under which anything of one hash may be cached: the
 * original at `/images/<hash>` and each variant at `/images/<hash>/<preset>`
 * and `/images/<hash>/<preset>.<token>`, as one wildcard path,
 * `/images/<hash>*` (a hash is exactly 32 characters, so no other hash
 * starts with it). The one list revocation and erasure invalidate.
 */
export function hashCachePaths(hash: string): string[] {
    return [`${IMAGE_PATH_PREFIX}${hash}*`];
}

/**
 * Upper bounds, in seconds after an erasure returned (the issuer's
 * `deleteObject`: every version of the original and of each derived copy
 * deleted, the hashes' paths invalidated, then their mappings deleted).
 */
export interface ErasureBounds {
    /**
     * Bytes of the object by any route that reaches S3: the hash URL, a
     * variant, a presigned URL handed out before. Always 0: S3 answers a read
     * after a delete with the delete's result (Amazon S3 User Guide, "Amazon
     * S3 data consistency model": strong read-after-write consistency for
     * PUT and DELETE), and no version is left to presign or fetch.
     */
    bytesSeconds: number;
    /**
     * True when copies CloudFront already cached may still be served until
     * the invalidation completes: `required`, whose function runs on cache
     * misses only (the original in origin mode, the variants in both modes).
     * `secured` checks every request against the table, whose mappings are
     * deleted before the erasure returns.
     */
    cachedUntilInvalidated: boolean;
    /**
     * The hash URL may still answer (a warm function's memo) for this long,
     * but only with what leads to nothing: a fetch from a bucket with no
     * version left, or a redirect to one.
     */
    hashUrlSeconds: number;
}

/** The bounds of an erasure for a level and mode (see {@link ErasureBounds}). */
export function erasureBounds(settings: RevocationSettings): ErasureBounds {
    return { bytesSeconds: 0, cachedUntilInvalidated: settings.level === "required", hashUrlSeconds: revocationBounds(settings).hashUrlSeconds };
}
