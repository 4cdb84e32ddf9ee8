/**
 * Reading and writing ISO base media boxes (issuer/image/isobmff.ts) on
 * buffers built byte by byte here: boxes read with their offsets (32-bit,
 * 64-bit and to-the-end sizes, the last at the top level only), every
 * malformed header refused with a BoxError that says what is wrong, reads
 * from a view that does not start at its buffer's first byte, the payload
 * reader's bounds, field sizes and strings, and the writer's big-endian
 * fields, offsets that do not fit refused, and boxes it wraps read back.
 */
import { expect } from "chai";
import { box, BoxError, fourCC, fullBoxHeader, readBoxes, Reader, Writer } from "../../../issuer/image/isobmff";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));
/** A box header: 32-bit size then the type. */
const header = (size: number, type: string): number[] => [(size >>> 24) & 0xff, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff, ...ascii(type)];

describe("issuer/image/isobmff", () => {
    describe("readBoxes", () => {
        it("reads consecutive boxes with where each starts, its payload and its end", () => {
            const input = bytes(...header(10, "ftyp"), 1, 2, ...header(8, "free"));
            expect(readBoxes(input, 0, input.length)).to.deep.equal([
                { type: "ftyp", start: 0, payload: 8, end: 10 },
                { type: "free", start: 10, payload: 18, end: 18 },
            ]);
        });

        it("reads only the range it is given, at its offsets in the buffer", () => {
            const input = bytes(0xee, 0xee, ...header(9, "ispe"), 7, 0xee);
            expect(readBoxes(input, 2, 11)).to.deep.equal([{ type: "ispe", start: 2, payload: 10, end: 11 }]);
            expect(readBoxes(input, 2, 2)).to.deep.equal([]);
        });

        it("reads a 64-bit size, its payload after the sixteen-byte header", () => {
            const input = bytes(...header(1, "mdat"), 0, 0, 0, 0, 0, 0, 0, 18, 0xaa, 0xbb);
            expect(readBoxes(input, 0, input.length)).to.deep.equal([{ type: "mdat", start: 0, payload: 16, end: 18 }]);
        });

        it("lets a size of 0 run to the end at the top level only", () => {
            const input = bytes(...header(8, "ftyp"), ...header(0, "mdat"), 1, 2, 3);
            expect(readBoxes(input, 0, input.length, true)[1]).to.deep.equal({ type: "mdat", start: 8, payload: 16, end: 19 });
            expect(() => readBoxes(input, 0, input.length)).to.throw(BoxError, "'mdat' runs to the end of the file inside another box");
        });

        it("refuses a header cut short, naming where", () => {
            const input = bytes(...header(8, "free"), 0, 0, 0, 9, 0x6d);
            expect(() => readBoxes(input, 0, input.length)).to.throw(BoxError, "a box header at 8 is cut short");
        });

        it("refuses a 64-bit size cut short", () => {
            const input = bytes(...header(1, "mdat"), 0, 0, 0, 0);
            expect(() => readBoxes(input, 0, input.length)).to.throw(BoxError, "the 64-bit size of 'mdat' is cut short");
        });

        it("refuses a 64-bit size past 2^53", () => {
            const input = bytes(...header(1, "mdat"), 0x00, 0x20, 0, 0, 0, 0, 0, 0);
            expect(() => readBoxes(input, 0, input.length)).to.throw(BoxError, "'mdat' is too large");
        });

        it("refuses a box that overruns its parent or is smaller than its own header", () => {
            const over = bytes(...header(12, "free"), 1, 2, 3);
            expect(() => readBoxes(over, 0, over.length)).to.throw(BoxError, "'free' at 0 (12 bytes) does not fit its parent");
            const small = bytes(...header(7, "free"), 1, 2, 3);
            expect(() => readBoxes(small, 0, small.length)).to.throw(BoxError, "'free' at 0 (7 bytes) does not fit its parent");
            const smallLarge = bytes(...header(1, "mdat"), 0, 0, 0, 0, 0, 0, 0, 15, 0);
            expect(() => readBoxes(smallLarge, 0, smallLarge.length)).to.throw(BoxError, "does not fit its parent");
        });

        it("reads a view that starts inside its buffer at the view's own offsets", () => {
            const backing = bytes(0xff, 0xff, 0xff, ...header(9, "pitm"), 5);
            const view = backing.subarray(3);
            expect(readBoxes(view, 0, view.length)).to.deep.equal([{ type: "pitm", start: 0, payload: 8, end: 9 }]);
        });
    });

    describe("fourCC", () => {
        it("reads four bytes as Latin-1", () => {
            expect(fourCC(bytes(0, ...ascii("av01")), 1)).to.equal("av01");
            expect(fourCC(bytes(0xa9, ...ascii("too")), 0)).to.equal("\u00a9too");
        });
    });

    describe("Reader", () => {
        it("reads big-endian integers of each width and moves past them", () => {
            const reader = new Reader(bytes(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x80, 0x00, 0x00, 0x01), 0, 10, "test");
            expect(reader.u8()).to.equal(0x01);
            expect(reader.u16()).to.equal(0x0203);
            expect(reader.u24()).to.equal(0x040506);
            expect(reader.u32()).to.equal(0x80000001);
            expect(reader.done()).to.equal(true);
        });

        it("refuses to read past its end, which may lie before the buffer's", () => {
            const reader = new Reader(bytes(1, 2, 3, 4, 5, 6), 1, 4, "hdlr");
            expect(reader.u16()).to.equal(0x0203);
            expect(() => reader.u16()).to.throw(BoxError, "'hdlr' is cut short");
        });

        it("reads fields of 0, 4 and 8 bytes, refusing other sizes and 8-byte values past 2^53", () => {
            const reader = new Reader(bytes(0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0), 0, 20, "iloc");
            expect(reader.uint(0)).to.equal(0);
            expect(reader.uint(4)).to.equal(9);
            expect(reader.uint(8)).to.equal(2 ** 32 + 2);
            expect(() => reader.uint(2)).to.throw(BoxError, "'iloc' has a field size of 2 bytes");
            expect(() => reader.uint(8)).to.throw(BoxError, "'iloc' holds an offset past 2^53");
        });

        it("reads null-terminated UTF-8 strings and refuses one with no terminator", () => {
            const text = [...Buffer.from("café", "utf8")];
            const reader = new Reader(bytes(...text, 0, 0, ...ascii("xy")), 0, text.length + 4, "hdlr");
            expect(reader.string()).to.equal("café");
            expect(reader.string()).to.equal("");
            expect(() => reader.string()).to.throw(BoxError, "a string in 'hdlr' has no terminator");
        });

        it("does not look for a terminator past its end", () => {
            const reader = new Reader(bytes(...ascii("ab"), 0), 0, 2, "name");
            expect(() => reader.string()).to.throw(BoxError, "has no terminator");
        });

        it("reads a full box's version and 24-bit flags", () => {
            expect(new Reader(bytes(1, 0x00, 0x01, 0x02), 0, 4, "meta").fullBox()).to.deep.equal({ version: 1, flags: 0x0102 });
        });

        it("reads a view that starts inside its buffer at the view's own offsets", () => {
            const view = bytes(0xaa, 0xbb, 0x00, 0x07).subarray(2);
            expect(new Reader(view, 0, 2, "x").u16()).to.equal(7);
        });
    });

    describe("Writer", () => {
        it("writes big-endian fields", () => {
            const written = new Writer().u8(0x1ff).u16(0x0203).u24(0x040506).u32(0x80000001).bytes();
            expect([...written]).to.deep.equal([0xff, 0x02, 0x03, 0x04, 0x05, 0x06, 0x80, 0x00, 0x00, 0x01]);
        });

        it("writes fields of 0, 4 and 8 bytes, refusing values that do not fit", () => {
            expect([...new Writer().uint(0, 0).uint(4, 0xffffffff).uint(8, 2 ** 40 + 3).bytes()]).to.deep.equal([
                0xff, 0xff, 0xff, 0xff, 0, 0, 0x01, 0, 0, 0, 0, 3,
            ]);
            expect(() => new Writer().uint(0, 1)).to.throw(BoxError, "a rewritten offset needs a field the box does not have");
            expect(() => new Writer().uint(4, 2 ** 32)).to.throw(BoxError, "a rewritten offset does not fit 32 bits");
        });

        it("writes what the reader reads back", () => {
            const written = new Writer().u16(513).uint(8, 2 ** 50 + 1).u24(0xabcdef).bytes();
            const reader = new Reader(written, 0, written.length, "round trip");
            expect([reader.u16(), reader.uint(8), reader.u24()]).to.deep.equal([513, 2 ** 50 + 1, 0xabcdef]);
        });
    });

    describe("box and fullBoxHeader", () => {
        it("wraps payload pieces in a box with a 32-bit size that readBoxes reads back", () => {
            const wrapped = box("iinf", bytes(1, 2), bytes(3));
            expect([...wrapped]).to.deep.equal([0, 0, 0, 11, ...ascii("iinf"), 1, 2, 3]);
            expect(readBoxes(wrapped, 0, wrapped.length)).to.deep.equal([{ type: "iinf", start: 0, payload: 8, end: 11 }]);
            expect([...box("free")]).to.deep.equal([0, 0, 0, 8, ...ascii("free")]);
            const large = box("mdat", new Uint8Array(70_000));
            expect([...large.subarray(0, 8)]).to.deep.equal([0, 0x01, 0x11, 0x78, ...ascii("mdat")]);
            expect(large).to.have.length(70_008);
        });

        it("writes a full box's version and flags", () => {
            expect([...fullBoxHeader(2, 0x010203)]).to.deep.equal([2, 1, 2, 3]);
        });
    });
});
