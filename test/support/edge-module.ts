/**
 * Loads edge module text (the deployed bundle, or the serialized factory)
 * the way Lambda does: from a file in a folder of this process's own under
 * `.edge-build/` in the project tree, so any `require` in it resolves
 * against this project, freshly each time, so each load is a new container
 * (its own memo). The local stack's loader
 * (local/cloudfront/edge-runner.ts `loadEdgeModule`) shares one module per
 * code text instead, as one CloudFront distribution shares warm containers.
 *
 * With a `clock`, the module runs as Node runs a CommonJS file but with its
 * global `Date` replaced by one that tells the clock's time, so a test moves
 * time for the deployed code (expiry, memo lifetimes, presigned URLs'
 * signing time) instead of waiting. The module text is the same.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";

export const EDGE_BUILD_DIR = path.join(__dirname, "..", "..", ".edge-build");

let processDir: string | undefined;

/**
 * This process's folder under `.edge-build/`, removed when it exits: test
 * files run in parallel processes, and two of them may load modules of the
 * same name.
 */
function moduleDir(): string {
    if (processDir === undefined) {
        fs.mkdirSync(EDGE_BUILD_DIR, { recursive: true });
        const dir = fs.mkdtempSync(path.join(EDGE_BUILD_DIR, "modules-"));
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        processDir = dir;
    }
    return processDir;
}

export interface RequireOptions {
    /** The time the code sees, epoch milliseconds. @default the real clock */
    clock?: () => number;
}

/** Writes `code` to `.edge-build/modules-…/<name>.js` and loads it afresh; its exports and the file. */
export function requireEdgeCode(code: string, name: string, options: RequireOptions = {}): { exports: Record<string, unknown>; file: string } {
    const file = path.join(moduleDir(), `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.js`);
    fs.writeFileSync(file, code);
    if (options.clock) return { exports: runWithClock(file, code, options.clock), file };
    delete require.cache[require.resolve(file)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { exports: require(file) as Record<string, unknown>, file };
}

/** Runs the module text with CommonJS's arguments plus `Date`, which shadows the global inside the module. */
function runWithClock(file: string, code: string, clock: () => number): Record<string, unknown> {
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, Date) {${code}\n})`, { filename: file }) as (
        ...args: unknown[]
    ) => void;
    const module = { exports: {} as Record<string, unknown> };
    wrapper(module.exports, createRequire(file), module, file, path.dirname(file), clockedDate(clock));
    return module.exports;
}

/** `Date` whose `now()` and argument-less `new Date()` tell the clock's time; everything else is the real `Date`. */
function clockedDate(clock: () => number): DateConstructor {
    class ClockedDate extends Date {
        constructor(...args: unknown[]) {
            if (args.length === 0) super(clock());
            // Any other form is the real Date's (the types only admit one at a time).
            else super(...(args as [number, number]));
        }
        static override now(): number {
            return clock();
        }
    }
    return ClockedDate as DateConstructor;
}
