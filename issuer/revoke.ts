/**
 * Revocation: the mapping goes (the edge answers 404 on its next table read)
 * and the CloudFront paths are invalidated so copies already cached stop being
 * served too. Each result says when the hash actually stops working at the
 * service's level and mode ({@link RevocationTiming}): a warm edge function
 * may answer from its memo for a while, and in redirect mode a presigned URL
 * handed out before lives on for its own short life.
 */
import { CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { randomUUID } from "crypto";
import { MAX_INVALIDATION_PATHS, MAX_WILDCARD_INVALIDATION_PATHS } from "../core/limits";
import { DEFAULT_MEMO_TTL_SECONDS, DEFAULT_SIGNED_URL_TTL_SECONDS } from "../core/bounds";
import { DEFAULT_DELIVERY_MODE } from "../core/enums";
import { hashCachePaths, revocationBounds } from "../core/revocation";
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
 * upper bounds; for `required` they also wait for the CloudFront
 * invalidation to complete (AWS reports it `InProgress` until then).
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

export interface Revocation {
    hash: string;
    /** False when no mapping existed (the path was invalidated anyway). */
    found: boolean;
    /** The object the hash named, when it existed. */
    s3Url?: string;
    /** True when the object's pointer named this hash and was removed. */
    pointerCleared: boolean;
    invalidation: InvalidationResult;
    /** When the hash stops working. */
    stops: RevocationTiming;
}

export interface ObjectRevocation {
    s3Url: string;
    /** Every hash whose mapping was deleted. */
    hashes: string[];
    /** Invalidations created (none when the object had no hashes). */
    invalidations: InvalidationResult[];
    /** When those hashes stop working. */
    stops: RevocationTiming;
}

/**
 * When a hash of this service stops working after a revocation. The figures
 * come from the config's `mode`, `memoTtlSeconds` and `signedUrlTtlSeconds`
 * (the component records them); missing ones are the component's defaults,
 * and `basis` says so.
 */
export function revocationTiming(config: Pick<IssuerConfig, "level" | "mode" | "memoTtlSeconds" | "signedUrlTtlSeconds" | "replicaReads">): RevocationTiming {
    const { settings, basis } = timingSettings(config);
    const { level, mode } = settings;
    const bounds = revocationBounds(settings);
    const hashUrl =
        bounds.hashUrlSeconds === 0
            ? level === "secured"
                ? "the hash URL stops at once (the edge checks every request)"
                : "the hash URL stops on the next request that reaches the edge"
            : `the hash URL may still be answered for up to ${bounds.hashUrlSeconds} s (a warm edge function's memo, edge.memoTtlSeconds)`;
    // Only origin mode has anything of the hash's in CloudFront's cache (a 302 is never kept there).
    const cached = level === "required" && mode === "origin" ? ", and from CloudFront's cache until the invalidation completes" : "";
    const urls =
        mode === "redirect" ? `; a presigned S3 URL handed out before keeps working for up to ${bounds.objectSeconds} s (signedUrlTtlSeconds)` : "";
    const assumed = basis === "defaults" ? " (assuming the component's defaults: the config does not record the service's mode and edge settings)" : "";
    const replicas = config.replicaReads === true ? "; add the replication lag to the replicas the edge reads (ReplicationLatency, typically under a second)" : "";
    return {
        level,
        mode,
        hashUrlWithinSeconds: bounds.hashUrlSeconds,
        objectWithinSeconds: bounds.objectSeconds,
        ...(config.replicaReads === true ? { plusReplicationLag: true as const } : {}),
        basis,
        summary: `${level} + ${mode}: ${hashUrl}${cached}${urls}${replicas}${assumed}`,
    };
}

/**
 * The settings the edge runs with, as far as the config records them
 * (`basis: "settings"`), else the component's defaults (`"defaults"`).
 */
export function timingSettings(config: Pick<IssuerConfig, "level" | "mode" | "memoTtlSeconds" | "signedUrlTtlSeconds">): { settings: RevocationSettings; basis: "settings" | "defaults" } {
    const level = config.level === "secured" ? "secured" : "required";
    const mode = config.mode ?? DEFAULT_DELIVERY_MODE;
    const memoTtlSeconds = config.memoTtlSeconds ?? DEFAULT_MEMO_TTL_SECONDS[level];
    const signedUrlTtlSeconds = config.signedUrlTtlSeconds ?? DEFAULT_SIGNED_URL_TTL_SECONDS;
    const basis = config.mode === undefined || config.memoTtlSeconds === undefined || (mode === "redirect" && config.signedUrlTtlSeconds === undefined) ? "defaults" : "settings";
    return { settings: { level, mode, memoTtlSeconds, signedUrlTtlSeconds }, basis };
}

/** DeleteItem calls in flight at once while revoking an object's hashes. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes the mapping of `hash`, clears the object's pointer if it names it
 * (conditionally: a newer hash is left alone), and invalidates the hash's
 * paths (`/images/<hash>*`: the original and every variant). Idempotent: revoking a hash with no mapping still sends
 * the invalidation, so a revoke whose invalidation failed can be repeated.
 */
export async function revoke(ctx: IssuerContext, hash: string): Promise<Revocation> {
    requireHash(hash);
    const table = requireTable(ctx);
    const old = await table.deleteMapping(hash);
    const pointerCleared = old ? await table.clearPointerIf(old.s3_url, hash) : false;
    const [invalidation] = await invalidate(ctx, hashCachePaths(hash), old !== undefined);
    return { hash, found: old !== undefined, ...(old ? { s3Url: old.s3_url } : {}), pointerCleared, invalidation, stops: revocationTiming(ctx.config) };
}

/**
 * Revokes every hash of an object: the `s3_url` index (Query, never Scan) plus
 * the pointer's current hash (read consistently, since the index lags), then
 * removes the pointer and invalidates all the paths. A call to
 * generateSecureUrl running at the same moment may issue a new hash after
 * this returns; delete the S3 object too when it must never be served again.
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
    const invalidations = candidates.length > 0 ? await invalidate(ctx, candidates.flatMap(hashCachePaths), deleted.length > 0) : [];
    return { s3Url, hashes: deleted, invalidations, stops: revocationTiming(ctx.config) };
}

/**
 * CreateInvalidation for `paths`, in batches of at most
 * {@link MAX_INVALIDATION_PATHS}, or {@link MAX_WILDCARD_INVALIDATION_PATHS}
 * when a path ends in `*` (CloudFront counts those apart, and allows fewer in
 * progress). `mappingsDeleted` and `rerun` word the error: whether the edge
 * already refuses the hashes on a cache miss, and what to run again.
 */
export async function invalidate(ctx: IssuerContext, paths: string[], mappingsDeleted: boolean, rerun = "the revocation"): Promise<InvalidationResult[]> {
    const results: InvalidationResult[] = [];
    const size = paths.some((path) => path.endsWith("*")) ? MAX_WILDCARD_INVALIDATION_PATHS : MAX_INVALIDATION_PATHS;
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
