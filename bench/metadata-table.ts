/**
 * The table in SECURITY.md of what each format keeps and loses on upload,
 * measured: each test fixture (test/issuer/image/fixtures.ts) goes through
 * the issuer's preparation, and what it carried before and after is read
 * back independently of the code under test: exifr for EXIF, XMP and IPTC
 * (for WebP and AVIF, which exifr 7 cannot open, from the EXIF block libvips
 * extracts), sharp for the colour profile and pixels, and a byte search for
 * the strings planted in every personal field.
 *
 *   npx ts-node --transpile-only bench/metadata-table.ts           print the table
 *   npx ts-node --transpile-only bench/metadata-table.ts --write   put it into SECURITY.md
 *
 * test/bench/metadata-table.test.ts fails when SECURITY.md and this disagree.
 */
import exifr from "exifr";
import * as fs from "fs";
import * as path from "path";
import sharp from "sharp";
import type { AllowedImageType } from "../issuer/content";
import { prepareImage } from "../issuer/image/prepare";
import { commentGif, findText, phoneAvif, phoneJpeg, phoneWebp, SECRETS, textPng } from "../test/issuer/image/fixtures";
import { table } from "./report";

/** Where the table lives, between these two lines. */
export const TABLE_FILE = path.join(__dirname, "..", "SECURITY.md");
export const TABLE_START = "<!-- metadata-table:start (bench/metadata-table.ts --write) -->";
export const TABLE_END = "<!-- metadata-table:end -->";

interface Fixture {
    format: string;
    type: AllowedImageType;
    what: string;
    make: () => Promise<Buffer>;
    /** How EXIF, XMP and IPTC are read for this format. */
    reader: "exifr" | "exifr on the EXIF block libvips extracts" | "byte search (exifr 7 reads no GIF)";
}

const FIXTURES: Fixture[] = [
    { format: "JPEG", type: "image/jpeg", what: "phone photo", make: () => phoneJpeg(6), reader: "exifr" },
    { format: "PNG", type: "image/png", what: "eXIf and text chunks", make: () => textPng(6), reader: "exifr" },
    { format: "WebP", type: "image/webp", what: "EXIF and XMP chunks", make: () => phoneWebp(6), reader: "exifr on the EXIF block libvips extracts" },
    { format: "GIF", type: "image/gif", what: "looping, with comments", make: commentGif, reader: "byte search (exifr 7 reads no GIF)" },
    { format: "AVIF", type: "image/avif", what: "EXIF and XMP items", make: phoneAvif, reader: "exifr on the EXIF block libvips extracts" },
];

/** What an image carries, by kind, as read independently of the issuer. */
export async function carried(bytes: Uint8Array, fixture: Fixture): Promise<string[]> {
    const found = new Set<string>();
    const buffer = Buffer.from(bytes);
    const meta = await sharp(buffer).metadata();
    let tags: Record<string, unknown> = {};
    if (fixture.reader === "exifr") {
        tags = ((await exifr.parse(buffer, { tiff: true, ifd1: true, exif: true, gps: true, makerNote: true, xmp: true, iptc: true, mergeOutput: true }).catch(() => undefined)) ?? {}) as Record<string, unknown>;
        if (await exifr.thumbnail(buffer)) found.add("EXIF thumbnail");
    } else if (fixture.reader === "exifr on the EXIF block libvips extracts" && meta.exif) {
        const exif = meta.exif;
        const tiff = exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? exif.subarray(6) : exif;
        tags = ((await exifr.parse(tiff, { tiff: true, ifd1: true, exif: true, gps: true, makerNote: true, mergeOutput: true }).catch(() => undefined)) ?? {}) as Record<string, unknown>;
    }
    const has = (...names: string[]) => names.some((name) => tags[name] !== undefined);
    if (has("latitude", "GPSLatitude")) found.add("GPS");
    if (has("Make", "Model")) found.add("device");
    if (has("SerialNumber", "BodySerialNumber")) found.add("serial");
    if (has("Artist", "Author", "OwnerName")) found.add("owner");
    if (has("DateTimeOriginal", "ModifyDate")) found.add("time");
    if (has("makerNote", "MakerNote")) found.add("maker notes");
    if (has("creator") || meta.xmp || findText(bytes, "adobe:ns:meta") >= 0) found.add("XMP");
    if (has("Byline")) found.add("IPTC");
    if (has("Comment") || findText(bytes, SECRETS.comment) >= 0) found.add("comment");
    if (findText(bytes, SECRETS.trailer) >= 0) found.add("trailing data");
    if (has("Orientation") && tags.Orientation !== "Horizontal (normal)") found.add("orientation");
    else if (meta.orientation !== undefined && meta.orientation !== 1) found.add("orientation");
    if (meta.icc) found.add("ICC profile");
    if (findText(bytes, "NETSCAPE2.0") >= 0) found.add("looping");
    return [...found];
}

/** The planted strings still in the bytes, whichever reader missed them. */
function leaks(bytes: Uint8Array): string[] {
    return Object.entries(SECRETS)
        .filter(([, marker]) => findText(bytes, marker) >= 0)
        .map(([what]) => what);
}

/** The table, measured now. */
export async function metadataTable(): Promise<string> {
    const rows: string[][] = [];
    for (const fixture of FIXTURES) {
        const input = await fixture.make();
        const prepared = await prepareImage(input, fixture.type, { stripMetadata: true });
        const before = await carried(input, fixture);
        const after = await carried(prepared.bytes, fixture);
        const left = leaks(prepared.bytes);
        const lost = before.filter((kind) => !after.includes(kind));
        let pixels: string;
        if (prepared.metadata.reencoded) pixels = "re-encoded (quality 90)";
        else {
            const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(prepared.bytes).raw().toBuffer()]);
            pixels = a.equals(b) ? "identical" : "**changed**";
        }
        rows.push([
            `${fixture.format} (${fixture.what})`,
            before.join(", "),
            (after.join(", ") || "nothing") + (left.length > 0 ? `; **planted text left: ${left.join(", ")}**` : ""),
            lost.join(", "),
            pixels,
            fixture.reader,
        ]);
    }
    return table(["format (fixture)", "carried when uploaded", "kept when stored", "removed", "pixels", "read with"], rows);
}

/** SECURITY.md with the section between the markers replaced by `generated`. */
export function withTable(document: string, generated: string): string {
    const start = document.indexOf(TABLE_START);
    const end = document.indexOf(TABLE_END);
    if (start < 0 || end < start) throw new Error(`${path.basename(TABLE_FILE)} has no ${TABLE_START} … ${TABLE_END} section`);
    return `${document.slice(0, start + TABLE_START.length)}\n${generated}\n${document.slice(end)}`;
}

async function main(): Promise<void> {
    const generated = await metadataTable();
    if (process.argv.includes("--write")) {
        fs.writeFileSync(TABLE_FILE, withTable(fs.readFileSync(TABLE_FILE, "utf8"), generated));
        process.stderr.write(`table written to ${path.relative(process.cwd(), TABLE_FILE)}\n`);
    } else {
        process.stdout.write(generated + "\n");
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        process.exitCode = 1;
    });
}
