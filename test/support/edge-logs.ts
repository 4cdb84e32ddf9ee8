/**
 * The edge function writes one JSON line per invocation with `console.log`
 * (CloudWatch Logs in AWS). Tests capture them, to check what a lookup did
 * or to keep hundreds of lines out of the test output: each edge line is
 * parsed and kept (or only counted, for long runs); any other output passes
 * through.
 */

export interface EdgeLogLine {
    service?: string;
    event?: string;
    outcome?: string;
    status?: number;
    reason?: string;
    attempts?: number;
    hash?: string;
    memo?: boolean;
    /** Other fields of the line. */
    [field: string]: unknown;
}

export interface EdgeLogCapture {
    /** Lines kept so far (none when counting only). */
    readonly lines: EdgeLogLine[];
    /** Edge lines seen, kept or not. */
    count(): number;
    /** Lines kept from index `from` on. */
    since(from: number): EdgeLogLine[];
    restore(): void;
}

function asEdgeLine(text: string): EdgeLogLine | undefined {
    if (!text.startsWith("{")) return undefined;
    try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === "object" && parsed !== null && "outcome" in parsed && "service" in parsed) return parsed as EdgeLogLine;
    } catch {
        // Not JSON: not an edge line.
    }
    return undefined;
}

/** Replaces `console.log` until `restore()`. `keep: false` only counts (memory stays flat under load). */
export function captureEdgeLogs(options: { keep: boolean } = { keep: true }): EdgeLogCapture {
    const original = console.log;
    const lines: EdgeLogLine[] = [];
    let seen = 0;
    console.log = (...args: unknown[]) => {
        const line = args.length === 1 && typeof args[0] === "string" ? asEdgeLine(args[0]) : undefined;
        if (!line) return original(...args);
        seen += 1;
        if (options.keep) lines.push(line);
    };
    return {
        lines,
        count: () => seen,
        since: (from) => lines.slice(from),
        restore: () => {
            console.log = original;
        },
    };
}
