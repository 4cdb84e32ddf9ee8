/**
 * Revocation: the mapping goes (the edge answers 404 on the next lookup) and
 * the CloudFront paths are invalidated so copies already cached stop being
 * served too.
 */
import { CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { randomUUID } from "crypto";
import { imagePath } from "../edge/contract";
import { MAX_INVALIDATION_PATHS } from "../edge/limits";
import { toIssuerError } from "./aws-errors";
import { IssuerContext, requireHash, requireObjectUrl, requireTable } from "./context";

/** One CloudFront invalidation that was created. */
export interface InvalidationResult {
    id: string;
    paths: string[];
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
}

export interface ObjectRevocation {
    s3Url: string;
    /** Every hash whose mapping was deleted. */
    hashes: string[];
    /** Invalidations created (none when the object had no hashes). */
    invalidations: InvalidationResult[];
}

/** DeleteItem calls in flight at once while revoking an object's hashes. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes the mapping of `hash`, clears the object's pointer if it names it
 * (conditionally: a newer hash is left alone), and invalidates
 * `/images/<hash>`. Idempotent: revoking a hash with no mapping still sends
 * the invalidation, so a revoke whose invalidation failed can be repeated.
 */
export async function revoke(ctx: IssuerContext, hash: string): Promise<Revocation> {
    requireHash(hash);
    const table = requireTable(ctx);
    const old = await table.deleteMapping(hash);
    const pointerCleared = old ? await table.clearPointerIf(old.s3_url, hash) : false;
    const [invalidation] = await invalidate(ctx, [imagePath(hash)], old !== undefined);
    return { hash, found: old !== undefined, ...(old ? { s3Url: old.s3_url } : {}), pointerCleared, invalidation };
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
    const invalidations = candidates.length > 0 ? await invalidate(ctx, candidates.map(imagePath), deleted.length > 0) : [];
    return { s3Url, hashes: deleted, invalidations };
}

/** CreateInvalidation for `paths`, in batches of at most {@link MAX_INVALIDATION_PATHS}. */
async function invalidate(ctx: IssuerContext, paths: string[], mappingsDeleted: boolean): Promise<InvalidationResult[]> {
    const results: InvalidationResult[] = [];
    for (let i = 0; i < paths.length; i += MAX_INVALIDATION_PATHS) {
        const batch = paths.slice(i, i + MAX_INVALIDATION_PATHS);
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
                `CloudFront invalidation on distribution ${ctx.config.distributionId} (${done}cached copies may be served until they expire; run the revocation again)`,
                `distribution '${ctx.config.distributionId}'`,
            );
        }
    }
    return results;
}
