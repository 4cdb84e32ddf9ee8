/**
 * The AVIF container walk on its own (issuer/image/avif-container.ts), on
 * small HEIF files assembled box by box here (the coded image is a few
 * marker bytes: the walk never decodes it): a file with nothing to remove
 * comes back as the very input, with a colour profile reported kept; Exif,
 * XMP and other non-picture items, thumbnails, unknown properties and boxes
 * go, with the kinds they held, while every kept item's `iloc` entry still
 * points at its own bytes and `ipma` points at the renumbered properties;
 * each form the walk does not rewrite is refused as RefusedContentError
 * with the reason in its message; and `tiffStart` finds the TIFF header in
 * an EXIF payload's opening bytes. Decoding real files is avif.test.ts's.
 */
import { expect } from "chai";
import { RefusedContentError } from "../../../issuer/errors";
import { stripAvifContainer, tiffStart } from "../../../issuer/image/avif-container";
import { box, fullBoxHeader, readBoxes, Reader, Writer } from "../../../issuer/image/isobmff";
import { thrown } from "../../support/rejection";

const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "latin1"));

interface TestItem {
    id: number;
    type: string;
    data: Uint8Array;
    contentType?: string;
    /** In the meta box's idat (construction method 1) instead of mdat. */
    inIdat?: boolean;
    constructionMethod?: number;
    dataReferenceIndex?: number;
}

interface TestFile {
    items: TestItem[];
    primary?: number;
    /** Property boxes of ipco, numbered from 1. */
    properties?: Uint8Array[];
    /** Per item: [1-based property index, essential]. */
    associations?: { id: number; properties: [number, boolean][] }[];
    references?: { type: string; from: number; to: number[] }[];
    /** Boxes added to meta after the item boxes. */
    extraMeta?: Uint8Array[];
    /** Boxes added at the top level after mdat. */
    extraTop?: Uint8Array[];
    /** Left out of iinf while still placed by iloc. */
    unlisted?: number[];
}

const IMAGE = latin1("AV1-CODED-IMAGE-BYTES");
const ispe = box("ispe", fullBoxHeader(0, 0), new Writer().u32(4).u32(3).bytes());
const av1C = box("av1C", Uint8Array.from([0x81, 0x00, 0x0c, 0x00]));
const colrIcc = box("colr", latin1("prof"), latin1("ICC-PROFILE-BYTES"));
const colrNclx = box("colr", latin1("nclx"), Uint8Array.from([0, 1, 0, 13, 0, 6, 0x80]));
const udes = box("udes", fullBoxHeader(0, 0), latin1("en\0SecretDescription\0\0\0"));

/** A big-endian TIFF whose IFD0 holds one GPS IFD pointer, behind the 4-byte offset and `Exif\0\0` an AVIF Exif item starts with. */
function exifPayload(): Uint8Array {
    const tiff = new Writer().u8(0x4d).u8(0x4d).u16(42).u32(8).u16(1).u16(0x8825).u16(4).u32(1).u32(26).u32(0).u16(0).u32(0).bytes();
    return Uint8Array.from([...new Writer().u32(6).bytes(), ...latin1("Exif\0\0"), ...tiff]);
}

/** The file: ftyp, meta (hdlr, pitm, iloc version 1 with 4-byte base offsets, offsets and lengths, iinf, iref, iprp, idat), mdat. */
function avifFile(file: TestFile): Uint8Array {
    const primary = file.primary ?? 1;
    const ftyp = box("ftyp", latin1("avif"), new Uint8Array(4), latin1("mif1avif"));
    const hdlr = box("hdlr", fullBoxHeader(0, 0), new Uint8Array(4), latin1("pict"), new Uint8Array(13));
    const pitm = box("pitm", fullBoxHeader(0, 0), new Writer().u16(primary).bytes());
    const listed = file.items.filter((item) => !file.unlisted?.includes(item.id));
    const infe = (item: TestItem) =>
        box("infe", fullBoxHeader(2, 0), new Writer().u16(item.id).u16(0).bytes(), latin1(item.type), Uint8Array.from([0]), ...(item.type === "mime" ? [latin1(`${item.contentType ?? ""}\0`)] : []));
    const iinf = box("iinf", fullBoxHeader(0, 0), new Writer().u16(listed.length).bytes(), ...listed.map(infe));
    const iref = file.references?.length
        ? [box("iref", fullBoxHeader(0, 0), ...file.references.map((r) => box(r.type, new Writer().u16(r.from).u16(r.to.length).bytes(), ...r.to.map((to) => new Writer().u16(to).bytes()))))]
        : [];
    const ipmaBody = new Writer().u32(file.associations?.length ?? 0);
    for (const entry of file.associations ?? []) {
        ipmaBody.u16(entry.id).u8(entry.properties.length);
        for (const [index, essential] of entry.properties) ipmaBody.u8((essential ? 0x80 : 0) | index);
    }
    const iprp = box("iprp", box("ipco", ...(file.properties ?? [])), box("ipma", fullBoxHeader(0, 0), ipmaBody.bytes()));
    const idatItems = file.items.filter((item) => item.inIdat);
    const idat = idatItems.length > 0 ? [box("idat", ...idatItems.map((item) => item.data))] : [];
    const mdatItems = file.items.filter((item) => !item.inIdat);
    const iloc = (mdatPayload: number) => {
        const w = new Writer().u8(0x44).u8(0x40).u16(file.items.length);
        let inMdat = mdatPayload;
        let inIdat = 0;
        for (const item of file.items) {
            const offset = item.inIdat ? inIdat : inMdat;
            if (item.inIdat) inIdat += item.data.length;
            else inMdat += item.data.length;
            w.u16(item.id)
                .u16(item.constructionMethod ?? (item.inIdat ? 1 : 0))
                .u16(item.dataReferenceIndex ?? 0)
                .u32(0)
                .u16(1)
                .u32(offset)
                .u32(item.data.length);
        }
        return box("iloc", fullBoxHeader(1, 0), w.bytes());
    };
    const meta = (mdatPayload: number) => box("meta", fullBoxHeader(0, 0), hdlr, pitm, iloc(mdatPayload), iinf, ...iref, iprp, ...idat, ...(file.extraMeta ?? []));
    const mdatPayload = ftyp.length + meta(0).length + 8;
    return Buffer.concat([ftyp, meta(mdatPayload), box("mdat", ...mdatItems.map((item) => item.data)), ...(file.extraTop ?? [])]);
}

/** A file with only its image item: av1C, ispe and the given colour property. */
function cleanFile(colr: Uint8Array = colrNclx): TestFile {
    return {
        items: [{ id: 1, type: "av01", data: IMAGE }],
        properties: [av1C, ispe, colr],
        associations: [{ id: 1, properties: [[1, true], [2, false], [3, false]] }],
    };
}

/** The meta box's children of a file, by type. */
function metaChild(bytes: Uint8Array, type: string): { payload: number; end: number } | undefined {
    const meta = readBoxes(bytes, 0, bytes.length, true).find((b) => b.type === "meta")!;
    return readBoxes(bytes, meta.payload + 4, meta.end).find((b) => b.type === type);
}

/** Each item's bytes, as the file's iloc (any version, one extent each) places them. */
function itemBytes(bytes: Uint8Array): Map<number, string> {
    const iloc = metaChild(bytes, "iloc")!;
    const idat = metaChild(bytes, "idat");
    const r = new Reader(bytes, iloc.payload, iloc.end, "iloc");
    const { version } = r.fullBox();
    const sizes = r.u8();
    const more = r.u8();
    const count = version < 2 ? r.u16() : r.u32();
    const found = new Map<number, string>();
    for (let i = 0; i < count; i++) {
        const id = version < 2 ? r.u16() : r.u32();
        const method = version >= 1 ? r.u16() : 0;
        r.u16();
        const base = r.uint(more >> 4);
        expect(r.u16(), "one extent").to.equal(1);
        const offset = base + r.uint(sizes >> 4);
        const length = r.uint(sizes & 15);
        const start = method === 1 ? idat!.payload + offset : offset;
        found.set(id, Buffer.from(bytes.subarray(start, start + length)).toString("latin1"));
    }
    return found;
}

/** The property types each item is associated with, in order, with `!` marking essential ones. */
function associations(bytes: Uint8Array): Record<number, string[]> {
    const iprp = metaChild(bytes, "iprp")!;
    const children = readBoxes(bytes, iprp.payload, iprp.end);
    const ipco = children.find((b) => b.type === "ipco")!;
    const properties = readBoxes(bytes, ipco.payload, ipco.end).map((p) => p.type);
    const ipma = children.find((b) => b.type === "ipma")!;
    const r = new Reader(bytes, ipma.payload, ipma.end, "ipma");
    r.fullBox();
    const result: Record<number, string[]> = {};
    for (let count = r.u32(); count > 0; count--) {
        const id = r.u16();
        const list: string[] = [];
        for (let n = r.u8(); n > 0; n--) {
            const v = r.u8();
            list.push(`${v & 0x80 ? "!" : ""}${properties[(v & 0x7f) - 1]}`);
        }
        result[id] = list;
    }
    return result;
}

/** The file's references as `type from>to,to`, in order. */
function references(bytes: Uint8Array): string[] {
    const iref = metaChild(bytes, "iref")!;
    return readBoxes(bytes, iref.payload + 4, iref.end).map((entry) => {
        const r = new Reader(bytes, entry.payload, entry.end, entry.type);
        const from = r.u16();
        const to: number[] = [];
        for (let n = r.u16(); n > 0; n--) to.push(r.u16());
        return `${entry.type} ${from}>${to.join(",")}`;
    });
}

function refusal(input: Uint8Array): string {
    return thrown(() => stripAvifContainer(input), RefusedContentError).message;
}

describe("issuer/image/avif-container", () => {
    describe("what is kept", () => {
        it("returns a file with nothing to remove as the input itself", () => {
            const input = avifFile(cleanFile());
            const result = stripAvifContainer(input);
            expect(result.bytes).to.equal(input);
            expect(result.removed).to.deep.equal([]);
            expect(result.kept).to.deep.equal([]);
        });

        it("reports an ICC colour profile as kept, an nclx colour box not", () => {
            expect(stripAvifContainer(avifFile(cleanFile(colrIcc))).kept).to.deep.equal(["icc"]);
            expect(stripAvifContainer(avifFile(cleanFile(box("colr", latin1("rICC"), latin1("ICC"))))).kept).to.deep.equal(["icc"]);
        });
    });

    describe("what goes", () => {
        it("removes an Exif item in mdat before the image: its bytes gone, the image's offset moved to its bytes, the kinds it held reported", () => {
            const file = cleanFile(colrIcc);
            const exif = exifPayload();
            file.items = [{ id: 2, type: "Exif", data: exif }, { id: 1, type: "av01", data: IMAGE }];
            file.references = [{ type: "cdsc", from: 2, to: [1] }];
            const input = avifFile(file);
            const result = stripAvifContainer(input);
            expect(result.removed).to.deep.equal(["exif", "exif:gps"]);
            expect(result.kept).to.deep.equal(["icc"]);
            // Shorter by the payload, its infe (21 bytes), its iloc entry (20) and the iref holding only its cdsc (26).
            expect(result.bytes.length).to.equal(input.length - exif.length - 21 - 20 - 26);
            expect([...itemBytes(result.bytes)]).to.deep.equal([[1, "AV1-CODED-IMAGE-BYTES"]]);
            expect(Buffer.from(result.bytes).includes(Buffer.from("Exif\0\0", "latin1"))).to.equal(false);
            expect(metaChild(result.bytes, "iref"), "the only reference went with its item").to.equal(undefined);
            expect(readBoxes(result.bytes, 0, result.bytes.length, true).map((b) => b.type)).to.deep.equal(["ftyp", "meta", "mdat"]);
        });

        it("removes an XMP item as xmp and another mime item as avif:mime", () => {
            const file = cleanFile();
            file.items.push({ id: 2, type: "mime", contentType: "application/rdf+xml", data: latin1("<x:xmpmeta>secret</x:xmpmeta>") });
            file.items.push({ id: 3, type: "mime", contentType: "text/plain", data: latin1("a note") });
            const result = stripAvifContainer(avifFile(file));
            expect(result.removed).to.deep.equal(["avif:mime", "xmp"]);
            expect([...itemBytes(result.bytes)]).to.deep.equal([[1, "AV1-CODED-IMAGE-BYTES"]]);
        });

        it("removes a thumbnail (an av01 item with a thmb reference) and an item in idat, keeping a cdsc reference's remaining targets", () => {
            const file = cleanFile();
            file.items = [
                { id: 3, type: "av01", data: latin1("THUMBNAIL") },
                { id: 1, type: "av01", data: IMAGE },
                { id: 4, type: "av01", data: latin1("SECOND-IMAGE") },
                { id: 6, type: "grid", data: latin1("GRID-IN-IDAT"), inIdat: true },
                { id: 2, type: "Exif", data: exifPayload(), inIdat: true },
                { id: 7, type: "iovl", data: latin1("OVERLAY-IN-IDAT"), inIdat: true },
            ];
            file.references = [
                { type: "thmb", from: 3, to: [1] },
                { type: "cdsc", from: 2, to: [1, 4] },
                { type: "dimg", from: 6, to: [1, 4] },
            ];
            const result = stripAvifContainer(avifFile(file));
            expect(result.removed).to.deep.equal(["avif:thumbnail", "exif", "exif:gps"]);
            expect(Object.fromEntries(itemBytes(result.bytes))).to.deep.equal({ 1: "AV1-CODED-IMAGE-BYTES", 4: "SECOND-IMAGE", 6: "GRID-IN-IDAT", 7: "OVERLAY-IN-IDAT" });
            expect(references(result.bytes)).to.deep.equal(["dimg 6>1,4"]);
        });

        it("lets a kept item's cdsc reference name a removed item, dropping that target and a reference left with none", () => {
            const file = cleanFile();
            file.items.push({ id: 4, type: "av01", data: latin1("SECOND-IMAGE") });
            file.items.push({ id: 2, type: "Exif", data: exifPayload() });
            file.references = [
                { type: "cdsc", from: 1, to: [2] },
                { type: "cdsc", from: 4, to: [2, 1] },
                { type: "auxl", from: 4, to: [1] },
            ];
            const result = stripAvifContainer(avifFile(file));
            expect(result.removed).to.deep.equal(["exif", "exif:gps"]);
            expect(references(result.bytes)).to.deep.equal(["cdsc 4>1", "auxl 4>1"]);
        });

        it("removes unknown non-essential properties and renumbers the kept ones in ipma", () => {
            const file = cleanFile();
            file.properties = [udes, av1C, box("zzzz", latin1("x")), ispe, colrNclx];
            file.associations = [{ id: 1, properties: [[1, false], [2, true], [3, false], [4, false], [5, false]] }];
            const result = stripAvifContainer(avifFile(file));
            expect(result.removed).to.deep.equal(["avif:udes", "avif:zzzz"]);
            expect(associations(result.bytes)).to.deep.equal({ 1: ["!av1C", "ispe", "colr"] });
            expect(Buffer.from(result.bytes).includes(Buffer.from("SecretDescription"))).to.equal(false);
        });

        it("removes unknown boxes at the top level, in meta and in iprp, naming a type of odd characters 'unknown'", () => {
            const file = cleanFile();
            file.extraTop = [box("free", new Uint8Array(4)), box("\u0001abc", new Uint8Array(2))];
            file.extraMeta = [box("xtra", latin1("secret"))];
            const result = stripAvifContainer(avifFile(file));
            expect(result.removed).to.deep.equal(["avif:free", "avif:unknown", "avif:xtra"]);
            expect(readBoxes(result.bytes, 0, result.bytes.length, true).map((b) => b.type)).to.deep.equal(["ftyp", "meta", "mdat"]);
            expect([...itemBytes(result.bytes)]).to.deep.equal([[1, "AV1-CODED-IMAGE-BYTES"]]);
        });

        it("a second pass over its own output removes nothing and returns it as it is", () => {
            const file = cleanFile();
            file.items.unshift({ id: 2, type: "Exif", data: exifPayload() });
            const first = stripAvifContainer(avifFile(file));
            const second = stripAvifContainer(first.bytes);
            expect(second.removed).to.deep.equal([]);
            expect(second.bytes).to.equal(first.bytes);
        });
    });

    describe("what is refused", () => {
        it("names the format and the fault: the AVIF is malformed, its metadata cannot be removed safely", () => {
            expect(refusal(box("meta", fullBoxHeader(0, 0)))).to.equal(
                "refused: the AVIF is malformed (it does not start with 'ftyp'); its metadata cannot be removed safely",
            );
        });

        it("refuses truncated boxes", () => {
            const input = avifFile(cleanFile());
            expect(refusal(input.subarray(0, input.length - 3))).to.include("does not fit its parent");
        });

        it("refuses an image sequence, a second meta box and a meta without pitm", () => {
            const file = cleanFile();
            file.extraTop = [box("moov", new Uint8Array(8))];
            expect(refusal(avifFile(file))).to.include("it is an image sequence ('moov')");
            const clean = avifFile(cleanFile());
            expect(refusal(Buffer.concat([clean, box("meta", fullBoxHeader(0, 0))]))).to.include("it has 2 top-level 'meta' boxes");
            const noPitm = cleanFile();
            noPitm.extraMeta = [box("pitm", fullBoxHeader(0, 0), new Writer().u16(1).bytes())];
            expect(refusal(avifFile(noPitm))).to.include("'meta' has 2 'pitm' boxes");
        });

        it("refuses a primary item that is not listed or is itself metadata", () => {
            expect(refusal(avifFile({ ...cleanFile(), primary: 9 }))).to.include("the primary item 9 is not listed");
            const exifPrimary = cleanFile();
            exifPrimary.items.push({ id: 2, type: "Exif", data: exifPayload() });
            expect(refusal(avifFile({ ...exifPrimary, primary: 2 }))).to.include("the primary item is of type 'Exif'");
        });

        it("refuses when a kept item depends on a removed one other than by describing it", () => {
            const file = cleanFile();
            file.items.push({ id: 2, type: "Exif", data: exifPayload() });
            file.references = [{ type: "auxl", from: 1, to: [2] }];
            expect(refusal(avifFile(file))).to.include("a kept item depends on a removed one through 'auxl'");
        });

        it("refuses an essential property it does not know on a kept item, and an index past ipco", () => {
            const unknown = cleanFile();
            unknown.properties = [av1C, box("zzzz", latin1("x"))];
            unknown.associations = [{ id: 1, properties: [[1, true], [2, true]] }];
            expect(refusal(avifFile(unknown))).to.include("a kept item has an essential property 'zzzz' the walk does not know");
            const past = cleanFile();
            past.associations = [{ id: 1, properties: [[1, true], [4, false]] }];
            expect(refusal(avifFile(past))).to.include("'ipma' names property 4 of 3");
        });

        it("refuses item data in another file, built by construction method 2, or running to the end", () => {
            const other = cleanFile();
            other.items[0].dataReferenceIndex = 1;
            expect(refusal(avifFile(other))).to.include("an item's data is in another file");
            const built = cleanFile();
            built.items[0].constructionMethod = 2;
            expect(refusal(avifFile(built))).to.include("an item is built with construction method 2");
            const open = cleanFile();
            open.items[0].data = new Uint8Array(0);
            expect(refusal(avifFile(open))).to.include("an extent runs to the end of the file");
        });

        it("refuses an iloc entry for an item iinf does not list", () => {
            const file = cleanFile();
            file.items.push({ id: 7, type: "Exif", data: exifPayload() });
            file.unlisted = [7];
            expect(refusal(avifFile(file))).to.include("'iloc' places item 7, which 'iinf' does not list");
        });

        it("refuses a removed item's data outside mdat, and kept data overlapping removed data", () => {
            const outside = cleanFile();
            outside.items.push({ id: 2, type: "Exif", data: exifPayload() });
            const bytes = Buffer.from(avifFile(outside));
            const at = bytes.lastIndexOf(Buffer.from(exifPayload()));
            // Point the Exif item's extent at the ftyp box instead.
            const entry = bytes.indexOf(Buffer.from([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (at >>> 24) & 0xff, (at >>> 16) & 0xff, (at >>> 8) & 0xff, at & 0xff]));
            expect(entry).to.be.above(0);
            bytes.writeUInt32BE(0, entry + 12);
            expect(refusal(bytes)).to.include("a removed item's data lies outside 'mdat'");

            const overlap = cleanFile();
            overlap.items.push({ id: 2, type: "Exif", data: IMAGE });
            const shared = Buffer.from(avifFile(overlap));
            const second = shared.lastIndexOf(Buffer.from(IMAGE));
            const first = shared.indexOf(Buffer.from(IMAGE));
            const entry2 = shared.indexOf(Buffer.from([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (second >>> 24) & 0xff, (second >>> 16) & 0xff, (second >>> 8) & 0xff, second & 0xff]));
            shared.writeUInt32BE(first, entry2 + 12);
            expect(refusal(shared)).to.include("a kept item's data overlaps a removed item's");
        });
    });

    describe("tiffStart", () => {
        it("finds a big- or little-endian TIFF header in the opening bytes of an EXIF payload", () => {
            const payload = exifPayload();
            expect([...tiffStart(payload).subarray(0, 4)]).to.deep.equal([0x4d, 0x4d, 0, 42]);
            expect(tiffStart(payload)).to.have.length(payload.length - 10);
            const little = Uint8Array.from([...latin1("Exif\0\0"), 0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]);
            expect([...tiffStart(little)]).to.deep.equal([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]);
        });

        it("returns the payload as it is when no header starts in its first 16 bytes", () => {
            const late = Uint8Array.from([...new Uint8Array(13), 0x4d, 0x4d, 0, 42]);
            expect(tiffStart(late)).to.equal(late);
            const edge = Uint8Array.from([...new Uint8Array(12), 0x4d, 0x4d, 0, 42]);
            expect(tiffStart(edge)).to.have.length(4);
            const none = latin1("no tiff here at all");
            expect(tiffStart(none)).to.equal(none);
        });
    });
});
