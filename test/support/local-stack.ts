/**
 * The local stack as the in-process tests start it: `startLocalStack`, the
 * function behind `npm start`, on free ports, without the sample images and
 * without progress lines, in the given data folder (fresh unless said
 * otherwise) or in a temporary one removed on close. Function failures and
 * emulator faults go to `log`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { portPlan } from "../../local/ports";
import { LocalStack, LocalStackHooks, LocalStackOptions, startLocalStack } from "../../local/stack";
import type { StackConfig } from "../../local/stack-config";

export interface TestStackOptions {
    /** `{ services?, overrides? }` as in the stack config. */
    services: StackConfig["services"];
    region?: string;
    /** @default a temporary folder, removed on close */
    dataDir?: string;
    /** Remove what the data folder holds first. @default true */
    fresh?: boolean;
    log?: (line: string) => void;
    hooks?: LocalStackHooks;
    /** Replicated tables (local/replication.ts). @default none */
    replication?: LocalStackOptions["replication"];
    /** Each CDN emulator's edge region, by service (`"*"`: the rest). */
    edgeRegions?: Record<string, string>;
    /** The timers of the stack's background work (replication, the invalidators' queues). @default the real ones */
    timers?: LocalStackOptions["timers"];
}

export async function startTestStack(options: TestStackOptions): Promise<LocalStack> {
    const temporary = options.dataDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), "sic-stack-")) : undefined;
    const removeTemporary = () => {
        if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
    };
    let stack: LocalStack;
    try {
        stack = await startLocalStack({
            stackConfig: { file: "test stack", services: options.services, ...(options.region ? { region: options.region } : {}) },
            dataDir: options.dataDir ?? temporary ?? "",
            fresh: options.fresh ?? true,
            seed: false,
            ports: portPlan(0),
            progress: () => undefined,
            log: options.log ?? (() => undefined),
            hooks: options.hooks,
            ...(options.replication ? { replication: options.replication } : {}),
            ...(options.edgeRegions ? { edgeRegions: options.edgeRegions } : {}),
            ...(options.timers ? { timers: options.timers } : {}),
        });
    } catch (error) {
        removeTemporary();
        throw error;
    }
    const close = stack.close;
    return {
        ...stack,
        close: async () => {
            await close();
            removeTemporary();
        },
    };
}
