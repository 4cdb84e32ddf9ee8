/**
 * Replays a recorded trace through the edge's own memo (edge/memo.ts) with
 * other sizes, at the very times the requests were made, following what
 * edge/lookup.ts does with it: a live entry answers; otherwise the table is
 * read and a live mapping remembered. It answers "how many reads would a
 * bigger memo have spared" without running the trace again.
 */
import { setFlagsFromString } from "v8";
import { runInNewContext } from "vm";
import { createMemo } from "../../edge/memo";
import { isLive } from "../../edge/lookup";
import type { TraceItem } from "./trace";

export interface MemoReplay {
    /** Requests for a hash seen before in the same container. */
    repeats: number;
    /** Of those, answered by the memo. */
    spared: number;
    /** Table reads made (one per non-memo lookup of an existing item). */
    reads: number;
}

export interface ReplayedRequest {
    item: TraceItem;
    atMs: number;
}

export function replayMemo(
    requests: readonly ReplayedRequest[],
    limits: { maxEntries: number; ttlSeconds: number },
    options: { rememberExpired?: boolean } = {},
): MemoReplay {
    const memo = createMemo({ maxEntries: limits.maxEntries, ttlSeconds: limits.ttlSeconds, negativeTtlSeconds: limits.ttlSeconds });
    const seen = new Set<string>();
    let repeats = 0;
    let spared = 0;
    let reads = 0;
    for (const { item, atMs } of requests) {
        const repeat = seen.has(item.hash);
        seen.add(item.hash);
        if (repeat) repeats += 1;
        const mapping = { key: item.key, expiresAt: item.expiresAt };
        const entry = memo.get(item.hash, atMs);
        // Every trace hash exists, so a negative entry can only be the stand-in for "known expired" below.
        if (entry && (!entry.found || isLive(entry.mapping, atMs))) {
            spared += 1;
            continue;
        }
        reads += 1;
        if (isLive(mapping, atMs)) memo.remember(item.hash, mapping, atMs);
        // The proposal being weighed: remember an expired answer too (an expired hash never comes back).
        else if (options.rememberExpired) memo.rememberMiss(item.hash, atMs);
    }
    return { repeats, spared, reads };
}

/** A function that runs a full garbage collection (V8's `gc`, exposed for this process at run time). */
function fullGc(): () => void {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    return () => {
        gc();
        gc();
    };
}

/** Entries the memory measurement fills a memo with (enough to rise far above the heap's noise). */
export const MEMORY_PROBE_ENTRIES = 10_000;

/**
 * Heap bytes one memo entry takes, its hash and key strings included: a memo
 * filled with 10,000 entries shaped like the trace's items, after full GCs.
 */
export function memoBytesPerEntry(items: readonly TraceItem[], ttlSeconds: number): number {
    const collect = fullGc();
    const nowMs = Date.now();
    collect();
    const before = process.memoryUsage().heapUsed;
    const memo = createMemo({ maxEntries: MEMORY_PROBE_ENTRIES, ttlSeconds, negativeTtlSeconds: ttlSeconds });
    for (let i = 0; i < MEMORY_PROBE_ENTRIES; i++) {
        const item = items[i % items.length];
        // Fresh strings, as a parsed DynamoDB answer gives, not the trace's own.
        const hash = (i.toString(16) + item.hash).slice(0, 32);
        const key = `${item.key}?${i}`.slice(0, item.key.length + String(i).length + 1);
        memo.remember(hash, { key, expiresAt: nowMs / 1000 + 86400 }, nowMs);
    }
    collect();
    const after = process.memoryUsage().heapUsed;
    if (memo.size() !== MEMORY_PROBE_ENTRIES) throw new Error("the memo did not keep every entry");
    return (after - before) / MEMORY_PROBE_ENTRIES;
}
