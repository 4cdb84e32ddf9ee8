/**
 * `npm run bench`: measures the hot paths on this machine and writes
 * docs/BENCHMARKS.md (see options.ts for the flags). Progress goes to
 * stderr while it runs. Not part of `npm test`; a tiny run of it is
 * (test/bench/smoke.test.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runColdStart } from "./cold-start";
import { BenchOptions, parseOptions, SectionName } from "./options";
import { describeMachine, renderReport, SectionResult } from "./report";
import { PROJECT_DIR, removeWrittenModules } from "./support/edge-build";

/** A section; `earlier` holds the sections already run (the global model reads the CDN model's traffic). */
type Runner = (options: BenchOptions, progress: (message: string) => void, earlier: readonly SectionResult[]) => Promise<SectionResult>;

const RUNNERS: Record<SectionName, () => Promise<Runner>> = {
    cold: async () => runColdStart,
    warm: async () => (await import("./warm-path")).runWarmPath,
    trace: async () => (await import("./edge-trace")).runEdgeTrace,
    issuer: async () => (await import("./issuer")).runIssuer,
    cdn: async () => (await import("./cdn-cache")).runCdnCache,
    global: async () => (await import("./global")).runGlobal,
    image: async () => (await import("./image-upload")).runImageUpload,
    variants: async () => (await import("./variants")).runVariants,
};

export interface BenchRun {
    markdown: string;
    sections: SectionResult[];
}

export async function runBench(options: BenchOptions, progress: (message: string) => void, command: string): Promise<BenchRun> {
    const machine = describeMachine();
    const startedAt = new Date();
    const sections: SectionResult[] = [];
    try {
        for (const name of options.sections) {
            const run = await RUNNERS[name]();
            sections.push(await run(options, (message) => progress(`[${name}] ${message}`), sections));
        }
    } finally {
        removeWrittenModules();
    }
    const markdown = renderReport({
        machine,
        command,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        quick: options.quick,
        sections,
        loadAverageAtEnd: os.loadavg(),
    });
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, markdown);
    if (options.json) {
        fs.mkdirSync(path.dirname(options.json), { recursive: true });
        const figures = Object.fromEntries(sections.map((s) => [s.name, { figures: s.figures, goals: s.goals }]));
        fs.writeFileSync(options.json, JSON.stringify({ machine, startedAt: startedAt.toISOString(), quick: options.quick, sections: figures }, null, 2) + "\n");
    }
    return { markdown, sections };
}

async function main(): Promise<void> {
    // The SDK's notice about Node.js 20 support says nothing about these measurements.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const argv = process.argv.slice(2);
    const options = parseOptions(argv, PROJECT_DIR);
    const started = Date.now();
    const progress = (message: string) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${message}\n`);
    const command =
        process.env.npm_lifecycle_event === "bench"
            ? ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" ")
            : ["npx ts-node --transpile-only bench/main.ts", ...argv].join(" ");
    const run = await runBench(options, progress, command);
    for (const section of run.sections) {
        for (const goal of section.goals) progress(`${goal.met ? "met   " : "MISSED"} ${goal.goal}: ${goal.measured}`);
    }
    progress(`report written to ${path.relative(process.cwd(), options.out) || options.out}`);
}

if (require.main === module) {
    main().then(
        // dynalite and keep-alive agents may hold handles open; the report is written.
        () => process.exit(0),
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exit(1);
        },
    );
}
