/**
 * Loads the deployed edge code the way Lambda does: `buildEdgeCode` (Pulumi
 * serialization of the component's own factory, bundled) written to a file
 * under `.edge-build/` in the project tree, then `require`d. Invocations
 * collect the JSON lines the bundle logs.
 *
 * With a `clock`, the module is loaded as Node loads a CommonJS file but
 * with its global `Date` replaced by one that tells the clock's time, so a
 * test moves time for the deployed code (expiry, memo lifetimes, presigned
 * URLs' signing time) instead of waiting. The module text is the same.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";
import { buildEdgeCode } from "../../components/edge-code";
import type { EdgeSettings } from "../../edge/settings";

export const BUILD_DIR = path.join(__dirname, "..", "..", ".edge-build");

export interface LoadedEdge {
    file: string;
    code: string;
    invoke(event: unknown): Promise<{ result: unknown; lines: Record<string, unknown>[] }>;
}

type Handler = (event: unknown) => Promise<unknown>;

export interface LoadOptions {
    /** The time the code sees, epoch milliseconds. @default the real clock */
    clock?: () => number;
}

export async function loadEdge(name: string, settings: EdgeSettings, options: LoadOptions = {}): Promise<LoadedEdge> {
    const code = await buildEdgeCode(settings);
    fs.mkdirSync(BUILD_DIR, { recursive: true });
    const file = path.join(BUILD_DIR, `${name}.js`);
    fs.writeFileSync(file, code);
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = options.clock ? loadWithClock(file, code, options.clock) : (require(file) as { handler: Handler }).handler;
    return {
        file,
        code,
        async invoke(event) {
            const lines: Record<string, unknown>[] = [];
            const original = console.log;
            console.log = (...args: unknown[]) => {
                const text = args.map(String).join(" ");
                try {
                    lines.push(JSON.parse(text) as Record<string, unknown>);
                } catch {
                    original(...args);
                }
            };
            try {
                return { result: await handler(event), lines };
            } finally {
                console.log = original;
            }
        },
    };
}

/** Sets AWS credentials in the environment for a test and gives back a function that restores what was there. */
export function useEnvCredentials(values: Record<string, string>): () => void {
    const saved: Record<string, string | undefined> = {};
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
        saved[name] = process.env[name];
        delete process.env[name];
    }
    Object.assign(process.env, values);
    return () => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}

/** Runs the module text with CommonJS's arguments plus `Date`, which shadows the global inside the module. */
function loadWithClock(file: string, code: string, clock: () => number): Handler {
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, Date) {${code}\n})`, { filename: file }) as (
        ...args: unknown[]
    ) => void;
    const module = { exports: {} as { handler?: Handler } };
    wrapper(module.exports, createRequire(file), module, file, path.dirname(file), clockedDate(clock));
    const handler = module.exports.handler;
    if (typeof handler !== "function") throw new Error(`${file} exports no handler`);
    return handler;
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
