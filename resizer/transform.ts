/**
 * One variant of one original, with sharp (libvips).
 *
 * Safety, in order: only the formats an upload may have are read; the pixel count the header states is checked before
 * anything is decoded (`limitInputPixels`); any decoder warning refuses the
 * image (`failOn: "warning"`, sharp's strictest); only the first frame of an
 * animated image is read; the EXIF orientation is applied, so the pixels
 * are upright; colour is converted to 8-bit sRGB through the embedded
 * profile (CMYK, 16-bit, wide-gamut inputs); nothing is ever enlarged.
 * The pixels then go through a raw buffer before encoding, so no metadata
 * of the original (EXIF, GPS, XMP, IPTC, maker notes, ICC profiles,
 * embedded thumbnails) can reach any output, whatever an encoder would
 * copy. Outputs larger than a buffered Lambda response can carry are
 * refused. Every failure of the image itself is an
 * {@link UnprocessableImageError}, which the handler answers with a 422.
 */
import sharp from "sharp";
import { FALLBACK_TOKEN, VARIANT_CONTENT_TYPES, VariantFormat, VariantPreset, VariantToken } from "../core/variants";
import { AVIF_EFFORT, avifQuality } from "./limits";

// libvips' operation cache would keep decoded originals between requests
// (up to 50 MB by default): memory a function sized for one image at a time
// does not have, for results that are stored in S3 anyway.
sharp.cache(false);

/** Why an original cannot be made into a variant. */
export type UnprocessableReason = "unsupported" | "too_many_pixels" | "corrupt" | "output_too_large";

/** The original (not the service) is at fault: answered 422, cached briefly. */
export class UnprocessableImageError extends Error {
    override readonly name = "UnprocessableImageError";
    constructor(
        readonly reason: UnprocessableReason,
        message: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}

/** The bounds one transform works within. */
export interface TransformLimits {
    /** Originals with more pixels (width × height from the header) are refused before decoding. */
    limitInputPixels: number;
    /** Encoded outputs larger than this are refused, bytes. */
    maxOutputBytes: number;
}

/** An encoded variant. */
export interface VariantImage {
    body: Buffer;
    format: VariantFormat;
    contentType: string;
    width: number;
    height: number;
}

/** The transform the handler runs; injectable so tests can count or hold transforms. */
export type VariantTransform = (input: Buffer, preset: VariantPreset, token: VariantToken, limits: TransformLimits) => Promise<VariantImage>;

/**
 * Makes `preset` of `input` as `token`: AVIF, WebP, JPEG or PNG as asked;
 * for the fallback, PNG when the resized pixels have any transparency and
 * JPEG otherwise. Transparency is kept by AVIF, WebP and PNG and flattened
 * onto white for JPEG.
 */
export const makeVariant: VariantTransform = async (input, preset, token, limits) => {
    let pixels: Awaited<ReturnType<typeof resizedPixels>>;
    try {
        await requireUploadableFormat(input, limits);
        pixels = await resizedPixels(input, preset, limits);
    } catch (error) {
        throw unprocessable(error);
    }
    const { width, height, channels } = pixels.info;
    const alpha = channels === 4 || channels === 2;
    const transparent = alpha && hasTransparency(pixels.data, channels);
    const format: VariantFormat = token === FALLBACK_TOKEN ? (transparent ? "png" : "jpeg") : token;
    let image = sharp(pixels.data, { raw: { width, height, channels } });
    if (alpha && !transparent) image = image.removeAlpha();
    else if (alpha && format === "jpeg") image = image.flatten({ background: "#ffffff" });
    switch (format) {
        case "avif":
            image = image.avif({ quality: avifQuality(preset.quality), effort: AVIF_EFFORT });
            break;
        case "webp":
            image = image.webp({ quality: preset.quality });
            break;
        case "jpeg":
            image = image.jpeg({ quality: preset.quality });
            break;
        case "png":
            image = image.png();
            break;
    }
    let body: Buffer;
    try {
        body = await image.toBuffer();
    } catch (error) {
        throw unprocessable(error);
    }
    if (body.length > limits.maxOutputBytes) {
        throw new UnprocessableImageError("output_too_large", `the ${format} variant is ${body.length} bytes, over the ${limits.maxOutputBytes}-byte limit`);
    }
    return { body, format, contentType: VARIANT_CONTENT_TYPES[format], width, height };
};

/**
 * Only the formats an upload may have (JPEG, PNG, GIF, WebP, AVIF) are
 * decoded, whatever else libvips could read (SVG, PDF, TIFF…): an object
 * that got under the upload prefix some other way is refused, not rendered.
 * Reads the header only.
 */
async function requireUploadableFormat(input: Buffer, limits: TransformLimits): Promise<void> {
    const { format, compression } = await sharp(input, { failOn: "warning", limitInputPixels: limits.limitInputPixels }).metadata();
    const allowed = format === "jpeg" || format === "png" || format === "gif" || format === "webp" || (format === "heif" && compression === "av1");
    if (!allowed) throw new UnprocessableImageError("unsupported", `${format ?? "unknown"}${compression ? `/${compression}` : ""} originals are not resized`);
}

/** The original decoded (first frame), upright, resized into the preset's box and in 8-bit sRGB, as raw interleaved samples. */
function resizedPixels(input: Buffer, preset: VariantPreset, limits: TransformLimits) {
    return sharp(input, { failOn: "warning", limitInputPixels: limits.limitInputPixels, pages: 1, page: 0 })
        .rotate()
        .resize({ width: preset.width, height: preset.height, fit: preset.fit, position: "centre", withoutEnlargement: true })
        .toColourspace("srgb")
        .raw({ depth: "uchar" })
        .toBuffer({ resolveWithObject: true });
}

/** True when any pixel's alpha (the last of `channels` interleaved 8-bit samples) is below 255. */
export function hasTransparency(data: Buffer, channels: number): boolean {
    for (let i = channels - 1; i < data.length; i += channels) if (data[i] !== 255) return true;
    return false;
}

/** A sharp failure as the reason the original is refused. */
function unprocessable(error: unknown): UnprocessableImageError {
    if (error instanceof UnprocessableImageError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) return new UnprocessableImageError("too_many_pixels", message, { cause: error });
    if (/unsupported image format|empty/i.test(message)) return new UnprocessableImageError("unsupported", message, { cause: error });
    return new UnprocessableImageError("corrupt", message, { cause: error });
}
