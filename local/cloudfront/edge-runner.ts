/**
 * Runs the deployed Lambda@Edge module text locally: the exact text
 * `buildEdgeCode` produces (the serialized, bundled closure) is written to a
 * file under `.edge-build/` in the project (so its `require` calls resolve
 * against the project's node_modules) and loaded with `require`. Each
 * invocation gets a deep copy of its event (functions mutate events) and the
 * function timeout of its event type.
 */
import type { CloudFrontRequestEvent, CloudFrontResponseEvent } from "aws-lambda";
import { AsyncLocalStorage } from "async_hooks";
import { createHash, randomUUID } from "crypto";
import { format } from "util";
import * as fs from "fs";
import * as path from "path";
import { edgeReplicaName, edgeTriggerLimits } from "../../core/limits";
import { EDGE_EVENT_TYPES, EdgeEventType } from "../../core/edge-settings";

/** The project folder for loaded edge modules (git-ignored). */
export const EDGE_BUILD_DIR = path.join(__dirname, "..", "..", ".edge-build");

/** Lambda@Edge's timeout limit of each event type, milliseconds. */
export const EDGE_TIMEOUT_MS = Object.fromEntries(
    EDGE_EVENT_TYPES.map((eventType) => [eventType, edgeTriggerLimits(eventType).maxTimeoutSeconds * 1000]),
) as Readonly<Record<EdgeEventType, number>>;

export type EdgeEvent = CloudFrontRequestEvent | CloudFrontResponseEvent;
export type EdgeHandler = (event: EdgeEvent, context?: unknown) => Promise<unknown>;

/** Thrown when the function throws or times out (CloudFront answers 503). */
export class EdgeExecutionError extends Error {
    constructor(message: string, cause?: unknown) {
        super(message, { cause });
        this.name = "EdgeExecutionError";
    }
}

export interface EdgeFunction {
    /** Event types this distribution associates the function with. */
    readonly eventTypes: readonly EdgeEventType[];
    /** Runs the function; `onLog` receives each line it logs during this invocation (its CloudWatch Logs). */
    invoke(eventType: EdgeEventType, event: EdgeEvent, onLog?: (line: string) => void): Promise<unknown>;
}

/**
 * The log lines of the invocation in progress go to its `onLog`: `console.log`
 * is wrapped (once, and again if something replaced the wrapper) so a line
 * logged inside an invocation, however many run at once, reaches that
 * invocation's listener. Every line still goes to the console as before.
 */
const invocationLog = new AsyncLocalStorage<(line: string) => void>();
let logWrapper: ((...args: unknown[]) => void) | undefined;

function listenToConsole(): void {
    if (logWrapper !== undefined && console.log === logWrapper) return;
    const previous = console.log;
    const wrapper = (...args: unknown[]) => {
        const listener = invocationLog.getStore();
        if (listener) {
            try {
                listener(format(...args));
            } catch {
                // A listener's failure never changes what the function does.
            }
        }
        previous.apply(console, args);
    };
    logWrapper = wrapper;
    console.log = wrapper;
}

export interface LoadedEdgeModule {
    handler: EdgeHandler;
    /** The module file. */
    file: string;
    /** Removes the file if this call wrote it (the loaded module stays in memory). */
    dispose(): void;
}

/**
 * Writes `code` to `.edge-build/<name>-<sha256 prefix>-<pid>.js` (unless
 * already there) and loads its `handler` export. The file is this process's
 * own: another process (a parallel test, a second stack) that removes its
 * copy on close cannot take it away between the check and the load. With `region`, the module is loaded
 * as Lambda loads it in that region: `AWS_REGION` set while its factory
 * runs (the name should then carry the region, so each region's module is
 * its own).
 */
export function loadEdgeModule(code: string, name: string, directory: string = EDGE_BUILD_DIR, region?: string): LoadedEdgeModule {
    fs.mkdirSync(directory, { recursive: true });
    const digest = createHash("sha256").update(code).digest("hex").slice(0, 16);
    const file = path.join(directory, `${name.replace(/[^a-zA-Z0-9_-]/g, "_")}-${digest}-${process.pid}.js`);
    let written = false;
    if (!fs.existsSync(file)) {
        // Write then rename, so a concurrent reader never loads half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, code);
        fs.renameSync(temporary, file);
        written = true;
    }
    const saved = process.env.AWS_REGION;
    if (region !== undefined) process.env.AWS_REGION = region;
    let loaded: { handler?: unknown };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = require(file) as { handler?: unknown };
    } finally {
        if (region !== undefined) {
            if (saved === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = saved;
        }
    }
    if (typeof loaded.handler !== "function") throw new Error(`edge module ${file} exports no handler function`);
    const handler = loaded.handler as (event: EdgeEvent, context?: unknown) => unknown;
    return {
        handler: async (event, context) => handler(event, context),
        file,
        dispose: () => {
            if (written) fs.rmSync(file, { force: true });
        },
    };
}

/** Counts invocations per event type, and how each ended. */
export interface EdgeInvocationCounter {
    edgeInvocation(eventType: EdgeEventType): void;
    /** The invocation ended after `durationMs` (wall time in the emulator); `failed` when it threw or timed out. */
    edgeCompleted?(eventType: EdgeEventType, durationMs: number, failed: boolean): void;
}

/** An {@link EdgeFunction} around a loaded handler, with timeouts and counting. */
export function edgeFunction(
    handler: EdgeHandler,
    eventTypes: readonly EdgeEventType[],
    counter?: EdgeInvocationCounter,
    timeouts: Readonly<Record<EdgeEventType, number>> = EDGE_TIMEOUT_MS,
): EdgeFunction {
    return {
        eventTypes,
        async invoke(eventType, event, onLog) {
            counter?.edgeInvocation(eventType);
            if (onLog) listenToConsole();
            const started = performance.now();
            let failed = true;
            const copy = structuredClone(event);
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new EdgeExecutionError(`${eventType} function timed out after ${timeouts[eventType]} ms`)), timeouts[eventType]);
            });
            try {
                const run = () => handler(copy, lambdaContext(timeouts[eventType]));
                const result = await Promise.race([onLog ? invocationLog.run(onLog, run) : run(), timeout]);
                failed = false;
                return result;
            } catch (error) {
                if (error instanceof EdgeExecutionError) throw error;
                throw new EdgeExecutionError(`${eventType} function failed: ${error instanceof Error ? error.message : String(error)}`, error);
            } finally {
                clearTimeout(timer);
                counter?.edgeCompleted?.(eventType, performance.now() - started, failed);
            }
        },
    };
}

/** The few Lambda context fields a handler might read. */
function lambdaContext(timeoutMs: number): Record<string, unknown> {
    const deadline = Date.now() + timeoutMs;
    return {
        functionName: edgeReplicaName("local-edge"),
        functionVersion: "1",
        awsRequestId: randomUUID(),
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
}
