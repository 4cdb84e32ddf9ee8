/**
 * What may be uploaded, judged by the bytes: each allowed type is
 * recognised with the extension new keys get (an animated PNG as a PNG);
 * empty input, input over the limit, markup (SVG, HTML) and every other
 * type are refused with a message saying why. A declared content type for
 * an upload form is normalised or refused, its echo cut short.
 */
import { expect } from "chai";
import { isAllowedImageType, requireAllowedImageType, sniffImage } from "../../issuer/content";
import { InvalidInputError, RefusedContentError } from "../../issuer/errors";
import { rejection, thrown } from "../support/rejection";
import { AVIF_1X1, GIF_1X1, HTML_PAGE, JPEG_1X1, PDF_SIGNATURE, PNG_1X1, SVG_WITH_SCRIPT, TEXT, WEBP_1X1 } from "./fixtures";

/** `png` made an animated PNG: an `acTL` chunk inserted after IHDR (signature 8 bytes + IHDR 25). */
function animated(png: Buffer): Buffer {
    const data = Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]);
    const chunk = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from("acTL"), data, Buffer.alloc(4)]);
    return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

describe("issuer/content", () => {
    it("recognises each allowed type by its bytes, with the extension for new keys", async () => {
        const cases: [Buffer, string, string][] = [
            [JPEG_1X1, "image/jpeg", "jpg"],
            [PNG_1X1, "image/png", "png"],
            [GIF_1X1, "image/gif", "gif"],
            [WEBP_1X1, "image/webp", "webp"],
            [AVIF_1X1, "image/avif", "avif"],
        ];
        for (const [bytes, contentType, extension] of cases) expect(await sniffImage(bytes, 1_000_000), contentType).to.deep.equal({ contentType, extension });
    });

    it("an animated PNG is stored as a PNG", async () => {
        expect(await sniffImage(animated(PNG_1X1), 1_000_000)).to.deep.equal({ contentType: "image/png", extension: "png" });
    });

    it("refuses empty input, and input over the limit (at the limit is fine)", async () => {
        expect((await rejection(sniffImage(new Uint8Array(0), 10), RefusedContentError)).message).to.equal("refused: the content is empty");
        expect((await rejection(sniffImage(PNG_1X1, PNG_1X1.length - 1), RefusedContentError)).message).to.equal(
            `refused: ${PNG_1X1.length} bytes is over the limit of ${PNG_1X1.length - 1} bytes`,
        );
        expect(await sniffImage(PNG_1X1, PNG_1X1.length)).to.deep.equal({ contentType: "image/png", extension: "png" });
    });

    it("refuses markup as markup, even after a BOM and whitespace", async () => {
        for (const bytes of [SVG_WITH_SCRIPT, HTML_PAGE, Buffer.concat([Buffer.from("\uFEFF \n\t", "utf8"), SVG_WITH_SCRIPT])]) {
            expect((await rejection(sniffImage(bytes, 1_000_000), RefusedContentError)).message).to.match(/^refused: the content is SVG or other markup \(it can carry script\)/);
        }
    });

    it("refuses other types, naming what was found or that nothing was", async () => {
        expect((await rejection(sniffImage(PDF_SIGNATURE, 1_000_000), RefusedContentError)).message).to.equal(
            "refused: the content is application/pdf; only JPEG, PNG, GIF, WebP or AVIF images are accepted",
        );
        expect((await rejection(sniffImage(TEXT, 1_000_000), RefusedContentError)).message).to.equal(
            "refused: the content is of an unrecognised type; only JPEG, PNG, GIF, WebP or AVIF images are accepted",
        );
    });

    it("isAllowedImageType: only the five types, exactly, and no inherited names", () => {
        expect(isAllowedImageType("image/webp")).to.equal(true);
        for (const value of ["image/svg+xml", "image/apng", "IMAGE/PNG", "toString", "constructor", 7, undefined]) expect(isAllowedImageType(value), String(value)).to.equal(false);
    });

    it("requireAllowedImageType normalises case and whitespace, refuses the rest with a shortened echo", () => {
        expect(requireAllowedImageType("  Image/JPEG ")).to.equal("image/jpeg");
        expect(thrown(() => requireAllowedImageType(5), InvalidInputError).message).to.equal("contentType must be a string like 'image/png'");
        expect(thrown(() => requireAllowedImageType("image/svg+xml"), RefusedContentError).message).to.equal(
            "refused: content type 'image/svg+xml' is not allowed; only JPEG, PNG, GIF, WebP or AVIF images are accepted",
        );
        const long = "image/" + "x".repeat(100);
        expect(thrown(() => requireAllowedImageType(long), RefusedContentError).message).to.include(`'${long.slice(0, 57)}...'`);
    });
});
