/**
 * The transform against hostile and awkward originals: each gives its
 * documented answer (docs/variants.md, "Safety limits"), the pixels come
 * out upright and in 8-bit sRGB, and no output of any format carries any
 * metadata of the original, as read by exifr (independent of libvips) and
 * by walking WebP's chunks, which exifr does not read.
 */
import { expect } from "chai";
import sharp from "sharp";
import { VariantFormat, VariantPreset, VariantToken } from "../../core/variants";
import { MAX_VARIANT_BYTES } from "../../resizer/limits";
import { makeVariant, UnprocessableImageError } from "../../resizer/transform";
import { rejection } from "../support/rejection";
import { alphaPng, animatedGif, orientedJpeg, pngBomb, QUADRANT_COLOURS, solid, taggedPhoto, webpChunks } from "./fixtures";

// exifr ships no type declarations of its own for CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exifr: { parse(input: Buffer, options: Record<string, boolean>): Promise<Record<string, unknown> | undefined> } = require("exifr");

const LIMITS = { limitInputPixels: 100_000_000, maxOutputBytes: MAX_VARIANT_BYTES };
const THUMB: VariantPreset = { width: 256, height: 256, fit: "cover", quality: 75, formats: ["avif", "webp", "jpeg", "png"], eager: false };
const INSIDE: VariantPreset = { ...THUMB, width: 640, height: 640, fit: "inside" };
const TOKENS: VariantToken[] = ["avif", "webp", "jpeg", "png", "fallback"];

async function reason(input: Buffer, preset: VariantPreset = THUMB, token: VariantToken = "webp", limits = LIMITS): Promise<string> {
    return (await rejection(makeVariant(input, preset, token, limits), UnprocessableImageError)).reason;
}

/** The RGB of the pixel at (x, y) of an encoded image. */
async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
    const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const at = (y * info.width + x) * info.channels;
    return [data[at], data[at + 1], data[at + 2]];
}

function near(actual: number[], expected: readonly number[], tolerance: number): boolean {
    return actual.every((value, i) => Math.abs(value - expected[i]) <= tolerance);
}

describe("resizer/transform", function () {
    this.timeout(60_000);

    describe("hostile originals: a 422 reason each, never a crash", () => {
        it("a truncated JPEG is corrupt", async () => {
            const jpeg = await solid(400, 300, "#808080").jpeg().toBuffer();
            expect(await reason(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).to.equal("corrupt");
        });

        it("a decompression bomb (100000×100000 in 400 bytes) is refused from its header, before decoding", async () => {
            const bomb = pngBomb(100_000, 100_000);
            expect(bomb.length).to.be.below(2000);
            expect(await reason(bomb)).to.equal("too_many_pixels");
        });

        it("a real, decodable image over limitInputPixels is refused too", async () => {
            const big = await solid(1200, 1000, "#000000").png({ compressionLevel: 9 }).toBuffer();
            expect(await reason(big, THUMB, "webp", { ...LIMITS, limitInputPixels: 1_000_000 })).to.equal("too_many_pixels");
            const made = await makeVariant(big, THUMB, "webp", { ...LIMITS, limitInputPixels: 1_200_000 });
            expect([made.width, made.height]).to.deep.equal([256, 256]);
        });

        it("bytes that are no image are unsupported, and so is SVG, which libvips could render", async () => {
            expect(await reason(Buffer.from("not an image at all"))).to.equal("unsupported");
            expect(await reason(Buffer.alloc(0))).to.equal("unsupported");
            const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
            expect(await reason(svg)).to.equal("unsupported");
            const tiff = await solid(10, 10, "#ffffff").tiff().toBuffer();
            expect(await reason(tiff)).to.equal("unsupported");
        });

        it("an output over the size limit is refused, not truncated", async () => {
            const photo = await solid(300, 300, "#3366aa").png().toBuffer();
            expect(await reason(photo, THUMB, "png", { ...LIMITS, maxOutputBytes: 50 })).to.equal("output_too_large");
        });

        it("a 1×60000 strip is never enlarged: a 1-pixel-wide strip no taller than the box", async () => {
            const strip = await solid(1, 60_000, "#808080").png().toBuffer();
            const thumb = await makeVariant(strip, THUMB, "webp", LIMITS);
            expect([thumb.width, thumb.height]).to.deep.equal([1, 256]);
            const inside = await makeVariant(strip, INSIDE, "jpeg", LIMITS);
            expect([inside.width, inside.height]).to.deep.equal([1, 640]);
            const meta = await sharp(inside.body).metadata();
            expect([meta.width, meta.height]).to.deep.equal([1, 640]);
        });
    });

    describe("awkward originals", () => {
        it("an animated GIF gives its first frame, as a still in every format", async () => {
            const gif = await animatedGif();
            expect((await sharp(gif).metadata()).pages).to.equal(2);
            for (const token of ["avif", "webp", "png"] as const) {
                const made = await makeVariant(gif, INSIDE, token, LIMITS);
                const meta = await sharp(made.body, { animated: true }).metadata();
                expect(meta.pages ?? 1, token).to.equal(1);
                expect([meta.width, meta.height]).to.deep.equal([60, 40]);
                expect(near(await pixel(made.body, 30, 20), [255, 0, 0], 24), token).to.equal(true);
            }
        });

        it("a CMYK JPEG comes out in sRGB with its colour", async () => {
            const cmyk = await solid(200, 100, "#c03020").toColourspace("cmyk").jpeg({ quality: 95 }).toBuffer();
            expect((await sharp(cmyk).metadata()).space).to.equal("cmyk");
            const made = await makeVariant(cmyk, INSIDE, "png", LIMITS);
            const meta = await sharp(made.body).metadata();
            expect([meta.space, meta.channels]).to.deep.equal(["srgb", 3]);
            expect(near(await pixel(made.body, 100, 50), [192, 48, 32], 24)).to.equal(true);
        });

        it("a 16-bit PNG comes out 8-bit, even as PNG", async () => {
            const deep = await solid(120, 80, "#4080c0").toColourspace("rgb16").png().toBuffer();
            expect((await sharp(deep).metadata()).depth).to.equal("ushort");
            for (const token of ["png", "fallback"] as const) {
                const made = await makeVariant(deep, INSIDE, token, LIMITS);
                expect((await sharp(made.body).metadata()).depth, token).to.equal("uchar");
            }
        });

        for (let orientation = 1; orientation <= 8; orientation++) {
            it(`EXIF orientation ${orientation}: the output's pixels are upright`, async () => {
                const jpeg = await orientedJpeg(orientation, 96, 64);
                const made = await makeVariant(jpeg, INSIDE, "png", LIMITS);
                expect([made.width, made.height]).to.deep.equal([96, 64]);
                const corners = [
                    [24, 16],
                    [72, 16],
                    [24, 48],
                    [72, 48],
                ];
                for (let i = 0; i < 4; i++) {
                    const seen = await pixel(made.body, corners[i][0], corners[i][1]);
                    expect(near(seen, QUADRANT_COLOURS[i], 40), `quadrant ${i}: ${seen}`).to.equal(true);
                }
            });
        }
    });

    describe("formats and transparency", () => {
        it("serves each format asked for, with its Content-Type", async () => {
            const photo = await solid(500, 400, "#22aa88").jpeg().toBuffer();
            const expected: Record<VariantFormat, string> = { avif: "heif", webp: "webp", jpeg: "jpeg", png: "png" };
            for (const token of ["avif", "webp", "jpeg", "png"] as const) {
                const made = await makeVariant(photo, THUMB, token, LIMITS);
                expect(made.format).to.equal(token);
                expect(made.contentType).to.equal(`image/${token}`);
                expect((await sharp(made.body).metadata()).format).to.equal(expected[token]);
            }
        });

        it("the fallback is PNG for a transparent image, JPEG for an opaque one (even with an alpha channel)", async () => {
            expect((await makeVariant(await alphaPng(true), THUMB, "fallback", LIMITS)).format).to.equal("png");
            expect((await makeVariant(await alphaPng(false), THUMB, "fallback", LIMITS)).format).to.equal("jpeg");
            expect((await makeVariant(await solid(64, 64, "#000000").jpeg().toBuffer(), THUMB, "fallback", LIMITS)).format).to.equal("jpeg");
        });

        it("keeps transparency in WebP and PNG, flattens it onto white for JPEG", async () => {
            const transparent = await alphaPng(true);
            for (const token of ["webp", "png"] as const) {
                expect((await sharp((await makeVariant(transparent, THUMB, token, LIMITS)).body).metadata()).hasAlpha, token).to.equal(true);
            }
            const jpeg = await makeVariant(transparent, THUMB, "jpeg", LIMITS);
            // 50% of (20,160,60) over white.
            expect(near(await pixel(jpeg.body, 10, 10), [137, 207, 157], 12)).to.equal(true);
        });

        it("is deterministic: the same original gives byte-identical output in every format", async () => {
            const photo = await taggedPhoto();
            for (const token of TOKENS) {
                const [a, b] = await Promise.all([makeVariant(photo, INSIDE, token, LIMITS), makeVariant(photo, INSIDE, token, LIMITS)]);
                expect(a.body.equals(b.body), token).to.equal(true);
            }
        });
    });

    describe("no metadata in any output", () => {
        it("the tagged photo carries EXIF, GPS, XMP, IPTC and an ICC profile (exifr sees them)", async () => {
            const found = await exifr.parse(await taggedPhoto(), { tiff: true, gps: true, xmp: true, iptc: true, icc: true, mergeOutput: false });
            expect(found).to.include.keys("ifd0", "gps", "icc", "iptc");
            expect(JSON.stringify(found)).to.include("Someone").and.include("12 Example Street");
        });

        for (const token of TOKENS) {
            it(`${token}: none of it survives`, async () => {
                const made = await makeVariant(await taggedPhoto(), INSIDE, token, LIMITS);
                const meta = await sharp(made.body).metadata();
                expect(meta, "sharp").to.not.have.any.keys("exif", "icc", "xmp", "xmpAsString", "iptc", "tifftagPhotoshop");
                const text = made.body.toString("latin1");
                for (const marker of ["Exif\0", "PhoneMaker", "Someone", "Example Street", "adobe:ns:meta", "Photoshop", "ICC_PROFILE"]) {
                    expect(text.includes(marker), `${marker} in the ${made.format} bytes`).to.equal(false);
                }
                if (made.format === "webp") {
                    expect(webpChunks(made.body).filter((type) => ["EXIF", "XMP ", "ICCP"].includes(type))).to.deep.equal([]);
                } else {
                    const found = await exifr.parse(made.body, { tiff: true, ifd1: true, exif: true, gps: true, xmp: true, iptc: true, icc: true, makerNote: true, userComment: true, mergeOutput: false });
                    // exifr reports a PNG's IHDR (size, depth): the image header, not metadata.
                    const { ihdr: _header, ...metadata } = found ?? {};
                    expect(metadata, "exifr").to.deep.equal({});
                }
            });
        }
    });
});
