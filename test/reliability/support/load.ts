/**
 * A closed-loop load generator: `clients` concurrent clients on keep-alive
 * connections, each sending its next request as soon as the last answer
 * was read and checked, until the time or request budget runs out (both
 * bounded, so a run always stops by itself). Latencies go into a
 * fixed-size histogram (0.1 ms buckets up to 30 s), so memory stays flat
 * however long it runs.
 */
import * as http from "http";
import { performance } from "perf_hooks";

export interface LoadRequest {
    port: number;
    path: string;
    /** Why the answer is wrong, or `undefined` when it is right. */
    check(status: number, headers: http.IncomingHttpHeaders, body: Buffer): string | undefined | Promise<string | undefined>;
}

export interface LoadOptions {
    clients: number;
    durationMs: number;
    /** Hard cap on requests, whatever the time. */
    maxRequests: number;
    /** The next request to send (called once per request). */
    next(): LoadRequest;
}

const BUCKET_MS = 0.1;
const BUCKETS = 300_000;

/** Latencies in 0.1 ms buckets; the last bucket holds everything from 30 s up. */
export class LatencyHistogram {
    private readonly counts = new Uint32Array(BUCKETS + 1);
    private total = 0;
    private maxMs = 0;

    record(ms: number): void {
        this.counts[Math.min(BUCKETS, Math.floor(ms / BUCKET_MS))] += 1;
        this.total += 1;
        this.maxMs = Math.max(this.maxMs, ms);
    }

    merge(other: LatencyHistogram): void {
        for (let i = 0; i <= BUCKETS; i++) this.counts[i] += other.counts[i];
        this.total += other.total;
        this.maxMs = Math.max(this.maxMs, other.maxMs);
    }

    get count(): number {
        return this.total;
    }

    get max(): number {
        return this.maxMs;
    }

    /** The latency at or below which `fraction` of the requests were answered, ms (upper edge of its bucket). */
    quantile(fraction: number): number {
        if (this.total === 0) return 0;
        const rank = Math.ceil(fraction * this.total);
        let seen = 0;
        for (let i = 0; i <= BUCKETS; i++) {
            seen += this.counts[i];
            if (seen >= rank) return Math.min((i + 1) * BUCKET_MS, this.maxMs);
        }
        return this.maxMs;
    }
}

export interface LoadResult {
    requests: number;
    errors: number;
    /** The first few wrong answers, for the failure message. */
    errorSamples: string[];
    latency: LatencyHistogram;
    byStatus: Map<number, number>;
    elapsedMs: number;
}

function send(agent: http.Agent, request: LoadRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
        const outgoing = http.get({ host: "127.0.0.1", port: request.port, path: request.path, agent, timeout: 60_000 }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
            response.on("error", reject);
        });
        outgoing.on("timeout", () => outgoing.destroy(new Error("no answer within 60 s")));
        outgoing.on("error", reject);
    });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
    const result: LoadResult = { requests: 0, errors: 0, errorSamples: [], latency: new LatencyHistogram(), byStatus: new Map(), elapsedMs: 0 };
    const started = performance.now();
    const deadline = started + options.durationMs;
    let issued = 0;
    const fail = (what: string) => {
        result.errors += 1;
        if (result.errorSamples.length < 10) result.errorSamples.push(what);
    };

    const client = async () => {
        while (performance.now() < deadline && issued < options.maxRequests) {
            issued += 1;
            const request = options.next();
            const sent = performance.now();
            try {
                const answer = await send(agent, request);
                result.latency.record(performance.now() - sent);
                result.byStatus.set(answer.status, (result.byStatus.get(answer.status) ?? 0) + 1);
                const wrong = await request.check(answer.status, answer.headers, answer.body);
                if (wrong !== undefined) fail(`${request.path}: ${wrong}`);
            } catch (error) {
                result.latency.record(performance.now() - sent);
                fail(`${request.path}: ${error instanceof Error ? error.message : String(error)}`);
            }
            result.requests += 1;
        }
    };
    try {
        await Promise.all(Array.from({ length: options.clients }, client));
    } finally {
        agent.destroy();
    }
    result.elapsedMs = performance.now() - started;
    return result;
}

/** Several results as one (phases of one run). */
export function mergeResults(results: LoadResult[]): LoadResult {
    const merged: LoadResult = { requests: 0, errors: 0, errorSamples: [], latency: new LatencyHistogram(), byStatus: new Map(), elapsedMs: 0 };
    for (const result of results) {
        merged.requests += result.requests;
        merged.errors += result.errors;
        merged.errorSamples.push(...result.errorSamples.slice(0, 10 - merged.errorSamples.length));
        merged.latency.merge(result.latency);
        for (const [status, count] of result.byStatus) merged.byStatus.set(status, (merged.byStatus.get(status) ?? 0) + count);
        merged.elapsedMs += result.elapsedMs;
    }
    return merged;
}
