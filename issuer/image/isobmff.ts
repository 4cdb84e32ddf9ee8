/**
 * Reading and writing ISO base media file format boxes (ISO/IEC 14496-12,
 * section 4.2): a 32-bit size (1: a 64-bit size follows the type; 0: the
 * box runs to the end of the file, top level only), a four-character type,
 * and for a "full box" a version byte and 24 bits of flags before its
 * fields. Every read is bounds-checked; what does not fit throws
 * {@link BoxError}, which the AVIF walk turns into its fallback.
 */
import { concat } from "./stripped";

/** A box that cannot be walked: truncated, overrunning its parent, or of a form the walk does not handle. */
export class BoxError extends Error {}

/** One box: its type and where its header and payload lie in the buffer. */
export interface Box {
    type: string;
    /** Offset of the box's first byte. */
    start: number;
    /** Offset of its payload (after the size, the type and a 64-bit size if any). */
    payload: number;
    /** Offset just past its last byte. */
    end: number;
}

/** The boxes in `bytes[from, to)`, which must be exactly filled by them. */
export function readBoxes(bytes: Uint8Array, from: number, to: number, topLevel = false): Box[] {
    const view = viewOf(bytes);
    const boxes: Box[] = [];
    let at = from;
    while (at < to) {
        if (to - at < 8) throw new BoxError(`a box header at ${at} is cut short`);
        let size = view.getUint32(at);
        const type = fourCC(bytes, at + 4);
        let payload = at + 8;
        if (size === 1) {
            if (to - at < 16) throw new BoxError(`the 64-bit size of '${type}' is cut short`);
            const large = view.getBigUint64(at + 8);
            if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new BoxError(`'${type}' is too large`);
            size = Number(large);
            payload = at + 16;
        } else if (size === 0) {
            if (!topLevel) throw new BoxError(`'${type}' runs to the end of the file inside another box`);
            size = to - at;
        }
        if (size < payload - at || at + size > to) throw new BoxError(`'${type}' at ${at} (${size} bytes) does not fit its parent`);
        boxes.push({ type, start: at, payload, end: at + size });
        at += size;
    }
    return boxes;
}

/** The four characters at `at`, as Latin-1. */
export function fourCC(bytes: Uint8Array, at: number): string {
    return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** A bounds-checked reader over a box's payload. */
export class Reader {
    private readonly view: DataView;
    at: number;

    constructor(
        readonly bytes: Uint8Array,
        from: number,
        readonly end: number,
        readonly what: string,
    ) {
        this.view = viewOf(bytes);
        this.at = from;
    }

    private need(count: number): number {
        if (this.at + count > this.end) throw new BoxError(`'${this.what}' is cut short`);
        const at = this.at;
        this.at += count;
        return at;
    }

    u8(): number {
        return this.bytes[this.need(1)];
    }

    u16(): number {
        return this.view.getUint16(this.need(2));
    }

    u24(): number {
        const at = this.need(3);
        return (this.bytes[at] << 16) | (this.bytes[at + 1] << 8) | this.bytes[at + 2];
    }

    u32(): number {
        return this.view.getUint32(this.need(4));
    }

    /** An unsigned integer of 0, 4 or 8 bytes (`iloc`'s field sizes). */
    uint(size: number): number {
        if (size === 0) return 0;
        if (size === 4) return this.u32();
        if (size === 8) {
            const value = this.view.getBigUint64(this.need(8));
            if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new BoxError(`'${this.what}' holds an offset past 2^53`);
            return Number(value);
        }
        throw new BoxError(`'${this.what}' has a field size of ${size} bytes`);
    }

    fourCC(): string {
        return fourCC(this.bytes, this.need(4));
    }

    /** A null-terminated UTF-8 string. */
    string(): string {
        let stop = this.at;
        while (stop < this.end && this.bytes[stop] !== 0) stop++;
        if (stop >= this.end) throw new BoxError(`a string in '${this.what}' has no terminator`);
        const text = Buffer.from(this.bytes.subarray(this.at, stop)).toString("utf8");
        this.at = stop + 1;
        return text;
    }

    /** Version and flags of a full box. */
    fullBox(): { version: number; flags: number } {
        return { version: this.u8(), flags: this.u24() };
    }

    done(): boolean {
        return this.at >= this.end;
    }
}

/** Collects big-endian fields into bytes. */
export class Writer {
    private readonly parts: number[] = [];

    u8(value: number): this {
        this.parts.push(value & 0xff);
        return this;
    }

    u16(value: number): this {
        return this.u8(value >>> 8).u8(value);
    }

    u24(value: number): this {
        return this.u8(value >>> 16).u8(value >>> 8).u8(value);
    }

    u32(value: number): this {
        return this.u16(value >>> 16).u16(value & 0xffff);
    }

    /** An unsigned integer of 0, 4 or 8 bytes; throws {@link BoxError} when it does not fit. */
    uint(size: number, value: number): this {
        if (size === 0) {
            if (value !== 0) throw new BoxError("a rewritten offset needs a field the box does not have");
            return this;
        }
        if (size === 4) {
            if (value > 0xffffffff) throw new BoxError("a rewritten offset does not fit 32 bits");
            return this.u32(value);
        }
        return this.u32(Math.floor(value / 2 ** 32)).u32(value % 2 ** 32);
    }

    bytes(): Uint8Array {
        return Uint8Array.from(this.parts);
    }
}

/** A box of `type` around `payload` (32-bit size; a 64-bit one past 4 GiB). */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
    const length = payload.reduce((sum, part) => sum + part.length, 0);
    const large = length + 8 > 0xffffffff;
    const header = large ? new Writer().u32(1) : new Writer().u32(length + 8);
    for (let i = 0; i < 4; i++) header.u8(type.charCodeAt(i));
    if (large) header.uint(8, length + 16);
    return concat([header.bytes(), ...payload]);
}

/** The version-and-flags header of a full box. */
export function fullBoxHeader(version: number, flags: number): Uint8Array {
    return new Writer().u8(version).u24(flags).bytes();
}

function viewOf(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
