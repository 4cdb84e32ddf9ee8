/**
 * Reads a zip archive's entries back (central directory, then each local
 * header and its deflated or stored data; APPNOTE 6.3.x §4.3), so tests can
 * open a deployment package without an `unzip` on the machine.
 */
import { inflateRawSync } from "zlib";

export interface UnzippedEntry {
    name: string;
    data: Buffer;
    /** Unix mode bits from the external attributes. */
    mode: number;
}

export function unzip(zip: Buffer): UnzippedEntry[] {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0) throw new Error("no end of central directory record");
    const count = zip.readUInt16LE(end + 10);
    let central = zip.readUInt32LE(end + 16);
    const entries: UnzippedEntry[] = [];
    for (let i = 0; i < count; i++) {
        if (zip.readUInt32LE(central) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
        const method = zip.readUInt16LE(central + 10);
        const compressed = zip.readUInt32LE(central + 20);
        const nameLength = zip.readUInt16LE(central + 28);
        const extraLength = zip.readUInt16LE(central + 30);
        const commentLength = zip.readUInt16LE(central + 32);
        const mode = zip.readUInt32LE(central + 38) >>> 16;
        const local = zip.readUInt32LE(central + 42);
        const name = zip.toString("utf8", central + 46, central + 46 + nameLength);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(start, start + compressed);
        entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw), mode });
        central += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}
