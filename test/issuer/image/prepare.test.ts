/**
 * An accepted image made ready to store (issuer/image/prepare.ts), on tiny
 * images drawn by sharp: with `stripMetadata` the stored bytes are the
 * stripped ones and the report says what went, what stayed and whether the
 * pixels were re-encoded; without it the bytes are the upload itself and
 * the report says nothing was done; either way the size is the displayed
 * one (after the EXIF orientation) with the picture's placeholder;
 * and an image that does not decode is refused naming the declared format.
 * Each format's removal is tested in its own file; this is the step that
 * joins removal and description.
 */
import { expect } from "chai";
import sharp from "sharp";
import type { AllowedImageType } from "../../../issuer/content";
import { RefusedContentError } from "../../../issuer/errors";
import { describeImage } from "../../../issuer/image/describe";
import { prepareImage } from "../../../issuer/image/prepare";
import { rejection } from "../../support/rejection";
import { PNG_1X1, TEXT } from "../fixtures";
import { findText, HEIGHT, phoneAvif, SECRETS, textPng, WIDTH } from "./fixtures";

describe("issuer/image/prepare", () => {
    let png: Buffer;
    before(async () => {
        png = await textPng(6);
    });

    it("with stripMetadata, stores the stripped bytes and reports what went and what stayed", async () => {
        const prepared = await prepareImage(png, "image/png", { stripMetadata: true });
        expect(prepared.bytes.length).to.be.below(png.length);
        for (const secret of Object.values(SECRETS)) expect(findText(prepared.bytes, secret), secret).to.equal(-1);
        expect(prepared.metadata.stripped).to.equal(true);
        expect(prepared.metadata.reencoded).to.equal(false);
        expect(prepared.metadata.removed).to.include.members(["exif:gps", "exif:device", "png:text", "trailer", "xmp"]);
        expect(prepared.metadata.kept).to.deep.equal(["exif:orientation", "icc"]);
    });

    it("without stripMetadata, stores the upload itself and reports nothing done", async () => {
        const prepared = await prepareImage(png, "image/png", { stripMetadata: false });
        expect(prepared.bytes).to.equal(png);
        expect(prepared.metadata).to.deep.equal({ stripped: false, removed: [], kept: [], reencoded: false });
    });

    it("gives the displayed size, after the EXIF orientation, stripped or not", async () => {
        for (const stripMetadata of [true, false]) {
            const turned = await prepareImage(png, "image/png", { stripMetadata });
            expect([turned.width, turned.height], `stripMetadata ${stripMetadata}`).to.deep.equal([HEIGHT, WIDTH]);
        }
        const upright = await prepareImage(await textPng(1), "image/png", { stripMetadata: true });
        expect([upright.width, upright.height]).to.deep.equal([WIDTH, HEIGHT]);
    });

    it("gives the picture's ThumbHash placeholder, at most 25 bytes", async () => {
        const prepared = await prepareImage(png, "image/png", { stripMetadata: true });
        expect(prepared.placeholder).to.equal((await describeImage(prepared.bytes, "PNG")).placeholder);
        expect(Buffer.from(prepared.placeholder, "base64").length).to.be.within(5, 25);
        // A different picture gives a different placeholder.
        expect((await prepareImage(PNG_1X1, "image/png", { stripMetadata: true })).placeholder).to.not.equal(prepared.placeholder);
    });

    it("stores a clean image as it came even when stripping", async () => {
        const prepared = await prepareImage(PNG_1X1, "image/png", { stripMetadata: true });
        expect(prepared.bytes).to.equal(PNG_1X1);
        expect(prepared.metadata).to.deep.equal({ stripped: true, removed: [], kept: [], reencoded: false });
        expect([prepared.width, prepared.height]).to.deep.equal([1, 1]);
    });

    it("refuses bytes that do not decode, naming the declared format", async () => {
        const names: [AllowedImageType, string][] = [
            ["image/jpeg", "JPEG"],
            ["image/png", "PNG"],
            ["image/gif", "GIF"],
            ["image/webp", "WebP"],
            ["image/avif", "AVIF"],
        ];
        for (const [type, name] of names) {
            const error = await rejection(prepareImage(TEXT, type, { stripMetadata: false }), RefusedContentError);
            expect(error.message, type).to.equal(`refused: the content is not a decodable ${name} image`);
        }
    });

    it("reports an AVIF re-encoded when its container cannot be rewritten", async function () {
        this.timeout(60_000);
        const avif = await phoneAvif();
        const sequence = Buffer.concat([avif, Buffer.from("000000106d6f6f760000000000000000", "hex")]);
        const prepared = await prepareImage(sequence, "image/avif", { stripMetadata: true });
        expect(prepared.metadata.reencoded).to.equal(true);
        expect(prepared.metadata.removed).to.include("exif");
        expect((await sharp(prepared.bytes).metadata()).exif).to.equal(undefined);
        expect([prepared.width, prepared.height]).to.deep.equal([WIDTH, HEIGHT]);
    });
});
