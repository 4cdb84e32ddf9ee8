import { expect } from "chai";
import sharp from "sharp";
import { thumbHashToRGBA } from "thumbhash";
import { RefusedContentError } from "../../../issuer/errors";
import { describeImage } from "../../../issuer/image/describe";
import { pngChunk, phoneJpeg, pixels } from "./fixtures";
import { rejection } from "../../support/rejection";

/** The placeholder decoded as a page would: its size and RGBA pixels. */
function decodePlaceholder(placeholder: string): { w: number; h: number; rgba: Uint8Array } {
    return thumbHashToRGBA(Buffer.from(placeholder, "base64"));
}

describe("issuer/image: displayed size and ThumbHash placeholder", () => {
    it("reports the displayed size after orientation, and a placeholder of the displayed picture", async () => {
        const facts = await describeImage(await phoneJpeg(6), "JPEG");
        expect([facts.width, facts.height]).to.deep.equal([48, 64]);
        expect(facts.placeholder).to.match(/^[A-Za-z0-9+/]+={0,2}$/);
        expect(facts.placeholder.length).to.be.at.most(40);
        const decoded = decodePlaceholder(facts.placeholder);
        expect(decoded.w / decoded.h).to.be.closeTo(48 / 64, 0.1);
        // The red block is top-right once upright: the placeholder's top-right is redder than its top-left.
        const red = (x: number, y: number) => decoded.rgba[(y * decoded.w + x) * 4] - decoded.rgba[(y * decoded.w + x) * 4 + 2];
        expect(red(decoded.w - 2, 1)).to.be.greaterThan(red(1, 1) + 40);
    });

    it("keeps the aspect of a wide picture and decodes to at most 32 pixels a side", async () => {
        const wide = await sharp(pixels(300, 100), { raw: { width: 300, height: 100, channels: 3 } }).png().toBuffer();
        const facts = await describeImage(wide, "PNG");
        expect([facts.width, facts.height]).to.deep.equal([300, 100]);
        const decoded = decodePlaceholder(facts.placeholder);
        // ThumbHash stores the aspect ratio coarsely (it decodes to whole pixels, at most 32 a side): within a fifth.
        expect(decoded.w / decoded.h).to.be.within(3 * 0.8, 3 * 1.2);
        expect(Math.max(decoded.w, decoded.h)).to.be.at.most(32);
        expect(Buffer.from(facts.placeholder, "base64").length).to.be.at.most(25);
    });

    it("refuses an image whose container is sound but whose pixels do not decode, naming the format", async () => {
        const png = await sharp(pixels(8, 8), { raw: { width: 8, height: 8, channels: 3 } }).png().toBuffer();
        const idat = png.indexOf(Buffer.from("IDAT", "latin1")) - 4;
        const broken = Buffer.concat([png.subarray(0, idat), pngChunk("IDAT", Buffer.from("not a deflate stream")), png.subarray(png.indexOf(Buffer.from("IEND", "latin1")) - 4)]);
        const error = await rejection(describeImage(broken, "PNG"), RefusedContentError);
        expect(error.message).to.equal("refused: the content is not a decodable PNG image");
    });
});
