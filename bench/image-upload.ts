/**
 * 7. What an upload costs before it is stored: removing a phone photo's
 * metadata, and its displayed size and ThumbHash placeholder, in process
 * (no S3, no DynamoDB: those calls are the same with or without this work).
 *
 * The photo is made here, so the run needs no file: a 4000 × 3000 picture
 * (12 megapixels) of smooth light-and-colour gradients with per-pixel noise
 * like a phone sensor's, seeded so every run draws the same one, encoded by
 * sharp as a JPEG at quality 90, then given what a phone writes around it:
 * an EXIF block with GPS, device, serial, owner, time and maker notes plus a
 * 320 × 240 thumbnail, XMP, a Display P3 colour profile, and orientation 6.
 * An AVIF of the same picture with EXIF and XMP shows the AVIF container
 * walk, and the re-encode it replaced, which is now only the fallback for a
 * container the walk cannot rewrite.
 */
import sharp from "sharp";
import { stripJpeg } from "../issuer/image/jpeg";
import { describeImage } from "../issuer/image/describe";
import { reencodeAvif } from "../issuer/image/avif";
import { stripAvifContainer } from "../issuer/image/avif-container";
import { phoneExif, xmpPacket } from "../test/issuer/image/fixtures";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { count, fixed, kilobytes, nowNs, seededRandom, summarize, Summary } from "./stats";

/** Goal: the displayed size and placeholder of a 12-megapixel photo take at most this long (p50). */
const PLACEHOLDER_MAX_MS = 150;

/** Raw RGB pixels of a photo-like picture: gradients, a few soft shapes, and sensor-like noise. */
export function photoPixels(width: number, height: number, seed: number): Buffer {
    const random = seededRandom(seed);
    const raw = Buffer.alloc(width * height * 3);
    const blobs = Array.from({ length: 6 }, () => ({ x: random() * width, y: random() * height, r: (0.1 + random() * 0.25) * width, c: [random(), random(), random()] }));
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let r = 90 + 100 * (y / height);
            let g = 120 + 60 * Math.sin((x / width) * Math.PI);
            let b = 200 - 120 * (y / height);
            for (const blob of blobs) {
                const d = Math.hypot(x - blob.x, y - blob.y) / blob.r;
                if (d < 1) {
                    const w = (1 - d) * 0.8;
                    r = r * (1 - w) + 255 * blob.c[0] * w;
                    g = g * (1 - w) + 255 * blob.c[1] * w;
                    b = b * (1 - w) + 255 * blob.c[2] * w;
                }
            }
            const noise = (random() - 0.5) * 18;
            const at = (y * width + x) * 3;
            raw[at] = clamp(r + noise);
            raw[at + 1] = clamp(g + noise);
            raw[at + 2] = clamp(b + noise);
        }
    }
    return raw;
}

function clamp(value: number): number {
    return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** The photo as a phone writes it: the JPEG, then EXIF (with a 320 × 240 thumbnail) and XMP after SOI. */
export async function phonePhoto(width: number, height: number, seed: number): Promise<{ jpeg: Buffer; avif: Buffer }> {
    const raw = photoPixels(width, height, seed);
    const picture = () => sharp(raw, { raw: { width, height, channels: 3 } });
    const plain = await picture().jpeg({ quality: 90 }).withIccProfile("p3").toBuffer();
    const thumbnail = await picture().resize(320, 240).jpeg({ quality: 70 }).toBuffer();
    const segment = (marker: number, data: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff]), data]);
    const exif = segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), phoneExif(6, thumbnail)]));
    const xmp = segment(0xe1, Buffer.concat([Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1"), Buffer.from(xmpPacket(), "utf8")]));
    const jpeg = Buffer.concat([plain.subarray(0, 2), exif, xmp, plain.subarray(2)]);
    const avif = await picture()
        .avif({ quality: 60 })
        .withExif({ IFD0: { Make: "PhoneMaker", Model: "Phone 1" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
        .withXmp(xmpPacket())
        .toBuffer();
    return { jpeg, avif };
}

interface Timed {
    stripMs: number;
    describeMs: number;
}

export async function runImageUpload(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    const { imageWidth: width, imageHeight: height, imageRuns: runs, avifRuns } = options.sizes;
    progress(`drawing a ${width} × ${height} photo`);
    const photo = await phonePhoto(width, height, options.seed);
    const samples: Timed[] = [];
    let stored: Uint8Array = new Uint8Array();
    let placeholder = "";
    let removed: string[] = [];
    let described = { width: 0, height: 0 };
    for (let i = 0; i < runs + 1; i++) {
        const t0 = nowNs();
        const result = stripJpeg(photo.jpeg);
        const t1 = nowNs();
        const facts = await describeImage(result.bytes, "JPEG");
        const t2 = nowNs();
        // The first round warms up sharp and the JIT and is not counted.
        if (i > 0) samples.push({ stripMs: (t1 - t0) / 1e6, describeMs: (t2 - t1) / 1e6 });
        stored = result.bytes;
        placeholder = facts.placeholder;
        removed = result.removed;
        described = facts;
    }
    progress(`${runs} uploads measured`);
    // The promise behind the numbers: the stored photo decodes to the same pixels.
    const [before, after] = await Promise.all([sharp(photo.jpeg).raw().toBuffer(), sharp(stored).raw().toBuffer()]);
    const samePixels = before.equals(after);

    // The AVIF: the container walk, then (for comparison) the re-encode it falls back to.
    const walkSamples: number[] = [];
    let walked: Uint8Array = new Uint8Array();
    let avifRemoved: string[] = [];
    for (let i = 0; i < runs + 1; i++) {
        const t0 = nowNs();
        const result = stripAvifContainer(photo.avif);
        if (i > 0) walkSamples.push((nowNs() - t0) / 1e6);
        walked = result.bytes;
        avifRemoved = result.removed;
    }
    const [avifBefore, avifAfter] = await Promise.all([sharp(photo.avif).raw().toBuffer(), sharp(walked).raw().toBuffer()]);
    const avifSamePixels = avifBefore.equals(avifAfter);
    progress(`AVIF container walk measured ${runs} times`);
    const avifSamples: number[] = [];
    let avifOut: Uint8Array = new Uint8Array();
    for (let i = 0; i < avifRuns; i++) {
        const t0 = nowNs();
        avifOut = (await reencodeAvif(photo.avif)).bytes;
        avifSamples.push((nowNs() - t0) / 1e6);
        progress(`AVIF re-encode (the fallback) ${i + 1}/${avifRuns}: ${fixed(avifSamples[i], 0)} ms`);
    }

    const strip = summarize(samples.map((s) => s.stripMs));
    const describe = summarize(samples.map((s) => s.describeMs));
    const avif = avifSamples.length > 0 ? summarize(avifSamples) : undefined;
    const walk = summarize(walkSamples);
    const placeholderBytes = Buffer.from(placeholder, "base64").length;
    const megapixels = (width * height) / 1e6;
    const row = (label: string, summary: Summary) => [label, fixed(summary.p50, 1), fixed(summary.p90, 1), fixed(summary.max, 1)];

    const goals: GoalCheck[] = [
        {
            goal: `size and placeholder of a ${fixed(megapixels, 0)}-megapixel JPEG ≤ ${PLACEHOLDER_MAX_MS} ms (p50), placeholder ≤ 40 characters`,
            measured: `p50 ${fixed(describe.p50, 1)} ms, ${placeholder.length} characters (${placeholderBytes} bytes)`,
            met: describe.p50 <= PLACEHOLDER_MAX_MS && placeholder.length <= 40,
        },
        {
            goal: "metadata removal leaves an AVIF's pixels as they were (no re-encode)",
            measured: avifSamePixels ? `identical decode of all ${count(width * height)} pixels; ${count(photo.avif.length - walked.length)} bytes removed` : "pixels differ",
            met: avifSamePixels,
        },
        {
            goal: "metadata removal leaves a JPEG's pixels as they were",
            measured: samePixels ? `identical decode of all ${count(width * height)} pixels; ${count(photo.jpeg.length - stored.length)} bytes removed` : "pixels differ",
            met: samePixels,
        },
    ];
    const body = [
        `In process, ${runs} times after one warm-up round, on a ${width} × ${height} (${fixed(megapixels, 1)} MP) photo-like JPEG made by the benchmark:`,
        "smooth gradients and soft shapes with per-pixel noise like a sensor's (seeded: the same picture every run), encoded by sharp at",
        "quality 90 with a Display P3 profile, then wrapped with what a phone writes: EXIF with GPS, device, serial, owner, time, maker",
        "notes and a 320 × 240 thumbnail, XMP, orientation 6. Metadata removal is issuer/image/jpeg.ts (a walk of the segments, no",
        "decoding); size and placeholder is issuer/image/describe.ts (sharp reads the header, then decodes with JPEG shrink-on-load to",
        "at most 100 × 100 for ThumbHash).",
        "",
        table(["step, per upload", "p50 ms", "p90 ms", "max ms"], [row("remove metadata (JPEG walk)", strip), row("displayed size + ThumbHash (sharp)", describe)]),
        "",
        table(
            ["", ""],
            [
                ["photo as uploaded", `${kilobytes(photo.jpeg.length)} (${count(photo.jpeg.length)} bytes)`],
                ["stored (metadata removed)", `${kilobytes(stored.length)} (${count(stored.length)} bytes): ${count(photo.jpeg.length - stored.length)} bytes less`],
                ["removed", removed.join(", ")],
                ["displayed size", `${described.width} × ${described.height} (orientation 6 kept)`],
                ["placeholder", `${placeholderBytes} bytes, ${placeholder.length} base64 characters, stored with the mapping`],
            ],
        ),
        "",
        `An AVIF of the same picture carrying EXIF and XMP (${kilobytes(photo.avif.length)}, sharp at quality 60) loses them by a walk of its container ` +
            `(issuer/image/avif-container.ts: the items, their table entries and their bytes go, every offset is rewritten, the AV1 data is copied as it is): ` +
            `${runs} runs after one warm-up, p50 ${fixed(walk.p50, 1)} ms, max ${fixed(walk.max, 1)} ms; ${kilobytes(walked.length)} stored, ` +
            `${count(photo.avif.length - walked.length)} bytes less; removed ${avifRemoved.join(", ")}; pixels ${avifSamePixels ? "identical by decode" : "DIFFERENT"}.`,
        avif
            ? `The re-encode at quality 90 that it replaced, now only the fallback for a container the walk cannot rewrite (an image sequence, items built from other items or in another file, an essential property it does not know): ` +
              `${avifSamples.length} run${avifSamples.length === 1 ? "" : "s"}, p50 ${fixed(avif.p50, 0)} ms, max ${fixed(avif.max, 0)} ms, ${kilobytes(avifOut.length)} out.`
            : "",
    ].join("\n");
    return {
        name: "image",
        title: "7. Upload: metadata removal, displayed size and placeholder",
        body,
        goals,
        figures: {
            stripP50Ms: strip.p50,
            describeP50Ms: describe.p50,
            placeholderBytes,
            bytesRemoved: photo.jpeg.length - stored.length,
            avifWalkP50Ms: walk.p50,
            avifBytesRemoved: photo.avif.length - walked.length,
            ...(avif ? { avifReencodeP50Ms: avif.p50 } : {}),
        },
    };
}
