/**
 * 8. Image variants: what making each preset costs on one core, beside a
 * plain sharp pipeline in the same run; what each weighs; the resizer's
 * cold start and package; the variant paths through the local CDN (a cache
 * miss: gate, resize, store; a stored copy; a hit); and what a million
 * views cost, original against each preset.
 *
 * The original is the photo section 7 makes (bench/image-upload.ts): a
 * 4000 × 3000 (12-megapixel) picture of gradients and soft shapes with
 * sensor-like noise, seeded, encoded by sharp as a quality-90 JPEG with a
 * Display P3 profile, EXIF (GPS, device, maker notes, a thumbnail), XMP and
 * orientation 6: what the resizer's transform must orient, convert to sRGB
 * and strip. libvips runs on one thread (`sharp.concurrency(1)`), as in a
 * function with one vCPU (1,769 MB).
 */
import { execFile } from "child_process";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import sharp from "sharp";
import { promisify } from "util";
import { DEFAULT_VARIANT_PRESETS, resizerPath, VariantPreset, VariantToken } from "../core/variants";
import { RESIZER_DEFAULTS as RESIZER_ARG_DEFAULTS } from "../components/args/resizer";
import { ImageIssuer } from "../issuer/issuer";
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalS3 } from "../local/aws";
import { AVIF_EFFORT, avifQuality, DEFAULT_LIMIT_INPUT_PIXELS, MAX_VARIANT_BYTES } from "../resizer/limits";
import { buildResizerPackage } from "../resizer/package";
import { resizerEnvironment, ResizerSettings } from "../resizer/settings";
import { makeVariant } from "../resizer/transform";
import { captureEdgeLogs } from "../test/support/edge-logs";
import { startTestStack } from "../test/support/local-stack";
import { unzip } from "../test/support/unzip";
import { urlEvent } from "../test/resizer/support";
import { PRICES } from "./global-model";
import { phonePhoto } from "./image-upload";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { count, fixed, interleaved, kilobytes, nowNs, summarize, Summary } from "./stats";

/** Goals. */
export const WEBP_800_P50_GOAL_MS = 150;
export const THUMB_MAX_BYTES = 20 * 1024;
export const RESIZER_COLD_START_GOAL_MS = 600;

/**
 * Prices this section adds to section 6's (bench/global-model.ts): AWS
 * Lambda, Arm, US East (N. Virginia), first tier: $0.20 per million
 * requests and $0.0000133334 per GB-second (aws.amazon.com/lambda/pricing,
 * as quoted by third-party pages: the stored AWS page renders its tables in
 * the browser); S3 Standard PUT $0.005 per 1,000 (aws.amazon.com/s3/pricing);
 * data from an AWS origin (the bucket, a function URL) to CloudFront is not
 * charged (aws.amazon.com/cloudfront/pricing).
 */
export const VARIANT_PRICES = {
    lambdaPerRequest: 0.2 / 1_000_000,
    lambdaArmPerGbSecond: 0.0000133334,
    s3PerPut: 0.005 / 1_000,
} as const;

/** The resizer's memory, GB: the component's default. */
const RESIZER_MEMORY_GB = RESIZER_ARG_DEFAULTS.memorySizeMb / 1024;

/** The 800-px preset the WebP goal is stated for (not a default preset: between `small` and `large`). */
const W800: VariantPreset = { width: 800, height: 800, fit: "inside", quality: 80, formats: ["avif", "webp", "jpeg", "png"], eager: false };

const PRESETS: Record<string, VariantPreset> = { thumb: DEFAULT_VARIANT_PRESETS.thumb, small: DEFAULT_VARIANT_PRESETS.small, w800: W800, large: DEFAULT_VARIANT_PRESETS.large };
const FORMATS: VariantToken[] = ["avif", "webp", "jpeg"];

interface Case {
    preset: string;
    token: VariantToken;
    wallMs: Summary;
    cpuMs: Summary;
    bytes: number;
    width: number;
    height: number;
}

export async function runVariants(options: BenchOptions, progress: (message: string) => void, earlier: readonly SectionResult[] = []): Promise<SectionResult> {
    const { imageWidth: width, imageHeight: height, variantRounds: rounds } = options.sizes;
    progress(`drawing a ${width} × ${height} photo`);
    const photo = (await phonePhoto(width, height, options.seed)).jpeg;
    const before = sharp.concurrency();
    sharp.concurrency(1);
    let cases: Case[];
    let baselines: Record<string, { wallMs: Summary; cpuMs: Summary; bytes: number }>;
    let efforts: { effort: number; cpuMs: number; bytes: number }[];
    try {
        ({ cases, baselines } = await measureTransforms(photo, rounds, progress));
        efforts = await measureAvifEffort(photo, options.sizes.variantEffortRuns, progress);
    } finally {
        sharp.concurrency(before);
    }
    const cold = await measureColdStart(photo, options.sizes.variantColdRuns, progress);
    const path8 = await measureCdnPaths(photo, options.sizes.variantCdnUploads, progress);
    return report(options, { photo, width, height, rounds, cases, baselines, efforts, cold, cdn: path8, earlier });
}

// ---------------------------------------------------------------------------
// Transform: the resizer's own code against a plain pipeline, one thread
// ---------------------------------------------------------------------------

async function measureTransforms(photo: Buffer, rounds: number, progress: (message: string) => void) {
    const limits = { limitInputPixels: DEFAULT_LIMIT_INPUT_PIXELS, maxOutputBytes: MAX_VARIANT_BYTES };
    const outputs = new Map<string, { bytes: number; width: number; height: number }>();
    const baselineBytes = new Map<string, number>();
    const timed = (run: () => Promise<void>) => async () => {
        const cpu = process.cpuUsage();
        const started = nowNs();
        await run();
        const used = process.cpuUsage(cpu);
        return { wallMs: (nowNs() - started) / 1e6, cpuMs: (used.user + used.system) / 1000 };
    };
    const variants: Record<string, () => Promise<{ wallMs: number; cpuMs: number }>> = {};
    for (const [name, preset] of Object.entries(PRESETS)) {
        for (const token of FORMATS) {
            variants[`${name}.${token}`] = timed(async () => {
                const image = await makeVariant(photo, preset, token, limits);
                outputs.set(`${name}.${token}`, { bytes: image.body.length, width: image.width, height: image.height });
            });
        }
        // The plain pipeline the goal compares with: decode, resize to the width, WebP, nothing else.
        variants[`${name}.baseline`] = timed(async () => {
            baselineBytes.set(name, (await sharp(photo).resize(preset.width).webp().toBuffer()).length);
        });
    }
    // One untimed pass: sharp and the JIT warm up on every case.
    for (const run of Object.values(variants)) await run();
    const samples = await interleaved(variants, rounds, 1, (round) => progress(`transform round ${round + 1}/${rounds}`));
    const summary = (name: string) => ({ wallMs: summarize(samples[name].map((s) => s.wallMs)), cpuMs: summarize(samples[name].map((s) => s.cpuMs)) });
    const cases: Case[] = [];
    const baselines: Record<string, { wallMs: Summary; cpuMs: Summary; bytes: number }> = {};
    for (const name of Object.keys(PRESETS)) {
        for (const token of FORMATS) {
            const output = outputs.get(`${name}.${token}`) as { bytes: number; width: number; height: number };
            cases.push({ preset: name, token, ...summary(`${name}.${token}`), ...output });
        }
        baselines[name] = { ...summary(`${name}.baseline`), bytes: baselineBytes.get(name) ?? 0 };
    }
    return { cases, baselines };
}

/**
 * AVIF for `large` by encoder effort, the transform's pipeline with only the
 * effort changed: the figures behind `AVIF_EFFORT` (resizer/limits.ts). The
 * median CPU time of `runs` runs each.
 */
async function measureAvifEffort(photo: Buffer, runs: number, progress: (message: string) => void): Promise<{ effort: number; cpuMs: number; bytes: number }[]> {
    const large = DEFAULT_VARIANT_PRESETS.large;
    const results: { effort: number; cpuMs: number; bytes: number }[] = [];
    for (const effort of [0, 2, 4]) {
        const times: number[] = [];
        let bytes = 0;
        for (let run = 0; run < runs; run++) {
            const cpu = process.cpuUsage();
            const out = await sharp(photo, { failOn: "warning" })
                .rotate()
                .resize({ width: large.width, height: large.height, fit: large.fit, withoutEnlargement: true })
                .toColourspace("srgb")
                .avif({ quality: avifQuality(large.quality), effort })
                .toBuffer();
            const used = process.cpuUsage(cpu);
            times.push((used.user + used.system) / 1000);
            bytes = out.length;
        }
        results.push({ effort, cpuMs: summarize(times).p50, bytes });
        progress(`AVIF effort ${effort}: ${fixed(results[results.length - 1].cpuMs, 0)} ms CPU`);
    }
    return results;
}

// ---------------------------------------------------------------------------
// Cold start: the deployed package, unpacked, in fresh Node processes
// ---------------------------------------------------------------------------

interface ColdStart {
    loadMs: Summary;
    firstAnswerMs: Summary;
    totalMs: Summary;
    /** The deployed (arm64) package. */
    zipBytes: number;
    unzippedBytes: number;
    files: number;
    architecture: string;
}

/**
 * Each run: a fresh `node` with the environment the component gives the
 * function, `require("./index.js")` of the package built for this
 * machine's architecture (unpacked, with the project's AWS SDK standing in
 * for the runtime's), then one request: a `thumb` WebP of the photo, read
 * from s3rver, made and stored. Timed inside the process, from before the
 * `require` to the answer.
 */
async function measureColdStart(photo: Buffer, runs: number, progress: (message: string) => void): Promise<ColdStart> {
    progress("building the resizer's packages (arm64 to weigh, this machine's to run)");
    const deployed = await buildResizerPackage({ architecture: "arm64" });
    const unzippedBytes = unzip(deployed.zip).reduce((sum, entry) => sum + entry.data.length, 0);
    const local = process.arch === "arm64" ? deployed : await buildResizerPackage({ architecture: "x86_64" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-bench-resizer-"));
    const s3 = await startLocalS3();
    const client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    const load: number[] = [];
    const first: number[] = [];
    const total: number[] = [];
    try {
        for (const entry of unzip(local.zip)) {
            fs.mkdirSync(path.dirname(path.join(dir, entry.name)), { recursive: true });
            fs.writeFileSync(path.join(dir, entry.name), entry.data);
        }
        fs.symlinkSync(path.resolve(path.dirname(require.resolve("@aws-sdk/client-s3")), "..", ".."), path.join(dir, "node_modules", "@aws-sdk"));
        await client.send(new CreateBucketCommand({ Bucket: "bench-cold" }));
        const settings: ResizerSettings = {
            service: "bench",
            bucket: "bench-cold",
            region: LOCAL_REGION,
            uploadPrefix: "uploads/",
            presets: DEFAULT_VARIANT_PRESETS,
            variantMaxAgeSeconds: 2592000,
            errorMaxAgeSeconds: 10,
            limitInputPixels: DEFAULT_LIMIT_INPUT_PIXELS,
            maxOriginalBytes: 10 * 1024 * 1024,
            endpoints: { s3: s3.endpoint },
        };
        const env = { PATH: process.env.PATH, AWS_REGION: LOCAL_REGION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(RESIZER_ARG_DEFAULTS.memorySizeMb), ...resizerEnvironment(settings) };
        for (let run = 0; run < runs; run++) {
            // A key of its own each run: every first request makes its variant.
            const key = `uploads/cold-${run}.jpg`;
            await client.send(new PutObjectCommand({ Bucket: "bench-cold", Key: key, Body: photo, ContentType: "image/jpeg" }));
            const event = urlEvent(resizerPath("thumb", "webp", key));
            const script = [
                "const t0 = process.hrtime.bigint();",
                'const m = require("./index.js");',
                "const t1 = process.hrtime.bigint();",
                `m.handler(${JSON.stringify(event)}).then((r) => { const t2 = process.hrtime.bigint();`,
                "process.stdout.write('\\n' + JSON.stringify({ status: r.statusCode, loadNs: Number(t1 - t0), answerNs: Number(t2 - t1) })); });",
            ].join("\n");
            const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: dir, env, maxBuffer: 4 * 1024 * 1024 });
            const result = JSON.parse(stdout.trim().split("\n").pop() as string) as { status: number; loadNs: number; answerNs: number };
            if (result.status !== 200) throw new Error(`the resizer's first answer was ${result.status}`);
            load.push(result.loadNs / 1e6);
            first.push(result.answerNs / 1e6);
            total.push((result.loadNs + result.answerNs) / 1e6);
            progress(`cold start ${run + 1}/${runs}: load ${fixed(load[run], 0)} ms, first answer ${fixed(first[run], 0)} ms`);
        }
    } finally {
        client.destroy();
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return {
        loadMs: summarize(load),
        firstAnswerMs: summarize(first),
        totalMs: summarize(total),
        zipBytes: deployed.zip.length,
        unzippedBytes,
        files: deployed.files.length,
        architecture: local.architecture,
    };
}

// ---------------------------------------------------------------------------
// Through the local CDN: miss (gate + resize + store), stored copy, hit
// ---------------------------------------------------------------------------

interface CdnPaths {
    /** By preset (its AVIF): wall time of each path, as a viewer sees it through the local CDN. */
    miss: Record<string, Summary>;
    stored: Record<string, Summary>;
    hit: Record<string, Summary>;
    /** The resizer alone answering a stored copy (what Lambda would bill for the stored-copy path). */
    resizerStoredMs: Summary;
    /** The stored original's size (metadata removed at upload). */
    originalBytes: number;
    /** Answers the resizer gave from its stored copy when the CDN had let go: should be every one. */
    storedAnswers: number;
    storedRequests: number;
}

async function measureCdnPaths(photo: Buffer, uploads: number, progress: (message: string) => void): Promise<CdnPaths> {
    progress("starting the local stack (chat: required, origin, the default catalogue)");
    const logs = captureEdgeLogs({ keep: false });
    const stack = await startTestStack({ services: { services: ["chat"] }, region: LOCAL_REGION });
    const miss: Record<string, number[]> = {};
    const stored: Record<string, number[]> = {};
    const hit: Record<string, number[]> = {};
    const resizerStored: number[] = [];
    let originalBytes = 0;
    let storedAnswers = 0;
    let storedRequests = 0;
    try {
        const chat = stack.services[0];
        const resizer = chat.cdn.resizer;
        if (!resizer) throw new Error("chat has no resizer");
        // Eager presets off: every first request below is a real miss.
        const issuer = new ImageIssuer(chat.local.config, chat.local.clients, { warmEagerVariants: false });
        const get = async (url: string): Promise<number> => {
            const started = nowNs();
            const response = await fetch(url, { headers: { Accept: "image/avif,image/webp,*/*" } });
            await response.arrayBuffer();
            if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
            return (nowNs() - started) / 1e6;
        };
        for (let i = 0; i < uploads; i++) {
            const uploaded = await issuer.upload(photo);
            originalBytes = uploaded.bytes;
            const key = uploaded.s3Url.replace(/^s3:\/\/[^/]+\//, "");
            for (const preset of Object.keys(DEFAULT_VARIANT_PRESETS)) {
                const url = `${uploaded.url}/${preset}`;
                (miss[preset] ??= []).push(await get(url));
                chat.cdn.distribution.invalidate([`/images/${uploaded.hash}/*`]);
                const seq = chat.cdn.distribution.stats.entriesSince(0).pop()?.seq ?? 0;
                (stored[preset] ??= []).push(await get(url));
                storedRequests += 1;
                if (chat.cdn.distribution.stats.entriesSince(seq).some((entry) => entry.originDetail === "stored")) storedAnswers += 1;
                (hit[preset] ??= []).push(await get(url));
                const started = nowNs();
                const answer = await resizer.fetch({ method: "GET", uri: resizerPath(preset, "avif", key), headers: [] });
                if (answer.detail !== "stored") throw new Error(`the resizer answered ${answer.detail} for a stored copy`);
                resizerStored.push((nowNs() - started) / 1e6);
            }
            progress(`CDN paths, upload ${i + 1}/${uploads}`);
        }
    } finally {
        await stack.close();
        logs.restore();
    }
    const by = (samples: Record<string, number[]>) => Object.fromEntries(Object.entries(samples).map(([preset, values]) => [preset, summarize(values)]));
    return { miss: by(miss), stored: by(stored), hit: by(hit), resizerStoredMs: summarize(resizerStored), originalBytes, storedAnswers, storedRequests };
}

// ---------------------------------------------------------------------------
// Report and cost
// ---------------------------------------------------------------------------

interface Measured {
    photo: Buffer;
    width: number;
    height: number;
    rounds: number;
    cases: Case[];
    baselines: Record<string, { wallMs: Summary; cpuMs: Summary; bytes: number }>;
    efforts: { effort: number; cpuMs: number; bytes: number }[];
    cold: ColdStart;
    cdn: CdnPaths;
    earlier: readonly SectionResult[];
}

/** Dollars per million views of one kind of image. */
interface CostRow {
    what: string;
    bytes: number;
    requests: number;
    transfer: number;
    origin: number;
    total: number;
    /** Dollars to make one variant, on top of the stored-copy call (0 for the original). */
    making: number;
}

function report(options: BenchOptions, m: Measured): SectionResult {
    const ms = (value: number) => fixed(value, 0);
    const caseOf = (preset: string, token: VariantToken) => m.cases.find((c) => c.preset === preset && c.token === token) as Case;
    const webp800 = caseOf("w800", "webp");
    const thumbBytes = Math.max(...FORMATS.map((token) => caseOf("thumb", token).bytes));
    const slower = Object.keys(PRESETS).filter((preset) => caseOf(preset, "webp").cpuMs.p50 > m.baselines[preset].cpuMs.p50 * 1.05);
    const goals: GoalCheck[] = [
        {
            goal: `800-px WebP (resize + encode, one thread) p50 ≤ ${WEBP_800_P50_GOAL_MS} ms`,
            measured: `p50 ${ms(webp800.wallMs.p50)} ms wall, ${ms(webp800.cpuMs.p50)} ms CPU (p99 ${ms(webp800.wallMs.p99)} ms wall)`,
            met: webp800.wallMs.p50 <= WEBP_800_P50_GOAL_MS,
        },
        {
            goal: "the resizer's WebP no slower than plain sharp(input).resize(w).webp() in the same run (CPU p50, 5 % slack), while orienting, converting to sRGB and stripping metadata",
            measured: Object.keys(PRESETS)
                .map((preset) => `${preset} ${ms(caseOf(preset, "webp").cpuMs.p50)} vs ${ms(m.baselines[preset].cpuMs.p50)} ms`)
                .join(", "),
            met: slower.length === 0,
        },
        { goal: `thumb ≤ ${THUMB_MAX_BYTES / 1024} KB in every format`, measured: FORMATS.map((token) => `${token} ${kilobytes(caseOf("thumb", token).bytes)}`).join(", "), met: thumbBytes <= THUMB_MAX_BYTES },
        {
            goal: `resizer cold start (module load to first answer) ≤ ${RESIZER_COLD_START_GOAL_MS} ms`,
            measured: `p50 ${ms(m.cold.totalMs.p50)} ms (load ${ms(m.cold.loadMs.p50)} ms + first answer ${ms(m.cold.firstAnswerMs.p50)} ms), p99 ${ms(m.cold.totalMs.p99)} ms`,
            met: m.cold.totalMs.p50 <= RESIZER_COLD_START_GOAL_MS,
        },
        {
            goal: "once the CDN has let go, the resizer answers from its stored copy",
            measured: `${m.cdn.storedAnswers} of ${m.cdn.storedRequests} requests`,
            met: m.cdn.storedAnswers === m.cdn.storedRequests,
        },
    ];

    const transformRows = Object.keys(PRESETS).flatMap((preset) => [
        ...FORMATS.map((token) => {
            const c = caseOf(preset, token);
            return [`${preset}.${token}`, `${c.width} × ${c.height}`, ms(c.wallMs.p50), ms(c.wallMs.p99), ms(c.cpuMs.p50), kilobytes(c.bytes)];
        }),
        [`${preset}, plain sharp WebP`, "", ms(m.baselines[preset].wallMs.p50), ms(m.baselines[preset].wallMs.p99), ms(m.baselines[preset].cpuMs.p50), kilobytes(m.baselines[preset].bytes)],
    ]);

    const costs = costRows(m);
    const original = costs.rows.find((row) => row.what === "original");
    const thumb = costs.rows.find((row) => row.what === "thumb (AVIF)");
    const pathRow = (label: string, values: Record<string, Summary>) => [label, ...Object.keys(DEFAULT_VARIANT_PRESETS).map((preset) => `${ms(values[preset].p50)} / ${ms(values[preset].p99)}`)];

    const body = [
        `The original: section 7's ${m.width} × ${m.height} photo-like JPEG (${kilobytes(m.photo.length)}, orientation 6, Display P3, EXIF with GPS and a thumbnail, XMP),`,
        `made by bench/image-upload.ts from a seeded generator. The resizer's transform (resizer/transform.ts, the code the package deploys) against a plain`,
        `\`sharp(input).resize(width).webp()\` (no orientation, no colour conversion, metadata as libvips copies it), ${m.rounds} interleaved rounds after one`,
        "untimed warm-up, libvips on one thread. Wall time shares this machine with other work; CPU time is what one vCPU would spend. `w800` is an",
        "800 × 800 `inside` preset at quality 80, for the goal; the others are the default catalogue.",
        "",
        table(["preset.format", "output", "p50 ms", "p99 ms", "CPU p50 ms", "bytes"], transformRows),
        "",
        `AVIF for \`large\` by encoder effort (the same pipeline, median CPU time of ${m.efforts.length > 0 ? "the runs" : "none"}): ` +
            m.efforts.map((e) => `effort ${e.effort} ${ms(e.cpuMs)} ms, ${kilobytes(e.bytes)}`).join("; ") +
            `. The resizer encodes at effort ${AVIF_EFFORT} (\`AVIF_EFFORT\`, resizer/limits.ts): the first viewer waits for the encode, and a variant is made once.`,
        "",
        `Cold start: the package built for this machine (${m.cold.architecture}; the deployed one is arm64: ${count(m.cold.zipBytes)} bytes zipped,`,
        `${count(m.cold.unzippedBytes)} unzipped, ${m.cold.files} files), unpacked, loaded by a fresh \`node\` with the function's environment; the first request`,
        "makes a `thumb` WebP of the photo from s3rver and stores it. From before the `require` to the answer, inside the process (Lambda's own",
        `start-up of the runtime is not counted), ${m.cold.totalMs.count} runs:`,
        "",
        table(
            ["", "p50 ms", "p99 ms", "max ms"],
            [
                ["module load (sharp and libvips, the SDK, settings)", ms(m.cold.loadMs.p50), ms(m.cold.loadMs.p99), ms(m.cold.loadMs.max)],
                ["first answer (S3 reads, resize, encode, store)", ms(m.cold.firstAnswerMs.p50), ms(m.cold.firstAnswerMs.p99), ms(m.cold.firstAnswerMs.max)],
                ["total", ms(m.cold.totalMs.p50), ms(m.cold.totalMs.p99), ms(m.cold.totalMs.max)],
            ],
        ),
        "",
        `Through the local CDN (the CloudFront emulator with the published CloudFront Function, the deployed edge bundle, the deployed resizer module,`,
        `dynalite, s3rver; in one process), ${m.cdn.miss.thumb.count} uploads of the photo, each preset asked for by a browser that takes AVIF: the first`,
        "request (gate lookup, resize, store), then again after an invalidation of the preset's paths (gate lookup from the memo, the stored copy), then",
        "a CloudFront hit. Wall time as the viewer sees it, p50 / p99 in ms:",
        "",
        table(["path", ...Object.keys(DEFAULT_VARIANT_PRESETS)], [pathRow("cache miss: gate + resize + store", m.cdn.miss), pathRow("stored copy: gate + resizer reads it", m.cdn.stored), pathRow("CloudFront hit", m.cdn.hit)]),
        "",
        `The resizer alone answering a stored copy (what Lambda bills on that path): p50 ${fixed(m.cdn.resizerStoredMs.p50, 1)} ms, p99 ${fixed(m.cdn.resizerStoredMs.p99, 1)} ms.`,
        "",
        "### Cost per million views",
        "",
        costs.text,
        "",
        costs.rows.length > 0
            ? table(
                  ["image", "bytes", "CloudFront requests", "data transfer", "origin: S3 / resizer", "total", "making: per million made", "total if every fetch made it"],
                  costs.rows.map((row) => [
                      row.what,
                      count(row.bytes),
                      money(row.requests),
                      money(row.transfer),
                      money(row.origin),
                      money(row.total),
                      row.making === 0 ? "–" : money(row.making * 1_000_000),
                      row.making === 0 ? money(row.total) : money(row.total + row.making * costs.fetches),
                  ]),
              )
            : "",
        "",
        costs.originGroup,
        "",
        original && thumb
            ? `**The one number:** a million thumbnail views cost ${money(thumb.total)} (at most ${money(thumb.total + thumb.making * costs.fetches)} if every origin fetch made it) ` +
              `where a million views of the original cost ${money(original.total)}: about ${fixed((100 * thumb.total) / original.total, 1)} % of it. Nearly all of the difference ` +
              `is data transfer (${kilobytes(thumb.bytes)} against ${kilobytes(original.bytes)} per view).`
            : "",
    ].join("\n");

    return {
        name: "variants",
        title: "8. Image variants: resize, cold start, the CDN path and cost",
        body,
        goals,
        figures: {
            webp800P50Ms: webp800.wallMs.p50,
            webp800CpuP50Ms: webp800.cpuMs.p50,
            thumbMaxBytes: thumbBytes,
            largeAvifBytes: caseOf("large", "avif").bytes,
            coldStartP50Ms: m.cold.totalMs.p50,
            packageZipBytes: m.cold.zipBytes,
            missThumbP50Ms: m.cdn.miss.thumb.p50,
            storedThumbP50Ms: m.cdn.stored.thumb.p50,
            storedAnswers: m.cdn.storedAnswers,
            storedRequests: m.cdn.storedRequests,
            ...(original && thumb ? { originalPerMillion: original.total, thumbPerMillion: thumb.total } : {}),
        },
    };
}

/**
 * Dollars per million views: CloudFront's requests and data transfer, and
 * the origin, for the share of views CloudFront does not answer from its
 * cache (section 5's day-long trace): an S3 GET for the original; for a
 * variant a resizer invocation (its request, its measured stored-copy
 * duration at 1,769 MB) and the S3 GET of the stored copy. A variant is made
 * once per image and format, the first time any viewer asks; what that
 * adds (the transform's CPU time at 1,769 MB, a GET of the original, a PUT)
 * is shown per million variants made, and as an upper bound per million
 * views: every origin fetch making its variant. The gate (Lambda@Edge and
 * DynamoDB) runs on the same misses for the original and every preset, so
 * it is left out of the comparison: section 6 has it.
 */
function costRows(m: Measured): { text: string; rows: CostRow[]; originGroup: string; fetches: number } {
    const cdn = m.earlier.find((section) => section.name === "cdn")?.figures;
    if (!cdn || cdn.dayOriginFetchesPer1000 === undefined) {
        return { text: "Not computed: the cost model needs the CDN model's measured traffic (run the `cdn` section too).", rows: [], originGroup: "", fetches: 0 };
    }
    const views = 1_000_000;
    const fetches = (cdn.dayOriginFetchesPer1000 / 1000) * views;
    const gbSeconds = (msValue: number) => (msValue / 1000) * RESIZER_MEMORY_GB;
    const storedCall = VARIANT_PRICES.lambdaPerRequest + gbSeconds(m.cdn.resizerStoredMs.p50) * VARIANT_PRICES.lambdaArmPerGbSecond + PRICES.s3PerGet;
    const row = (what: string, bytes: number, origin: number, making: number): CostRow => {
        const requests = views * PRICES.cloudfrontHttpsPerRequest;
        const transfer = ((views * bytes) / 1024 ** 3) * PRICES.cloudfrontPerGb;
        return { what, bytes, requests, transfer, origin, total: requests + transfer + origin, making };
    };
    const rows = [row("original", m.cdn.originalBytes, fetches * PRICES.s3PerGet, 0)];
    for (const preset of Object.keys(DEFAULT_VARIANT_PRESETS)) {
        const c = m.cases.find((candidate) => candidate.preset === preset && candidate.token === "avif") as Case;
        // Making one on top of the stored-copy call it replaces: the transform, the original's GET, the PUT.
        const make = gbSeconds(c.cpuMs.p50) * VARIANT_PRICES.lambdaArmPerGbSecond + PRICES.s3PerGet + VARIANT_PRICES.s3PerPut;
        rows.push(row(`${preset} (AVIF)`, c.bytes, fetches * storedCall, make));
    }
    const text = [
        `Traffic from section 5's day-long trace: ${fixed(100 - cdn.dayOriginFetchesPer1000 / 10, 1)} % of views answered by CloudFront from its cache, so ${count(fetches)} origin`,
        `fetches per million views. For a variant each is a resizer invocation at ${RESIZER_ARG_DEFAULTS.memorySizeMb} MB billed for the measured stored-copy answer`,
        `(${fixed(m.cdn.resizerStoredMs.p50, 1)} ms) and the stored copy's GET. Making a variant (once per image and format, the first time anyone asks) adds the`,
        "transform's CPU p50 above (one vCPU), a GET of the original and a PUT: the \"per million made\" column, and the last column as if every origin fetch",
        "made its variant (an upper bound). Bytes: the stored original (metadata removed) and each preset's AVIF (what current browsers get) of this",
        "benchmark's photo, whose smooth gradients shrink to less than a textured photo would. Prices: section 6's (CloudFront $0.0100 per 10,000 HTTPS",
        "requests and $0.085 per GB out, S3 GET $0.0004 per 1,000), AWS Lambda on Arm $0.20 per million requests and $0.0000133334 per GB-second, S3 PUT",
        "$0.005 per 1,000 (US East, first tier; third-party pages quoting aws.amazon.com/lambda/pricing and aws.amazon.com/s3/pricing). Data from an AWS",
        "origin to CloudFront is free (aws.amazon.com/cloudfront/pricing). The gate (Lambda@Edge, DynamoDB) costs the same for every row: section 6.",
    ].join("\n");
    const thumbRow = rows[1];
    const extraPerFetch = storedCall - PRICES.s3PerGet;
    const originGroup = [
        "Serving stored copies from the resizer (the design) or from an origin group (the bucket first, the resizer when S3 answers 404): per million",
        `views at the same traffic, the ${count(fetches)} stored-copy fetches cost ${money(fetches * storedCall)} through the resizer (an invocation and the GET)`,
        `and ${money(fetches * PRICES.s3PerGet)} from S3 directly: ${money(fetches * extraPerFetch)} more per million views for the resizer, against`,
        `${money(thumbRow?.total ?? 0)} for a million thumbnail views in all; each first request would cost the group one GET that misses more`,
        `(${money(PRICES.s3PerGet * views)} per million variants made).`,
    ].join("\n");
    return { text, rows, originGroup, fetches };
}

function money(value: number): string {
    return `$${value.toFixed(value < 0.1 ? 3 : 2)}`;
}
