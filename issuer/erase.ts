/**
 * Erasure: an object gone for good, everywhere. `deleteObject` revokes every
 * hash of the object, deletes every stored version of the original and of
 * each derived copy (image variants, `derived/<key>/<preset>.<token>`),
 * delete markers included, and invalidates every CloudFront path of each
 * hash; it returns what it removed and the moment from which no route
 * serves a byte of it.
 *
 * The steps run in an order where every partial state is one a rerun
 * finishes, because the table is the only record of which hashes the object
 * had and it is emptied last:
 *
 * 1. read the hashes (the `s3_url` index and the pointer, as revokeObject
 *    does) and leave them in place;
 * 2. delete every version of the original, then of each derived copy (with
 *    the original gone no variant can be made again). Interrupted here, a
 *    rerun lists what is left and deletes it; the hashes are still there;
 * 3. invalidate `/images/<hash>*` for each hash (no new copy can be cached
 *    after this: there is nothing left to fetch). Interrupted here, a rerun
 *    finds the same hashes and invalidates again;
 * 4. delete the mappings, then the pointer. Interrupted here, the hashes
 *    already deleted were invalidated in step 3, and a rerun finds the rest;
 * 5. list the derived folder once more and delete what a resize that was
 *    running during step 2 stored after it.
 *
 * Revoking first would lose the hashes a rerun needs to invalidate, and
 * invalidating before the bytes are gone would let a request in between
 * cache them again. A `generateSecureUrl` for the same key during the
 * erasure can still issue a hash: it leads to nothing (no version is left)
 * and expires with its TTL; run the erasure again to remove it.
 */
import { isSafeObjectKey } from "../core/contract";
import { erasureBounds, hashCachePaths } from "../core/revocation";
import { variantKeyPrefix } from "../core/variants";
import type { IssuerConfig } from "./config";
import { IssuerContext, requireObjectUrl, requireTable } from "./context";
import { InvalidInputError } from "./errors";
import { deleteVersions, listVersions, StoredVersion } from "./object-versions";
import { InvalidationResult, invalidate, timingSettings } from "./revoke";
import { show } from "./show";
import { isStagingKey, stagingPrefix } from "./staging";

/**
 * When nothing of an erased object is served any more, at the service's
 * level and mode (core/revocation.ts `erasureBounds`).
 */
export interface ErasureTiming {
    level: "required" | "secured";
    mode: "origin" | "redirect";
    /**
     * Epoch seconds from which no route serves a byte of the object: the
     * hash URL, each variant, a presigned URL handed out before (every
     * version is deleted from S3, which is strongly consistent for deletes).
     */
    goneAt: number;
    /**
     * True at `required`: copies CloudFront cached before may still be served
     * until the invalidation completes (AWS reports it `InProgress` until
     * then); `goneAt` holds for them from that moment.
     */
    untilInvalidationCompletes: boolean;
    /** The hash URL may still answer for this long (a warm function's memo), with nothing behind it: a fetch or a redirect to a deleted object. */
    hashUrlWithinSeconds: number;
    /**
     * `required` + `origin`: a copy CloudFront cached from a read of the
     * bucket that raced the deletion is served until the invalidator
     * invalidates the paths again, this many seconds after it sees the
     * mappings' removal (core/revocation.ts `erasureBounds`).
     */
    racedCopyWithinSeconds?: number;
    /**
     * Present (true) for `secured` reading a replica (`securedReads:
     * "nearest"`): a copy CloudFront cached may be served until the
     * mappings' delete reaches that replica (the replication lag).
     */
    plusReplicationLag?: true;
    /** `settings` when the config records mode and edge settings; `defaults` when the component's defaults were assumed. */
    basis: "settings" | "defaults";
    /** The same in words. */
    summary: string;
}

/** What an erasure removed. */
export interface ObjectErasure {
    s3Url: string;
    key: string;
    /** Hashes whose mapping this run deleted. */
    hashes: string[];
    /** Every version this run deleted for good, delete markers included (no `versionId` where the S3 keeps no versions). */
    removed: StoredVersion[];
    counts: {
        hashes: number;
        /** Distinct keys among `removed`: the original and each derived copy. */
        keys: number;
        /** Versions with bytes. */
        versions: number;
        deleteMarkers: number;
    };
    /** Invalidations created (none when the object had no hashes). */
    invalidations: InvalidationResult[];
    stops: ErasureTiming;
}

/**
 * Refuses a key the service did not store: one outside `uploadPrefix`, or
 * under the staging prefix, where upload forms write (the lifecycle rule
 * empties it within a day, and a form may still be posting there).
 */
export function requireErasableKey(config: Pick<IssuerConfig, "uploadPrefix" | "bucket">, key: string): void {
    const url = show(`s3://${config.bucket}/${key}`);
    if (!key.startsWith(config.uploadPrefix)) {
        throw new InvalidInputError(`${url} is outside this service's upload prefix '${config.uploadPrefix}': only objects the service stored there can be erased`);
    }
    if (isStagingKey(config, key)) {
        throw new InvalidInputError(
            `${url} is under the staging prefix '${stagingPrefix(config)}', where upload forms write: nothing there is served, and the bucket's lifecycle rule removes it within a day`,
        );
    }
}

/** Erases an object: see the file comment for the steps and their order. Idempotent. */
export async function deleteObject(ctx: IssuerContext, s3Url: string): Promise<ObjectErasure> {
    const { key } = requireObjectUrl(ctx, s3Url);
    requireErasableKey(ctx.config, key);
    const table = requireTable(ctx);
    const bucket = ctx.config.bucket;

    const [indexed, pointer] = await Promise.all([table.hashesOfObject(s3Url), table.getPointer(s3Url)]);
    const candidates = [...new Set(pointer ? [...indexed, pointer.current] : indexed)];

    const original = await listVersions(ctx.s3, bucket, { key });
    await deleteVersions(ctx.s3, bucket, original);
    const folder = variantKeyPrefix(key);
    // A key near S3's length limit has no variants (core/variants.ts variantKey).
    const hasVariants = isSafeObjectKey(folder + "x");
    const derived = hasVariants ? await listVersions(ctx.s3, bucket, { folder }) : [];
    await deleteVersions(ctx.s3, bucket, derived);

    const invalidations = candidates.length > 0 ? await invalidate(ctx, candidates.flatMap((hash) => hashCachePaths(hash)), false, "the erasure") : [];

    const hashes: string[] = [];
    for (const hash of candidates) {
        if ((await table.deleteMapping(hash)) !== undefined) hashes.push(hash);
    }
    await table.deletePointer(s3Url);

    const late = hasVariants && (derived.length > 0 || candidates.length > 0) ? await listVersions(ctx.s3, bucket, { folder }) : [];
    await deleteVersions(ctx.s3, bucket, late);

    const removed = [...original, ...derived, ...late];
    return {
        s3Url,
        key,
        hashes,
        removed,
        counts: {
            hashes: hashes.length,
            keys: new Set(removed.map((version) => version.key)).size,
            versions: removed.filter((version) => !version.deleteMarker).length,
            deleteMarkers: removed.filter((version) => version.deleteMarker).length,
        },
        invalidations,
        stops: erasureTiming(ctx.config, Math.ceil(ctx.now() / 1000)),
    };
}

/** When an object erased at `doneAt` (epoch seconds) is served no more, at the config's level and mode. */
export function erasureTiming(config: IssuerConfig, doneAt: number): ErasureTiming {
    const { settings, basis } = timingSettings(config);
    const { level, mode } = settings;
    const bounds = erasureBounds(settings);
    const lag = level === "secured" && config.replicaReads === true;
    const at = new Date((doneAt + bounds.bytesSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const raced = bounds.racedCopySeconds > 0 ? `, and a copy cached from a read that raced the deletion, until the invalidator invalidates the paths again ${bounds.racedCopySeconds} s after it sees the mappings' removal` : "";
    const cached = bounds.cachedUntilInvalidated ? `, except copies CloudFront cached before, until the invalidation completes${raced}` : " (the edge checks every request, and the mappings are deleted)";
    const hashUrl = bounds.hashUrlSeconds > 0 ? `; the hash URL may answer for up to ${bounds.hashUrlSeconds} s more (a warm edge function's memo), with nothing behind it` : "";
    const replicas = lag ? "; add the replication lag to the replicas the edge reads for copies CloudFront cached" : "";
    const assumed = basis === "defaults" ? " (assuming the component's defaults: the config does not record the service's mode and edge settings)" : "";
    return {
        level,
        mode,
        goneAt: doneAt + bounds.bytesSeconds,
        untilInvalidationCompletes: bounds.cachedUntilInvalidated,
        hashUrlWithinSeconds: bounds.hashUrlSeconds,
        ...(bounds.racedCopySeconds > 0 ? { racedCopyWithinSeconds: bounds.racedCopySeconds } : {}),
        ...(lag ? { plusReplicationLag: true as const } : {}),
        basis,
        summary: `${level} + ${mode}: no byte of it is served by any route from ${at} (every version deleted from S3)${cached}${hashUrl}${replicas}${assumed}`,
    };
}
