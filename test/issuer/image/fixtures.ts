/**
 * Photos as phones and editors write them, made in the test: small images
 * drawn by sharp, wrapped with the metadata each format can carry. The
 * EXIF blocks are assembled here (little-endian TIFF, unlike the
 * big-endian one the issuer writes) with GPS, device, serial, owner and
 * time tags, maker notes and an embedded thumbnail; every personal value
 * contains a marker string from {@link SECRETS}, so a byte search of the
 * stored file finds any that survived, whichever reader misses it.
 */
import sharp from "sharp";
import { crc32 } from "zlib";

/** Strings planted in the metadata: none may remain in a stripped file. */
export const SECRETS = {
    make: "SecretMake",
    model: "SecretModel-9",
    serial: "SN-4815162342",
    owner: "Alice Secretowner",
    makerNote: "MAKERNOTE-SECRET",
    xmp: "xmp-secret-creator",
    iptc: "iptc-secret-byline",
    comment: "comment-secret",
    trailer: "TRAILER-SECRET",
} as const;

/** Stored size of the drawn pictures (before orientation). */
export const WIDTH = 64;
export const HEIGHT = 48;

/**
 * RGB pixels: a red block in the stored top-left corner on a blue-green
 * gradient, so a test can see where the top-left went after orientation.
 */
export function pixels(width = WIDTH, height = HEIGHT): Buffer {
    const raw = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const at = (y * width + x) * 3;
            const red = x < width / 4 && y < height / 4;
            raw[at] = red ? 230 : 20;
            raw[at + 1] = red ? 20 : Math.round((x / width) * 200);
            raw[at + 2] = red ? 20 : Math.round((y / height) * 200) + 40;
        }
    }
    return raw;
}

function drawn(width = WIDTH, height = HEIGHT): ReturnType<typeof sharp> {
    return sharp(pixels(width, height), { raw: { width, height, channels: 3 } });
}

type Value = { type: 2; text: string } | { type: 3; values: number[] } | { type: 4; values: number[] } | { type: 5; values: [number, number][] } | { type: 7; bytes: Uint8Array };
interface Tag {
    tag: number;
    value: Value | { pointer: number };
}

const ascii = (text: string): Value => ({ type: 2, text });

/**
 * A little-endian TIFF structure from IFDs given in order (IFD0 first);
 * `{ pointer: i }` stores the offset of IFD `i`; `nextOf` links IFD0 to IFD1;
 * `thumbnail` bytes are appended and IFD1's JPEGInterchangeFormat tag points
 * at them.
 */
export function littleEndianTiff(ifds: Tag[][], options: { ifd1?: number; thumbnail?: Uint8Array } = {}): Buffer {
    const sizes = ifds.map((tags) => 2 + tags.length * 12 + 4 + tags.reduce((sum, t) => sum + extraBytes(t), 0));
    const offsets: number[] = [];
    let at = 8;
    for (const size of sizes) {
        offsets.push(at);
        at += size + (size & 1);
    }
    const thumbAt = at;
    const out = Buffer.alloc(at + (options.thumbnail?.length ?? 0));
    out.write("II", 0, "latin1");
    out.writeUInt16LE(42, 2);
    out.writeUInt32LE(8, 4);
    ifds.forEach((tags, i) => {
        let entry = offsets[i];
        let data = entry + 2 + tags.length * 12 + 4;
        out.writeUInt16LE(tags.length, entry);
        entry += 2;
        for (const { tag, value } of [...tags].sort((a, b) => a.tag - b.tag)) {
            out.writeUInt16LE(tag, entry);
            if ("pointer" in value) {
                out.writeUInt16LE(4, entry + 2);
                out.writeUInt32LE(1, entry + 4);
                out.writeUInt32LE(value.pointer === -1 ? thumbAt : offsets[value.pointer], entry + 8);
            } else {
                const bytes = encode(value);
                out.writeUInt16LE(value.type, entry + 2);
                out.writeUInt32LE(count(value), entry + 4);
                if (bytes.length <= 4) bytes.copy(out, entry + 8);
                else {
                    out.writeUInt32LE(data, entry + 8);
                    bytes.copy(out, data);
                    data += bytes.length;
                }
            }
            entry += 12;
        }
        out.writeUInt32LE(i === 0 && options.ifd1 !== undefined ? offsets[options.ifd1] : 0, entry);
    });
    options.thumbnail && Buffer.from(options.thumbnail).copy(out, thumbAt);
    return out;
}

function encode(value: Value): Buffer {
    switch (value.type) {
        case 2:
            return Buffer.from(value.text + "\0", "latin1");
        case 3:
            return Buffer.from(new Uint16Array(value.values).buffer);
        case 4:
            return Buffer.from(new Uint32Array(value.values).buffer);
        case 5:
            return Buffer.from(new Uint32Array(value.values.flat()).buffer);
        case 7:
            return Buffer.from(value.bytes);
    }
}

function count(value: Value): number {
    switch (value.type) {
        case 2:
            return value.text.length + 1;
        case 3:
        case 4:
        case 5:
            return value.values.length;
        case 7:
            return value.bytes.length;
    }
}

function extraBytes(tag: Tag): number {
    if ("pointer" in tag.value) return 0;
    const size = encode(tag.value).length;
    return size > 4 ? size : 0;
}

/** A phone's EXIF: device, serial, owner, time, GPS, maker notes, orientation and (with `thumbnail`) IFD1 with a JPEG thumbnail. */
export function phoneExif(orientation: number, thumbnail?: Uint8Array): Buffer {
    const ifd0: Tag[] = [
        { tag: 0x010f, value: ascii(SECRETS.make) },
        { tag: 0x0110, value: ascii(SECRETS.model) },
        { tag: 0x0112, value: { type: 3, values: [orientation] } },
        { tag: 0x013b, value: ascii(SECRETS.owner) },
        { tag: 0x0132, value: ascii("2025:06:01 12:34:56") },
        { tag: 0x8769, value: { pointer: 1 } },
        { tag: 0x8825, value: { pointer: 2 } },
    ];
    const exifIfd: Tag[] = [
        { tag: 0x9003, value: ascii("2025:06:01 12:34:56") },
        { tag: 0xa431, value: ascii(SECRETS.serial) },
        { tag: 0x927c, value: { type: 7, bytes: Buffer.from(`${SECRETS.makerNote}\0binary-blob-0123456789`, "latin1") } },
    ];
    const gps: Tag[] = [
        { tag: 0x0001, value: ascii("N") },
        { tag: 0x0002, value: { type: 5, values: [[51, 1], [30, 1], [2628, 100]] } },
        { tag: 0x0003, value: ascii("W") },
        { tag: 0x0004, value: { type: 5, values: [[0, 1], [7, 1], [3960, 100]] } },
    ];
    if (!thumbnail) return littleEndianTiff([ifd0, exifIfd, gps]);
    const ifd1: Tag[] = [
        { tag: 0x0103, value: { type: 3, values: [6] } },
        { tag: 0x0201, value: { pointer: -1 } },
        { tag: 0x0202, value: { type: 4, values: [thumbnail.length] } },
    ];
    return littleEndianTiff([ifd0, exifIfd, gps, ifd1], { ifd1: 3, thumbnail });
}

/** An XMP packet naming a creator and a place. */
export function xmpPacket(): string {
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.4380N">` +
        `<dc:creator><rdf:Seq><rdf:li>${SECRETS.xmp}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`
    );
}

function jpegSegment(marker: number, data: Buffer): Buffer {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(data.length + 2, 2);
    return Buffer.concat([head, data]);
}

/** A 16×12 JPEG, the kind a phone embeds as a thumbnail. */
export async function thumbnailJpeg(): Promise<Buffer> {
    return drawn(16, 12).jpeg({ quality: 60 }).toBuffer();
}

/**
 * A phone JPEG: JFIF, EXIF (GPS, device, serial, maker notes, orientation,
 * a thumbnail in IFD1), XMP, a Display P3 ICC profile, IPTC (APP13), MPF with
 * a second image after the end-of-image marker, a comment, and a trailer.
 */
export async function phoneJpeg(orientation = 6): Promise<Buffer> {
    const plain = await drawn().jpeg({ quality: 85 }).withIccProfile("p3").toBuffer();
    // sharp writes SOI, the ICC profile (APP2), then tables and the image: EXIF and the rest go after the profile.
    const app0End = 2 + 2 + plain.readUInt16BE(4); // the end of the first segment
    const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), phoneExif(orientation, await thumbnailJpeg())]));
    const xmp = jpegSegment(0xe1, Buffer.concat([Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1"), Buffer.from(xmpPacket(), "utf8")]));
    const iptcRecord = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50, 0x00, SECRETS.iptc.length]), Buffer.from(SECRETS.iptc, "latin1")]);
    const irb = Buffer.concat([Buffer.from("8BIM", "latin1"), Buffer.from([0x04, 0x04, 0, 0]), u32be(iptcRecord.length), iptcRecord]);
    const iptc = jpegSegment(0xed, Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), irb]));
    const mpf = jpegSegment(0xe2, Buffer.from("MPF\0MM\0*\0\0\0\x08\0\0", "latin1"));
    const comment = jpegSegment(0xfe, Buffer.from(`${SECRETS.comment} shot at home`, "latin1"));
    const second = await drawn(32, 24).jpeg().withExif({ IFD0: { Make: SECRETS.make } }).toBuffer();
    return Buffer.concat([
        plain.subarray(0, app0End),
        exif,
        xmp,
        mpf,
        iptc,
        comment,
        plain.subarray(app0End),
        // After the end-of-image marker: the MPF's second image and a phone's trailer.
        second,
        Buffer.from(`${SECRETS.trailer}\0`, "latin1"),
    ]);
}

function u32be(value: number): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value);
    return out;
}

/** A PNG chunk with its CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    return Buffer.concat([u32be(data.length), body, u32be(crc32(body) >>> 0)]);
}

/**
 * A PNG with a Display P3 profile (iCCP), eXIf (GPS, device, orientation),
 * tEXt (author, comment), iTXt XMP and tIME, and bytes after IEND.
 */
export async function textPng(orientation = 6): Promise<Buffer> {
    const plain = await drawn().png().withIccProfile("p3").toBuffer();
    const afterIhdr = 8 + 25;
    const extra = Buffer.concat([
        pngChunk("eXIf", phoneExif(orientation)),
        pngChunk("tEXt", Buffer.from(`Author\0${SECRETS.owner}`, "latin1")),
        pngChunk("tEXt", Buffer.from(`Comment\0${SECRETS.comment}`, "latin1")),
        pngChunk("iTXt", Buffer.concat([Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"), Buffer.from(xmpPacket(), "utf8")])),
        pngChunk("tIME", Buffer.from([0x07, 0xe9, 6, 1, 12, 34, 56])),
    ]);
    return Buffer.concat([plain.subarray(0, afterIhdr), extra, plain.subarray(afterIhdr), Buffer.from(SECRETS.trailer, "latin1")]);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
    const head = Buffer.alloc(8);
    head.write(fourcc, 0, "latin1");
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** The chunks of a RIFF/WebP file after its 12-byte header, as fourcc → data. */
export function webpChunks(webp: Buffer): { fourcc: string; data: Buffer }[] {
    const chunks: { fourcc: string; data: Buffer }[] = [];
    for (let at = 12; at + 8 <= webp.length; ) {
        const size = webp.readUInt32LE(at + 4);
        chunks.push({ fourcc: webp.toString("latin1", at, at + 4), data: webp.subarray(at + 8, at + 8 + size) });
        at += 8 + size + (size & 1);
    }
    return chunks;
}

/**
 * An extended WebP: VP8X with the ICC, EXIF and XMP flags, ICCP (Display P3),
 * the VP8 image, EXIF (GPS, device, orientation) and XMP, as libwebp lays
 * them out.
 */
export async function phoneWebp(orientation = 6): Promise<Buffer> {
    const simple = await drawn().webp({ quality: 80 }).toBuffer();
    const withIcc = await drawn().webp({ quality: 80 }).withIccProfile("p3").toBuffer();
    const icc = webpChunks(withIcc).find((c) => c.fourcc === "ICCP")?.data;
    const vp8 = webpChunks(simple).find((c) => c.fourcc === "VP8 ")?.data;
    if (!icc || !vp8) throw new Error("sharp wrote no ICCP or VP8 chunk");
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x20 | 0x08 | 0x04; // ICC, EXIF, XMP
    vp8x.writeUIntLE(WIDTH - 1, 4, 3);
    vp8x.writeUIntLE(HEIGHT - 1, 7, 3);
    const body = Buffer.concat([
        Buffer.from("WEBP", "latin1"),
        riffChunk("VP8X", vp8x),
        riffChunk("ICCP", icc),
        riffChunk("VP8 ", vp8),
        riffChunk("EXIF", phoneExif(orientation)),
        riffChunk("XMP ", Buffer.from(xmpPacket(), "utf8")),
    ]);
    const head = Buffer.alloc(8);
    head.write("RIFF", 0, "latin1");
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body]);
}

/** GIF data sub-blocks for `data`, ending with the zero-length terminator. */
function subBlocks(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    for (let at = 0; at < data.length; at += 255) {
        const piece = data.subarray(at, at + 255);
        parts.push(Buffer.from([piece.length]), piece);
    }
    return Buffer.concat([...parts, Buffer.from([0])]);
}

/** The looping application extension (loop forever). */
export const NETSCAPE_LOOP = Buffer.from("21ff0b4e45545343415045322e300301000000", "hex");

/**
 * A GIF with the looping extension (kept), a comment, an XMP application
 * extension, a plain-text extension, and bytes after the trailer.
 */
export async function commentGif(): Promise<Buffer> {
    const plain = await drawn().gif().toBuffer();
    const table = plain[10] & 0x80 ? 3 * (1 << ((plain[10] & 7) + 1)) : 0;
    const head = 13 + table;
    const comment = Buffer.concat([Buffer.from([0x21, 0xfe]), subBlocks(Buffer.from(`${SECRETS.comment} at home`, "latin1"))]);
    const xmp = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from("XMP DataXMP", "latin1"), subBlocks(Buffer.from(xmpPacket(), "utf8"))]);
    const plainText = Buffer.concat([Buffer.from([0x21, 0x01, 12, 0, 0, 0, 0, 8, 0, 8, 0, 8, 8, 1, 0]), subBlocks(Buffer.from(SECRETS.owner, "latin1"))]);
    const trailerAt = plain.length - 1;
    return Buffer.concat([
        plain.subarray(0, head),
        NETSCAPE_LOOP,
        comment,
        xmp,
        plainText,
        plain.subarray(head, trailerAt),
        plain.subarray(trailerAt),
        Buffer.from(SECRETS.trailer, "latin1"),
    ]);
}

/** An AVIF with EXIF (GPS, device), XMP and a Display P3 profile, as sharp (libheif) writes them. */
export async function phoneAvif(): Promise<Buffer> {
    return drawn()
        .avif({ quality: 70 })
        .withIccProfile("p3")
        .withExif({ IFD0: { Make: SECRETS.make, Model: SECRETS.model }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 2628/100" } })
        .withXmp(xmpPacket())
        .toBuffer();
}

/** Where `marker` occurs in `bytes` (latin1 and UTF-16 little-endian), or -1. */
export function findText(bytes: Uint8Array, marker: string): number {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const latin = buffer.indexOf(Buffer.from(marker, "latin1"));
    return latin >= 0 ? latin : buffer.indexOf(Buffer.from(marker, "utf16le"));
}
