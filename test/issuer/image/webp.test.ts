import { expect } from "chai";
import sharp from "sharp";
import { RefusedContentError } from "../../../issuer/errors";
import { stripWebp } from "../../../issuer/image/webp";
import { WEBP_1X1 } from "../fixtures";
import { thrown } from "../../support/rejection";
import { exifrSeesExifBlock, expectNoSecrets, expectUprightForOrientation6, iccOf, PERSONAL_TAGS, rawPixels } from "./checks";
import { HEIGHT, phoneWebp, webpChunks, WIDTH } from "./fixtures";

// exifr 7 does not read WebP files: the EXIF block is taken out by libvips (sharp) and read by exifr as TIFF,
// and the planted strings are searched for in the bytes.
describe("issuer/image: WebP metadata removal", () => {
    let webp: Buffer;
    before(async () => {
        webp = await phoneWebp(6);
    });

    it("the fixture carries EXIF (GPS, device) and XMP with the VP8X flags that announce them", async () => {
        const meta = await sharp(webp).metadata();
        expect(await exifrSeesExifBlock(meta.exif)).to.include.keys("latitude", "Make", "SerialNumber");
        expect(meta.xmp?.toString("utf8")).to.include("xmp-secret-creator");
        expect(webp[20] & 0x2c).to.equal(0x2c);
    });

    it("removes EXIF and XMP, writes VP8X flags and the RIFF size for what is left, keeps ICCP and an Orientation-only EXIF", async () => {
        const result = stripWebp(webp);
        expect(result.removed).to.deep.equal(["exif", "exif:device", "exif:gps", "exif:maker-notes", "exif:owner", "exif:serial", "exif:time", "xmp"]);
        expect(result.kept).to.deep.equal(["exif:orientation", "icc"]);
        const out = Buffer.from(result.bytes);
        expect(webpChunks(out).map((c) => c.fourcc)).to.deep.equal(["VP8X", "ICCP", "VP8 ", "EXIF"]);
        expect(out.readUInt32LE(4), "RIFF size").to.equal(out.length - 8);
        expect(out[20], "VP8X flags: ICC and EXIF only").to.equal(0x20 | 0x08);
        const meta = await sharp(out).metadata();
        expect(meta.xmp).to.equal(undefined);
        const exif = await exifrSeesExifBlock(meta.exif);
        for (const tag of PERSONAL_TAGS) expect(exif, tag).to.not.have.property(tag);
        expect(exif.Orientation).to.equal("Rotate 90 CW");
        expectNoSecrets(out);
    });

    it("leaves the pixels exactly as they were, keeps the colour profile, and the picture shows upright", async () => {
        const result = stripWebp(webp);
        const after = await rawPixels(result.bytes);
        expect([after.width, after.height]).to.deep.equal([WIDTH, HEIGHT]);
        expect(after.data.equals((await rawPixels(webp)).data)).to.equal(true);
        expect((await iccOf(result.bytes))?.equals((await iccOf(webp)) as Buffer)).to.equal(true);
        expectUprightForOrientation6(await rawPixels(result.bytes, { orient: true }));
    });

    it("an upright picture keeps no EXIF chunk and no EXIF flag", async () => {
        const out = Buffer.from(stripWebp(await phoneWebp(1)).bytes);
        expect(webpChunks(out).map((c) => c.fourcc)).to.deep.equal(["VP8X", "ICCP", "VP8 "]);
        expect(out[20]).to.equal(0x20);
        expect((await sharp(out).metadata()).exif).to.equal(undefined);
    });

    it("is idempotent, returns a simple WebP as it came, drops bytes after the RIFF, and refuses a truncated file", () => {
        const once = stripWebp(webp);
        expect(stripWebp(once.bytes).bytes).to.equal(once.bytes);
        expect(stripWebp(WEBP_1X1).bytes).to.equal(WEBP_1X1);
        const trailing = stripWebp(Buffer.concat([WEBP_1X1, Buffer.from("TRAILER-SECRET")]));
        expect(trailing.removed).to.deep.equal(["trailer"]);
        expect(Buffer.from(trailing.bytes).equals(WEBP_1X1)).to.equal(true);
        expect(thrown(() => stripWebp(webp.subarray(0, webp.length - 10)), RefusedContentError).message).to.match(/ends before the size its RIFF header declares/);
        const lying = Buffer.from(WEBP_1X1);
        lying.writeUInt32LE(0x7fffffff, 16);
        expect(thrown(() => stripWebp(lying), RefusedContentError).message).to.match(/runs past the end/);
    });
});
