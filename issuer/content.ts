/**
 * What may be uploaded, judged by the bytes (magic numbers via `file-type`),
 * never by a file name or a declared type.
 *
 * `file-type` 21 is an ES module. This project compiles to CommonJS, so the
 * import below becomes `require("file-type")`, which Node loads through
 * require(esm) (on by default from Node 20.19, the package's engines floor;
 * the package's `module-sync` export condition points at the same file).
 * Type checking works under `moduleResolution: node` because the package has
 * an `index.d.ts` at its root.
 */
import { fileTypeFromBuffer } from "file-type";
import { InvalidInputError, RefusedContentError } from "./errors";

/** The image types accepted, with the extension used for new keys. */
export const ALLOWED_IMAGE_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
} as const;

export type AllowedImageType = keyof typeof ALLOWED_IMAGE_TYPES;

/** A sniffed, allowed image. */
export interface SniffedImage {
    contentType: AllowedImageType;
    extension: string;
}

/** `file-type` types stored as one of the allowed types: an animated PNG is a valid PNG. */
const STORED_AS: Record<string, AllowedImageType> = { "image/apng": "image/png" };

const ALLOWED_LIST = "JPEG, PNG, GIF, WebP or AVIF";

export function isAllowedImageType(value: unknown): value is AllowedImageType {
    return typeof value === "string" && Object.prototype.hasOwnProperty.call(ALLOWED_IMAGE_TYPES, value);
}

/**
 * The image type of `bytes`, or `RefusedContentError` for empty input, input
 * over `maxBytes`, and anything that is not JPEG, PNG, GIF, WebP or AVIF by its
 * content. SVG is refused: it is XML that can carry script.
 */
export async function sniffImage(bytes: Uint8Array, maxBytes: number): Promise<SniffedImage> {
    if (bytes.length === 0) throw new RefusedContentError("refused: the content is empty");
    if (bytes.length > maxBytes) throw new RefusedContentError(`refused: ${bytes.length} bytes is over the limit of ${maxBytes} bytes`);
    let detected: { mime: string } | undefined;
    try {
        detected = await fileTypeFromBuffer(bytes);
    } catch (error) {
        // A truncated or corrupt container can make a detector throw: not an image we accept.
        throw new RefusedContentError(`refused: the content is not a ${ALLOWED_LIST} image`, error);
    }
    const mime = detected ? STORED_AS[detected.mime] ?? detected.mime : undefined;
    if (mime !== undefined && isAllowedImageType(mime)) return { contentType: mime, extension: ALLOWED_IMAGE_TYPES[mime] };
    if (looksLikeMarkup(bytes)) {
        throw new RefusedContentError(`refused: the content is SVG or other markup (it can carry script); only ${ALLOWED_LIST} images are accepted`);
    }
    const what = mime === undefined ? "of an unrecognised type" : `${mime}`;
    throw new RefusedContentError(`refused: the content is ${what}; only ${ALLOWED_LIST} images are accepted`);
}

/** A declared content type for an upload form: must be one of the allowed image types. */
export function requireAllowedImageType(contentType: unknown): AllowedImageType {
    if (typeof contentType !== "string") throw new InvalidInputError("contentType must be a string like 'image/png'");
    const normalised = contentType.trim().toLowerCase();
    if (!isAllowedImageType(normalised)) {
        const shown = normalised.length > 60 ? normalised.slice(0, 57) + "..." : normalised;
        throw new RefusedContentError(`refused: content type '${shown}' is not allowed; only ${ALLOWED_LIST} images are accepted`);
    }
    return normalised;
}

/** Text that starts like XML/HTML/SVG after an optional BOM and whitespace. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
    const head = Buffer.from(bytes.subarray(0, 1024)).toString("utf8").replace(/^\uFEFF/, "").trimStart().toLowerCase();
    return head.startsWith("<") && /<(svg|\?xml|!doctype|html|script)/.test(head);
}
