/**
 * Pulumi's runtime records a stack trace on every promise it creates for a
 * resource (`debuggablePromise`, runtime/debuggable.js: `new Error().stack`,
 * read only for its leak report). Under ts-node each of those traces goes
 * through source-map-support, which maps every frame back to TypeScript: in
 * a mocked deployment that mapping was about 60 % of the CPU time (a CPU
 * profile of the component's alarm and log tests: 35 s of 59 s under
 * `prepareStackTrace`). This leaves Pulumi's own bookkeeping traces
 * unformatted (formatted with V8's plain frames when
 * PULUMI_DEBUG_PROMISE_LEAKS is set, the variable Pulumi's leak report
 * reads), and every other trace as before (mapped), so a failing test
 * still points at its TypeScript line.
 */
import * as path from "path";

const DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");
const UNKEPT = "(stack not kept; run with PULUMI_DEBUG_PROMISE_LEAKS=1 to see where this promise was made)";

/** Installs the filter over whatever `Error.prepareStackTrace` is now (ts-node's source-map-support). */
export function skipSourceMapsForPulumiBookkeeping(): void {
    const mapped = Error.prepareStackTrace;
    if (mapped === undefined) return;
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
        const first = frames[0]?.getFileName();
        if (first !== undefined && first !== null && first.endsWith(DEBUGGABLE)) {
            // Read only when a leak is reported: formatted then, with PULUMI_DEBUG_PROMISE_LEAKS=1, as V8 would.
            return process.env.PULUMI_DEBUG_PROMISE_LEAKS ? `${error.name}: ${error.message}\n    at ${frames.join("\n    at ")}` : UNKEPT;
        }
        return mapped(error, frames);
    };
}
