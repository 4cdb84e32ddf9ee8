/**
 * Small statistics and timing helpers shared by the benchmarks: nearest-rank
 * percentiles over raw samples, a clock in nanoseconds, interleaved rounds of
 * compared variants (so the noise of a shared machine lands on all of them
 * alike), a seeded PRNG, and number formatting for the report.
 */

/** Summary of a set of samples, in the unit the samples were taken in. */
export interface Summary {
    count: number;
    min: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    mean: number;
}

/** Nearest-rank percentile of an ascending array (`p` in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: readonly number[]): Summary {
    const sorted = [...samples].sort((a, b) => a - b);
    const total = sorted.reduce((sum, value) => sum + value, 0);
    return {
        count: sorted.length,
        min: sorted[0] ?? Number.NaN,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
        mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
    };
}

/**
 * The `p`-th percentile of each of `passes` consecutive, equal slices of
 * `samples` (taken in time order): how a tail figure moves over a run.
 */
export function percentileByPass(samples: readonly number[], passes: number, p: number): number[] {
    const size = Math.floor(samples.length / passes);
    if (size === 0) return [percentile([...samples].sort((a, b) => a - b), p)];
    return Array.from({ length: passes }, (_, i) => percentile([...samples.slice(i * size, (i + 1) * size)].sort((a, b) => a - b), p));
}

/** The median of a few numbers. */
export function median(values: readonly number[]): number {
    return percentile([...values].sort((a, b) => a - b), 50);
}

/** Every field of a summary divided by `divisor` (unit change, e.g. ns → µs). */
export function scaleSummary(summary: Summary, divisor: number): Summary {
    return {
        count: summary.count,
        min: summary.min / divisor,
        p50: summary.p50 / divisor,
        p90: summary.p90 / divisor,
        p99: summary.p99 / divisor,
        max: summary.max / divisor,
        mean: summary.mean / divisor,
    };
}

/** Monotonic clock, nanoseconds as a double (exact well past a day of uptime). */
export function nowNs(): number {
    return Number(process.hrtime.bigint());
}

/**
 * Runs `rounds` rounds; in each, every variant runs `perRound` times in turn
 * (the variant order rotates per round). Returns each variant's samples.
 */
export async function interleaved<K extends string, T = number>(
    variants: Readonly<Record<K, (iteration: number) => Promise<T> | T>>,
    rounds: number,
    perRound: number,
    onRound?: (round: number) => void,
): Promise<Record<K, T[]>> {
    const names = Object.keys(variants) as K[];
    const samples = {} as Record<K, T[]>;
    const counters = {} as Record<K, number>;
    for (const name of names) {
        samples[name] = [];
        counters[name] = 0;
    }
    for (let round = 0; round < rounds; round++) {
        const order = names.map((_, i) => names[(i + round) % names.length]);
        for (const name of order) {
            for (let i = 0; i < perRound; i++) samples[name].push(await variants[name](counters[name]++));
        }
        onRound?.(round);
    }
    return samples;
}

/** Wall-clock and CPU time of one timed operation. */
export interface TimedSample {
    /** Elapsed wall-clock time, nanoseconds. */
    wallNs: number;
    /**
     * CPU time the whole process used meanwhile (user + system, all threads:
     * garbage collection included), microseconds. Unlike wall time it does not
     * grow while other processes hold the CPU.
     */
    cpuUs: number;
}

/** Times `operation` (wall and CPU); `check` runs on its result after the clocks stop. */
export async function timeOperation<R>(operation: () => Promise<R> | R, check: (result: R) => void = () => undefined): Promise<TimedSample> {
    const cpu = process.cpuUsage();
    const started = nowNs();
    const result = await operation();
    const wallNs = nowNs() - started;
    const used = process.cpuUsage(cpu);
    check(result);
    return { wallNs, cpuUs: used.user + used.system };
}

/** Wall time (µs) and CPU time (µs) summaries of timed samples. */
export function summarizeTimed(samples: readonly TimedSample[]): { wallUs: Summary; cpuUs: Summary } {
    return { wallUs: scaleSummary(summarize(samples.map((s) => s.wallNs)), 1e3), cpuUs: summarize(samples.map((s) => s.cpuUs)) };
}

/** mulberry32: a small seeded PRNG, so traces are the same on every run. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A number with `digits` significant-looking decimals, trimmed for a table. */
export function fixed(value: number, digits = 1): string {
    if (!Number.isFinite(value)) return "n/a";
    return value.toFixed(digits);
}

/** A ratio as a percentage with one decimal. */
export function percent(part: number, whole: number, digits = 1): string {
    if (whole === 0) return "n/a";
    return `${((100 * part) / whole).toFixed(digits)} %`;
}

/** Bytes as KB (1 KB = 1024 bytes) with one decimal. */
export function kilobytes(bytes: number): string {
    return `${(bytes / 1024).toFixed(1)} KB`;
}

/** An integer with thousands separators, e.g. 100,000. */
export function count(value: number): string {
    return Math.round(value).toLocaleString("en-US");
}
