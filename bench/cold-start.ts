/**
 * 1. Edge cold start and package size.
 *
 * Each variant is loaded in a fresh `node` process (`node -e <loader> <file>`)
 * with the environment Lambda gives a function (AWS_EXECUTION_ENV, region,
 * role credentials): the loader `require`s the module, which for the edge
 * bundle also runs the factory, i.e. builds the DynamoDB store, the memo and
 * (redirect mode) the presigner. The wall time of the whole process, minus
 * that of a bare `node -e 0`, is what a cold start adds. Variants run in
 * rounds, one run of each per round in rotating order.
 *
 * The reference handler (the hash check written the plain way, aws-sdk v2;
 * fixtures/reference-handler.js) is loaded the same way; so is a
 * port of it to the modular SDK v3 clients.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildEdgeCode, bundleEdgeModule, EDGE_MODULE } from "../components/edge-code";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, summaryCells, table } from "./report";
import { fixed, kilobytes, nowNs, summarize, Summary } from "./stats";
import { BENCH_ENV_CREDENTIALS, deployedEdgeSettings } from "./support/settings";
import { PROJECT_DIR, writeModule } from "./support/edge-build";
import { zipFiles } from "../resizer/zip";

const REFERENCE_FIXTURE = path.join(__dirname, "fixtures", "reference-handler.js");
const SDK_V3_FIXTURE = path.join(__dirname, "fixtures", "sdk-v3-handler.js");

/** The goals: a cold start at most this much above bare Node, a deployment zip at most this big. */
export const COLD_START_GOAL_MS = 40;
export const ZIP_GOAL_BYTES = 150 * 1024;

/**
 * The loader: times `require` (plus, when asked, what the reference handler's
 * first request builds: an S3 client, timed apart) and prints those times (ns) and
 * the CPU time the process has used since it started (µs, all threads).
 */
const LOADER = [
    "const t0 = process.hrtime.bigint();",
    "const m = require(process.argv[1]);",
    'if (typeof m.handler !== "function") process.exit(3);',
    "const loadNs = Number(process.hrtime.bigint() - t0);",
    'if (process.argv[2] === "reference-first-request") new (require("aws-sdk").S3)();',
    "const extraNs = Number(process.hrtime.bigint() - t0) - loadNs;",
    "const cpu = process.cpuUsage();",
    "process.stdout.write(JSON.stringify({ loadNs, extraNs, cpuUs: cpu.user + cpu.system }));",
].join("\n");

/** The baseline: `node -e` doing nothing but print its CPU time (a few microseconds more than `node -e 0`). */
const BARE = 'const cpu = process.cpuUsage(); process.stdout.write(JSON.stringify({ cpuUs: cpu.user + cpu.system }));';

interface Variant {
    id: string;
    label: string;
    args: string[];
}

interface VariantResult {
    variant: Variant;
    wallMs: Summary;
    /** Per round: this variant's wall time minus the bare run's in the same round. */
    aboveBareMs: Summary;
    /** `require` (and factory) time measured inside the process. */
    loadMs?: Summary;
    /** Per round: CPU time of the whole process minus the bare run's. */
    cpuAboveBareMs: Summary;
}

/** The environment Lambda sets for a Node.js function (the parts a module could read at load). */
function lambdaEnvironment(): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LANG: "en_US.UTF-8",
        TZ: ":UTC",
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_LAMBDA_FUNCTION_NAME: "us-east-1.chat-edge",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
        ...BENCH_ENV_CREDENTIALS,
    };
}

function runOnce(variant: Variant): { wallNs: number; cpuUs: number; loadNs?: number; extraNs?: number } {
    const started = nowNs();
    const result = spawnSync(process.execPath, variant.args, { cwd: PROJECT_DIR, env: lambdaEnvironment(), encoding: "utf8" });
    const wallNs = nowNs() - started;
    if (result.status !== 0) {
        throw new Error(`cold start of ${variant.label} failed (exit ${result.status}): ${(result.stderr || result.stdout || "").slice(0, 500)}`);
    }
    const printed = JSON.parse(result.stdout) as { loadNs?: number; extraNs?: number; cpuUs: number };
    return { wallNs, cpuUs: printed.cpuUs, loadNs: printed.loadNs, extraNs: printed.extraNs };
}

/** Sizes of a deployment package holding `code` as its one module. */
function packageSizes(code: string): { raw: number; zipped: number } {
    const data = Buffer.from(code, "utf8");
    return { raw: data.length, zipped: zipFiles([{ name: `${EDGE_MODULE}.js`, data }]).length };
}

function signed(value: number): string {
    return `${value >= 0 ? "+" : ""}${fixed(value)}`;
}

function directoryBytes(dir: string): number {
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) total += directoryBytes(full);
        else if (entry.isFile()) total += fs.statSync(full).size;
    }
    return total;
}

export async function runColdStart(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    progress("building the deployed edge code (origin and redirect modes)");
    const originCode = await buildEdgeCode(deployedEdgeSettings({ mode: "origin" }));
    const redirectCode = await buildEdgeCode(deployedEdgeSettings({ mode: "redirect" }));
    const originFile = writeModule(originCode, "cold-origin");
    const redirectFile = writeModule(redirectCode, "cold-redirect");

    progress("bundling the reference handler the same way, for its package size");
    const referenceCode = await bundleEdgeModule({ entryPoint: REFERENCE_FIXTURE });
    const awsSdkBytes = directoryBytes(path.join(PROJECT_DIR, "node_modules", "aws-sdk"));

    const variants: Variant[] = [
        { id: "bare", label: "bare `node -e`", args: ["-e", BARE] },
        { id: "edge-origin", label: "edge bundle, origin mode (default)", args: ["-e", LOADER, originFile] },
        { id: "edge-redirect", label: "edge bundle, redirect mode", args: ["-e", LOADER, redirectFile] },
        { id: "reference", label: "reference handler (aws-sdk v2), as written", args: ["-e", LOADER, REFERENCE_FIXTURE] },
        { id: "reference-first", label: "reference handler + the S3 client its first request builds", args: ["-e", LOADER, REFERENCE_FIXTURE, "reference-first-request"] },
        { id: "sdk-v3", label: "reference handler ported to SDK v3 clients", args: ["-e", LOADER, SDK_V3_FIXTURE] },
    ];
    const wall = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    const load = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    const above = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    const cpuAbove = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    const referenceS3Ms: number[] = [];

    // One untimed round first: the files and node_modules land in the page cache.
    for (const variant of variants) runOnce(variant);
    const rounds = options.sizes.coldRuns;
    for (let round = 0; round < rounds; round++) {
        const order = variants.map((_, i) => variants[(i + round) % variants.length]);
        const thisRound = new Map<string, number>();
        const thisRoundCpu = new Map<string, number>();
        for (const variant of order) {
            const run = runOnce(variant);
            thisRound.set(variant.id, run.wallNs / 1e6);
            thisRoundCpu.set(variant.id, run.cpuUs / 1e3);
            wall.get(variant.id)?.push(run.wallNs / 1e6);
            if (run.loadNs !== undefined) load.get(variant.id)?.push(run.loadNs / 1e6);
            if (variant.id === "reference-first" && run.extraNs !== undefined) referenceS3Ms.push(run.extraNs / 1e6);
        }
        const bare = thisRound.get("bare") ?? Number.NaN;
        const bareCpu = thisRoundCpu.get("bare") ?? Number.NaN;
        for (const variant of variants) {
            above.get(variant.id)?.push((thisRound.get(variant.id) ?? Number.NaN) - bare);
            cpuAbove.get(variant.id)?.push((thisRoundCpu.get(variant.id) ?? Number.NaN) - bareCpu);
        }
        if ((round + 1) % 5 === 0 || round + 1 === rounds) progress(`cold start: ${round + 1}/${rounds} rounds of ${variants.length} processes`);
    }

    const results: VariantResult[] = variants.map((variant) => {
        const loads = load.get(variant.id) ?? [];
        return {
            variant,
            wallMs: summarize(wall.get(variant.id) ?? []),
            aboveBareMs: summarize(above.get(variant.id) ?? []),
            cpuAboveBareMs: summarize(cpuAbove.get(variant.id) ?? []),
            loadMs: loads.length > 0 ? summarize(loads) : undefined,
        };
    });
    const byId = (id: string): VariantResult => {
        const found = results.find((r) => r.variant.id === id);
        if (!found) throw new Error(`no result for ${id}`);
        return found;
    };
    const edge = byId("edge-origin");
    const edgeRedirect = byId("edge-redirect");
    const reference = byId("reference");
    const origin = packageSizes(originCode);
    const redirect = packageSizes(redirectCode);
    const referencePackage = packageSizes(referenceCode);
    const largestZip = Math.max(origin.zipped, redirect.zipped);
    const worstAbove = Math.max(edge.aboveBareMs.p50, edgeRedirect.aboveBareMs.p50);
    // A ratio only means something when the edge's own figure is clear of the noise.
    const referenceRatio = edge.aboveBareMs.p50 >= 1 ? reference.aboveBareMs.p50 / edge.aboveBareMs.p50 : Number.NaN;

    const goals: GoalCheck[] = [
        {
            goal: `cold start ≤ ${COLD_START_GOAL_MS} ms above bare Node`,
            measured: `${signed(edge.aboveBareMs.p50)} ms origin, ${signed(edgeRedirect.aboveBareMs.p50)} ms redirect (wall, median of ${rounds} paired runs; CPU ${signed(edge.cpuAboveBareMs.p50)} / ${signed(edgeRedirect.cpuAboveBareMs.p50)} ms)`,
            met: worstAbove <= COLD_START_GOAL_MS,
        },
        {
            goal: `deployment zip ≤ ${ZIP_GOAL_BYTES / 1024} KB`,
            measured: `${kilobytes(origin.zipped)} origin, ${kilobytes(redirect.zipped)} redirect`,
            met: largestZip <= ZIP_GOAL_BYTES,
        },
    ];

    const rows = results.map((r) => [
        r.variant.label,
        ...summaryCells(r.wallMs),
        r.variant.id === "bare" ? "—" : `${signed(r.aboveBareMs.p50)} (p90 ${signed(r.aboveBareMs.p90)})`,
        r.variant.id === "bare" ? "—" : `${signed(r.cpuAboveBareMs.p50)} (p90 ${signed(r.cpuAboveBareMs.p90)})`,
        r.loadMs ? `${fixed(r.loadMs.p50)} (p90 ${fixed(r.loadMs.p90)})` : "—",
    ]);
    const body = [
        `Fresh \`node\` processes (${process.version}), ${rounds} rounds after one untimed round; each round runs every`,
        "variant once, in rotating order. The loader is `node -e <loader> <module>`: it `require`s the module (the edge",
        "bundle's factory runs on load and builds its DynamoDB store, memo and, in redirect mode, presigner) and prints",
        "the time `require` took inside the process. The environment is the one Lambda gives a function",
        "(`AWS_EXECUTION_ENV`, region, role credentials; so aws-sdk v2 skips its end-of-support notice as it does in Lambda).",
        "\"Wall above bare\" is, per round, the variant's wall time minus that of the bare run of the same round (a",
        "`node -e` that only prints its CPU time, i.e. `node -e 0` plus microseconds); the table gives the median (and p90)",
        "of those differences. \"CPU above bare\" is the same for the CPU time each process used in all (user + system, all",
        "threads, read by the process at its end): unlike wall time it does not grow while other processes hold the CPU.",
        "",
        table(["module loaded", "wall p50 ms", "p90", "p99", "max", "wall above bare, median ms", "CPU above bare, median ms", "`require` inside, median ms"], rows),
        "",
        `**Edge vs reference handler:** the reference handler (bench/fixtures/reference-handler.js, aws-sdk v2) adds ${fixed(reference.aboveBareMs.p50)} ms of wall time to a cold start, the edge bundle`,
        `${fixed(edge.aboveBareMs.p50)} ms: a ratio of **${fixed(referenceRatio)}×**. In CPU time: ${fixed(reference.cpuAboveBareMs.p50)} ms against ${fixed(edge.cpuAboveBareMs.p50)} ms`,
        `(${fixed(edge.cpuAboveBareMs.p50 >= 1 ? reference.cpuAboveBareMs.p50 / edge.cpuAboveBareMs.p50 : Number.NaN)}×). Measured inside the process, \`require\` takes ${fixed(reference.loadMs?.p50 ?? Number.NaN)} ms for the reference handler against`,
        `${fixed(edge.loadMs?.p50 ?? Number.NaN)} ms for the edge bundle; the reference handler's first request then also builds its S3 client,`,
        `another ${fixed(summarize(referenceS3Ms).p50)} ms (median, inside the process).`,
        "",
        "### Deployment package",
        "",
        "One entry (`__index.js`) zipped with deflate (zlib level 9) by resizer/zip.ts; the deployed module is",
        "`buildEdgeCode`'s output, the Pulumi-serialized factory bundled and minified by esbuild.",
        "",
        table(
            ["package", "module", "zip"],
            [
                ["edge, origin mode", kilobytes(origin.raw), kilobytes(origin.zipped)],
                ["edge, redirect mode", kilobytes(redirect.raw), kilobytes(redirect.zipped)],
                ["reference handler bundled + minified the same way (aws-sdk v2 inside)", kilobytes(referencePackage.raw), kilobytes(referencePackage.zipped)],
            ],
        ),
        "",
        `As written, the reference handler needs \`aws-sdk\` v2 shipped in its package (Node.js 18 and later runtimes do not provide it);`,
        `\`node_modules/aws-sdk\` alone is ${fixed(awsSdkBytes / 1024 / 1024)} MB unpacked.`,
    ].join("\n");

    return {
        name: "cold",
        title: "1. Edge cold start and package size",
        body,
        goals,
        figures: {
            bareMedianMs: byId("bare").wallMs.p50,
            edgeOriginAboveBareMs: edge.aboveBareMs.p50,
            edgeOriginCpuAboveBareMs: edge.cpuAboveBareMs.p50,
            referenceCpuAboveBareMs: reference.cpuAboveBareMs.p50,
            edgeRedirectAboveBareMs: edgeRedirect.aboveBareMs.p50,
            referenceAboveBareMs: reference.aboveBareMs.p50,
            sdkV3AboveBareMs: byId("sdk-v3").aboveBareMs.p50,
            referenceToEdgeRatio: referenceRatio,
            edgeOriginLoadMs: edge.loadMs?.p50 ?? Number.NaN,
            referenceLoadMs: reference.loadMs?.p50 ?? Number.NaN,
            referenceS3ClientMs: summarize(referenceS3Ms).p50,
            originModuleBytes: origin.raw,
            originZipBytes: origin.zipped,
            redirectZipBytes: redirect.zipped,
            referenceZipBytes: referencePackage.zipped,
            coldRuns: rounds,
        },
    };
}
