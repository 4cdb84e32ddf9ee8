/**
 * Command line of `npm run bench` and the sizes of each benchmark.
 *
 *   --quick          tiny sizes (the smoke test; a minute or less)
 *   --out <file>     the Markdown report (default docs/BENCHMARKS.md, or
 *                    .edge-build/bench/BENCHMARKS.quick.md with --quick)
 *   --json <file>    also write the measured figures as JSON
 *   --only <a,b>     run only these sections: cold, warm, trace, issuer, cdn, global, image, variants
 *   --issuer-sizes <n,n,...>   table sizes for the issuer's reuse cost
 *   --seed-budget <seconds>    time the issuer benchmark may spend filling its table
 */
import * as path from "path";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../core/regions";

export const SECTIONS = ["cold", "warm", "trace", "issuer", "cdn", "global", "image", "variants"] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchSizes {
    /** Fresh processes per cold-start variant (at least 10, so that a median means something). */
    coldRuns: number;
    /** Timed requests per warm-path case and build (the builds alternate request by request). */
    warmRequests: number;
    /** Presigned URLs per presigner (the presigners alternate URL by URL). */
    presignUrls: number;
    /** Distinct issued hashes in the trace (10,000: the memo's default size, so the memo can hold them all). */
    traceHashes: number;
    /** Requests in the Zipf trace. */
    traceRequests: number;
    /** Requests in flight at once in the concurrent trace run. */
    traceConcurrency: number;
    /** New objects issued for the issue rate (and reused after). */
    issuerIssues: number;
    /** Table sizes (mappings) for the reuse-cost measurement. */
    issuerSizes: number[];
    /** Reuse lookups timed at each size. */
    issuerLookups: number;
    /** Seconds the issuer benchmark may spend filling the table; bigger sizes are skipped (and said so). */
    issuerSeedBudgetSeconds: number;
    /** Size of the photo the upload benchmark draws (4000 × 3000: a 12-megapixel phone photo). */
    imageWidth: number;
    imageHeight: number;
    /** Timed uploads of the photo (metadata removal, size and placeholder). */
    imageRuns: number;
    /** Timed re-encodes of the photo as an AVIF carrying EXIF and XMP. */
    avifRuns: number;
    /** Regions whose lookups the global section times through the deployed code, with the modelled round trips injected. */
    globalRegions: string[];
    /** Fresh containers (one cold lookup each) per region and table layout in that check. */
    globalColdRuns: number;
    /** Warm lookups after each cold one. */
    globalWarmRuns: number;
    /** Timed rounds of every variant transform (the resizer's code and the plain pipeline alternate). */
    variantRounds: number;
    /** Timed AVIF encodes per effort level. */
    variantEffortRuns: number;
    /** Fresh resizer processes timed from load to first answer. */
    variantColdRuns: number;
    /** Uploads whose variant routes are followed through the local CDN and the resizer. */
    variantCdnUploads: number;
}

export const FULL_SIZES: BenchSizes = {
    coldRuns: 20,
    warmRequests: 2_000,
    presignUrls: 2_000,
    traceHashes: 10_000,
    traceRequests: 20_000,
    traceConcurrency: 16,
    issuerIssues: 500,
    issuerSizes: [10, 1_000, 100_000],
    issuerLookups: 300,
    issuerSeedBudgetSeconds: 120,
    imageWidth: 4000,
    imageHeight: 3000,
    imageRuns: 20,
    avifRuns: 2,
    globalRegions: [...REGIONAL_EDGE_CACHE_REGIONS],
    globalColdRuns: 7,
    globalWarmRuns: 20,
    variantRounds: 15,
    variantEffortRuns: 3,
    variantColdRuns: 10,
    variantCdnUploads: 8,
};

export const QUICK_SIZES: BenchSizes = {
    coldRuns: 2,
    warmRequests: 40,
    presignUrls: 40,
    traceHashes: 200,
    traceRequests: 600,
    traceConcurrency: 4,
    issuerIssues: 10,
    issuerSizes: [10, 30, 120],
    issuerLookups: 20,
    issuerSeedBudgetSeconds: 30,
    imageWidth: 400,
    imageHeight: 300,
    imageRuns: 2,
    avifRuns: 1,
    globalRegions: ["eu-west-1", "ap-southeast-2"],
    globalColdRuns: 3,
    globalWarmRuns: 5,
    variantRounds: 2,
    variantEffortRuns: 1,
    variantColdRuns: 2,
    variantCdnUploads: 2,
};

export interface BenchOptions {
    quick: boolean;
    out: string;
    json?: string;
    sections: SectionName[];
    sizes: BenchSizes;
    /** Seed of every random choice (trace, expiries), so runs are comparable. */
    seed: number;
}

export const USAGE =
    "usage: npm run bench -- [--quick] [--out <file>] [--json <file>] [--only cold,warm,trace,issuer,cdn,global,image,variants] [--issuer-sizes 10,1000,100000] [--seed-budget <seconds>]";

export function parseOptions(argv: readonly string[], projectDir: string): BenchOptions {
    let quick = false;
    let out: string | undefined;
    let json: string | undefined;
    let sections: SectionName[] = [...SECTIONS];
    let issuerSizes: number[] | undefined;
    let seedBudget: number | undefined;
    const positiveIntegers = (text: string, what: string): number[] => {
        const values = text.split(",").map((part) => Number(part.trim()));
        if (values.length === 0 || values.some((v) => !Number.isSafeInteger(v) || v <= 0)) throw new Error(`${what} takes positive integers, got '${text}'\n${USAGE}`);
        return values;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = (): string => {
            const next = argv[++i];
            if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
            return next;
        };
        if (arg === "--quick") quick = true;
        else if (arg === "--out") out = value();
        else if (arg === "--json") json = value();
        else if (arg === "--only") {
            const names = value().split(",").map((name) => name.trim());
            for (const name of names) {
                if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section '${name}' (known: ${SECTIONS.join(", ")})\n${USAGE}`);
            }
            sections = SECTIONS.filter((name) => names.includes(name));
        } else if (arg === "--issuer-sizes") issuerSizes = positiveIntegers(value(), arg).sort((a, b) => a - b);
        else if (arg === "--seed-budget") seedBudget = positiveIntegers(value(), arg)[0];
        else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
    }
    const defaultOut = quick ? path.join(projectDir, ".edge-build", "bench", "BENCHMARKS.quick.md") : path.join(projectDir, "docs", "BENCHMARKS.md");
    return {
        quick,
        out: path.resolve(out ?? defaultOut),
        json: json === undefined ? undefined : path.resolve(json),
        sections,
        sizes: {
            ...(quick ? QUICK_SIZES : FULL_SIZES),
            ...(issuerSizes ? { issuerSizes } : {}),
            ...(seedBudget !== undefined ? { issuerSeedBudgetSeconds: seedBudget } : {}),
        },
        seed: 20240601,
    };
}
