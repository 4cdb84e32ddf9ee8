/**
 * Removing metadata from a JPEG without touching its pixels: the segments
 * that carry metadata are left out, every table, frame header and
 * entropy-coded scan is copied byte for byte.
 *
 * Kept: JFIF APP0 (its thumbnail cleared), APP2 `ICC_PROFILE` (the colour
 * profile), APP14 `Adobe` (its colour transform flag decides how CMYK and
 * YCCK pixels decode), and every non-APP segment. Removed: EXIF (replaced by
 * an Orientation-only EXIF when the picture is rotated, see exif.ts), XMP and
 * extended XMP, IPTC/Photoshop (APP13), MPF and FlashPix (APP2), JFXX
 * thumbnails, every other APPn, comments (COM), and anything after the
 * end-of-image marker (MPF's extra images, phone trailers, appended videos).
 */
import { ascii, inspectExif, orientationExif, startsWith } from "./exif";
import { Assembly, refuse, StrippedImage } from "./stripped";

const FORMAT = "JPEG";
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

const JFIF = ascii("JFIF\0");
const JFXX = ascii("JFXX\0");
const EXIF = ascii("Exif\0");
const XMP = ascii("http://ns.adobe.com/xap/1.0/\0");
const XMP_EXTENSION = ascii("http://ns.adobe.com/xmp/extension/\0");
const ICC_PROFILE = ascii("ICC_PROFILE\0");
const MPF = ascii("MPF\0");
const FPXR = ascii("FPXR\0");
const PHOTOSHOP = ascii("Photoshop 3.0\0");
const ADOBE = ascii("Adobe");

/** Removes a JPEG's metadata; `RefusedContentError` when the bytes are not a complete JPEG stream. */
export function stripJpeg(input: Uint8Array): StrippedImage {
    if (input.length < 4 || input[0] !== 0xff || input[1] !== SOI) throw refuse(FORMAT, "it does not start with a start-of-image marker");
    const out = new Assembly();
    out.push(input.subarray(0, 2));
    let at = 2;
    let scans = 0;
    let orientationWritten = false;
    for (;;) {
        if (at >= input.length) throw refuse(FORMAT, "it ends before its end-of-image marker");
        if (input[at] !== 0xff) throw refuse(FORMAT, `no marker at byte ${at}`);
        // Any number of 0xFF fill bytes may come before a marker.
        while (at < input.length && input[at] === 0xff) at++;
        if (at >= input.length) throw refuse(FORMAT, "it ends before its end-of-image marker");
        const marker = input[at];
        const start = at - 1;
        at++;
        if (marker === EOI) {
            if (scans === 0) throw refuse(FORMAT, "it has no image data");
            out.push(Uint8Array.of(0xff, EOI));
            if (at < input.length) out.remove("trailer");
            return out.finish(input);
        }
        if (marker === 0x00 || marker === SOI) throw refuse(FORMAT, `unexpected marker 0x${marker.toString(16)} at byte ${start}`);
        if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
            // Markers without a length (RSTn, TEM).
            out.push(Uint8Array.of(0xff, marker));
            continue;
        }
        if (at + 2 > input.length) throw refuse(FORMAT, "it ends inside a segment header");
        const length = (input[at] << 8) | input[at + 1];
        if (length < 2 || at + length > input.length) throw refuse(FORMAT, `a segment at byte ${start} runs past the end`);
        const data = input.subarray(at + 2, at + length);
        const segment = Uint8Array.of(0xff, marker, ...input.subarray(at, at + 2));
        at += length;
        if (marker >= 0xe0 && marker <= 0xef) {
            const decision = appSegment(marker, data);
            if (decision.keep) {
                out.push(segment);
                out.push(data);
                if (decision.kept) out.keep(decision.kept);
            } else {
                out.remove(...decision.removed);
                if (decision.replacement) {
                    out.push(segmentOf(marker, decision.replacement));
                } else if (decision.orientation !== undefined && decision.orientation !== 1 && !orientationWritten) {
                    out.push(segmentOf(0xe1, [...EXIF, 0, ...orientationExif(decision.orientation)]));
                    out.keep("exif:orientation");
                    orientationWritten = true;
                }
            }
            continue;
        }
        if (marker === COM) {
            out.remove("comment");
            continue;
        }
        out.push(segment);
        out.push(data);
        if (marker === SOS) {
            scans++;
            const end = scanEnd(input, at);
            out.push(input.subarray(at, end));
            at = end;
        }
    }
}

/** Where the entropy-coded data after a scan header ends: at the next marker other than a stuffed 0xFF00 or RSTn. */
function scanEnd(input: Uint8Array, from: number): number {
    let at = from;
    for (;;) {
        const ff = input.indexOf(0xff, at);
        if (ff < 0 || ff + 1 >= input.length) throw refuse(FORMAT, "it ends inside its image data");
        const next = input[ff + 1];
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
            at = ff + 1;
            continue;
        }
        return ff;
    }
}

type AppDecision =
    | { keep: true; kept?: string }
    | { keep: false; removed: string[]; orientation?: number; replacement?: Uint8Array };

/** What to do with one APPn segment. */
function appSegment(marker: number, data: Uint8Array): AppDecision {
    const n = marker - 0xe0;
    if (n === 0 && startsWith(data, JFIF)) {
        // JFIF 1.02 may carry an uncompressed thumbnail after its 14 bytes of fields.
        if (data.length < 14 || (data[12] === 0 && data[13] === 0 && data.length === 14)) return { keep: true };
        const fields = data.slice(0, 14);
        fields[12] = 0;
        fields[13] = 0;
        return { keep: false, removed: ["jfif:thumbnail"], replacement: fields };
    }
    if (n === 0 && startsWith(data, JFXX)) return { keep: false, removed: ["jfif:thumbnail"] };
    if (n === 1 && startsWith(data, EXIF)) {
        const findings = inspectExif(data.subarray(6));
        if (findings.onlyOrientation) return { keep: true, kept: "exif:orientation" };
        return { keep: false, removed: findings.kinds, orientation: findings.orientation };
    }
    if (n === 1 && (startsWith(data, XMP) || startsWith(data, XMP_EXTENSION))) return { keep: false, removed: ["xmp"] };
    if (n === 2 && startsWith(data, ICC_PROFILE)) return { keep: true, kept: "icc" };
    if (n === 2 && startsWith(data, MPF)) return { keep: false, removed: ["mpf"] };
    if (n === 2 && startsWith(data, FPXR)) return { keep: false, removed: ["flashpix"] };
    if (n === 13 && startsWith(data, PHOTOSHOP)) return { keep: false, removed: ["iptc"] };
    if (n === 14 && startsWith(data, ADOBE)) return { keep: true };
    return { keep: false, removed: [`jpeg:app${n}`] };
}

/** A segment: marker, 2-byte length, data. */
function segmentOf(marker: number, data: ArrayLike<number>): Uint8Array {
    const segment = new Uint8Array(4 + data.length);
    segment.set([0xff, marker, ((data.length + 2) >> 8) & 0xff, (data.length + 2) & 0xff]);
    segment.set(data, 4);
    return segment;
}
