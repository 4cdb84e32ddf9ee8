/**
 * Counters and a short request log per distribution, for the playground's
 * hit/miss view, its operations view (what the deployed CloudWatch dashboard
 * shows, components/dashboard.ts) and for benchmarks (served as JSON by the
 * control API). The log and the duration samples are bounded rings: memory
 * stays flat however long the stack runs.
 */
import type { EdgeEventType } from "../../core/edge-settings";

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
    /** Region of the table copy the edge function's lookup was answered from (replicated tables only). */
    tableCopy?: string;
    /** Body bytes of the answer (0 for HEAD). */
    bytes?: number;
    /** Its `Content-Type`. */
    contentType?: string;
    /** What the origin's log said of a fetched answer: the resizer's `stored`, `made` or `joined`. */
    originDetail?: string;
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
    /** Invocations that failed (threw, timed out): what Lambda counts as `Errors`. */
    edgeErrors: number;
    /** Responses by status class. */
    statusClasses: Record<StatusClass, number>;
    /**
     * Responses CloudFront counts for its cache hit rate: every answer under
     * 400 ("errors are not considered cacheable requests", CloudFront
     * Developer Guide, "Turn on additional CloudFront distribution metrics").
     */
    cacheable: number;
    /** Of those, the ones served from the edge cache. */
    cacheableHits: number;
}

export type StatusClass = "2xx" | "3xx" | "4xx" | "5xx";

/** Most edge durations kept for the percentiles: the latest ones. */
export const EDGE_DURATION_SAMPLES = 1000;

/**
 * The dashboard's CloudFront and Lambda@Edge figures for the emulated
 * distribution since the stack started: the same metrics, computed the way
 * CloudWatch computes them (rates in percent of requests; the hit rate over
 * cacheable requests; duration percentiles over the latest invocations).
 */
export interface OperationsView {
    requests: number;
    /** `null` before the first cacheable response. */
    cacheHitRatePercent: number | null;
    errorRate4xxPercent: number | null;
    errorRate5xxPercent: number | null;
    edge: {
        invocations: number;
        errors: number;
        /** `null` before the first invocation. */
        durationP50Ms: number | null;
        durationP99Ms: number | null;
    };
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
        edgeErrors: 0,
        statusClasses: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
        cacheable: 0,
        cacheableHits: 0,
    };
    private readonly log: RequestLogEntry[] = [];
    private readonly durations: number[] = [];
    private seq = 0;

    constructor(private readonly logSize = 200) {}

    edgeInvocation(eventType: EdgeEventType): void {
        this.counters.edgeInvocations[eventType] += 1;
    }

    /** One invocation finished, after `durationMs`; `failed` when it threw or timed out. */
    edgeCompleted(_eventType: EdgeEventType, durationMs: number, failed: boolean): void {
        if (failed) this.counters.edgeErrors += 1;
        this.durations.push(durationMs);
        if (this.durations.length > EDGE_DURATION_SAMPLES) this.durations.shift();
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
        const statusClass = `${Math.floor(entry.status / 100)}xx`;
        if (statusClass in this.counters.statusClasses) this.counters.statusClasses[statusClass as StatusClass] += 1;
        if (entry.status < 400) {
            this.counters.cacheable += 1;
            if (entry.fromCache) this.counters.cacheableHits += 1;
        }
        this.seq += 1;
        this.log.push({ ...entry, uri: entry.uri.slice(0, 200), seq: this.seq });
        if (this.log.length > this.logSize) this.log.shift();
    }

    /** The operations view of everything recorded so far. */
    operations(): OperationsView {
        const { requests, statusClasses, cacheable, cacheableHits, edgeInvocations, edgeErrors } = this.counters;
        const sorted = [...this.durations].sort((a, b) => a - b);
        return {
            requests,
            cacheHitRatePercent: percent(cacheableHits, cacheable),
            errorRate4xxPercent: percent(statusClasses["4xx"], requests),
            errorRate5xxPercent: percent(statusClasses["5xx"], requests),
            edge: {
                invocations: Object.values(edgeInvocations).reduce((sum, count) => sum + count, 0),
                errors: edgeErrors,
                durationP50Ms: percentile(sorted, 50),
                durationP99Ms: percentile(sorted, 99),
            },
        };
    }

    /** Log entries after sequence number `since` (all kept ones when 0). */
    entriesSince(since: number): RequestLogEntry[] {
        return this.log.filter((entry) => entry.seq > since);
    }
}

/** `part` of `whole` in percent, rounded to 0.1; `null` when there is no whole. */
function percent(part: number, whole: number): number | null {
    return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** The nearest-rank percentile of sorted values, rounded to 0.1 ms; `null` when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
    if (sorted.length === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return Math.round(sorted[rank - 1] * 10) / 10;
}

/** What a table's reads cost, as the dashboard's DynamoDB graphs count them. */
export interface TableReads {
    /** `GetItem` requests (the edge's lookups, the issuer's inspections). */
    getItem: number;
    /** Of those, strongly consistent ones (the edge's second look at an unknown hash). */
    consistentGetItem: number;
    /** `Query` requests (the issuer's lookups by object, on the index). */
    query: number;
    /**
     * Read capacity units consumed by the `GetItem`s: 1 for a strongly
     * consistent read of an item up to 4 KB, 0.5 for an eventually consistent
     * one (Amazon DynamoDB Developer Guide, "Read consistency" and "Read
     * request units"); mapping items are far below 4 KB.
     */
    getItemReadUnits: number;
}

/** Reads per table, recorded from the requests the local DynamoDB receives. */
export class TableReadStats {
    private readonly tables = new Map<string, TableReads>();

    /** One request to the local DynamoDB (`operation` is the `X-Amz-Target` operation, e.g. `GetItem`). */
    record(operation: string, body: unknown): void {
        if (operation !== "GetItem" && operation !== "Query") return;
        const request = typeof body === "object" && body !== null ? (body as { TableName?: unknown; ConsistentRead?: unknown }) : {};
        if (typeof request.TableName !== "string") return;
        const reads = this.of(request.TableName);
        if (operation === "Query") {
            reads.query += 1;
            return;
        }
        const consistent = request.ConsistentRead === true;
        reads.getItem += 1;
        if (consistent) reads.consistentGetItem += 1;
        reads.getItemReadUnits += consistent ? 1 : 0.5;
    }

    /** The reads of one table so far (a live record). */
    of(tableName: string): TableReads {
        let reads = this.tables.get(tableName);
        if (reads === undefined) {
            reads = { getItem: 0, consistentGetItem: 0, query: 0, getItemReadUnits: 0 };
            this.tables.set(tableName, reads);
        }
        return reads;
    }
}
