/**
 * Removing metadata from a WebP without touching its pixels: RIFF chunks are
 * kept from an allowlist (the VP8X header, ICCP, ANIM, ANMF, ALPH, VP8,
 * VP8L), the EXIF and XMP chunks and any unknown chunk are left out, the
 * VP8X flags are made to say what is left, and the RIFF size is written
 * for the new length. Anything after the RIFF's declared end is dropped.
 *
 * A rotated picture keeps an Orientation-only EXIF chunk (see exif.ts). A
 * simple (VP8X-less) WebP cannot carry EXIF, so there is nothing to keep.
 */
import { ascii, inspectExif, orientationExif, startsWith } from "./exif";
import { Assembly, refuse, StrippedImage } from "./stripped";

const FORMAT = "WebP";
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");
const KEPT = new Set(["VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L"]);
const IMAGE = new Set(["VP8 ", "VP8L", "ANMF"]);
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;

/** Removes a WebP's metadata; `RefusedContentError` when the bytes are not a complete RIFF/WebP file. */
export function stripWebp(input: Uint8Array): StrippedImage {
    if (input.length < 12 || !startsWith(input, RIFF) || !startsWith(input, WEBP, 8)) throw refuse(FORMAT, "it is not a RIFF/WEBP file");
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const riffEnd = 8 + view.getUint32(4, true);
    if (riffEnd > input.length) throw refuse(FORMAT, "it ends before the size its RIFF header declares");
    const chunks: { fourcc: string; whole: Uint8Array }[] = [];
    const out = new Assembly();
    let at = 12;
    let images = 0;
    let extended = false;
    let orientation: number | undefined;
    /** An EXIF chunk holding Orientation alone was kept as it is. */
    let orientationKept = false;
    while (at < riffEnd) {
        if (at + 8 > riffEnd) throw refuse(FORMAT, `a chunk header at byte ${at} runs past the end`);
        const fourcc = String.fromCharCode(input[at], input[at + 1], input[at + 2], input[at + 3]);
        const size = view.getUint32(at + 4, true);
        const padded = size + (size & 1);
        if (at + 8 + padded > riffEnd) throw refuse(FORMAT, `the ${JSON.stringify(fourcc)} chunk at byte ${at} runs past the end`);
        const whole = input.subarray(at, at + 8 + padded);
        const data = input.subarray(at + 8, at + 8 + size);
        if (at === 12) {
            if (!["VP8X", "VP8 ", "VP8L"].includes(fourcc)) throw refuse(FORMAT, "its first chunk is not VP8X, VP8 or VP8L");
            extended = fourcc === "VP8X";
            if (extended && size < 10) throw refuse(FORMAT, "its VP8X chunk is too short");
        }
        at += 8 + padded;
        if (KEPT.has(fourcc)) {
            if (fourcc === "VP8X" && at - padded - 8 !== 12) throw refuse(FORMAT, "it has a second VP8X chunk");
            chunks.push({ fourcc, whole });
            if (IMAGE.has(fourcc)) images++;
            if (fourcc === "ICCP") out.keep("icc");
            continue;
        }
        if (fourcc === "EXIF") {
            const findings = inspectExif(data);
            if (findings.onlyOrientation && extended && !orientationKept) {
                chunks.push({ fourcc, whole });
                out.keep("exif:orientation");
                orientationKept = true;
                continue;
            }
            out.remove(...findings.kinds);
            orientation ??= findings.orientation;
        } else if (fourcc === "XMP ") {
            out.remove("xmp");
        } else {
            out.remove(`webp:${fourcc.trim() || "unnamed"}`);
        }
    }
    if (images === 0) throw refuse(FORMAT, "it has no image data");
    if (riffEnd < input.length) out.remove("trailer");
    if (!out.changed) return out.finish(input);

    const addOrientation = extended && !orientationKept && orientation !== undefined && orientation !== 1;
    if (addOrientation) {
        const exif = orientationExif(orientation as number);
        const header = new Uint8Array(8 + exif.length);
        header.set(ascii("EXIF"));
        new DataView(header.buffer).setUint32(4, exif.length, true);
        header.set(exif, 8);
        chunks.push({ fourcc: "EXIF", whole: header });
        out.keep("exif:orientation");
    }
    const body = chunks.map(({ fourcc, whole }) => {
        if (fourcc !== "VP8X") return whole;
        const vp8x = whole.slice();
        vp8x[8] = (vp8x[8] & ~(FLAG_EXIF | FLAG_XMP)) | (addOrientation || orientationKept ? FLAG_EXIF : 0);
        return vp8x;
    });
    const size = 4 + body.reduce((sum, part) => sum + part.length, 0);
    const header = new Uint8Array(12);
    header.set(RIFF);
    new DataView(header.buffer).setUint32(4, size, true);
    header.set(WEBP, 8);
    out.push(header);
    body.forEach((part) => out.push(part));
    return out.finish(input);
}
