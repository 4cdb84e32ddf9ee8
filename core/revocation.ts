/**
 * How long after a revocation a hash can still lead to its object, per level
 * and mode. The edge sizes its memo and its presigned URLs by these rules;
 * the issuer (`revoke`, the CLI) and the playground report the same figures,
 * and the invalidator schedules its second invalidation by them, so what is
 * promised is computed once, from the same settings the edge runs with.
 *
 * A revocation deletes the mapping. After that moment R:
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
 *   R + signedUrlTtlSeconds;
 * - at `required` + `origin`, CloudFront keeps what a fresh table read led
 *   to until the hash's `expires_at`, and serves it without asking the edge
 *   again. The copies cached before R go with an invalidation; a read that
 *   vouched for the mapping before R (or before the delete reached the copy
 *   of the table it read) may still put a copy in the cache after that
 *   invalidation. So the instance's invalidator, driven by the table's
 *   stream in each region, invalidates the hash's paths when it sees the
 *   removal and again {@link reinvalidationDelay} later: by then every such
 *   copy is in the cache, and the second invalidation takes it out.
 */
import { DEFAULT_EDGE_TIMEOUT_SECONDS, S3_ORIGIN_TIMEOUTS } from "./bounds";
import { imagePath, isHash } from "./contract";
import type { DeliveryMode, GuardedLevel } from "./enums";
import type { EdgeSettings } from "./edge-settings";
import { MAX_INVALIDATION_PATHS, MAX_SQS_DELAY_SECONDS, MAX_WILDCARD_INVALIDATION_PATHS } from "./limits";

/** What the bounds depend on: the level, the mode, two edge settings and the invalidator's delay. */
export interface RevocationSettings {
    level: GuardedLevel;
    mode: DeliveryMode;
    /** The configured memo lifetime (`edge.memoTtlSeconds`). */
    memoTtlSeconds: number;
    /** Life of a presigned URL (redirect mode). */
    signedUrlTtlSeconds: number;
    /**
     * `required` + `origin`: how long after it sees the removal the
     * invalidator invalidates the hash's paths a second time
     * ({@link reinvalidationDelay}). Ignored at the other levels and modes,
     * where CloudFront serves nothing of a hash without asking the edge.
     */
    reinvalidateAfterSeconds: number;
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
 * deleted (with replicas: from when the delete reaches the replica read);
 * at `required` + `origin` they also assume the invalidator's invalidations
 * complete when they are made (CloudFront reports each `InProgress` until
 * its edge locations are done, and publishes no bound on that).
 *
 * `required` + `origin`: the memo's window, or the invalidator's second
 * invalidation, whichever is later. A copy cached from a memo hit lasts no
 * longer than the memo would have trusted the read behind it; a copy cached
 * from a fresh read that raced the delete lasts until that second
 * invalidation.
 */
export function revocationBounds(settings: RevocationSettings): RevocationBounds {
    const memo = memoTrustSeconds(settings);
    if (settings.mode === "origin") {
        const seconds = hasInvalidator(settings) ? Math.max(memo, settings.reinvalidateAfterSeconds) : memo;
        return { hashUrlSeconds: seconds, objectSeconds: seconds };
    }
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
 * True for the level and mode at which CloudFront serves a cached copy of a
 * hash's image without asking the edge (`required` + `origin`): only there
 * can a copy outlive the mapping, so only there does the instance run the
 * invalidator on its table's stream. At `secured` the edge checks every
 * request before the cache; in redirect mode CloudFront keeps no 302.
 */
export function hasInvalidator(settings: { level: GuardedLevel | "public"; mode?: DeliveryMode }): boolean {
    return settings.level === "required" && settings.mode === "origin";
}

/** What the paths of a hash depend on. */
export interface HashPathSettings {
    /**
     * True when the instance may serve image variants of a hash
     * (`/images/<hash>/<preset>…`, docs/variants.md), or when the caller
     * cannot tell (the issuer's config does not say).
     */
    variants: boolean;
}

/**
 * The CloudFront paths under which what a hash leads to may be cached: the
 * one list every invalidation of a hash uses (the issuer's revoke, the
 * invalidator's, an erasure's).
 *
 * With variants, the one wildcard path `/images/<hash>*`: it covers the
 * original and every variant, of every preset and format ever served (a
 * preset taken out of the catalogue keeps its copies cached), and a hash is
 * exactly 32 characters, so no other hash starts with it. It is paid for as
 * one path ("Pay for file invalidation", CloudFront Developer Guide) where
 * the default catalogue's exact paths are 19.
 *
 * Without variants, the exact path `/images/<hash>`: the same one paid path,
 * but CloudFront allows 3,000 individual paths in progress per distribution
 * and only 15 wildcard ones ("Concurrent invalidation request maximum"), and
 * each revocation takes two invalidations per copy of the table, so the
 * exact path holds 200 times as many revocations in flight.
 */
export function hashCachePaths(hash: string, settings: HashPathSettings = { variants: true }): string[] {
    if (!isHash(hash)) throw new Error(`not a hash: ${JSON.stringify(hash)}`);
    return settings.variants ? [`${imagePath(hash)}*`] : [imagePath(hash)];
}

/**
 * How many of these paths one invalidation may hold: 15 when any is a
 * wildcard ({@link MAX_WILDCARD_INVALIDATION_PATHS}), 3,000 otherwise
 * ({@link MAX_INVALIDATION_PATHS}); CloudFront refuses a larger one
 * outright, whatever else is in progress.
 */
export function maxPathsPerInvalidation(paths: readonly string[]): number {
    return paths.some((path) => path.endsWith("*")) ? MAX_WILDCARD_INVALIDATION_PATHS : MAX_INVALIDATION_PATHS;
}

/**
 * Spare seconds in the invalidator's delay beyond the timeouts it adds up:
 * an eventually consistent read at home may still see an item a moment
 * after its delete (DynamoDB's propagation within a region, "typically
 * within a second": "Read consistency", DynamoDB Developer Guide), and the
 * delay is counted in whole seconds.
 */
export const REINVALIDATION_MARGIN_SECONDS = 5;

/** What the invalidator's delay depends on: the edge function's timeout (`edge.timeoutSeconds`). */
export interface ReinvalidationSettings {
    edgeTimeoutSeconds: number;
}

/**
 * The longest a table read that vouched for a mapping can take to become a
 * copy in CloudFront's cache, term by term, and their sum: how long after it
 * sees a removal the invalidator invalidates the hash's paths again.
 */
export interface ReinvalidationDelay {
    /**
     * The origin-request function: its lookup (within `edge.lookupTimeoutMs`)
     * and the rest of its run, which Lambda ends at `edge.timeoutSeconds`.
     */
    originRequestSeconds: number;
    /** Connecting to the bucket: `connectionAttempts` × `connectionTimeoutSeconds` of the S3 origin (S3_ORIGIN_TIMEOUTS, bounds.ts). */
    originConnectSeconds: number;
    /** The bucket's whole response: the S3 origin's `responseCompletionTimeoutSeconds`, past which CloudFront ends the request. */
    originResponseSeconds: number;
    /** The origin-response function that sets the copy's lifetime: the same function, the same timeout. */
    originResponseFunctionSeconds: number;
    /** {@link REINVALIDATION_MARGIN_SECONDS}. */
    marginSeconds: number;
    /** The sum: the delay of the second invalidation, seconds. */
    totalSeconds: number;
}

/**
 * The invalidator's delay for an instance (`required` + `origin`): a read
 * made before the delete reached its copy of the table started before the
 * invalidator saw the removal there, and its copy is in the cache within
 * these terms of that start. The total is at most SQS's longest message
 * delay (MAX_SQS_DELAY_SECONDS), which the edge's timeout limit (30 s for
 * origin triggers) keeps it well within.
 */
export function reinvalidationDelay(settings: ReinvalidationSettings): ReinvalidationDelay {
    const terms = {
        originRequestSeconds: settings.edgeTimeoutSeconds,
        originConnectSeconds: S3_ORIGIN_TIMEOUTS.connectionAttempts * S3_ORIGIN_TIMEOUTS.connectionTimeoutSeconds,
        originResponseSeconds: S3_ORIGIN_TIMEOUTS.responseCompletionTimeoutSeconds,
        originResponseFunctionSeconds: settings.edgeTimeoutSeconds,
        marginSeconds: REINVALIDATION_MARGIN_SECONDS,
    };
    const totalSeconds = Object.values(terms).reduce((sum, seconds) => sum + seconds, 0);
    if (totalSeconds > MAX_SQS_DELAY_SECONDS) throw new Error(`the invalidator's delay (${totalSeconds} s) is over SQS's longest message delay (${MAX_SQS_DELAY_SECONDS} s)`);
    return { ...terms, totalSeconds };
}

/**
 * The invalidator's delay with the component's defaults (`edge.timeoutSeconds`
 * 5 s): what the issuer assumes for a service whose config does not record it.
 */
export const DEFAULT_REINVALIDATE_AFTER_SECONDS = reinvalidationDelay({ edgeTimeoutSeconds: DEFAULT_EDGE_TIMEOUT_SECONDS }).totalSeconds;

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
    /**
     * `required` + `origin`: a read of the bucket that started before the
     * versions were deleted may put its copy in the cache after the
     * erasure's invalidation, as in a revocation; the invalidator, seeing the
     * mappings' removal, invalidates the paths again this many seconds later
     * (`reinvalidateAfterSeconds`), and bytes cached that way are served
     * until then. 0 at the other levels and modes.
     */
    racedCopySeconds: number;
}

/** The bounds of an erasure for a level and mode (see {@link ErasureBounds}). */
export function erasureBounds(settings: RevocationSettings): ErasureBounds {
    return {
        bytesSeconds: 0,
        cachedUntilInvalidated: settings.level === "required",
        hashUrlSeconds: memoTrustSeconds(settings),
        racedCopySeconds: hasInvalidator(settings) ? settings.reinvalidateAfterSeconds : 0,
    };
}
