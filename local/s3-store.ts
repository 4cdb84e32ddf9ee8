/**
 * The local S3's storage: s3rver's own filesystem store, with keys mapped to
 * paths the filesystem can hold and every write failure answered instead of
 * thrown past the server.
 *
 * s3rver stores an object at `<bucket>/<key>._S3rver_object`, one directory
 * per `/`-separated segment. On Linux a path component is at most 255 bytes
 * (NAME_MAX), so a 300-byte segment failed with ENAMETOOLONG, and because
 * s3rver's write stream has no error handler, that failure was an uncaught
 * exception that ended the whole `npm start` process. S3 takes keys up to
 * 1,024 bytes of UTF-8 in any segment shape ("Naming Amazon S3 objects", S3
 * user guide). Here:
 *
 * - each segment is escaped character by character (`%` as `%25`, control
 *   characters as `%XX`, a leading `.` as `%2E`, so no segment is `.` or `..`
 *   and nothing escapes the bucket's folder), then cut into pieces of at
 *   most {@link MAX_COMPONENT_BYTES} bytes, each piece but the last ending in
 *   a lone `%` (an escape is always `%XX`, so a trailing `%` is unambiguous);
 * - the mapping keeps prefixes (a key's prefix maps to a prefix of its path),
 *   which s3rver's listing relies on when it prunes folders;
 * - what the local S3 cannot hold gets a clear 4xx, never a crash: a key over
 *   1,024 bytes is S3's own `KeyTooLongError`; an empty segment other than
 *   the last (`a//b`, a leading `/`), which a folder-per-segment store cannot
 *   represent, is `InvalidArgument` saying so; a malformed upload id is
 *   `NoSuchUpload`;
 * - a failed write (any filesystem error) rejects the request with a 500
 *   instead of throwing out of the server.
 *
 * s3rver's listing calls the key mapping as `FilesystemStore.encodeKeyPath`
 * and `decodeKeyPath` on its class, not on the instance, so the mapping is
 * installed on that class once, for every s3rver in this process (they are
 * all started through local/aws.ts).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Transform, Readable } from "stream";
import { MAX_OBJECT_KEY_BYTES } from "../core/limits";

/**
 * Longest path component a key piece becomes, bytes: under NAME_MAX (255)
 * with room for the marker and s3rver's longest suffix (`._S3rver_metadata.json`).
 */
export const MAX_COMPONENT_BYTES = 200;

// s3rver ships no type declarations; these are the parts used here.
interface S3ObjectLike {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: Record<string, string>;
}
interface StoreBase {
    rootDirectory: string;
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<{ size: number; md5: string }>;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
}
type StoreClass = (new (rootDirectory: string) => StoreBase) & {
    encodeKeyPath(key: string): string;
    decodeKeyPath(keyPath: string): string;
};
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const FilesystemStore = require("s3rver/lib/stores/filesystem") as StoreClass;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require("s3rver/lib/models/error") as S3ErrorClass;

/** Characters a path component never holds as they are: the escape itself and control characters. */
const ESCAPED = /[%\u0000-\u001f\u007f]/;

function escapeChar(char: string): string {
    return "%" + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
}

/** One segment as pieces of escaped text (an escape `%XX` is never split), cut to at most MAX_COMPONENT_BYTES each. */
function encodeSegment(segment: string): string {
    const pieces: string[] = [];
    let piece = "";
    let bytes = 0;
    let first = true;
    for (const char of segment) {
        const token = ESCAPED.test(char) || (first && char === ".") ? escapeChar(char) : char;
        first = false;
        const size = Buffer.byteLength(token, "utf8");
        if (bytes + size > MAX_COMPONENT_BYTES) {
            pieces.push(piece + "%");
            piece = "";
            bytes = 0;
        }
        piece += token;
        bytes += size;
    }
    pieces.push(piece);
    return pieces.join("/");
}

/** A key (or a prefix of one) as a relative path; total and pure, keeps prefixes. */
export function encodeKeyPath(key: string): string {
    return key.split("/").map(encodeSegment).join("/");
}

/** The key a relative path (as {@link encodeKeyPath} made it) stands for. */
export function decodeKeyPath(keyPath: string): string {
    let joined = "";
    for (const component of keyPath.split("/")) {
        joined += component.endsWith("%") ? component.slice(0, -1) : component + "/";
    }
    return joined.slice(0, -1).replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Throws the S3 error for a key the local S3 cannot hold. */
export function checkStorableKey(key: string): void {
    if (Buffer.byteLength(key, "utf8") > MAX_OBJECT_KEY_BYTES) throw new S3Error("KeyTooLongError", "Your key is too long");
    const segments = key.split("/");
    if (segments.slice(0, -1).some((segment) => segment === "")) {
        throw new S3Error(
            "InvalidArgument",
            "The local S3 (s3rver) stores one folder per key segment and cannot hold a key with an empty segment (a leading '/' or '//'); S3 itself can.",
        );
    }
}

function noSuchUpload(): Error {
    return new S3Error("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
}

/** Upload ids s3rver hands out: 32 hex characters. Anything else could name a path outside the uploads folder. */
function checkUploadId(uploadId: unknown): string {
    if (typeof uploadId !== "string" || !/^[0-9a-f]{32}$/.test(uploadId)) throw noSuchUpload();
    return uploadId;
}

/** Writes a body to a file, resolving to its size and MD5, rejecting on any stream or filesystem error. */
function writeBody(file: string, content: Buffer | Readable): Promise<{ size: number; md5: string }> {
    return new Promise((resolve, reject) => {
        const md5 = crypto.createHash("md5");
        let size = 0;
        const out = fs.createWriteStream(file);
        out.on("error", reject);
        out.on("finish", () => resolve({ size, md5: md5.digest("hex") }));
        if (Buffer.isBuffer(content)) {
            md5.update(content);
            size = content.length;
            out.end(content);
            return;
        }
        content.on("error", (error) => {
            out.destroy();
            reject(error);
        });
        content
            .pipe(
                new Transform({
                    transform(chunk: Buffer, _encoding, callback) {
                        md5.update(chunk);
                        size += chunk.length;
                        callback(null, chunk);
                    },
                }),
            )
            .on("error", reject)
            .pipe(out);
    });
}

let installed = false;

/** Installs the key mapping on s3rver's store class (once per process). */
function installKeyMapping(): void {
    if (installed) return;
    installed = true;
    FilesystemStore.encodeKeyPath = encodeKeyPath;
    FilesystemStore.decodeKeyPath = decodeKeyPath;
}

/** s3rver's filesystem store with the safe key mapping and answered write failures. */
export class LocalS3Store extends FilesystemStore {
    constructor(rootDirectory: string) {
        installKeyMapping();
        super(rootDirectory);
    }

    override getResourcePath(bucket: string, key: string | undefined, resource: string): string {
        if (key) checkStorableKey(key);
        return super.getResourcePath(bucket, key, resource);
    }

    async putObject(object: S3ObjectLike): Promise<{ size: number; md5: string }> {
        const file = this.getResourcePath(object.bucket, object.key, "object");
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        const written = await writeBody(file, object.content);
        await this.putMetadata(object.bucket, object.key, object.metadata, written.md5);
        return written;
    }

    override async initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void> {
        // Refused now rather than when the upload completes.
        checkStorableKey(key);
        return super.initiateUpload(bucket, key, checkUploadId(uploadId), metadata);
    }

    async putPart(bucket: string, uploadId: string, partNumber: unknown, content: Readable): Promise<{ size: number; md5: string }> {
        const number = Number(partNumber);
        if (!Number.isSafeInteger(number) || number < 1 || number > 10000) {
            throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
        }
        const file = path.join(this.getResourcePath(bucket, undefined, "uploads"), checkUploadId(uploadId), String(number));
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        const written = await writeBody(file, content);
        await fs.promises.writeFile(`${file}.md5`, written.md5);
        return written;
    }

    override async putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<{ size: number; md5: string }> {
        const folder = path.join(this.getResourcePath(bucket, undefined, "uploads"), checkUploadId(uploadId));
        if (!fs.existsSync(folder)) throw noSuchUpload();
        for (const part of parts) {
            if (!Number.isSafeInteger(part.number) || !fs.existsSync(path.join(folder, String(part.number)))) {
                throw new S3Error("InvalidPart", "One or more of the specified parts could not be found.");
            }
        }
        return super.putObjectMultipart(bucket, uploadId, parts);
    }

    async deleteObject(bucket: string, key: string): Promise<void> {
        const object = this.getResourcePath(bucket, key, "object");
        for (const file of [object, `${object}.md5`, this.getResourcePath(bucket, key, "metadata.json")]) {
            await fs.promises.unlink(file).catch((error: NodeJS.ErrnoException) => {
                if (error.code !== "ENOENT") throw error;
            });
        }
        // Remove the folders the key's pieces made, deepest first, while they are empty.
        const bucketPath = this.getBucketPath(bucket);
        let folder = path.dirname(object);
        while (folder.startsWith(bucketPath + path.sep)) {
            const left = await fs.promises.readdir(folder).catch(() => undefined);
            if (left === undefined || left.length > 0) break;
            await fs.promises.rmdir(folder).catch(() => undefined);
            folder = path.dirname(folder);
        }
    }
}
