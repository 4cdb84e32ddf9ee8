/**
 * One load run against a {@link LoadWorld}, in equal phases: after each
 * phase the heap is measured after a full GC and the edge caches and the
 * memo are sized, so a report shows whether memory stayed flat once the
 * caches were full. Used by the smoke test in `npm test` and by the soak
 * (`npm run test:soak`).
 */
import { captureEdgeLogs } from "../../support/edge-logs";
import { heapAfterGcMb } from "./heap";
import { LoadResult, mergeResults, runLoad } from "./load";
import { LoadWorldOptions, startLoadWorld } from "./load-world";

export interface SoakOptions extends LoadWorldOptions {
    clients: number;
    /** Whole run; split into `phases` equal parts. */
    durationMs: number;
    phases: number;
    maxRequests: number;
}

export interface BoundSample {
    name: string;
    size: number;
    bound: number;
}

export interface SoakReport {
    result: LoadResult;
    /** Heap after GC in MB: before the load, then after each phase. */
    heapMb: number[];
    /** Edge cache entries per distribution after each phase. */
    caches: BoundSample[][];
    /** In-process memo entries after each phase. */
    memos: BoundSample[][];
    edgeLogLines: number;
    faults: string[];
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
    const logs = captureEdgeLogs({ keep: false });
    const world = await startLoadWorld(options);
    try {
        const heapMb = [heapAfterGcMb()];
        const caches: BoundSample[][] = [];
        const memos: BoundSample[][] = [];
        const results: LoadResult[] = [];
        for (let phase = 0; phase < options.phases; phase++) {
            results.push(
                await runLoad({
                    clients: options.clients,
                    durationMs: options.durationMs / options.phases,
                    maxRequests: Math.ceil(options.maxRequests / options.phases),
                    next: world.nextRequest,
                }),
            );
            caches.push(world.services.map((service) => ({ name: service.name, size: service.distribution.cache.size, bound: world.cacheBound })));
            memos.push(world.services.flatMap((service) => (service.memo && service.memoBound !== undefined ? [{ name: service.name, size: service.memo.size(), bound: service.memoBound }] : [])));
            heapMb.push(heapAfterGcMb());
        }
        return { result: mergeResults(results), heapMb, caches, memos, edgeLogLines: logs.count(), faults: world.faults };
    } finally {
        await world.close();
        logs.restore();
    }
}

/** The report as lines for a terminal. */
export function reportLines(options: SoakOptions, report: SoakReport): string[] {
    const { result } = report;
    const seconds = result.elapsedMs / 1000;
    const statuses = [...result.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    const last = (samples: BoundSample[][]) => (samples[samples.length - 1] ?? []).map((s) => `${s.name} ${s.size}/${s.bound}`).join(", ");
    return [
        `load: ${options.clients} clients for ${(options.durationMs / 1000).toFixed(0)} s in ${options.phases} phases (${Math.round(options.missShare * 100)} % hashes never issued)`,
        `requests: ${result.requests} in ${seconds.toFixed(1)} s (${Math.round(result.requests / seconds)}/s); errors: ${result.errors}; statuses: ${statuses.join(", ")}`,
        `latency ms: p50 ${result.latency.quantile(0.5).toFixed(1)}, p95 ${result.latency.quantile(0.95).toFixed(1)}, p99 ${result.latency.quantile(0.99).toFixed(1)}, max ${result.latency.max.toFixed(1)}`,
        `heap after GC, MB (start, then after each phase): ${report.heapMb.map((mb) => mb.toFixed(1)).join(" → ")}`,
        `edge cache entries/bound at the end: ${last(report.caches)}`,
        `memo entries/bound at the end: ${last(report.memos)}`,
        `edge log lines: ${report.edgeLogLines}; emulator faults: ${report.faults.length}`,
        ...result.errorSamples.map((sample) => `  error: ${sample}`),
    ];
}
