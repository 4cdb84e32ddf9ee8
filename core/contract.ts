/**
 * What the edge function, the issuer and the local stack must agree on: the
 * hash format, the URL shape, the table's item schema and the `s3://` URL
 * form. Defined once here; nothing in this file imports Pulumi or the AWS SDK.
 */
import { randomBytes } from "crypto";
import { isBucketName, MAX_OBJECT_KEY_BYTES } from "./limits";
import { isWholeNumber } from "./bounds";
import type { BoundProblem } from "./bounds";

/** Random bytes per hash: 128 bits from the operating system's CSPRNG. */
export const HASH_BYTES = 16;

/** A hash is exactly 32 lowercase hex characters; nothing else is ever looked up. */
export const HASH_PATTERN = /^[0-9a-f]{32}$/;

/** Every hash URL lives under this path: `https://<cdn>/images/<hash>`. */
export const IMAGE_PATH_PREFIX = "/images/";

/** The DynamoDB table layout, shared by the component and the local stack. */
export const TABLE_SCHEMA = {
    /** Partition key of every item. */
    hashKey: "hash",
    /** Attribute that holds the `s3://bucket/key` the hash stands for. */
    s3UrlAttribute: "s3_url",
    /** Global secondary index that finds the hashes of one object. */
    s3UrlIndex: "s3_url-index",
    /** Attributes the index carries besides its keys. */
    s3UrlIndexAttributes: ["expires_at", "created_at"],
    /** TTL attribute (epoch seconds); DynamoDB deletes lazily, so readers check `expires_at` too. */
    ttlAttribute: "ttl",
} as const;

/**
 * One mapping item, exactly as stored. Times are epoch seconds; `ttl` equals `expires_at` (DynamoDB's TTL attribute).
 * `width`, `height` and `placeholder` describe the image when the issuer knows it (it uploaded or confirmed it);
 * they are written together or not at all, and the edge never reads them.
 */
export interface ImageMapping {
    hash: string;
    s3_url: string;
    created_at: number;
    expires_at: number;
    ttl: number;
    /** Displayed width in pixels (after the image's orientation). */
    width?: number;
    /** Displayed height in pixels. */
    height?: number;
    /** ThumbHash of the image, base64. */
    placeholder?: string;
}

/** Longest placeholder a mapping holds: a ThumbHash is at most 25 bytes, 36 base64 characters. */
export const MAX_PLACEHOLDER_CHARS = 40;

/** True for a placeholder as mappings store it: base64, 4 to 40 characters. */
export function isPlaceholder(value: unknown): value is string {
    return typeof value === "string" && value.length >= 4 && value.length <= MAX_PLACEHOLDER_CHARS && /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0;
}

/** A parsed `s3://bucket/key` URL. */
export interface S3Location {
    bucket: string;
    key: string;
}

/** A new hash: 32 hex characters from 16 CSPRNG bytes, unrelated to the object it will name. */
export function newHash(): string {
    return randomBytes(HASH_BYTES).toString("hex");
}

/** True when `value` is a well-formed hash. */
export function isHash(value: unknown): value is string {
    return typeof value === "string" && HASH_PATTERN.test(value);
}

/** The URI path of a hash: `/images/<hash>`. */
export function imagePath(hash: string): string {
    return IMAGE_PATH_PREFIX + hash;
}

/**
 * The hash in a request URI, or `undefined` for anything that is not exactly
 * `/images/<32 lowercase hex>`. No decoding is done: an encoded character is
 * simply not part of the hash alphabet, so it can never reach a lookup.
 */
export function parseImagePath(uri: string): string | undefined {
    if (uri.length !== IMAGE_PATH_PREFIX.length + 2 * HASH_BYTES) return undefined;
    if (!uri.startsWith(IMAGE_PATH_PREFIX)) return undefined;
    const hash = uri.slice(IMAGE_PATH_PREFIX.length);
    return HASH_PATTERN.test(hash) ? hash : undefined;
}

/** The public URL of a hash: `<base>/images/<hash>`, base without a trailing slash. */
export function cdnImageUrl(baseUrl: string, hash: string): string {
    return baseUrl.replace(/\/+$/, "") + imagePath(hash);
}

/** Control characters (C0, DEL, C1): they never belong in a key we serve, nor in a message we print. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Parses `s3://bucket/key` strictly: a valid bucket name, a key of 1–1024
 * bytes with no control characters, no empty, `.` or `..` segments and no
 * leading slash. Anything else is `undefined`.
 */
export function parseS3Url(url: unknown): S3Location | undefined {
    if (typeof url !== "string" || !url.startsWith("s3://")) return undefined;
    const rest = url.slice("s3://".length);
    const slash = rest.indexOf("/");
    if (slash < 0) return undefined;
    const bucket = rest.slice(0, slash);
    const key = rest.slice(slash + 1);
    if (!isBucketName(bucket)) return undefined;
    if (!isSafeObjectKey(key)) return undefined;
    return { bucket, key };
}

/** True for an object key the edge may ask S3 for (see {@link parseS3Url}). */
export function isSafeObjectKey(key: string): boolean {
    if (key.length === 0 || Buffer.byteLength(key, "utf8") > MAX_OBJECT_KEY_BYTES) return false;
    if (CONTROL_CHARACTERS.test(key)) return false;
    return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/**
 * A key prefix uploads may go under: relative, ending in `/`, and such that
 * a key under it is safe (no empty, `.` or `..` segments, no control
 * characters), e.g. `uploads/`.
 */
export function isUploadPrefix(prefix: unknown): prefix is string {
    return typeof prefix === "string" && prefix.endsWith("/") && isSafeObjectKey(prefix + "x");
}

/** `uploadPrefix` ({@link isUploadPrefix}), checked once for the component and the issuer. */
export function uploadPrefixProblem(value: unknown): BoundProblem | undefined {
    if (isUploadPrefix(value)) return undefined;
    return { expected: `must be a relative S3 key prefix ending with "/", like "uploads/" (no leading "/", no empty, "." or ".." segments)` };
}

/**
 * The folder under the upload prefix that upload forms write into
 * (`<uploadPrefix>incoming/`). A form stays valid until it expires and S3
 * accepts every post that meets its policy, so nothing there is ever
 * served: no hash is issued for it and no variant is made of it.
 */
export const STAGING_FOLDER = "incoming/";

/** `s3://bucket/key` for a bucket and a key. */
export function formatS3Url(bucket: string, key: string): string {
    return `s3://${bucket}/${key}`;
}

/**
 * The mapping in a raw item read from the table, or `undefined` when the item
 * is not a complete, well-typed mapping (a bad item is treated as not found).
 */
export function toImageMapping(raw: Record<string, unknown> | undefined): ImageMapping | undefined {
    if (!raw) return undefined;
    const { hash, s3_url, created_at, expires_at, ttl, width, height, placeholder } = raw;
    if (!isHash(hash) || typeof s3_url !== "string" || parseS3Url(s3_url) === undefined) return undefined;
    if (!isEpochSeconds(created_at) || !isEpochSeconds(expires_at) || !isEpochSeconds(ttl)) return undefined;
    const mapping: ImageMapping = { hash, s3_url, created_at, expires_at, ttl };
    // The image's description is optional: a malformed one is left out, the mapping still counts.
    if (isWholeNumber(width, 1) && isWholeNumber(height, 1) && isPlaceholder(placeholder)) Object.assign(mapping, { width, height, placeholder });
    return mapping;
}

/** A time in whole epoch seconds. */
export function isEpochSeconds(value: unknown): value is number {
    return isWholeNumber(value);
}
