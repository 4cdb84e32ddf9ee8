/**
 * Counters and a short request log per distribution, for the playground's
 * hit/miss view and for benchmarks (served as JSON by the control API).
 * The log is a bounded ring: memory stays flat however long the stack runs.
 */
import type { EdgeEventType } from "../../edge/settings";

export interface RequestLogEntry {
    /** Increasing sequence number, per distribution. */
    seq: number;
    /** Epoch milliseconds when the response was sent. */
    at: number;
    method: string;
    /** Request path (truncated to 200 characters). */
    uri: string;
    status: number;
    /** The `X-Cache` value without " from cloudfront" (Hit, Miss, Error, LambdaGeneratedResponse…). */
    result: string;
    /** True when the response came out of the edge cache (a hit, or a cached error). */
    fromCache: boolean;
    /** Edge events that ran for this request, in order. */
    edgeEvents: EdgeEventType[];
    /** Time spent inside the emulator, milliseconds. */
    durationMs: number;
}

export interface DistributionCounters {
    requests: number;
    hits: number;
    misses: number;
    errors: number;
    generated: number;
    originFetches: number;
    invalidations: number;
    invalidatedEntries: number;
    edgeInvocations: Record<EdgeEventType, number>;
}

export interface DistributionStats extends DistributionCounters {
    cacheEntries: number;
    cacheBytes: number;
}

export class StatsRecorder {
    readonly counters: DistributionCounters = {
        requests: 0,
        hits: 0,
        misses: 0,
        errors: 0,
        generated: 0,
        originFetches: 0,
        invalidations: 0,
        invalidatedEntries: 0,
        edgeInvocations: { "viewer-request": 0, "origin-request": 0, "origin-response": 0 },
    };
    private readonly log: RequestLogEntry[] = [];
    private seq = 0;

    constructor(private readonly logSize = 200) {}

    edgeInvocation(eventType: EdgeEventType): void {
        this.counters.edgeInvocations[eventType] += 1;
    }

    originFetch(): void {
        this.counters.originFetches += 1;
    }

    invalidation(entries: number): void {
        this.counters.invalidations += 1;
        this.counters.invalidatedEntries += entries;
    }

    /** Records one answered request; `result` is the X-Cache word. */
    request(entry: Omit<RequestLogEntry, "seq">): void {
        this.counters.requests += 1;
        switch (entry.result) {
            case "Hit":
                this.counters.hits += 1;
                break;
            case "Miss":
                this.counters.misses += 1;
                break;
            case "LambdaGeneratedResponse":
                this.counters.generated += 1;
                break;
            default:
                this.counters.errors += 1;
        }
        this.seq += 1;
        this.log.push({ ...entry, uri: entry.uri.slice(0, 200), seq: this.seq });
        if (this.log.length > this.logSize) this.log.shift();
    }

    /** Log entries after sequence number `since` (all kept ones when 0). */
    entriesSince(since: number): RequestLogEntry[] {
        return this.log.filter((entry) => entry.seq > since);
    }
}
