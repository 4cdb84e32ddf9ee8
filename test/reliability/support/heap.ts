/**
 * Heap in use after a full garbage collection, for "memory stays flat"
 * checks. Uses `global.gc` when Node runs with `--expose-gc` (the soak's
 * mocha config sets it), else turns the flag on at run time and takes `gc`
 * from a fresh context, which V8 allows once the flag is set.
 */
import * as v8 from "v8";
import * as vm from "vm";

type Collect = () => void;

function collector(): Collect {
    const exposed = (globalThis as { gc?: unknown }).gc;
    if (typeof exposed === "function") return () => (exposed as Collect)();
    v8.setFlagsFromString("--expose-gc");
    const fromContext: unknown = vm.runInNewContext("gc");
    if (typeof fromContext !== "function") throw new Error("no way to run the garbage collector");
    return fromContext as Collect;
}

let collect: Collect | undefined;

/** Heap used after two full collections, in MB. */
export function heapAfterGcMb(): number {
    collect ??= collector();
    collect();
    collect();
    return process.memoryUsage().heapUsed / (1024 * 1024);
}
