/**
 * Collects what the deployed edge module logs. The bundle logs one JSON line
 * per invocation through `console.log` (edge/log.ts), looked up at call time,
 * so swapping `console.log` for the duration of a run catches every line
 * without touching the module.
 */

/** The fields of an edge log line the benchmarks read. */
export interface EdgeLogLine {
    outcome?: string;
    status?: number;
    memo?: boolean;
    attempts?: number;
    reason?: string;
}

export interface LogCapture {
    /** Lines logged since the last `take()`, parsed. */
    take(): EdgeLogLine[];
    restore(): void;
}

export function captureConsoleLog(): LogCapture {
    const original = console.log;
    let lines: string[] = [];
    console.log = (...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
    };
    return {
        take() {
            const taken = lines;
            lines = [];
            return taken.map((line) => {
                try {
                    return JSON.parse(line) as EdgeLogLine;
                } catch {
                    return { outcome: "unparsed" };
                }
            });
        },
        restore() {
            console.log = original;
        },
    };
}
