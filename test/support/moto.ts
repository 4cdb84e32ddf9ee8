/**
 * moto's S3 on loopback, for the tests that need what s3rver lacks:
 * versioning, delete markers and ListObjectVersions (s3rver answers that
 * with MethodNotAllowed). `moto_server` is a Python program (PyPI's
 * `moto[server]`); the tests that need it are pending, with a message
 * saying so, where it is not installed. Each call starts its own server on
 * a free port (`-p 0`: it prints the port it got) and stops it on close.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The command, when it is on the PATH (an executable file named `moto_server`). */
export function motoServerPath(): string | undefined {
    for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
        if (folder === "") continue;
        const candidate = path.join(folder, "moto_server");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this folder
        }
    }
    return undefined;
}

/** Why the moto tests are pending where moto_server is absent. */
export const MOTO_MISSING = "moto_server is not installed (pip install 'moto[server]'): S3 versions and delete markers are not tested here";

export interface MotoServer {
    /** `http://127.0.0.1:<port>` */
    endpoint: string;
    close(): Promise<void>;
}

/** Starts moto_server on 127.0.0.1 and a free port; resolves once it listens. */
export async function startMoto(command = motoServerPath(), timeoutMs = 60_000): Promise<MotoServer> {
    if (command === undefined) throw new Error(MOTO_MISSING);
    const child: ChildProcess = spawn(command, ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const close = async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
    };
    try {
        const port = await new Promise<number>((resolve, reject) => {
            let output = "";
            const timer = setTimeout(() => reject(new Error(`moto_server did not say where it listens within ${timeoutMs} ms: ${output.slice(-500)}`)), timeoutMs);
            const read = (chunk: Buffer) => {
                output += chunk.toString("utf8");
                const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
                if (match) {
                    clearTimeout(timer);
                    resolve(Number(match[1]));
                }
            };
            child.stdout?.on("data", read);
            child.stderr?.on("data", read);
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`moto_server exited (${code}) before listening: ${output.slice(-500)}`));
            });
        });
        // Its log lines are not read any more; keep the pipes drained.
        child.stdout?.resume();
        child.stderr?.resume();
        return { endpoint: `http://127.0.0.1:${port}`, close };
    } catch (error) {
        await close();
        throw error;
    }
}
