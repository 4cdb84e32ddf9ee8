/**
 * The saved CloudWatch Logs Insights queries of an instance, over the edge
 * function's log lines (edge/log.ts: one JSON object per invocation).
 *
 * The function logs through `console.log` with Lambda's plain-text format,
 * so each event is `<time>\t<request id>\tINFO\t{"service":…}`: the fields
 * are taken out of `@message` with `parse` and a regular expression
 * (CloudWatch Logs User Guide, "CloudWatch Logs Insights language query
 * syntax", `parse`), which does not depend on whether Logs Insights
 * discovers JSON after Lambda's prefix. `logLine` writes `outcome` before
 * `ms` and the cut `hash` last; the tests run these expressions on lines the
 * edge handler really writes.
 *
 * Queries are regional, like the log groups they read, so each region with a
 * log group gets its own copy.
 */

/** One saved query. */
export interface LogQuery {
    /** Short key, used in resource names. */
    key: string;
    /** What it answers, shown after the folder in the console's saved queries. */
    title: string;
    queryString: string;
}

/**
 * The regular expressions the queries parse with, as Logs Insights reads
 * them (between slashes) and as JavaScript does (for the tests). Named
 * groups become fields.
 */
export const LOG_LINE_PATTERNS = {
    /** `outcome` and `ms` (the function's own time for the request). */
    outcomeAndMs: String.raw`"outcome":"(?<outcome>[a-z_]+)".*"ms":(?<ms>[0-9.]+)`,
    /** The first characters of the hash the request named (absent for a bad path). */
    hash: String.raw`"hash":"(?<hash>[0-9a-f]+)"`,
} as const;

/** The saved queries: outcomes with their latency, and the most requested hashes. */
export function edgeLogQueries(): LogQuery[] {
    return [
        {
            key: "outcomes",
            title: "edge outcomes and latency",
            queryString: [
                "# Requests per outcome, with the function's own time (ms) at p50 and p99",
                `filter @message like /"outcome":"/`,
                `| parse @message /${LOG_LINE_PATTERNS.outcomeAndMs}/`,
                "| stats count(*) as requests, pct(ms, 50) as p50_ms, pct(ms, 99) as p99_ms by outcome",
                "| sort requests desc",
            ].join("\n"),
        },
        {
            key: "top-hashes",
            title: "edge top hashes",
            queryString: [
                "# The most requested hashes (their first 8 characters) and how each was answered",
                `filter @message like /"hash":"/`,
                `| parse @message /${LOG_LINE_PATTERNS.outcomeAndMs}/`,
                `| parse @message /${LOG_LINE_PATTERNS.hash}/`,
                "| stats count(*) as requests, pct(ms, 99) as p99_ms by hash, outcome",
                "| sort requests desc",
                "| limit 25",
            ].join("\n"),
        },
    ];
}

/** The saved query's name: a folder per stack and instance, then the query's title. */
export function logQueryName(project: string, stack: string, instance: string, query: LogQuery): string {
    return `${project}/${stack}/${instance}/${query.title}`;
}
