import { expect } from "chai";
import { RefusedContentError } from "../../../issuer/errors";
import { stripPng } from "../../../issuer/image/png";
import { PNG_1X1 } from "../fixtures";
import { thrown } from "../../support/rejection";
import { exifrSees, expectNoSecrets, expectUprightForOrientation6, iccOf, PERSONAL_TAGS, rawPixels } from "./checks";
import { HEIGHT, pngChunk, textPng, WIDTH } from "./fixtures";

/** The chunk types of a PNG, in order. */
function chunkTypes(png: Uint8Array): string[] {
    const buffer = Buffer.from(png);
    const types: string[] = [];
    for (let at = 8; at + 12 <= buffer.length; at += 12 + buffer.readUInt32BE(at)) {
        types.push(buffer.toString("latin1", at + 4, at + 8));
        if (types.at(-1) === "IEND") break;
    }
    return types;
}

describe("issuer/image: PNG metadata removal", () => {
    let png: Buffer;
    before(async () => {
        png = await textPng(6);
    });

    it("the fixture carries eXIf (GPS, device), text chunks, XMP and tIME, as exifr reads them", async () => {
        const seen = await exifrSees(png);
        expect(seen).to.include.keys("latitude", "Make", "Author", "Comment", "creator");
        expect(chunkTypes(png)).to.include.members(["eXIf", "tEXt", "iTXt", "tIME", "iCCP"]);
    });

    it("removes eXIf, text, XMP, tIME and the bytes after IEND; keeps iCCP and an Orientation-only eXIf", async () => {
        const result = stripPng(png);
        expect(result.removed).to.deep.equal([
            "comment",
            "exif",
            "exif:device",
            "exif:gps",
            "exif:maker-notes",
            "exif:owner",
            "exif:serial",
            "exif:time",
            "png:text",
            "png:time",
            "trailer",
            "xmp",
        ]);
        expect(result.kept).to.deep.equal(["exif:orientation", "icc"]);
        // What is left: the image's own chunks as sharp wrote them, and the 26-byte eXIf where the original was.
        const left = chunkTypes(png).filter((t) => !["tEXt", "iTXt", "tIME"].includes(t));
        expect(chunkTypes(result.bytes)).to.deep.equal(left);
        expect(left).to.include.members(["IHDR", "eXIf", "iCCP", "pHYs", "IDAT", "IEND"]);
        const seen = await exifrSees(result.bytes);
        for (const tag of PERSONAL_TAGS) expect(seen, tag).to.not.have.property(tag);
        expect(seen.Orientation).to.equal("Rotate 90 CW");
        expectNoSecrets(result.bytes);
        expect(Buffer.from(result.bytes).subarray(-12, -8).readUInt32BE(0), "IEND is last").to.equal(0);
    });

    it("leaves the pixels exactly as they were, keeps the colour profile, and the picture shows upright", async () => {
        const result = stripPng(png);
        const before = await rawPixels(png);
        const after = await rawPixels(result.bytes);
        expect([after.width, after.height]).to.deep.equal([WIDTH, HEIGHT]);
        expect(after.data.equals(before.data)).to.equal(true);
        expect((await iccOf(result.bytes))?.equals((await iccOf(png)) as Buffer)).to.equal(true);
        expectUprightForOrientation6(await rawPixels(result.bytes, { orient: true }));
    });

    it("is idempotent, and returns a clean PNG as it came", () => {
        const once = stripPng(png);
        const twice = stripPng(once.bytes);
        expect(twice.removed).to.deep.equal([]);
        expect(twice.bytes).to.equal(once.bytes);
        expect(stripPng(PNG_1X1).bytes).to.equal(PNG_1X1);
    });

    it("drops private chunks and C2PA manifests, and refuses an unknown critical chunk, a bad CRC and a missing IEND", () => {
        const at = 8 + 25;
        const withPrivate = Buffer.concat([PNG_1X1.subarray(0, at), pngChunk("prVt", Buffer.from("anything")), pngChunk("caBX", Buffer.from("manifest")), PNG_1X1.subarray(at)]);
        expect(stripPng(withPrivate).removed).to.deep.equal(["c2pa", "png:prVt"]);
        expect(stripPng(withPrivate).bytes).to.deep.equal(new Uint8Array(PNG_1X1));

        const critical = Buffer.concat([PNG_1X1.subarray(0, at), pngChunk("ZZZZ", Buffer.alloc(1)), PNG_1X1.subarray(at)]);
        expect(thrown(() => stripPng(critical), RefusedContentError).message).to.match(/unknown critical chunk ZZZZ/);
        const badCrc = Buffer.from(PNG_1X1);
        badCrc[at - 1] ^= 0xff;
        expect(thrown(() => stripPng(badCrc), RefusedContentError).message).to.match(/IHDR chunk at byte 8 has a bad CRC/);
        expect(thrown(() => stripPng(PNG_1X1.subarray(0, PNG_1X1.length - 12)), RefusedContentError).message).to.match(/ends before its IEND/);
        expect(thrown(() => stripPng(PNG_1X1.subarray(0, 8)), RefusedContentError).message).to.match(/^refused: the PNG is malformed/);
    });
});
