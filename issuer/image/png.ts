/**
 * Removing metadata from a PNG (animated PNG included) without touching its
 * pixels: chunks are kept from an allowlist of what decoding and colour
 * need, copied with their CRCs; every other chunk is left out.
 *
 * Kept: the critical chunks, transparency, colour (iCCP, sRGB, gAMA, cHRM,
 * cICP, mDCv, cLLi, sBIT), background, physical size, palettes and
 * histograms, and APNG's animation chunks. Removed: eXIf (replaced by an
 * Orientation-only eXIf when the picture is rotated), text (tEXt, zTXt,
 * iTXt, where XMP and ImageMagick's raw EXIF/IPTC profiles live), tIME,
 * dSIG, C2PA manifests, private chunks, and anything after IEND.
 */
import { crc32 } from "zlib";
import { ascii, inspectExif, orientationExif } from "./exif";
import { Assembly, refuse, StrippedImage } from "./stripped";

const FORMAT = "PNG";
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const CRITICAL = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
const KEPT = new Set(["tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCv", "cLLi", "sBIT", "bKGD", "pHYs", "hIST", "sPLT", "acTL", "fcTL", "fdAT"]);
/** Text keywords that name what a text chunk carries (XMP; ImageMagick's raw profiles). */
const TEXT_KINDS: Record<string, string> = {
    "XML:com.adobe.xmp": "xmp",
    "Raw profile type exif": "exif",
    "Raw profile type APP1": "exif",
    "Raw profile type xmp": "xmp",
    "Raw profile type iptc": "iptc",
    "Raw profile type 8bim": "iptc",
    Comment: "comment",
};
const OTHER_KINDS: Record<string, string> = { tIME: "png:time", dSIG: "png:signature", caBX: "c2pa" };
/** PNG's own bound on a chunk's length. */
const MAX_CHUNK = 0x7fffffff;

/** Removes a PNG's metadata; `RefusedContentError` when the bytes are not a complete PNG with valid chunks. */
export function stripPng(input: Uint8Array): StrippedImage {
    if (!startsWithSignature(input)) throw refuse(FORMAT, "it does not start with the PNG signature");
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const out = new Assembly();
    out.push(input.subarray(0, SIGNATURE.length));
    let at = SIGNATURE.length;
    let first = true;
    let images = 0;
    let orientationWritten = false;
    for (;;) {
        if (at + 12 > input.length) throw refuse(FORMAT, "it ends before its IEND chunk");
        const length = view.getUint32(at);
        const type = String.fromCharCode(input[at + 4], input[at + 5], input[at + 6], input[at + 7]);
        if (!/^[A-Za-z]{4}$/.test(type)) throw refuse(FORMAT, `a chunk at byte ${at} has an invalid type`);
        if (length > MAX_CHUNK || at + 12 + length > input.length) throw refuse(FORMAT, `the ${type} chunk at byte ${at} runs past the end`);
        const whole = input.subarray(at, at + 12 + length);
        const data = input.subarray(at + 8, at + 8 + length);
        if (crc32(input.subarray(at + 4, at + 8 + length)) >>> 0 !== view.getUint32(at + 8 + length)) {
            throw refuse(FORMAT, `the ${type} chunk at byte ${at} has a bad CRC`);
        }
        at += 12 + length;
        if (first && type !== "IHDR") throw refuse(FORMAT, "its first chunk is not IHDR");
        first = false;
        if (CRITICAL.has(type) || KEPT.has(type)) {
            out.push(whole);
            if (type === "iCCP") out.keep("icc");
            if (type === "IDAT") images++;
            if (type === "IEND") {
                if (images === 0) throw refuse(FORMAT, "it has no image data");
                if (at < input.length) out.remove("trailer");
                return out.finish(input);
            }
            continue;
        }
        // An unknown critical chunk (upper-case first letter) means decoders must give up: so do we.
        if (type.charCodeAt(0) < 0x61) throw refuse(FORMAT, `it has an unknown critical chunk ${type}`);
        if (type === "eXIf") {
            const findings = inspectExif(data);
            if (findings.onlyOrientation && !orientationWritten) {
                out.push(whole);
                out.keep("exif:orientation");
                orientationWritten = true;
                continue;
            }
            out.remove(...findings.kinds);
            if (findings.orientation !== undefined && findings.orientation !== 1 && !orientationWritten) {
                out.push(chunk("eXIf", orientationExif(findings.orientation)));
                out.keep("exif:orientation");
                orientationWritten = true;
            }
            continue;
        }
        if (type === "tEXt" || type === "zTXt" || type === "iTXt") {
            out.remove(TEXT_KINDS[keyword(data)] ?? "png:text");
            continue;
        }
        out.remove(OTHER_KINDS[type] ?? `png:${type}`);
    }
}

function startsWithSignature(input: Uint8Array): boolean {
    return input.length >= SIGNATURE.length && SIGNATURE.every((byte, i) => input[i] === byte);
}

/** A text chunk's keyword: Latin-1 up to the first NUL (at most 79 bytes). */
function keyword(data: Uint8Array): string {
    const end = data.indexOf(0);
    return String.fromCharCode(...data.subarray(0, end < 0 ? Math.min(data.length, 79) : Math.min(end, 79)));
}

/** A chunk: length, type, data, CRC over type and data. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(ascii(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)) >>> 0);
    return out;
}
