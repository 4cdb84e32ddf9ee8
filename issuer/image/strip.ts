/**
 * Removing personal metadata from an accepted image, by its sniffed type:
 * losslessly for every format (the container is rewritten, the coded
 * pixels copied byte for byte), except an AVIF whose container the walk
 * does not handle, which is re-encoded (see avif.ts).
 */
import type { AllowedImageType } from "../content";
import { stripAvif } from "./avif";
import { stripGif } from "./gif";
import { stripJpeg } from "./jpeg";
import { stripPng } from "./png";
import type { StrippedImage } from "./stripped";
import { stripWebp } from "./webp";

/** An image without its metadata, and whether its pixels were re-encoded to get there. */
export interface MetadataRemoval extends StrippedImage {
    reencoded: boolean;
}

/** Removes an image's metadata; `RefusedContentError` when its container cannot be walked. */
export async function removeMetadata(bytes: Uint8Array, type: AllowedImageType): Promise<MetadataRemoval> {
    switch (type) {
        case "image/jpeg":
            return { ...stripJpeg(bytes), reencoded: false };
        case "image/png":
            return { ...stripPng(bytes), reencoded: false };
        case "image/webp":
            return { ...stripWebp(bytes), reencoded: false };
        case "image/gif":
            return { ...stripGif(bytes), reencoded: false };
        case "image/avif":
            return stripAvif(bytes);
    }
}
