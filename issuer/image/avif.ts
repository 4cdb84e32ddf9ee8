/**
 * AVIF metadata removal. The container is rewritten without its EXIF and
 * XMP items, thumbnails and unknown boxes (avif-container.ts): the coded
 * image bytes are copied as they are, so the pixels are unchanged and the
 * file only shrinks. Only a file that walk does not handle (an image
 * sequence, items built from other items' bytes or kept in another file, an
 * essential property it does not know, a malformed box) is re-encoded
 * instead, as the fallback that refuses nothing sharp can decode: with
 * sharp (libheif, AV1) at quality 90 with its colour profile, when it
 * carries EXIF or XMP; one that carries neither is stored as uploaded. The
 * decoder applies the file's rotation and mirroring (`irot`, `imir`) on
 * reading, so a re-encoded file is upright without them; an image sequence
 * keeps its primary image only.
 */
import sharp from "sharp";
import { RefusedContentError } from "../errors";
import { stripAvifContainer, tiffStart } from "./avif-container";
import { inspectExif } from "./exif";
import { refuse, StrippedImage } from "./stripped";

/** The quality an AVIF the container walk cannot rewrite is re-encoded at (sharp's scale, 1–100), when it carries EXIF or XMP. */
export const AVIF_REENCODE_QUALITY = 90;

/** An AVIF without EXIF and XMP: rewritten losslessly, or re-encoded when its container cannot be walked (`reencoded`). */
export async function stripAvif(input: Uint8Array): Promise<StrippedImage & { reencoded: boolean }> {
    try {
        return { ...stripAvifContainer(input), reencoded: false };
    } catch (error) {
        if (!(error instanceof RefusedContentError)) throw error;
        return reencodeAvif(input);
    }
}

/** The fallback: re-encoded when it carried EXIF or XMP, else the input itself; refused when sharp cannot decode it. */
export async function reencodeAvif(input: Uint8Array): Promise<StrippedImage & { reencoded: boolean }> {
    let exif: Buffer | undefined;
    let xmp: Buffer | undefined;
    let icc: Buffer | undefined;
    try {
        ({ exif, xmp, icc } = await sharp(input).metadata());
    } catch (error) {
        throw refuse("AVIF", "it cannot be decoded", error);
    }
    const kept = icc ? ["icc"] : [];
    if (!exif && !xmp) return { bytes: input, removed: [], kept, reencoded: false };
    const removed = new Set<string>();
    // libheif hands the EXIF item over with its 4-byte header offset, which may point past `Exif\0\0`.
    if (exif) for (const kind of inspectExif(tiffStart(exif)).kinds) removed.add(kind);
    if (xmp) removed.add("xmp");
    let bytes: Buffer;
    try {
        bytes = await sharp(input).keepIccProfile().avif({ quality: AVIF_REENCODE_QUALITY }).toBuffer();
    } catch (error) {
        throw refuse("AVIF", "it cannot be re-encoded", error);
    }
    return { bytes, removed: [...removed].sort(), kept, reencoded: true };
}
