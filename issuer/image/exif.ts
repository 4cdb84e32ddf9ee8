/**
 * Reading just enough of an EXIF block (a TIFF structure) to say what
 * personal data it held, and writing the one EXIF block we keep: a single
 * Orientation tag.
 *
 * Orientation is kept, not applied: applying it means re-encoding the
 * pixels (lossy for JPEG and WebP), while a 26-byte EXIF with only
 * Orientation leaves them byte for byte as uploaded, and browsers and
 * libvips still show the picture upright.
 */

/** What an EXIF block held, by kind, and its orientation (1–8) if it had a valid one. */
export interface ExifFindings {
    /** Sorted kinds: always `exif`, plus `exif:gps`, `exif:device`, `exif:serial`, `exif:owner`, `exif:time`, `exif:maker-notes`, `exif:thumbnail` when present. */
    kinds: string[];
    orientation: number | undefined;
    /** True when the block holds a valid Orientation and nothing else (what we write): it is kept as it is. */
    onlyOrientation: boolean;
}

const TAG_ORIENTATION = 0x0112;
const TAG_EXIF_IFD = 0x8769;
const TAG_GPS_IFD = 0x8825;
const TAG_MAKER_NOTE = 0x927c;
/** Tags that name the device: Make, Model, Software, HostComputer, LensMake, LensModel. */
const DEVICE_TAGS = new Set([0x010f, 0x0110, 0x0131, 0x013c, 0xa433, 0xa434]);
/** Serial numbers: BodySerialNumber, LensSerialNumber, ImageUniqueID. */
const SERIAL_TAGS = new Set([0xa431, 0xa435, 0xa420]);
/** People: Artist, Copyright, CameraOwnerName, XPAuthor. */
const OWNER_TAGS = new Set([0x013b, 0x8298, 0xa430, 0x9c9d]);
/** When: DateTime, DateTimeOriginal, DateTimeDigitized. */
const TIME_TAGS = new Set([0x0132, 0x9003, 0x9004]);
/** More entries than any real IFD has: a bound on the work a hostile block can ask for. */
const MAX_ENTRIES = 1000;

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

/** The TIFF structure inside an EXIF payload that may start with `Exif\0\0` (JPEG APP1, some WebP and PNG writers). */
export function tiffOf(payload: Uint8Array): Uint8Array {
    return startsWith(payload, EXIF_HEADER) ? payload.subarray(EXIF_HEADER.length) : payload;
}

/**
 * What an EXIF block holds. Never throws: a malformed block still counts as
 * `exif` (it is removed whatever it holds), and only what could be read is
 * named beyond that.
 */
export function inspectExif(payload: Uint8Array): ExifFindings {
    const tiff = tiffOf(payload);
    const kinds = new Set<string>(["exif"]);
    const reader = tiffReader(tiff);
    if (!reader) return { kinds: [...kinds], orientation: undefined, onlyOrientation: false };
    let orientation: number | undefined;
    const ifd0 = reader.entries(reader.u32(4));
    for (const entry of ifd0.entries) {
        note(entry.tag, kinds);
        if (entry.tag === TAG_ORIENTATION && entry.type === 3 && entry.count === 1) {
            const value = reader.u16(entry.at + 8);
            if (value !== undefined && value >= 1 && value <= 8) orientation = value;
        }
        if (entry.tag === TAG_GPS_IFD) kinds.add("exif:gps");
        if (entry.tag === TAG_EXIF_IFD) {
            const offset = reader.u32(entry.at + 8);
            for (const inner of reader.entries(offset).entries) {
                note(inner.tag, kinds);
                if (inner.tag === TAG_MAKER_NOTE) kinds.add("exif:maker-notes");
            }
        }
    }
    // IFD1 is the embedded thumbnail's directory.
    if (ifd0.next !== undefined && ifd0.next !== 0 && reader.entries(ifd0.next).entries.length > 0) kinds.add("exif:thumbnail");
    const onlyOrientation = orientation !== undefined && ifd0.entries.length === 1 && ifd0.next === 0;
    return { kinds: [...kinds].sort(), orientation, onlyOrientation };
}

function note(tag: number, kinds: Set<string>): void {
    if (DEVICE_TAGS.has(tag)) kinds.add("exif:device");
    if (SERIAL_TAGS.has(tag)) kinds.add("exif:serial");
    if (OWNER_TAGS.has(tag)) kinds.add("exif:owner");
    if (TIME_TAGS.has(tag)) kinds.add("exif:time");
}

/** A big-endian TIFF structure whose IFD0 holds Orientation alone (26 bytes). */
export function orientationExif(orientation: number): Uint8Array {
    if (!Number.isInteger(orientation) || orientation < 1 || orientation > 8) throw new RangeError("orientation must be 1 to 8");
    const out = new Uint8Array(26);
    const view = new DataView(out.buffer);
    out.set([0x4d, 0x4d, 0x00, 0x2a]); // "MM", 42
    view.setUint32(4, 8); // IFD0 right after the header
    view.setUint16(8, 1); // one entry
    view.setUint16(10, TAG_ORIENTATION);
    view.setUint16(12, 3); // SHORT
    view.setUint32(14, 1); // one value, stored in the entry
    view.setUint16(18, orientation);
    view.setUint32(22, 0); // no IFD1
    return out;
}

interface Entry {
    tag: number;
    type: number;
    count: number;
    /** Offset of the entry in the TIFF structure (its value or value offset is at `at + 8`). */
    at: number;
}

interface TiffReader {
    u16(at: number): number | undefined;
    u32(at: number | undefined): number | undefined;
    entries(offset: number | undefined): { entries: Entry[]; next: number | undefined };
}

/** Bounds-checked reads of a TIFF structure; `undefined` when it has no valid header. */
function tiffReader(tiff: Uint8Array): TiffReader | undefined {
    if (tiff.length < 8) return undefined;
    const little = tiff[0] === 0x49 && tiff[1] === 0x49;
    const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
    if (!little && !big) return undefined;
    const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
    const u16 = (at: number): number | undefined => (at >= 0 && at + 2 <= tiff.length ? view.getUint16(at, little) : undefined);
    const u32 = (at: number | undefined): number | undefined => (at !== undefined && at >= 0 && at + 4 <= tiff.length ? view.getUint32(at, little) : undefined);
    if (u16(2) !== 42) return undefined;
    return {
        u16,
        u32,
        entries(offset) {
            const count = offset === undefined ? undefined : u16(offset);
            if (offset === undefined || count === undefined || count > MAX_ENTRIES) return { entries: [], next: undefined };
            const entries: Entry[] = [];
            for (let i = 0; i < count; i++) {
                const at = offset + 2 + i * 12;
                const tag = u16(at);
                const type = u16(at + 2);
                const n = u32(at + 4);
                if (tag === undefined || type === undefined || n === undefined || at + 12 > tiff.length) break;
                entries.push({ tag, type, count: n, at });
            }
            return { entries, next: u32(offset + 2 + count * 12) };
        },
    };
}

/** True when `bytes` begins with `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: readonly number[] | Uint8Array, at = 0): boolean {
    if (at + prefix.length > bytes.length) return false;
    for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
    return true;
}

/** The bytes of an ASCII string. */
export function ascii(text: string): Uint8Array {
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
