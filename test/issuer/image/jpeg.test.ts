import { expect } from "chai";
import exifr from "exifr";
import sharp from "sharp";
import { RefusedContentError } from "../../../issuer/errors";
import { stripJpeg } from "../../../issuer/image/jpeg";
import { JPEG_1X1 } from "../fixtures";
import { thrown } from "../../support/rejection";
import { exifrSees, expectNoSecrets, expectUprightForOrientation6, iccOf, PERSONAL_TAGS, rawPixels } from "./checks";
import { phoneJpeg, pixels, WIDTH, HEIGHT } from "./fixtures";

/** The markers of a JPEG's segments before its first scan, in order (e.g. ["e0", "e1", "db", …]). */
function segmentMarkers(jpeg: Uint8Array): string[] {
    const markers: string[] = [];
    for (let at = 2; at + 4 <= jpeg.length; ) {
        const marker = jpeg[at + 1];
        markers.push(marker.toString(16));
        if (marker === 0xda) break;
        at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
    }
    return markers;
}

/** Where the first segment with `marker` starts. */
function segmentOffset(jpeg: Uint8Array, marker: number): number {
    for (let at = 2; at + 4 <= jpeg.length; at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3])) if (jpeg[at + 1] === marker) return at;
    return -1;
}

describe("issuer/image: JPEG metadata removal", () => {
    let phone: Buffer;
    before(async () => {
        phone = await phoneJpeg(6);
    });

    it("the fixture carries what a phone writes (read by exifr): GPS, device, serial, maker notes, thumbnail, XMP, IPTC", async () => {
        const seen = await exifrSees(phone);
        expect(seen).to.include.keys("latitude", "Make", "Model", "SerialNumber", "makerNote", "creator", "Byline");
        expect(await exifr.thumbnail(phone)).to.be.instanceOf(Uint8Array);
    });

    it("removes EXIF (GPS, device, serial, owner, time, maker notes, thumbnail), XMP, IPTC, MPF, comments and the trailer, and says so", async () => {
        const result = stripJpeg(phone);
        expect(result.removed).to.deep.equal([
            "comment",
            "exif",
            "exif:device",
            "exif:gps",
            "exif:maker-notes",
            "exif:owner",
            "exif:serial",
            "exif:thumbnail",
            "exif:time",
            "iptc",
            "mpf",
            "trailer",
            "xmp",
        ]);
        expect(result.kept).to.deep.equal(["exif:orientation", "icc"]);
        const seen = await exifrSees(result.bytes);
        for (const tag of PERSONAL_TAGS) expect(seen, tag).to.not.have.property(tag);
        expect(await exifr.gps(Buffer.from(result.bytes))).to.equal(undefined);
        expect(await exifr.thumbnail(Buffer.from(result.bytes))).to.equal(undefined);
        expectNoSecrets(result.bytes);
        // exifr sees the Orientation and nothing else of the EXIF.
        expect(seen).to.deep.equal({ Orientation: "Rotate 90 CW" });
        // The APP segments left: the ICC profile and the 26-byte EXIF (in the place of the original EXIF).
        expect(segmentMarkers(result.bytes).filter((m) => m.startsWith("e"))).to.deep.equal(["e2", "e1"]);
        expect(Buffer.from(result.bytes).readUInt16BE(segmentOffset(result.bytes, 0xe1) + 2)).to.equal(2 + 6 + 26);
        expect(Buffer.from(result.bytes).subarray(-2).toString("hex")).to.equal("ffd9");
    });

    it("leaves the pixels exactly as they were, keeps the colour profile, and the picture still shows upright", async () => {
        const result = stripJpeg(phone);
        const before = await rawPixels(phone);
        const after = await rawPixels(result.bytes);
        expect([after.width, after.height]).to.deep.equal([WIDTH, HEIGHT]);
        expect(after.data.equals(before.data), "decoded pixels identical").to.equal(true);
        const icc = await iccOf(result.bytes);
        expect(icc, "ICC profile kept").to.not.equal(undefined);
        expect(icc?.equals((await iccOf(phone)) as Buffer)).to.equal(true);
        const meta = await sharp(result.bytes).metadata();
        expect(meta.orientation).to.equal(6);
        expectUprightForOrientation6(await rawPixels(result.bytes, { orient: true }));
    });

    it("writes no EXIF at all for an upright picture (orientation 1)", async () => {
        const result = stripJpeg(await phoneJpeg(1));
        expect(result.kept).to.deep.equal(["icc"]);
        expect(await exifrSees(result.bytes)).to.deep.equal({});
        expect(segmentMarkers(result.bytes)).to.not.include("e1");
    });

    it("is idempotent: a stripped JPEG comes back unchanged, the same bytes", async () => {
        const once = stripJpeg(phone);
        const twice = stripJpeg(once.bytes);
        expect(twice.removed).to.deep.equal([]);
        expect(twice.kept).to.deep.equal(["exif:orientation", "icc"]);
        expect(twice.bytes).to.equal(once.bytes);
    });

    it("returns a JPEG without metadata as it came (the same buffer)", () => {
        const result = stripJpeg(JPEG_1X1);
        expect(result.removed).to.deep.equal([]);
        expect(result.bytes).to.equal(JPEG_1X1);
    });

    it("clears a JFIF thumbnail and drops a JFXX one, keeping JFIF's density", async () => {
        const plain = await sharp(pixels(), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg().toBuffer();
        // JFIF 1.02: identifier, version, units (dots per inch), density 300 × 300, then a 2 × 2 RGB thumbnail.
        const fields = Buffer.concat([Buffer.from("JFIF\0", "latin1"), Buffer.from([1, 2, 1, 0x01, 0x2c, 0x01, 0x2c])]);
        const withThumb = Buffer.concat([fields, Buffer.from([2, 2]), Buffer.alloc(3 * 2 * 2, 0x7f)]);
        const app0 = Buffer.concat([Buffer.from([0xff, 0xe0, 0, withThumb.length + 2]), withThumb]);
        const jfxxData = Buffer.concat([Buffer.from("JFXX\0\x13", "latin1"), Buffer.from([1, 1]), Buffer.alloc(3, 9)]);
        const jfxx = Buffer.concat([Buffer.from([0xff, 0xe0, 0, jfxxData.length + 2]), jfxxData]);
        const input = Buffer.concat([plain.subarray(0, 2), app0, jfxx, plain.subarray(2)]);
        const result = stripJpeg(input);
        expect(result.removed).to.deep.equal(["jfif:thumbnail"]);
        const out = Buffer.from(result.bytes);
        expect(out.readUInt16BE(4), "APP0 back to 16 bytes").to.equal(16);
        expect(out.subarray(6, 18).equals(fields)).to.equal(true);
        expect([out[18], out[19]]).to.deep.equal([0, 0]);
        expect(segmentMarkers(out).filter((m) => m === "e0")).to.have.length(1);
        expect((await rawPixels(out)).data.equals((await rawPixels(plain)).data)).to.equal(true);
    });

    it("keeps Adobe's APP14, without which a CMYK JPEG decodes to other colours", async () => {
        const cmyk = await sharp(pixels(), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).toColourspace("cmyk").jpeg().withExif({ IFD0: { Make: "SecretMake" } }).toBuffer();
        expect(segmentMarkers(cmyk)).to.include("ee");
        const result = stripJpeg(cmyk);
        expect(result.removed).to.include("exif:device");
        expect(segmentMarkers(result.bytes)).to.include("ee");
        expect((await rawPixels(result.bytes)).data.equals((await rawPixels(cmyk)).data)).to.equal(true);
    });

    it("refuses what is not a complete JPEG stream, naming the fault", () => {
        const cases: [string, Uint8Array, RegExp][] = [
            ["no SOI", phone.subarray(2), /start-of-image/],
            ["cut in the image data", phone.subarray(0, segmentOffset(phone, 0xda) + 40), /ends inside its image data/],
            ["cut in a segment", phone.subarray(0, 30), /runs past the end/],
            ["no EOI", phone.subarray(0, phone.indexOf(Buffer.from([0xff, 0xd9]), 2000)), /image data|end-of-image/],
            ["HTML after APP0", Buffer.concat([JPEG_1X1.subarray(0, 2), Buffer.from("ffe000104a46494600010100000100010000", "hex"), Buffer.from("<html><script>x</script></html>")]), /no marker at byte 20/],
        ];
        for (const [name, bytes, message] of cases) {
            const error = thrown(() => stripJpeg(bytes), RefusedContentError);
            expect(error.message, name).to.match(message);
            expect(error.message, name).to.match(/^refused: the JPEG is malformed/);
        }
    });
});
