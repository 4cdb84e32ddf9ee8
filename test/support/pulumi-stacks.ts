/**
 * Pulumi's runtime records a stack trace on every promise it makes for a
 * resource (`debuggablePromise`, runtime/debuggable.js: `new Error().stack`),
 * read only by its report of promises left pending at exit. Under ts-node
 * each such trace also went through source-map-support, which maps every
 * frame back to TypeScript: a CPU profile of the component's alarm and log
 * tests put 35 s of 59 s there. In the tests those traces are taken with no
 * frames (Error.stackTraceLimit 0 while Pulumi takes one) unless
 * PULUMI_DEBUG_PROMISE_LEAKS is set, the variable that makes Pulumi list
 * them; its bookkeeping is otherwise untouched (the same function runs), and
 * every other trace is as before (mapped), so a failing test still points
 * at its TypeScript line.
 */

interface DebuggableModule {
    debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
}

/** Wraps Pulumi's `debuggablePromise` (its callers look it up on the module at each call). */
export function keepNoPulumiPromiseStacks(): void {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
    /* eslint-disable-next-line @typescript-eslint/no-require-imports */
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
    const original = debuggable.debuggablePromise;
    debuggable.debuggablePromise = function debuggablePromiseWithoutStack<T>(p: Promise<T>, ctx: unknown): Promise<T> {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
