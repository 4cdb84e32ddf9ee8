/**
 * One JSON line per request, for CloudWatch Logs Insights. Never the object
 * key, the bucket or an error's message (which can quote either): the
 * preset, the token, what happened and how long it took.
 */

/** What happened to one request. */
export type ResizerOutcome =
    | "served"
    | "bad_method"
    | "bad_path"
    | "key_too_long"
    | "original_missing"
    | "unprocessable"
    | "unavailable"
    | "bad_settings";

export interface ResizerLogLine {
    service: string;
    outcome: ResizerOutcome;
    status: number;
    ms: number;
    preset?: string;
    token?: string;
    /** Where a served variant came from: the stored copy, made now, or shared with a concurrent request for it. */
    source?: "stored" | "made" | "joined";
    /** The format a fallback became, or the format served. */
    format?: string;
    bytes?: number;
    /** A refusal's or failure's kind: a path problem, an unprocessable reason, an error's name. */
    reason?: string;
    /** The stored copy could not be written (the variant was served all the same). */
    storeFailed?: string;
}

/** Writes a line to stdout, where Lambda sends it to the function's log group. */
export function logToConsole(line: ResizerLogLine): void {
    console.log(JSON.stringify(line));
}
