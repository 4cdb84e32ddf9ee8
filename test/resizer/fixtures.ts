/**
 * Small images for the resizer tests, made here with sharp (or byte by byte
 * where sharp refuses to write them), so nothing binary is committed and
 * each one's oddity is stated in code.
 */
import sharp from "sharp";
import { crc32, deflateSync } from "zlib";

/** An opaque RGB image of one colour. */
export function solid(width: number, height: number, colour: string): ReturnType<typeof sharp> {
    return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** Quadrant colours of {@link quadrants}: top-left, top-right, bottom-left, bottom-right. */
export const QUADRANT_COLOURS = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
] as const;

/**
 * Raw RGB pixels of a `width`×`height` image whose four quadrants have the
 * {@link QUADRANT_COLOURS}: any rotation or mirroring shows.
 */
export function quadrantPixels(width: number, height: number): Buffer {
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const colour = QUADRANT_COLOURS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
            data.set(colour, (y * width + x) * 3);
        }
    }
    return data;
}

/**
 * Where a displayed pixel (x, y) of a `width`×`height` upright image is
 * stored in an image tagged with EXIF `orientation` (TIFF 6.0 / EXIF 2.3,
 * Orientation: how the stored rows and columns map to the displayed ones),
 * and the stored image's size.
 */
export function storedPosition(orientation: number, width: number, height: number, x: number, y: number): { sx: number; sy: number; sw: number; sh: number } {
    switch (orientation) {
        case 1:
            return { sx: x, sy: y, sw: width, sh: height };
        case 2: // mirrored left-right
            return { sx: width - 1 - x, sy: y, sw: width, sh: height };
        case 3: // rotated 180°
            return { sx: width - 1 - x, sy: height - 1 - y, sw: width, sh: height };
        case 4: // mirrored top-bottom
            return { sx: x, sy: height - 1 - y, sw: width, sh: height };
        case 5: // transposed
            return { sx: y, sy: x, sw: height, sh: width };
        case 6: // display = stored rotated 90° clockwise
            return { sx: y, sy: width - 1 - x, sw: height, sh: width };
        case 7: // transversed
            return { sx: height - 1 - y, sy: width - 1 - x, sw: height, sh: width };
        case 8: // display = stored rotated 90° anticlockwise
            return { sx: height - 1 - y, sy: x, sw: height, sh: width };
        default:
            throw new Error(`no EXIF orientation ${orientation}`);
    }
}

/** A JPEG whose stored pixels, shown with EXIF `orientation`, are the upright quadrant image `width`×`height`. */
export async function orientedJpeg(orientation: number, width: number, height: number): Promise<Buffer> {
    const upright = quadrantPixels(width, height);
    const { sw, sh } = storedPosition(orientation, width, height, 0, 0);
    const stored = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const { sx, sy } = storedPosition(orientation, width, height, x, y);
            upright.copy(stored, (sy * sw + sx) * 3, (y * width + x) * 3, (y * width + x) * 3 + 3);
        }
    }
    return sharp(stored, { raw: { width: sw, height: sh, channels: 3 } })
        // sharp writes the Orientation tag from here (an IFD0 Orientation given to withExif is replaced by 1).
        .withMetadata({ orientation })
        .jpeg({ quality: 95, chromaSubsampling: "4:4:4" })
        .toBuffer();
}

/**
 * A JPEG carrying every kind of metadata a phone photo can: EXIF (camera,
 * copyright), GPS coordinates, XMP, a Display P3 ICC profile and an IPTC
 * caption (Photoshop APP13 segment, spliced in after SOI: sharp cannot
 * write IPTC).
 */
export async function taggedPhoto(): Promise<Buffer> {
    const jpeg = await solid(320, 240, "#3070c0")
        .withExif({
            IFD0: { Make: "PhoneMaker", Model: "Phone 15", Copyright: "Someone", Software: "Camera 1.0" },
            IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2400/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 300/100" },
        })
        .withXmp(
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Someone</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>',
        )
        .withIccProfile("p3")
        .jpeg()
        .toBuffer();
    return Buffer.concat([jpeg.subarray(0, 2), iptcSegment("Taken at home, 12 Example Street"), jpeg.subarray(2)]);
}

/** An APP13 segment holding an IPTC-IIM caption (record 2, dataset 120) in a Photoshop image resource block. */
function iptcSegment(caption: string): Buffer {
    const text = Buffer.from(caption, "utf8");
    const iptc = Buffer.concat([Buffer.from([0x1c, 0x02, 0x78, text.length >> 8, text.length & 0xff]), text]);
    const padded = iptc.length % 2 === 0 ? iptc : Buffer.concat([iptc, Buffer.from([0])]);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(iptc.length);
    const resource = Buffer.concat([Buffer.from("8BIM", "latin1"), Buffer.from([0x04, 0x04, 0x00, 0x00]), size, padded]);
    const payload = Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), resource]);
    const header = Buffer.from([0xff, 0xed, 0, 0]);
    header.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([header, payload]);
}

/** A PNG chunk: length, type, data, CRC-32 of type and data (PNG specification, 5.3). */
function pngChunk(type: string, data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header claims
 * `width`×`height` RGB pixels, with one row of real data. Decoding it fully
 * would need width × height × 3 bytes.
 */
export function pngBomb(width: number, height: number): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filtering, not interlaced
    const row = Buffer.alloc(1 + width * 3);
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk("IHDR", ihdr),
        pngChunk("IDAT", deflateSync(row, { level: 9 })),
        pngChunk("IEND", Buffer.alloc(0)),
    ]);
}

/** A two-frame animated GIF, 60×40: red, then blue. */
export async function animatedGif(): Promise<Buffer> {
    const red = await sharp({ create: { width: 60, height: 40, channels: 4, background: "#ff0000" } }).png().toBuffer();
    const blue = await sharp({ create: { width: 60, height: 40, channels: 4, background: "#0000ff" } }).png().toBuffer();
    return sharp([red, blue], { join: { animated: true } }).gif({ delay: [100, 100], loop: 0 }).toBuffer();
}

/** A PNG with an alpha channel: half transparent, or every pixel opaque. */
export function alphaPng(transparent: boolean): Promise<Buffer> {
    return sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 20, g: 160, b: 60, alpha: transparent ? 0.5 : 1 } } })
        .png()
        .toBuffer();
}

/** The chunk types of a WebP file (RIFF container): where its metadata would be (`EXIF`, `XMP `, `ICCP`). */
export function webpChunks(file: Buffer): string[] {
    if (file.toString("latin1", 0, 4) !== "RIFF" || file.toString("latin1", 8, 12) !== "WEBP") throw new Error("not a WebP file");
    const types: string[] = [];
    let offset = 12;
    while (offset + 8 <= file.length) {
        const type = file.toString("latin1", offset, offset + 4);
        const size = file.readUInt32LE(offset + 4);
        types.push(type);
        offset += 8 + size + (size % 2);
    }
    return types;
}
