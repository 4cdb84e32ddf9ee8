/**
 * A small, valid PNG made in code, for the sample image the local stack
 * seeds per service: 8-bit RGB, one IDAT, drawn as a two-colour checker so
 * each service's sample is recognisable. Node's zlib gives the deflate
 * stream and the CRC-32; the chunk layout is PNG's (RFC 2083).
 */
import { crc32, deflateSync } from "zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData) >>> 0);
    return Buffer.concat([length, typeAndData, crc]);
}

export type Rgb = readonly [number, number, number];

export interface CheckerOptions {
    width: number;
    height: number;
    /** Side of one checker square, pixels. */
    square: number;
    colors: readonly [Rgb, Rgb];
}

/** An RGB PNG of a checkerboard. */
export function checkerPng(options: CheckerOptions): Buffer {
    const { width, height, square, colors } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 4096 || height > 4096) {
        throw new Error("PNG size must be 1-4096 pixels each way");
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8; // bit depth
    header[9] = 2; // colour type: RGB
    header[10] = 0; // deflate
    header[11] = 0; // adaptive filtering
    header[12] = 0; // no interlace
    const rowBytes = 1 + width * 3;
    const raw = Buffer.alloc(rowBytes * height);
    for (let y = 0; y < height; y++) {
        raw[y * rowBytes] = 0; // filter: none
        for (let x = 0; x < width; x++) {
            const color = colors[(Math.floor(x / square) + Math.floor(y / square)) % 2];
            raw.set(color, y * rowBytes + 1 + x * 3);
        }
    }
    return Buffer.concat([SIGNATURE, chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** A colour derived from a name, so each service's sample looks different. */
export function colorFor(name: string): Rgb {
    let hash = 0;
    for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return [64 + (hash & 0x7f), 64 + ((hash >> 8) & 0x7f), 64 + ((hash >> 16) & 0x7f)];
}

/** The sample image of a service: 64×48, a checker of its colour and white. */
export function samplePng(service: string): Buffer {
    return checkerPng({ width: 64, height: 48, square: 8, colors: [colorFor(service), [255, 255, 255]] });
}
