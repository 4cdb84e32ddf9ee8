/**
 * One JSON line per invocation, for CloudWatch Logs Insights (the saved
 * queries of components/log-queries.ts parse `outcome`, `ms` and `hash` out
 * of it, after Lambda's plain-text prefix). It carries the
 * first 8 characters of a hash at most (enough to correlate, useless to
 * fetch), and never an object key or bucket.
 */

/** Characters of a hash that may appear in a log line. */
export const LOGGED_HASH_CHARS = 8;

export type Outcome =
    | "rewritten"
    | "redirected"
    | "not_found"
    | "bad_item"
    | "expired"
    | "bad_method"
    | "uri_too_long"
    | "bad_path"
    | "unavailable"
    | "cache_bounded"
    | "passed"
    | "origin_missing"
    | "origin_error"
    | "unexpected_event"
    | "internal_error";

export interface LogFields {
    service: string;
    event: string;
    /** The full hash is cut to its prefix here. */
    hash?: string;
    outcome: Outcome;
    /** Status answered; absent when the request or response went on unchanged in status (a rewrite, a pass-through). */
    status?: number;
    ms: number;
    memo?: boolean;
    attempts?: number;
    /** Region of the table copy that answered (tables with replicas only). */
    copy?: string;
    /** A short machine-readable cause: a failure kind, a bad-item reason, a DynamoDB error name. */
    reason?: string;
    /** The variant asked for, `<preset>` or `<preset>.<token>` as in the URI; absent for the original. */
    variant?: string;
}

export function logLine(fields: LogFields): string {
    const { hash, ...rest } = fields;
    return JSON.stringify({ ...rest, hash: hash === undefined ? undefined : hash.slice(0, LOGGED_HASH_CHARS) });
}
