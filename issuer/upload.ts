/**
 * Getting images into the service's bucket: a presigned POST form for
 * browsers and apps without AWS credentials, and server-side `upload` that
 * checks the bytes, stores them and issues the URL in one call.
 *
 * What was checked is what is served, for the hash's whole life: a hash only
 * ever names a key no upload form can write (see staging.ts). Before an
 * image is stored its personal metadata is removed (image/prepare.ts), and
 * its displayed size and placeholder are returned and kept with the mapping.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { randomBytes } from "crypto";
import { formatS3Url, isSafeObjectKey } from "../core/contract";
import { isWholeNumber } from "../core/bounds";
import { toIssuerError } from "./aws-errors";
import { ALLOWED_IMAGE_TYPES, AllowedImageType, requireAllowedImageType, sniffImage } from "./content";
import { IssuerContext, requireObjectUrl } from "./context";
import { InvalidInputError, NotFoundError, RefusedContentError } from "./errors";
import { prepareImage, PreparedImage, MetadataReport } from "./image/prepare";
import { generateSecureUrl, ImageDescription } from "./issue";
import { EagerWarming, warmEagerVariants } from "./eager";
import { presetUrls } from "./variants";
import { show } from "./show";
import { readRegularFile } from "./read-file";
import { isStagingKey, stagingPrefix } from "./staging";

export interface UploadFormOptions {
    /** The image type the form will accept (one of the allowed types). */
    contentType: string;
    /** Largest size the form accepts, bytes; at most the service's `maxUploadBytes`. @default maxUploadBytes */
    maxBytes?: number;
    /** How long the form may be used, seconds (1 to 3600). @default 300 */
    expiresInSeconds?: number;
}

/** A presigned POST: send `fields` then the file (field `file`) as multipart/form-data to `url`. */
export interface UploadForm {
    url: string;
    fields: Record<string, string>;
    /** The one key the form can write: a staging key under `<uploadPrefix>incoming/`, never served. */
    key: string;
    /**
     * `s3://<bucket>/<key>`: pass it to `confirmUpload` once the browser has
     * posted. The confirmed image is served from another key (the `s3Url` of
     * `confirmUpload`'s result), which no form can write.
     */
    s3Url: string;
    contentType: AllowedImageType;
    maxBytes: number;
    /** When the form stops being accepted, epoch seconds. */
    expiresAt: number;
}

export interface UploadOptions {
    /** Key to store under; must be under the service's `uploadPrefix`. @default `<uploadPrefix><random>.<ext>` */
    s3Key?: string;
}

export interface UploadResult {
    /** The object the URL serves (for a confirmed form upload: the checked copy, not the form's key). */
    s3Url: string;
    /** The URL to hand out: a hash URL, or for a `public` service the object's CDN URL by key. */
    url: string;
    /** The hash (absent for a `public` service). */
    hash?: string;
    /** Expiry of the hash, epoch seconds (absent for a `public` service). */
    expiresAt?: number;
    /** The type sniffed from the bytes, stored as the object's Content-Type. */
    contentType: AllowedImageType;
    /** Size of the stored object (after metadata removal). */
    bytes: number;
    /** Displayed width in pixels (after orientation). */
    width: number;
    /** Displayed height in pixels. */
    height: number;
    /** ThumbHash placeholder, base64 (at most 40 characters); decode it with `thumbHashToRGBA` to show before the image loads. */
    placeholder: string;
    /** What was removed from the image before it was stored, and what was kept on purpose. */
    metadata: MetadataReport;
    /** Each preset's URL (`<cdnBaseUrl>/images/<hash>/<preset>`, the format negotiated per viewer); absent without variants. */
    variants?: Record<string, string>;
    /**
     * The eager presets, made before this returned (absent without any, or
     * with `warmEagerVariants` off). `ok: false` never fails the upload: a
     * variant not made now is made on its first request.
     */
    eager?: EagerWarming;
}

const DEFAULT_FORM_SECONDS = 300;
const MAX_FORM_SECONDS = 3600;

/**
 * A presigned POST whose policy pins the exact key (a fresh random name under
 * the staging prefix `<uploadPrefix>incoming/`), the Content-Type to the one
 * requested image type, and the size to 1..maxBytes, valid for a few
 * minutes. S3 refuses any POST that breaks the policy, but accepts any number
 * that keep it until the form expires. The policy cannot see the bytes: call
 * {@link confirmUpload}, which serves a checked copy, never the form's key.
 */
export async function createUploadForm(ctx: IssuerContext, options: UploadFormOptions): Promise<UploadForm> {
    const contentType = requireAllowedImageType(options.contentType);
    const maxBytes = options.maxBytes ?? ctx.config.maxUploadBytes;
    if (!isWholeNumber(maxBytes, 1, ctx.config.maxUploadBytes)) {
        throw new InvalidInputError(`maxBytes must be an integer from 1 to ${ctx.config.maxUploadBytes}`);
    }
    const expiresIn = options.expiresInSeconds ?? DEFAULT_FORM_SECONDS;
    if (!isWholeNumber(expiresIn, 1, MAX_FORM_SECONDS)) {
        throw new InvalidInputError(`expiresInSeconds must be an integer from 1 to ${MAX_FORM_SECONDS}`);
    }
    const key = `${stagingPrefix(ctx.config)}${randomName()}.${ALLOWED_IMAGE_TYPES[contentType]}`;
    // createPresignedPost turns every field into an exact-match condition and
    // adds `{bucket}` and `{key}` conditions itself.
    try {
        const post = await createPresignedPost(ctx.s3, {
            Bucket: ctx.config.bucket,
            Key: key,
            Fields: { "Content-Type": contentType },
            Conditions: [["content-length-range", 1, maxBytes]],
            Expires: expiresIn,
        });
        return {
            url: post.url,
            fields: post.fields,
            key,
            s3Url: formatS3Url(ctx.config.bucket, key),
            contentType,
            maxBytes,
            expiresAt: policyExpiry(post.fields),
        };
    } catch (error) {
        throw toIssuerError(error, "signing the upload form");
    }
}

/**
 * When a signed form stops working: the `expiration` of the policy it
 * carries, in epoch seconds. Read from the policy itself because the SDK
 * takes its own clock reading when it signs, which may already be in the
 * next second.
 */
function policyExpiry(fields: Record<string, string>): number {
    const policy = JSON.parse(Buffer.from(fields.Policy, "base64").toString("utf8")) as { expiration?: unknown };
    const at = typeof policy.expiration === "string" ? Date.parse(policy.expiration) : Number.NaN;
    if (Number.isNaN(at)) throw new Error("the signed upload form carries no readable expiration");
    return Math.floor(at / 1000);
}

/**
 * Stores an image and issues its URL. `input` is the bytes or a file path.
 * The bytes are checked first (non-empty, within `maxUploadBytes`, JPEG, PNG,
 * GIF, WebP or AVIF by content, a container that can be walked and pixels
 * that decode); a refusal writes nothing. Personal metadata is removed
 * (unless `stripMetadata` is off) and the result is stored with the sniffed
 * Content-Type. If issuing then fails, an object stored under a generated
 * key is removed again before the error is thrown.
 */
export async function upload(ctx: IssuerContext, input: Uint8Array | string, options: UploadOptions = {}): Promise<UploadResult> {
    const key = options.s3Key === undefined ? undefined : requireUploadKey(ctx, options.s3Key);
    const bytes = typeof input === "string" ? await readUploadFile(input, ctx.config.maxUploadBytes) : input;
    if (!(bytes instanceof Uint8Array)) throw new InvalidInputError("upload input must be bytes (Uint8Array/Buffer) or a file path");
    const image = await sniffImage(bytes, ctx.config.maxUploadBytes);
    const prepared = await prepareImage(bytes, image.contentType, { stripMetadata: ctx.stripMetadata });
    const finalKey = key ?? newUploadKey(ctx, image.extension);
    const s3Url = formatS3Url(ctx.config.bucket, finalKey);
    await putObject(ctx, finalKey, prepared.bytes, image.contentType);
    const base = { s3Url, contentType: image.contentType, ...described(prepared) };
    if (ctx.config.level === "public") return { ...base, url: publicObjectUrl(ctx, finalKey) };
    let issued: Awaited<ReturnType<typeof generateSecureUrl>>;
    try {
        issued = await generateSecureUrl(ctx, s3Url, description(prepared));
    } catch (error) {
        if (key === undefined) await deleteObjectQuietly(ctx, finalKey);
        throw error;
    }
    return { ...base, url: issued.url, hash: issued.hash, expiresAt: issued.expiresAt, ...(await withVariants(ctx, issued.hash)) };
}

/** The variants' URLs of a freshly issued hash, and its eager presets made (never throws). */
async function withVariants(ctx: IssuerContext, hash: string): Promise<Pick<UploadResult, "variants" | "eager">> {
    if (ctx.config.variants === undefined) return {};
    const eager = await warmEagerVariants(ctx, hash);
    return { variants: presetUrls(ctx.config, hash), ...(eager !== undefined && eager.variants.length > 0 ? { eager } : {}) };
}

/**
 * For an object posted through an upload form: reads it (one GET, which
 * returns one version of the object, whatever is posted meanwhile), judges
 * those bytes (size, and content against the type the form was made for),
 * removes their metadata, and writes the result to a fresh key outside the
 * staging prefix (one no form was ever signed for) with the form's
 * Content-Type; a hash is issued for that key. What is served is what was
 * judged. Refused: the post is deleted and nothing is written. Accepted:
 * the post is deleted. Whatever is posted through the same form later stays
 * in staging and is never served.
 */
export async function confirmUpload(ctx: IssuerContext, s3Url: string): Promise<UploadResult> {
    const { key: stagingKey } = requireObjectUrl(ctx, s3Url);
    const formType = requireStagingKey(ctx, stagingKey);
    let prepared: PreparedImage;
    try {
        const posted = await readPosted(ctx, stagingKey, s3Url);
        const image = await sniffImage(posted, ctx.config.maxUploadBytes);
        if (image.contentType !== formType) {
            throw new RefusedContentError(`refused: the object claims ${show(formType)} but its bytes are ${image.contentType}`);
        }
        prepared = await prepareImage(posted, formType, { stripMetadata: ctx.stripMetadata });
    } catch (error) {
        if (error instanceof RefusedContentError) await deleteObjectQuietly(ctx, stagingKey);
        throw error;
    }
    const key = newUploadKey(ctx, ALLOWED_IMAGE_TYPES[formType]);
    const checkedUrl = formatS3Url(ctx.config.bucket, key);
    await putObject(ctx, key, prepared.bytes, formType);
    let issued: Awaited<ReturnType<typeof generateSecureUrl>> | undefined;
    try {
        issued = ctx.config.level === "public" ? undefined : await generateSecureUrl(ctx, checkedUrl, description(prepared));
    } catch (error) {
        // Nothing names the checked object yet: it goes.
        await deleteObjectQuietly(ctx, key);
        throw error;
    }
    await deleteObjectQuietly(ctx, stagingKey);
    const base = { s3Url: checkedUrl, contentType: formType, ...described(prepared) };
    if (!issued) return { ...base, url: publicObjectUrl(ctx, key) };
    return { ...base, url: issued.url, hash: issued.hash, expiresAt: issued.expiresAt, ...(await withVariants(ctx, issued.hash)) };
}

/** What the mapping keeps about a prepared image. */
function description(prepared: PreparedImage): ImageDescription {
    return { width: prepared.width, height: prepared.height, placeholder: prepared.placeholder };
}

/** The upload result's fields about a prepared image. */
function described(prepared: PreparedImage): Pick<UploadResult, "bytes" | "width" | "height" | "placeholder" | "metadata"> {
    return { bytes: prepared.bytes.length, ...description(prepared), metadata: prepared.metadata };
}

/** Refuses an empty object or one over `maxUploadBytes`; returns the size. */
function checkSize(ctx: IssuerContext, size: number): number {
    if (size === 0) throw new RefusedContentError("refused: the content is empty");
    if (size > ctx.config.maxUploadBytes) throw new RefusedContentError(`refused: ${size} bytes is over the limit of ${ctx.config.maxUploadBytes} bytes`);
    return size;
}

/** A form's key: under the staging prefix, named `<32 hex>.<extension of an allowed type>`; returns that type. */
function requireStagingKey(ctx: IssuerContext, key: string): AllowedImageType {
    const name = isStagingKey(ctx.config, key) ? key.slice(stagingPrefix(ctx.config).length) : undefined;
    const match = name === undefined ? null : /^[0-9a-f]{32}\.([a-z]+)$/.exec(name);
    const type = match ? (Object.keys(ALLOWED_IMAGE_TYPES) as AllowedImageType[]).find((t) => ALLOWED_IMAGE_TYPES[t] === match[1]) : undefined;
    if (type === undefined) {
        throw new InvalidInputError(`confirmUpload takes the s3Url of an upload form (a key under '${stagingPrefix(ctx.config)}'), got ${show(key)}`);
    }
    return type;
}

/**
 * A posted object's bytes, refused from its size (empty, or over
 * `maxUploadBytes`) before its body is read.
 */
async function readPosted(ctx: IssuerContext, key: string, s3Url: string): Promise<Uint8Array> {
    let output;
    try {
        output = await ctx.s3.send(new GetObjectCommand({ Bucket: ctx.config.bucket, Key: key }));
    } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === "NoSuchKey" || name === "NotFound") throw new NotFoundError(`no object at ${s3Url}: was the form posted?`, error);
        throw toIssuerError(error, `S3 GetObject ${s3Url}`, `bucket '${ctx.config.bucket}'`);
    }
    const body = output.Body;
    try {
        checkSize(ctx, output.ContentLength ?? 0);
    } catch (error) {
        // Refused from its declared size: the body is dropped unread.
        (body as { destroy?: () => void } | undefined)?.destroy?.();
        throw error;
    }
    let bytes: Uint8Array;
    try {
        bytes = body ? await body.transformToByteArray() : new Uint8Array();
    } catch (error) {
        throw toIssuerError(error, `S3 GetObject ${s3Url}`, `bucket '${ctx.config.bucket}'`);
    }
    checkSize(ctx, bytes.length);
    return bytes;
}

/** An explicit upload key: a safe key under the service's upload prefix, outside the staging prefix forms write to. */
function requireUploadKey(ctx: IssuerContext, key: unknown): string {
    if (typeof key !== "string" || !isSafeObjectKey(key) || !key.startsWith(ctx.config.uploadPrefix) || key.length === ctx.config.uploadPrefix.length) {
        throw new InvalidInputError(
            `upload key ${show(key)} is not allowed: it must be under '${ctx.config.uploadPrefix}', with no empty, '.' or '..' segments and no control characters`,
        );
    }
    if (isStagingKey(ctx.config, key)) {
        throw new InvalidInputError(`upload key ${show(key)} is not allowed: '${stagingPrefix(ctx.config)}' is where upload forms write, and nothing there is served`);
    }
    return key;
}

/** 128 random bits as 32 hex characters. */
function randomName(): string {
    return randomBytes(16).toString("hex");
}

/** A fresh served key: `<uploadPrefix><32 hex>.<extension>`, outside the staging prefix. */
function newUploadKey(ctx: IssuerContext, extension: string): string {
    return `${ctx.config.uploadPrefix}${randomName()}.${extension}`;
}

/** Reads an upload file: a regular file within the limit (read-file.ts), refused from what it is or its size before it is read. */
function readUploadFile(file: string, maxBytes: number): Promise<Uint8Array> {
    return readRegularFile(file, maxBytes, (refusal) => {
        switch (refusal.reason) {
            case "too-large":
                return new RefusedContentError(`refused: ${refusal.bytes} bytes is over the limit of ${maxBytes} bytes`);
            case "not-a-file":
                return new InvalidInputError(`${show(file)} is not a regular file (it is ${refusal.kind})`);
            default:
                return new InvalidInputError(`cannot read ${show(file)}${refusal.code ? ` (${refusal.code})` : ""}`, refusal.cause);
        }
    });
}

async function putObject(ctx: IssuerContext, key: string, bytes: Uint8Array, contentType: AllowedImageType): Promise<void> {
    try {
        await ctx.s3.send(
            new PutObjectCommand({ Bucket: ctx.config.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
        );
    } catch (error) {
        throw toIssuerError(error, `S3 PutObject into bucket ${ctx.config.bucket}`, `bucket '${ctx.config.bucket}'`);
    }
}

async function deleteObjectQuietly(ctx: IssuerContext, key: string): Promise<void> {
    try {
        await ctx.s3.send(new DeleteObjectCommand({ Bucket: ctx.config.bucket, Key: key }));
    } catch {
        // The original error matters more; an object left behind has no URL.
    }
}

/** A public service's CDN URL for a key: `<cdnBaseUrl>/<key>`, each segment percent-encoded. */
export function publicObjectUrl(ctx: IssuerContext, key: string): string {
    return `${ctx.config.cdnBaseUrl}/${key.split("/").map(encodeURIComponent).join("/")}`;
}
