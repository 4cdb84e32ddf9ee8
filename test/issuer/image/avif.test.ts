import { expect } from "chai";
import sharp from "sharp";
import { reencodeAvif, stripAvif } from "../../../issuer/image/avif";
import { stripAvifContainer } from "../../../issuer/image/avif-container";
import { box, fullBoxHeader, readBoxes, Reader, Writer } from "../../../issuer/image/isobmff";
import { phoneExif } from "./fixtures";
import { RefusedContentError } from "../../../issuer/errors";
import { AVIF_1X1 } from "../fixtures";
import { exifrSees, exifrSeesExifBlock, expectNoSecrets, iccOf, PERSONAL_TAGS, rawPixels } from "./checks";
import { HEIGHT, phoneAvif, WIDTH } from "./fixtures";
import { thrown } from "../../support/rejection";

/** Top-level box types, in order. */
function topLevel(bytes: Uint8Array): string[] {
    return readBoxes(bytes, 0, bytes.length, true).map((b) => b.type);
}

describe("issuer/image: AVIF metadata removal (the container rewritten, the pixels untouched)", () => {
    let avif: Buffer;
    before(async () => {
        avif = await phoneAvif();
    });

    it("the fixture carries EXIF (GPS, device) and XMP items", async () => {
        const meta = await sharp(avif).metadata();
        expect(meta.exif).to.not.equal(undefined);
        expect(Object.keys(await exifrSeesExifBlock(meta.exif))).to.include.members(["Make", "Model", "GPSLatitude"]);
        expect(meta.xmp?.toString("utf8")).to.include("xmp-secret-creator");
        expect(Buffer.from(avif).includes(Buffer.from("SecretMake"))).to.equal(true);
    });

    it("removes the EXIF and XMP items and their bytes without re-encoding: GPS and device gone per exifr, pixels identical by decode, profile kept", async () => {
        const result = await stripAvif(avif);
        expect(result.reencoded).to.equal(false);
        expect(result.removed).to.deep.equal(["exif", "exif:device", "exif:gps", "xmp"]);
        expect(result.kept).to.deep.equal(["icc"]);
        // Smaller by at least the two payloads, and still one ftyp, one meta, one mdat.
        expect(result.bytes.length).to.be.below(avif.length - 300);
        expect(topLevel(result.bytes)).to.deep.equal(["ftyp", "meta", "mdat"]);
        const meta = await sharp(result.bytes).metadata();
        expect([meta.format, meta.compression, meta.width, meta.height]).to.deep.equal(["heif", "av1", WIDTH, HEIGHT]);
        // What libvips extracts, read by exifr: nothing; nor does exifr's own ISOBMFF reader find anything.
        expect(meta.exif).to.equal(undefined);
        expect(meta.xmp).to.equal(undefined);
        const seen = await exifrSees(result.bytes).catch(() => ({}));
        for (const tag of PERSONAL_TAGS) expect(seen, tag).to.not.have.property(tag);
        expectNoSecrets(result.bytes);
        expect((await iccOf(result.bytes))?.equals((await iccOf(avif)) as Buffer)).to.equal(true);
        const before = await rawPixels(avif);
        const after = await rawPixels(result.bytes);
        expect(after.data.equals(before.data), "every pixel identical").to.equal(true);
    });

    it("is idempotent: a second pass removes nothing and returns its input", () => {
        const first = stripAvifContainer(avif);
        const second = stripAvifContainer(first.bytes);
        expect(second.removed).to.deep.equal([]);
        expect(second.bytes).to.equal(first.bytes);
    });

    it("stores an AVIF without metadata as it came", async () => {
        const result = await stripAvif(AVIF_1X1);
        expect(result.reencoded).to.equal(false);
        expect(result.removed).to.deep.equal([]);
        expect(result.bytes).to.equal(AVIF_1X1);
    });

    it("drops top-level boxes it does not know (a uuid box with XMP, padding) and keeps the image the same", async () => {
        const uuid = box("uuid", Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex"), Buffer.from("<x:xmpmeta>SecretMake</x:xmpmeta>"));
        const padded = Buffer.concat([avif, uuid, box("free", new Uint8Array(16))]);
        const result = stripAvifContainer(padded);
        expect(result.removed).to.include.members(["avif:uuid", "avif:free", "exif", "xmp"]);
        expect(topLevel(result.bytes)).to.deep.equal(["ftyp", "meta", "mdat"]);
        expect(Buffer.from(result.bytes).equals(Buffer.from(stripAvifContainer(avif).bytes))).to.equal(true);
    });

    it("an Exif item in idat, a thumbnail and a description property before the image's bytes: all go, every kept offset moves, the pixels stay", async () => {
        const built = await builtAvif(avif);
        const original = await sharp(built).metadata();
        expect(original.exif, "libvips reads the Exif item in idat").to.not.equal(undefined);
        const result = stripAvifContainer(built);
        expect(result.removed).to.include.members(["avif:thumbnail", "avif:udes", "exif", "exif:gps", "exif:device", "exif:serial"]);
        expect(Buffer.from(result.bytes).includes(Buffer.from("SecretDescription"))).to.equal(false);
        expectNoSecrets(result.bytes);
        const meta = await sharp(result.bytes).metadata();
        expect([meta.width, meta.height, meta.exif]).to.deep.equal([WIDTH, HEIGHT, undefined]);
        expect((await rawPixels(result.bytes)).data.equals((await rawPixels(avif)).data)).to.equal(true);
        // Nothing of the thumbnail's or the EXIF's bytes is left: the file is the image's bytes and tables.
        expect(result.bytes.length).to.be.below(built.length - (await imageItem(avif)).length - 400);
    });

    it("a container the walk does not rewrite (an image sequence's moov) is re-encoded instead, and the result says so", async function () {
        this.timeout(60_000);
        const sequence = Buffer.concat([avif, box("moov", new Uint8Array(8))]);
        const refused = thrown(() => stripAvifContainer(sequence), RefusedContentError);
        expect(refused.message).to.include("image sequence");
        const result = await stripAvif(sequence);
        expect(result.reencoded).to.equal(true);
        expect(result.removed).to.deep.equal(["exif", "exif:device", "exif:gps", "xmp"]);
        const meta = await sharp(result.bytes).metadata();
        expect([meta.exif, meta.xmp]).to.deep.equal([undefined, undefined]);
        expectNoSecrets(result.bytes);
        // The fallback alone: an AVIF without metadata stays as it came.
        expect((await reencodeAvif(AVIF_1X1)).bytes).to.equal(AVIF_1X1);
    });

    it("refuses what neither the walk nor the decoder can read", async () => {
        const error = await stripAvif(avif.subarray(0, 200)).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(RefusedContentError);
    });
});

/** The primary (av01) item's coded bytes and its properties, read from a file sharp wrote (iloc version 0, 4-byte base offsets and offsets, one extent each). */
async function imageItem(avif: Buffer): Promise<Buffer & { properties?: Record<string, Uint8Array> }> {
    const top = readBoxes(avif, 0, avif.length, true);
    const meta = top.find((b) => b.type === "meta")!;
    const children = readBoxes(avif, meta.payload + 4, meta.end);
    const iloc = children.find((b) => b.type === "iloc")!;
    const r = new Reader(avif, iloc.payload, iloc.end, "iloc");
    r.fullBox();
    expect(r.u8()).to.equal(0x44);
    expect(r.u8()).to.equal(0x40);
    const count = r.u16();
    for (let i = 0; i < count; i++) {
        const id = r.u16();
        r.u16();
        const base = r.u32();
        expect(r.u16(), "one extent").to.equal(1);
        const offset = base + r.u32();
        const length = r.u32();
        if (id === 1) {
            const bytes = Buffer.from(avif.subarray(offset, offset + length)) as Buffer & { properties?: Record<string, Uint8Array> };
            const iprp = children.find((b) => b.type === "iprp")!;
            const ipco = readBoxes(avif, iprp.payload, iprp.end).find((b) => b.type === "ipco")!;
            bytes.properties = Object.fromEntries(readBoxes(avif, ipco.payload, ipco.end).map((p) => [p.type, avif.subarray(p.start, p.end)]));
            return bytes;
        }
    }
    throw new Error("no item 1");
}

/**
 * An AVIF built here around the fixture's coded image: iloc version 1 with
 * 4-byte offsets; item 1 the image (in mdat, after the thumbnail), item 2
 * an Exif item in idat (construction method 1), item 3 a thumbnail (the
 * same coded bytes, first in mdat); iref cdsc 2→1 and thmb 3→1; a `udes`
 * (user description) property on the image; ipma version 0.
 */
async function builtAvif(avif: Buffer): Promise<Buffer> {
    const image = await imageItem(avif);
    const props = image.properties!;
    const exif = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from("Exif\0\0", "latin1"), phoneExif(1)]);
    const udes = box("udes", fullBoxHeader(0, 0), Buffer.from("en\0SecretDescription\0a description\0tags\0", "utf8"));
    const infe = (id: number, type: string, flags = 0) => box("infe", fullBoxHeader(2, flags), new Writer().u16(id).u16(0).bytes(), Buffer.from(type, "latin1"), Buffer.from([0]));
    const iinf = box("iinf", fullBoxHeader(0, 0), new Writer().u16(3).bytes(), infe(1, "av01"), infe(2, "Exif", 1), infe(3, "av01", 1));
    const iref = box("iref", fullBoxHeader(0, 0), box("cdsc", new Writer().u16(2).u16(1).u16(1).bytes()), box("thmb", new Writer().u16(3).u16(1).u16(1).bytes()));
    // ipco: 1 av1C, 2 ispe, 3 pixi, 4 colr, 5 udes.
    const ipco = box("ipco", props.av1C, props.ispe, props.pixi, props.colr, udes);
    const ipma = box(
        "ipma",
        fullBoxHeader(0, 0),
        new Writer().u32(2).u16(1).u8(5).u8(0x81).u8(2).u8(3).u8(4).u8(5).u16(3).u8(3).u8(0x81).u8(2).u8(3).bytes(),
    );
    const idat = box("idat", exif);
    const hdlr = box("hdlr", fullBoxHeader(0, 0), new Writer().u32(0).bytes(), Buffer.from("pict", "latin1"), new Uint8Array(12), Buffer.from([0]));
    const pitm = box("pitm", fullBoxHeader(0, 0), new Writer().u16(1).bytes());
    const ftyp = avif.subarray(0, readBoxes(avif, 0, avif.length, true)[0].end);
    const ilocFor = (mdatPayload: number) =>
        box(
            "iloc",
            fullBoxHeader(1, 0),
            new Writer()
                .u8(0x44)
                .u8(0x00)
                .u16(3)
                // item 1: construction method 0, in mdat after the thumbnail
                .u16(1).u16(0).u16(0).u16(1).u32(mdatPayload + image.length).u32(image.length)
                // item 2: construction method 1, in idat
                .u16(2).u16(1).u16(0).u16(1).u32(0).u32(exif.length)
                // item 3: the thumbnail, first in mdat
                .u16(3).u16(0).u16(0).u16(1).u32(mdatPayload).u32(image.length)
                .bytes(),
        );
    const metaFor = (mdatPayload: number) => box("meta", fullBoxHeader(0, 0), hdlr, pitm, ilocFor(mdatPayload), iinf, iref, box("iprp", ipco, ipma), idat);
    const mdatPayload = ftyp.length + metaFor(0).length + 8;
    return Buffer.concat([ftyp, metaFor(mdatPayload), box("mdat", image, image)]);
}
