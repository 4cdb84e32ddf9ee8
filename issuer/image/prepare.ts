/**
 * An accepted image made ready to store: its personal metadata removed
 * (unless the issuer was told not to), then its displayed size and
 * placeholder taken from the bytes that will be served.
 */
import type { AllowedImageType } from "../content";
import { describeImage, ImageFacts } from "./describe";
import { removeMetadata } from "./strip";

/** What was done to an image's metadata before it was stored. */
export interface MetadataReport {
    /** False when the issuer's `stripMetadata` option is off: the bytes are stored as uploaded. */
    stripped: boolean;
    /** What was removed, by kind, sorted: `exif`, `exif:gps`, `exif:device`, `exif:serial`, `exif:maker-notes`, `exif:thumbnail`, `xmp`, `iptc`, `comment`, `mpf`, `trailer`, … */
    removed: string[];
    /** Metadata kept on purpose: `icc` (the colour profile), `exif:orientation` (an EXIF holding only the orientation). */
    kept: string[];
    /** True when the pixels were re-encoded to remove metadata (an AVIF that carried EXIF or XMP). */
    reencoded: boolean;
}

/** The bytes to store, with what the upload result and the mapping say about them. */
export interface PreparedImage extends ImageFacts {
    bytes: Uint8Array;
    metadata: MetadataReport;
}

const NAMES: Record<AllowedImageType, string> = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/avif": "AVIF",
};

/** Removes metadata (when `stripMetadata`) and describes the result; `RefusedContentError` for an image that cannot be walked or decoded. */
export async function prepareImage(bytes: Uint8Array, type: AllowedImageType, options: { stripMetadata: boolean }): Promise<PreparedImage> {
    const removal = options.stripMetadata ? await removeMetadata(bytes, type) : undefined;
    const stored = removal ? removal.bytes : bytes;
    const facts = await describeImage(stored, NAMES[type]);
    const metadata: MetadataReport = removal
        ? { stripped: true, removed: removal.removed, kept: removal.kept, reencoded: removal.reencoded }
        : { stripped: false, removed: [], kept: [], reencoded: false };
    return { bytes: stored, ...facts, metadata };
}
