/**
 * What the image tests look at, read independently of the code under test:
 * metadata through exifr (its own parsers, not libvips), pixels and colour
 * profiles through sharp, planted strings by a plain byte search.
 */
import { expect } from "chai";
import exifr from "exifr";
import sharp from "sharp";
import { findText, SECRETS } from "./fixtures";

/** Everything exifr finds (all segments and blocks it knows), or `{}`. */
export async function exifrSees(bytes: Uint8Array): Promise<Record<string, unknown>> {
    const found = (await exifr.parse(Buffer.from(bytes), {
        tiff: true,
        ifd1: true,
        exif: true,
        gps: true,
        interop: true,
        makerNote: true,
        userComment: true,
        xmp: true,
        iptc: true,
        icc: false,
        jfif: false,
        mergeOutput: true,
    })) as Record<string, unknown> | undefined;
    return found ?? {};
}

/** exifr's reading of a bare EXIF block (as sharp hands it over: `Exif\0\0` then TIFF). */
export async function exifrSeesExifBlock(exif: Buffer | undefined): Promise<Record<string, unknown>> {
    if (!exif) return {};
    const tiff = exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? exif.subarray(6) : exif;
    return ((await exifr.parse(tiff, { tiff: true, ifd1: true, exif: true, gps: true, makerNote: true, mergeOutput: true })) as Record<string, unknown> | undefined) ?? {};
}

/** The personal-data tags exifr reports under its names. */
export const PERSONAL_TAGS = [
    "Make",
    "Model",
    "SerialNumber",
    "BodySerialNumber",
    "Artist",
    "OwnerName",
    "CameraOwnerName",
    "DateTimeOriginal",
    "ModifyDate",
    "GPSLatitude",
    "GPSLongitude",
    "latitude",
    "longitude",
    "makerNote",
    "MakerNote",
    "creator",
    "Byline",
    "Comment",
    "Author",
];

/** No planted string is left anywhere in the bytes. */
export function expectNoSecrets(bytes: Uint8Array): void {
    for (const [what, marker] of Object.entries(SECRETS)) expect(findText(bytes, marker), `${what} (${marker}) is still in the file`).to.equal(-1);
}

/** Decoded pixels (RGBA, first frame), optionally after applying the orientation. */
export async function rawPixels(bytes: Uint8Array, options: { orient?: boolean } = {}): Promise<{ data: Buffer; width: number; height: number }> {
    const image = options.orient ? sharp(bytes).autoOrient() : sharp(bytes);
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
}

/** The pixel at (x, y) of a decoded RGBA image. */
export function pixelAt(image: { data: Buffer; width: number }, x: number, y: number): [number, number, number] {
    const at = (y * image.width + x) * 4;
    return [image.data[at], image.data[at + 1], image.data[at + 2]];
}

/** True for the fixtures' red marker block. */
export function isRed([r, g, b]: [number, number, number]): boolean {
    return r > 180 && g < 80 && b < 80;
}

/**
 * The pictures are drawn with a red block in the stored top-left corner; for
 * orientation 6 (rotate 90° clockwise to display) it shows top-right.
 */
export function expectUprightForOrientation6(displayed: { data: Buffer; width: number; height: number }): void {
    expect([displayed.width, displayed.height]).to.deep.equal([48, 64]);
    expect(isRed(pixelAt(displayed, displayed.width - 3, 2)), "red block at the displayed top-right").to.equal(true);
    expect(isRed(pixelAt(displayed, 2, 2)), "not at the displayed top-left").to.equal(false);
}

/** The ICC profile sharp reads from the bytes. */
export async function iccOf(bytes: Uint8Array): Promise<Buffer | undefined> {
    return (await sharp(bytes).metadata()).icc;
}
