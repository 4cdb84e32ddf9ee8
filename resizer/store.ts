/**
 * The resizer's S3 access: read an object (a stored variant or an
 * original), and store a variant unless one is already there. An interface,
 * so the handler takes any implementation; `s3VariantStore` is the one on
 * `@aws-sdk/client-s3`, which the Lambda Node.js runtime provides (it is
 * not in the deployment package).
 *
 * Reading a missing key answers 404 `NoSuchKey` only when the role may
 * list the bucket (`s3:ListBucket`); without it S3 answers 403 for a
 * missing key too (Amazon S3 API Reference, GetObject, Permissions), which
 * would make every first request a failure.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

/** An object's bytes and the Content-Type it was stored with. */
export interface StoredObject {
    body: Buffer;
    contentType: string | undefined;
}

/** What reading an object found. */
export type ReadResult = { found: true; object: StoredObject } | { found: false; why: "missing" | "too_large"; size?: number };

/** Storing a variant either wrote it or found one there already (another instance made it first). */
export type StoreResult = "stored" | "already_stored";

export interface VariantStore {
    /** Reads `key`; an object over `maxBytes` is not read (its size is reported). Failures other than a missing key throw. */
    read(key: string, maxBytes: number): Promise<ReadResult>;
    /** Writes `key` only if no object is there (S3 conditional write, `If-None-Match: *`). Failures throw. */
    storeIfAbsent(key: string, body: Buffer, contentType: string): Promise<StoreResult>;
}

/** A {@link VariantStore} on one bucket through an S3 client. */
export function s3VariantStore(s3: S3Client, bucket: string): VariantStore {
    return {
        async read(key, maxBytes) {
            let output;
            try {
                output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            } catch (error) {
                if (errorName(error) === "NoSuchKey" || httpStatus(error) === 404) return { found: false, why: "missing" };
                throw error;
            }
            const size = output.ContentLength;
            if (size !== undefined && size > maxBytes) {
                // Not read: the connection goes with the unread body.
                (output.Body as { destroy?: () => void } | undefined)?.destroy?.();
                return { found: false, why: "too_large", size };
            }
            const bytes = output.Body ? Buffer.from(await output.Body.transformToByteArray()) : Buffer.alloc(0);
            if (bytes.length > maxBytes) return { found: false, why: "too_large", size: bytes.length };
            return { found: true, object: { body: bytes, contentType: output.ContentType } };
        },
        async storeIfAbsent(key, body, contentType) {
            try {
                await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length, IfNoneMatch: "*" }));
                return "stored";
            } catch (error) {
                // 412: an object is there; 409: a conditional write to the key was in progress
                // (Amazon S3 User Guide, "How to prevent object overwrites with conditional writes").
                const status = httpStatus(error);
                if (status === 412 || status === 409) return "already_stored";
                throw error;
            }
        },
    };
}

function errorName(error: unknown): string | undefined {
    return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

function httpStatus(error: unknown): number | undefined {
    return typeof error === "object" && error !== null ? (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode : undefined;
}
