/**
 * Removing metadata from a GIF without touching its pixels: the header,
 * colour tables and image blocks are copied byte for byte, and of the
 * extensions only those that change how the image shows are kept: graphic
 * control (frame delays, transparency), the looping application extension
 * (`NETSCAPE2.0`, and `ANIMEXTS1.0`, its older name) and the ICC profile
 * application extension (`ICCRGBG1012`). Comments, XMP and every other
 * application or plain-text extension are left out, and so is anything
 * after the trailer.
 */
import { ascii, startsWith } from "./exif";
import { Assembly, refuse, StrippedImage } from "./stripped";

const FORMAT = "GIF";
const GIF87A = ascii("GIF87a");
const GIF89A = ascii("GIF89a");
const IMAGE = 0x2c;
const EXTENSION = 0x21;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;
const COMMENT = 0xfe;
const APPLICATION = 0xff;
const PLAIN_TEXT = 0x01;
const LOOPING = new Set(["NETSCAPE2.0", "ANIMEXTS1.0"]);
const APPLICATION_KINDS: Record<string, string> = { "XMP DataXMP": "xmp", "MGKIPTC0000": "iptc", "MGK8BIM0000": "iptc" };

/** Removes a GIF's metadata; `RefusedContentError` when the bytes are not a complete GIF. */
export function stripGif(input: Uint8Array): StrippedImage {
    if (input.length < 13 || !(startsWith(input, GIF87A) || startsWith(input, GIF89A))) throw refuse(FORMAT, "it does not start with a GIF header");
    const out = new Assembly();
    let at = 13 + colourTableSize(input[10]);
    if (at > input.length) throw refuse(FORMAT, "it ends inside its global colour table");
    out.push(input.subarray(0, at));
    let images = 0;
    for (;;) {
        if (at >= input.length) throw refuse(FORMAT, "it ends before its trailer");
        const start = at;
        const introducer = input[at];
        if (introducer === TRAILER) {
            if (images === 0) throw refuse(FORMAT, "it has no image");
            out.push(input.subarray(at, at + 1));
            if (at + 1 < input.length) out.remove("trailer");
            return out.finish(input);
        }
        if (introducer === IMAGE) {
            if (at + 10 > input.length) throw refuse(FORMAT, `an image descriptor at byte ${at} runs past the end`);
            at += 10 + colourTableSize(input[at + 9]);
            // The LZW minimum code size, then the data sub-blocks.
            at = subBlocksEnd(input, at + 1);
            out.push(input.subarray(start, at));
            images++;
            continue;
        }
        if (introducer !== EXTENSION) throw refuse(FORMAT, `unexpected byte 0x${introducer.toString(16)} at byte ${at}`);
        if (at + 2 > input.length) throw refuse(FORMAT, "it ends inside an extension");
        const label = input[at + 1];
        at = subBlocksEnd(input, at + 2);
        const block = input.subarray(start, at);
        if (label === GRAPHIC_CONTROL) {
            out.push(block);
        } else if (label === APPLICATION) {
            const identifier = applicationIdentifier(block);
            if (LOOPING.has(identifier)) {
                out.push(block);
            } else if (identifier === "ICCRGBG1012") {
                out.push(block);
                out.keep("icc");
            } else {
                out.remove(APPLICATION_KINDS[identifier] ?? "gif:application");
            }
        } else if (label === COMMENT) {
            out.remove("comment");
        } else if (label === PLAIN_TEXT) {
            out.remove("gif:plain-text");
        } else {
            out.remove("gif:extension");
        }
    }
}

/** Bytes of the colour table a packed-fields byte announces (0 when its flag is clear). */
function colourTableSize(packed: number): number {
    return packed & 0x80 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;
}

/** The position after a run of data sub-blocks starting at `at` (each a length byte and that many bytes; a zero length ends it). */
function subBlocksEnd(input: Uint8Array, at: number): number {
    for (;;) {
        if (at >= input.length) throw refuse(FORMAT, "it ends inside a data block");
        const size = input[at];
        at += 1 + size;
        if (size === 0) return at;
    }
}

/** The 11-byte identifier and authentication code of an application extension (its first sub-block), or "" when it has none. */
function applicationIdentifier(block: Uint8Array): string {
    if (block.length < 14 || block[2] !== 11) return "";
    return String.fromCharCode(...block.subarray(3, 14));
}
