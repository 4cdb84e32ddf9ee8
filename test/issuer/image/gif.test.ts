import { expect } from "chai";
import { RefusedContentError } from "../../../issuer/errors";
import { stripGif } from "../../../issuer/image/gif";
import { GIF_1X1 } from "../fixtures";
import { thrown } from "../../support/rejection";
import { expectNoSecrets, rawPixels } from "./checks";
import { commentGif, findText, HEIGHT, NETSCAPE_LOOP, WIDTH } from "./fixtures";

// exifr 7 does not read GIF: what is left is checked by a byte search for the planted strings and the extension labels.
describe("issuer/image: GIF metadata removal", () => {
    let gif: Buffer;
    before(async () => {
        gif = await commentGif();
    });

    it("removes comments, the XMP application extension, plain text and the bytes after the trailer; keeps the looping extension", async () => {
        expect(findText(gif, "XMP DataXMP")).to.be.greaterThan(0);
        const result = stripGif(gif);
        expect(result.removed).to.deep.equal(["comment", "gif:plain-text", "trailer", "xmp"]);
        expect(result.kept).to.deep.equal([]);
        const out = Buffer.from(result.bytes);
        expectNoSecrets(out);
        expect(findText(out, "XMP DataXMP")).to.equal(-1);
        expect(out.indexOf(Buffer.from([0x21, 0xfe])), "no comment extension").to.equal(-1);
        expect(out.indexOf(NETSCAPE_LOOP), "the looping extension, byte for byte").to.be.greaterThan(0);
        expect(out.at(-1)).to.equal(0x3b);
    });

    it("leaves the pixels exactly as they were", async () => {
        const result = stripGif(gif);
        const after = await rawPixels(result.bytes);
        expect([after.width, after.height]).to.deep.equal([WIDTH, HEIGHT]);
        expect(after.data.equals((await rawPixels(gif)).data)).to.equal(true);
    });

    it("keeps an ICC profile extension, is idempotent, and returns a clean GIF as it came", () => {
        const icc = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from("ICCRGBG1012", "latin1"), Buffer.from([3, 1, 2, 3, 0])]);
        const withIcc = Buffer.concat([GIF_1X1.subarray(0, 19), icc, GIF_1X1.subarray(19)]);
        const kept = stripGif(withIcc);
        expect(kept.kept).to.deep.equal(["icc"]);
        expect(kept.bytes).to.equal(withIcc);
        const once = stripGif(gif);
        expect(stripGif(once.bytes).bytes).to.equal(once.bytes);
        expect(stripGif(GIF_1X1).bytes).to.equal(GIF_1X1);
    });

    it("refuses a GIF cut short, one without an image, and stray bytes between blocks", () => {
        expect(thrown(() => stripGif(gif.subarray(0, gif.length - 40)), RefusedContentError).message).to.match(/^refused: the GIF is malformed \(it ends/);
        expect(thrown(() => stripGif(Buffer.concat([GIF_1X1.subarray(0, 19), Buffer.from([0x3b])])), RefusedContentError).message).to.match(/no image/);
        expect(thrown(() => stripGif(Buffer.concat([GIF_1X1.subarray(0, 19), Buffer.from("<html>")])), RefusedContentError).message).to.match(/unexpected byte 0x3c at byte 19/);
    });
});
