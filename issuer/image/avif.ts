/**
 * AVIF keeps its EXIF and XMP as items of the ISOBMFF `meta` box, with
 * their bytes in `mdat` and their places in `iinf`, `iloc` and `iref`:
 * removing them without re-encoding means rewriting those tables and every
 * offset after them. Instead, an AVIF that carries EXIF or XMP is
 * re-encoded with sharp (libheif) at quality 90 with its colour profile;
 * one that carries neither is stored as uploaded. The decoder applies the
 * file's rotation and mirroring (`irot`, `imir`) on reading, so the new file
 * is upright without them. An image sequence keeps its primary image only.
 */
import sharp from "sharp";
import { inspectExif } from "./exif";
import { refuse, StrippedImage } from "./stripped";

/** The quality a metadata-carrying AVIF is re-encoded at (sharp's scale, 1–100). */
export const AVIF_REENCODE_QUALITY = 90;

/** An AVIF without EXIF and XMP: re-encoded when it had either, else the input itself. */
export async function stripAvif(input: Uint8Array): Promise<StrippedImage & { reencoded: boolean }> {
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

/** The TIFF header inside an EXIF payload of unknown framing: the first `II*\0` or `MM\0*` in its opening bytes. */
function tiffStart(exif: Uint8Array): Uint8Array {
    for (let at = 0; at + 4 <= Math.min(exif.length, 16); at++) {
        const b = exif.subarray(at, at + 4);
        if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) {
            return exif.subarray(at);
        }
    }
    return exif;
}
