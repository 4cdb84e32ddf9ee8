/**
 * What a page needs before an image arrives: its displayed size (after the
 * EXIF orientation, as browsers show it) and a ThumbHash placeholder (a
 * blurred preview in at most 25 bytes, base64-encoded in at most 40
 * characters), computed from a decode of at most 100 × 100 pixels.
 *
 * Decoding the whole image here also proves it decodes: a file whose
 * container looks right but whose pixels do not decode is refused.
 */
import sharp from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import { RefusedContentError } from "../errors";

/** The displayed size and placeholder of an image. */
export interface ImageFacts {
    /** Displayed width in pixels (after orientation). */
    width: number;
    /** Displayed height in pixels (after orientation). */
    height: number;
    /** ThumbHash of the image, base64 (decode with `thumbHashToRGBA`). */
    placeholder: string;
}

/** ThumbHash takes images of at most 100 × 100 pixels. */
export const PLACEHOLDER_MAX_SIDE = 100;

/** The displayed size and ThumbHash of an image; `RefusedContentError` when it does not decode. */
export async function describeImage(bytes: Uint8Array, what: string): Promise<ImageFacts> {
    try {
        const metadata = await sharp(bytes).metadata();
        const width = metadata.autoOrient?.width ?? metadata.width;
        const height = metadata.autoOrient?.height ?? metadata.height;
        if (!width || !height) throw new Error("no size");
        const { data, info } = await sharp(bytes)
            .autoOrient()
            .resize(PLACEHOLDER_MAX_SIDE, PLACEHOLDER_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
            .ensureAlpha()
            .raw()
            .toBuffer({ resolveWithObject: true });
        const hash = rgbaToThumbHash(info.width, info.height, data);
        return { width, height, placeholder: Buffer.from(hash).toString("base64") };
    } catch (error) {
        throw new RefusedContentError(`refused: the content is not a decodable ${what} image`, error);
    }
}
