/**
 * The state file the local stack writes while it runs
 * (`<data folder>/local-stack.json`). Its `services` part has the shape of
 * the stack's outputs (`{ services: { <name>: { issuer: IssuerConfig } } }`),
 * so the issuer's CLI reads it with no flags; the rest says where the
 * playground and the servers listen. Written atomically, removed on exit.
 */
import * as fs from "fs";
import type { IssuerConfig } from "../issuer/config";

export interface LocalStackState {
    /** Process id of the running stack. */
    pid: number;
    startedAt: string;
    playgroundUrl: string;
    endpoints: { dynamodb: string; s3: string; cloudfront: string };
    /** Every port the stack listens on, by the part that answers there (`http://127.0.0.1:<port>`). */
    listening: { part: string; url: string }[];
    /** Per service; `mode` is absent for `public`, which has no delivery mode. */
    services: Record<string, { issuer: IssuerConfig; cdnBaseUrl: string; level: string; mode?: string; sampleUrl?: string }>;
}

export function writeState(file: string, state: LocalStackState): void {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(state, null, 2) + "\n");
    fs.renameSync(temporary, file);
}

/** The state in `file`, or `undefined` when there is none (or it is unreadable). */
export function readState(file: string): LocalStackState | undefined {
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalStackState>;
        return typeof parsed.pid === "number" ? (parsed as LocalStackState) : undefined;
    } catch {
        return undefined;
    }
}

/** True when a process with this id exists. */
export function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as { code?: string }).code === "EPERM";
    }
}

/**
 * Throws when another local stack is running on the same data folder (its
 * state file names a live process other than this one).
 */
export function assertNotRunning(file: string): void {
    const state = readState(file);
    if (state && state.pid !== process.pid && processAlive(state.pid)) {
        throw new Error(
            `the local stack is already running on this data folder (pid ${state.pid}, playground ${state.playgroundUrl}); stop it first ` +
                `(if it is not running, delete ${file})`,
        );
    }
}

/** Removes the state file if it is this process's. */
export function removeState(file: string): void {
    const state = readState(file);
    if (state === undefined || state.pid === process.pid) fs.rmSync(file, { force: true });
}
