import { expect } from "chai";
import exifr from "exifr";
import sharp from "sharp";
import { stripAvif } from "../../../issuer/image/avif";
import { AVIF_1X1 } from "../fixtures";
import { expectNoSecrets, iccOf, rawPixels } from "./checks";
import { HEIGHT, phoneAvif, WIDTH } from "./fixtures";

describe("issuer/image: AVIF metadata removal (re-encoded when it carries EXIF or XMP)", () => {
    let avif: Buffer;
    before(async () => {
        avif = await phoneAvif();
    });

    it("the fixture carries EXIF (GPS, device) and XMP items", async () => {
        const meta = await sharp(avif).metadata();
        expect(meta.exif).to.not.equal(undefined);
        expect(meta.xmp?.toString("utf8")).to.include("xmp-secret-creator");
        expect(findIn(avif, "SecretMake")).to.equal(true);
    });

    it("re-encodes it without EXIF and XMP, with its colour profile, size and (nearly) its pixels", async () => {
        const result = await stripAvif(avif);
        expect(result.reencoded).to.equal(true);
        expect(result.removed).to.deep.equal(["exif", "exif:device", "exif:gps", "xmp"]);
        expect(result.kept).to.deep.equal(["icc"]);
        const meta = await sharp(result.bytes).metadata();
        expect(meta.format).to.equal("heif");
        expect(meta.compression).to.equal("av1");
        expect([meta.width, meta.height]).to.deep.equal([WIDTH, HEIGHT]);
        expect(meta.exif).to.equal(undefined);
        expect(meta.xmp).to.equal(undefined);
        expect((await iccOf(result.bytes))?.equals((await iccOf(avif)) as Buffer)).to.equal(true);
        expectNoSecrets(result.bytes);
        // exifr (its own ISOBMFF reader) finds nothing either.
        expect(await exifr.parse(Buffer.from(result.bytes), { tiff: true, xmp: true, gps: true }).catch(() => undefined)).to.equal(undefined);
        // Lossy, at quality 90: every channel of every pixel within a few levels of the original decode.
        const before = await rawPixels(avif);
        const after = await rawPixels(result.bytes);
        let total = 0;
        for (let i = 0; i < before.data.length; i++) total += Math.abs(before.data[i] - after.data[i]);
        expect(total / before.data.length, "mean absolute difference per channel").to.be.below(4);
    });

    it("stores an AVIF without EXIF or XMP as it came, not re-encoded", async () => {
        const result = await stripAvif(AVIF_1X1);
        expect(result.reencoded).to.equal(false);
        expect(result.removed).to.deep.equal([]);
        expect(result.bytes).to.equal(AVIF_1X1);
    });
});

function findIn(bytes: Uint8Array, text: string): boolean {
    return Buffer.from(bytes).includes(Buffer.from(text, "latin1"));
}
