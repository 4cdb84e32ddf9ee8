/**
 * Every stored version of a key, or of the keys right under a folder, and
 * their permanent deletion: what erasure needs from S3. The bucket is
 * versioned, so deleting a key only adds a delete marker and keeps every
 * earlier version; a DeleteObjects that names each version id removes them
 * for good, delete markers included (Amazon S3 User Guide, "Deleting object
 * versions from a versioning-enabled bucket").
 *
 * An S3 that keeps no versions and does not implement ListObjectVersions
 * (the local stack's s3rver answers `MethodNotAllowed`; others answer
 * `NotImplemented`) is listed with ListObjectsV2 instead, and its objects
 * are deleted by key: there is no other version of them to remove. S3
 * itself answers ListObjectVersions for every bucket, versioned or not.
 */
import {
    DeleteObjectsCommand,
    ListObjectsV2Command,
    ListObjectsV2CommandOutput,
    ListObjectVersionsCommand,
    ListObjectVersionsCommandOutput,
    S3Client,
} from "@aws-sdk/client-s3";
import { MAX_DELETE_OBJECTS_KEYS } from "../core/limits";
import { toIssuerError } from "./aws-errors";
import { UpstreamError } from "./errors";

/** One stored version: an object's bytes or a delete marker. */
export interface StoredVersion {
    key: string;
    /** The version id; absent where the S3 keeps no versions (then the key is the object). */
    versionId?: string;
    /** True for a delete marker (no bytes). */
    deleteMarker: boolean;
}

/** Which keys a listing covers: one exact key, or every key right under a folder (none deeper). */
export type VersionScope = { key: string } | { folder: string };

/**
 * Every version of the keys in `scope`, delete markers included (all
 * pages). A key is listed by prefix, so keys that merely start with it
 * (`a.png.bak` for `a.png`) are dropped; a folder is listed with the
 * delimiter `/`, so what lies in a deeper folder (another object's) is not
 * returned.
 */
export async function listVersions(s3: S3Client, bucket: string, scope: VersionScope): Promise<StoredVersion[]> {
    const prefix = "key" in scope ? scope.key : scope.folder;
    const wanted = (key: string | undefined): key is string =>
        key !== undefined && ("key" in scope ? key === scope.key : key.startsWith(scope.folder) && !key.slice(scope.folder.length).includes("/"));
    const delimiter = "folder" in scope ? "/" : undefined;
    const found: StoredVersion[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
        let page: ListObjectVersionsCommandOutput;
        try {
            page = await s3.send(
                new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
            );
        } catch (error) {
            if (isNotImplemented(error) && keyMarker === undefined) return listUnversioned(s3, bucket, prefix, delimiter, wanted);
            throw toIssuerError(error, `S3 ListObjectVersions in bucket ${bucket}`, `bucket '${bucket}'`);
        }
        for (const version of page.Versions ?? []) {
            if (wanted(version.Key)) found.push({ key: version.Key, ...(version.VersionId ? { versionId: version.VersionId } : {}), deleteMarker: false });
        }
        for (const marker of page.DeleteMarkers ?? []) {
            if (wanted(marker.Key)) found.push({ key: marker.Key, ...(marker.VersionId ? { versionId: marker.VersionId } : {}), deleteMarker: true });
        }
        if (page.IsTruncated !== true) return found;
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
    }
}

/** The current objects under `prefix`, as versions without ids (an S3 that keeps no versions). */
async function listUnversioned(
    s3: S3Client,
    bucket: string,
    prefix: string,
    delimiter: string | undefined,
    wanted: (key: string | undefined) => key is string,
): Promise<StoredVersion[]> {
    const found: StoredVersion[] = [];
    let token: string | undefined;
    do {
        let page: ListObjectsV2CommandOutput;
        try {
            page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
        } catch (error) {
            throw toIssuerError(error, `S3 ListObjectsV2 in bucket ${bucket}`, `bucket '${bucket}'`);
        }
        for (const object of page.Contents ?? []) if (wanted(object.Key)) found.push({ key: object.Key, deleteMarker: false });
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found;
}

/**
 * Deletes each of `versions` for good (by version id where it has one), in
 * DeleteObjects requests of at most {@link MAX_DELETE_OBJECTS_KEYS}.
 * Deleting a version that is already gone succeeds, so a repeat is harmless.
 * Throws `UpstreamError` naming how many S3 refused.
 */
export async function deleteVersions(s3: S3Client, bucket: string, versions: readonly StoredVersion[]): Promise<void> {
    for (let i = 0; i < versions.length; i += MAX_DELETE_OBJECTS_KEYS) {
        const batch = versions.slice(i, i + MAX_DELETE_OBJECTS_KEYS);
        let errors: number;
        let firstCode: string | undefined;
        try {
            const output = await s3.send(
                new DeleteObjectsCommand({
                    Bucket: bucket,
                    Delete: { Quiet: true, Objects: batch.map((v) => ({ Key: v.key, ...(v.versionId !== undefined ? { VersionId: v.versionId } : {}) })) },
                }),
            );
            errors = output.Errors?.length ?? 0;
            firstCode = output.Errors?.[0]?.Code;
        } catch (error) {
            throw toIssuerError(error, `S3 DeleteObjects in bucket ${bucket}`, `bucket '${bucket}'`);
        }
        if (errors > 0) {
            const code = firstCode !== undefined && /^[A-Za-z]{1,64}$/.test(firstCode) ? ` (${firstCode})` : "";
            throw new UpstreamError(`S3 DeleteObjects in bucket ${bucket}: ${errors} of ${batch.length} versions were not deleted${code}`);
        }
    }
}

/** True for the answer of an S3 that does not implement an operation: `NotImplemented` (HTTP 501) or s3rver's `MethodNotAllowed` (405). */
function isNotImplemented(error: unknown): boolean {
    if (typeof error !== "object" || error === null) return false;
    const shape = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
    return shape.name === "NotImplemented" || shape.name === "MethodNotAllowed" || shape.$metadata?.httpStatusCode === 501 || shape.$metadata?.httpStatusCode === 405;
}
