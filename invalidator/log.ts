/**
 * One JSON line per invocation, for CloudWatch Logs Insights: what came in,
 * what was skipped and why, what was invalidated or queued. Hashes are
 * capabilities: they are never logged, only counted.
 */
import type { SkipReason } from "./removals";

export interface InvalidatorLogLine {
    service: string;
    region: string;
    /** What invoked the function: its table's stream, or its queue. */
    source: "stream" | "queue";
    /** Records (stream) or messages (queue) in the batch. */
    records: number;
    /** Hashes whose paths were (to be) invalidated. */
    hashes: number;
    /** Records skipped, by reason (stream only). */
    skipped?: Partial<Record<SkipReason, number>>;
    /** Paths in the invalidations made. */
    paths?: number;
    /** The invalidations CloudFront accepted. */
    invalidations?: string[];
    /** What became of the batch. */
    outcome: "nothing" | "invalidated" | "queued" | "retried" | "failed";
    /** Messages handed back to the queue to try again (queue only). */
    retried?: number;
    /** The error's name, when a call failed (never its message: it may quote a path). */
    error?: string;
}

/** Writes a line to stdout, where Lambda sends it to the function's log group. */
export function logToConsole(line: InvalidatorLogLine): void {
    console.log(JSON.stringify(line));
}
