/**
 * Revocation: the mapping goes (the edge answers 404 on its next table read)
 * and the CloudFront paths are invalidated so copies already cached stop being
 * served too. At `required` + `origin`, where CloudFront serves copies
 * without asking the edge, the instance's invalidator does that from the
 * table's stream, whoever deleted the mapping: at once, and again once every
 * copy a read that raced the delete can still cache is in the cache
 * (core/revocation.ts); `revoke` then sends no invalidation of its own.
 * Elsewhere `revoke` invalidates the paths itself. Each result says when the
 * hash actually stops working at the service's level and mode
 * ({@link RevocationTiming}): a warm edge function may answer from its memo
 * for a while, and in redirect mode a presigned URL handed out before lives
 * on for its own short life.
 */
import { CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { randomUUID } from "crypto";
import { DEFAULT_MEMO_TTL_SECONDS, DEFAULT_SIGNED_URL_TTL_SECONDS } from "../core/bounds";
import { DEFAULT_DELIVERY_MODE } from "../core/enums";
import { DEFAULT_REINVALIDATE_AFTER_SECONDS, hashCachePaths, hasInvalidator, maxPathsPerInvalidation, memoTrustSeconds, revocationBounds } from "../core/revocation";
import type { RevocationSettings } from "../core/revocation";
import { toIssuerError } from "./aws-errors";
import type { IssuerConfig } from "./config";
import { IssuerContext, requireHash, requireObjectUrl, requireTable } from "./context";

/** One CloudFront invalidation that was created. */
export interface InvalidationResult {
    id: string;
    paths: string[];
}

/**
 * When a revoked hash stops working, in seconds after the revocation
 * returned, at the service's level and mode (core/revocation.ts). These are
 * upper bounds; at `required` + `origin` they also wait for CloudFront to
 * complete the invalidations (AWS reports each `InProgress` until then).
 */
export interface RevocationTiming {
    level: "required" | "secured";
    mode: "origin" | "redirect";
    /** After this long every request for the hash URL gets 404; 0 means from the next request. */
    hashUrlWithinSeconds: number;
    /**
     * After this long nobody can fetch the object through this hash by any
     * route (in redirect mode: a presigned URL handed out before included).
     */
    objectWithinSeconds: number;
    /**
     * `required` + `origin`: the invalidator invalidates the hash's paths
     * when it sees the removal and again this many seconds later; a copy
     * CloudFront cached from a read that raced the revocation goes then.
     */
    reinvalidatedAfterSeconds?: number;
    /**
     * Present (true) when the edge may answer from a replica of the table:
     * every figure above then counts from when the delete reaches that
     * replica (the global table's replication lag, DynamoDB's
     * `ReplicationLatency`; typically under a second).
     */
    plusReplicationLag?: true;
    /** `settings` when the config records mode and edge settings; `defaults` when the component's defaults were assumed. */
    basis: "settings" | "defaults";
    /** The same in words. */
    summary: string;
}

/** Who invalidates a revoked hash's CloudFront paths: the instance's invalidator (from the table's stream), or the issuer's own call. */
export type InvalidatedBy = "stream" | "issuer";

export interface Revocation {
    hash: string;
    /** False when no mapping existed (the issuer, when it invalidates itself, invalidated the paths anyway). */
    found: boolean;
    /** The object the hash named, when it existed. */
    s3Url?: string;
    /** True when the object's pointer named this hash and was removed. */
    pointerCleared: boolean;
    /** Who invalidates the hash's paths. */
    invalidatedBy: InvalidatedBy;
    /** The invalidation this call created (`invalidatedBy: "issuer"` only). */
    invalidation?: InvalidationResult;
    /** When the hash stops working. */
    stops: RevocationTiming;
}

export interface ObjectRevocation {
    s3Url: string;
    /** Every hash whose mapping was deleted. */
    hashes: string[];
    /** Who invalidates the hashes' paths. */
    invalidatedBy: InvalidatedBy;
    /** Invalidations this call created (none when the object had no hashes, or with `invalidatedBy: "stream"`). */
    invalidations: InvalidationResult[];
    /** When those hashes stop working. */
    stops: RevocationTiming;
}

type TimingConfig = Pick<IssuerConfig, "level" | "mode" | "memoTtlSeconds" | "signedUrlTtlSeconds" | "replicaReads" | "reinvalidateAfterSeconds">;

/**
 * When a hash of this service stops working after a revocation. The figures
 * come from the config's `mode`, `memoTtlSeconds`, `signedUrlTtlSeconds`
 * and `reinvalidateAfterSeconds` (the component records them); missing ones
 * are the component's defaults, and `basis` says so.
 */
export function revocationTiming(config: TimingConfig): RevocationTiming {
    const { settings, basis } = timingSettings(config);
    const { level, mode, reinvalidateAfterSeconds } = settings;
    const invalidator = hasInvalidator(settings);
    const bounds = revocationBounds(settings);
    const memo = memoTrustSeconds(settings);
    const hashUrl =
        bounds.hashUrlSeconds === 0
            ? level === "secured"
                ? "the hash URL stops at once (the edge checks every request)"
                : "the hash URL stops on the next request that reaches the edge"
            : invalidator
              ? `the hash URL may still be answered for up to ${bounds.hashUrlSeconds} s: by a warm edge function's memo for up to ${memo} s (edge.memoTtlSeconds), and by a copy CloudFront cached from a read that raced the revocation until the invalidator invalidates the paths again, ${reinvalidateAfterSeconds} s after it sees the delete (at once it invalidates those cached before); add the time CloudFront takes to complete an invalidation`
              : `the hash URL may still be answered for up to ${bounds.hashUrlSeconds} s (a warm edge function's memo, edge.memoTtlSeconds)`;
    const urls =
        mode === "redirect" ? `; a presigned S3 URL handed out before keeps working for up to ${bounds.objectSeconds} s (signedUrlTtlSeconds)` : "";
    const assumed = basis === "defaults" ? " (assuming the component's defaults: the config does not record the service's mode and edge settings)" : "";
    const replicas = config.replicaReads === true ? "; add the replication lag to the replicas the edge reads (ReplicationLatency, typically under a second)" : "";
    return {
        level,
        mode,
        hashUrlWithinSeconds: bounds.hashUrlSeconds,
        objectWithinSeconds: bounds.objectSeconds,
        ...(invalidator ? { reinvalidatedAfterSeconds: reinvalidateAfterSeconds } : {}),
        ...(config.replicaReads === true ? { plusReplicationLag: true as const } : {}),
        basis,
        summary: `${level} + ${mode}: ${hashUrl}${urls}${replicas}${assumed}`,
    };
}

/** Who invalidates for this config: the stream when the component records the invalidator's delay. */
export function invalidatedBy(config: Pick<IssuerConfig, "reinvalidateAfterSeconds">): InvalidatedBy {
    return config.reinvalidateAfterSeconds === undefined ? "issuer" : "stream";
}

/**
 * The settings the edge and the invalidator run with, as far as the config
 * records them (`basis: "settings"`), else the component's defaults
 * (`"defaults"`).
 */
export function timingSettings(config: Omit<TimingConfig, "replicaReads">): { settings: RevocationSettings; basis: "settings" | "defaults" } {
    const level = config.level === "secured" ? "secured" : "required";
    const mode = config.mode ?? DEFAULT_DELIVERY_MODE;
    const memoTtlSeconds = config.memoTtlSeconds ?? DEFAULT_MEMO_TTL_SECONDS[level];
    const signedUrlTtlSeconds = config.signedUrlTtlSeconds ?? DEFAULT_SIGNED_URL_TTL_SECONDS;
    const reinvalidateAfterSeconds = config.reinvalidateAfterSeconds ?? DEFAULT_REINVALIDATE_AFTER_SECONDS;
    const basis =
        config.mode === undefined ||
        config.memoTtlSeconds === undefined ||
        (mode === "redirect" && config.signedUrlTtlSeconds === undefined) ||
        (hasInvalidator({ level, mode }) && config.reinvalidateAfterSeconds === undefined)
            ? "defaults"
            : "settings";
    return { settings: { level, mode, memoTtlSeconds, signedUrlTtlSeconds, reinvalidateAfterSeconds }, basis };
}

/** DeleteItem calls in flight at once while revoking an object's hashes. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes the mapping of `hash` and clears the object's pointer if it names
 * it (conditionally: a newer hash is left alone). When the issuer
 * invalidates itself (no invalidator follows the table), it invalidates the
 * hash's paths (`hashCachePaths`: `/images/<hash>*`, the original and every
 * variant), even with no mapping, so a revoke whose invalidation failed can
 * be repeated; with the invalidator, the removal in the table's stream is
 * what invalidates them.
 */
export async function revoke(ctx: IssuerContext, hash: string): Promise<Revocation> {
    requireHash(hash);
    const table = requireTable(ctx);
    const old = await table.deleteMapping(hash);
    const pointerCleared = old ? await table.clearPointerIf(old.s3_url, hash) : false;
    const by = invalidatedBy(ctx.config);
    const [invalidation] = by === "issuer" ? await invalidate(ctx, hashCachePaths(hash), old !== undefined) : [];
    return {
        hash,
        found: old !== undefined,
        ...(old ? { s3Url: old.s3_url } : {}),
        pointerCleared,
        invalidatedBy: by,
        ...(invalidation ? { invalidation } : {}),
        stops: revocationTiming(ctx.config),
    };
}

/**
 * Revokes every hash of an object: the `s3_url` index (Query, never Scan) plus
 * the pointer's current hash (read consistently, since the index lags), then
 * removes the pointer and invalidates all the paths. A call to
 * generateSecureUrl running at the same moment may issue a new hash after
 * this returns; delete the S3 object too when it must never be served again.
 * Its paths are invalidated as `revoke`'s are: by the invalidator, or here.
 */
export async function revokeObject(ctx: IssuerContext, s3Url: string): Promise<ObjectRevocation> {
    requireObjectUrl(ctx, s3Url);
    const table = requireTable(ctx);
    const [indexed, pointer] = await Promise.all([table.hashesOfObject(s3Url), table.getPointer(s3Url)]);
    const candidates = [...new Set(pointer ? [...indexed, pointer.current] : indexed)];
    const deleted: string[] = [];
    for (let i = 0; i < candidates.length; i += DELETE_CONCURRENCY) {
        const batch = candidates.slice(i, i + DELETE_CONCURRENCY);
        const results = await Promise.all(batch.map((hash) => table.deleteMapping(hash)));
        batch.forEach((hash, j) => {
            // Only mappings of this object count (a pointer never names another object's hash, but check).
            if (results[j] !== undefined) deleted.push(hash);
        });
    }
    await table.deletePointer(s3Url);
    const by = invalidatedBy(ctx.config);
    const invalidations = by === "issuer" && candidates.length > 0 ? await invalidate(ctx, candidates.flatMap((hash) => hashCachePaths(hash)), deleted.length > 0) : [];
    return { s3Url, hashes: deleted, invalidatedBy: by, invalidations, stops: revocationTiming(ctx.config) };
}

/**
 * CreateInvalidation for `paths`, in batches of at most
 * `maxPathsPerInvalidation` (3,000 paths, or 15 when a path ends in `*`:
 * CloudFront counts those apart, and allows fewer in progress). `mappingsDeleted` and `rerun` word the error: whether the edge
 * already refuses the hashes on a cache miss, and what to run again.
 */
export async function invalidate(ctx: IssuerContext, paths: string[], mappingsDeleted: boolean, rerun = "the revocation"): Promise<InvalidationResult[]> {
    const results: InvalidationResult[] = [];
    const size = maxPathsPerInvalidation(paths);
    for (let i = 0; i < paths.length; i += size) {
        const batch = paths.slice(i, i + size);
        try {
            const output = await ctx.cloudfront.send(
                new CreateInvalidationCommand({
                    DistributionId: ctx.config.distributionId,
                    InvalidationBatch: { CallerReference: `secure-image-cdn-${randomUUID()}`, Paths: { Quantity: batch.length, Items: batch } },
                }),
            );
            results.push({ id: output.Invalidation?.Id ?? "", paths: batch });
        } catch (error) {
            const done = mappingsDeleted ? "the mapping is deleted, so the edge refuses the hash on a cache miss, but " : "";
            throw toIssuerError(
                error,
                `CloudFront invalidation on distribution ${ctx.config.distributionId} (${done}cached copies may be served until they expire; run ${rerun} again)`,
                `distribution '${ctx.config.distributionId}'`,
            );
        }
    }
    return results;
}
