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
import type { DeliveryMode, GuardedLevel } from "./enums";
import type { EdgeSettings } from "./edge-settings";
import { imagePath } from "./contract";

/**
 * The CloudFront paths to invalidate when a hash is revoked: the original at
 * `/images/<hash>` and every variant under `/images/<hash>/`, as one
 * wildcard path (CloudFront Developer Guide, "Specifying the files to
 * invalidate": a `*` at the end of a path matches every file that begins
 * with it). It is one path whatever the catalogue, so the issuer does not
 * need to know the presets to drop them.
 */
export function hashCachePaths(hash: string): string[] {
    return [`${imagePath(hash)}*`];
}

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
