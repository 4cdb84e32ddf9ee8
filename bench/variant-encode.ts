/**
 * What making each default variant costs, on one core: the figures behind
 * the default formats and the AVIF encoder effort (docs/variants.md).
 * Standalone, not part of `npm run bench`:
 *
 *   npx ts-node --transpile-only bench/variant-encode.ts
 *
 * The original is a 12-MP (4032×3024) photo-like JPEG made here: smooth
 * gradients, edges and seeded sensor-like noise, quality 90, so every run
 * measures the same bytes. Each figure is the median of 3 runs of the
 * resizer's own transform (decode, orient, resize, encode) with libvips on
 * one thread, as on a Lambda function with one vCPU.
 */
import sharp from "sharp";
import { DEFAULT_VARIANT_PRESETS, VariantToken } from "../core/variants";
import { avifQuality, MAX_VARIANT_BYTES } from "../resizer/limits";
import { makeVariant } from "../resizer/transform";

const WIDTH = 4032;
const HEIGHT = 3024;
const RUNS = 3;

/** The same pseudo-random sequence every run (mulberry32). */
function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

async function photo(): Promise<Buffer> {
    const random = seeded(12);
    const data = Buffer.alloc(WIDTH * HEIGHT * 3);
    for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
            const sky = y < HEIGHT * 0.4 + 200 * Math.sin(x / 500);
            const base = sky ? [90 + (y / HEIGHT) * 120, 140 + (y / HEIGHT) * 80, 220] : [70 + 60 * Math.sin(x / 37) * Math.cos(y / 53), 110 + 40 * Math.sin((x + y) / 71), 60];
            const i = (y * WIDTH + x) * 3;
            for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, Math.round(base[c] + (random() - 0.5) * 18)));
        }
    }
    return sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

async function median(run: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        bytes = await run();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { ms: Math.round(times[Math.floor(RUNS / 2)]), bytes };
}

async function main(): Promise<void> {
    sharp.concurrency(1);
    const original = await photo();
    console.log(`original: ${WIDTH}×${HEIGHT} JPEG, ${original.length} bytes; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}; median of ${RUNS}, one thread\n`);
    console.log("| preset | format | ms | bytes |\n|---|---|---|---|");
    const limits = { limitInputPixels: 100_000_000, maxOutputBytes: MAX_VARIANT_BYTES };
    for (const [name, preset] of Object.entries(DEFAULT_VARIANT_PRESETS)) {
        for (const token of ["jpeg", "webp", "avif"] as VariantToken[]) {
            const { ms, bytes } = await median(async () => (await makeVariant(original, preset, token, limits)).body.length);
            console.log(`| ${name} | ${token} | ${ms} | ${bytes} |`);
        }
    }
    console.log("\nAVIF by encoder effort (large, same pipeline, encoder only varies):\n\n| effort | ms | bytes |\n|---|---|---|");
    const large = DEFAULT_VARIANT_PRESETS.large;
    for (const effort of [0, 2, 4]) {
        const { ms, bytes } = await median(async () => {
            const out = await sharp(original, { failOn: "warning" })
                .rotate()
                .resize({ width: large.width, height: large.height, fit: large.fit, withoutEnlargement: true })
                .toColourspace("srgb")
                .avif({ quality: avifQuality(large.quality), effort })
                .toBuffer();
            return out.length;
        });
        console.log(`| ${effort} | ${ms} | ${bytes} |`);
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
