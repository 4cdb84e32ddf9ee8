/**
 * dynalite in a process of its own (started with local/aws.ts
 * `startLocalDynamo`, as the local stack starts it), so that measuring a
 * client's requests per second does not also measure dynalite sharing the
 * client's event loop. The child stops when its stdin closes, so it cannot
 * outlive the benchmark.
 */
import { ChildProcess, spawn } from "child_process";
import { PROJECT_DIR } from "./edge-build";

export interface DynaliteProcess {
    /** `http://127.0.0.1:<port>` */
    endpoint: string;
    close(): Promise<void>;
}

const CHILD_SCRIPT = [
    'require("./local/aws").startLocalDynamo().then(',
    '  (server) => process.stdout.write(server.endpoint + "\\n"),',
    "  (error) => { console.error(error); process.exit(1); });",
    'process.stdin.on("end", () => process.exit(0));',
    "process.stdin.resume();",
].join("\n");

export function startDynaliteProcess(): Promise<DynaliteProcess> {
    const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", CHILD_SCRIPT], {
        cwd: PROJECT_DIR,
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return new Promise((resolve, reject) => {
        let stdout = "";
        const onData = (chunk: Buffer) => {
            stdout += chunk.toString("utf8");
            const line = stdout.split("\n")[0];
            if (!stdout.includes("\n")) return;
            child.stdout?.off("data", onData);
            if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(line)) {
                reject(new Error(`dynalite process printed ${JSON.stringify(line)}: ${stderr.slice(0, 500)}`));
                return;
            }
            resolve({
                endpoint: line,
                async close() {
                    child.stdin?.end();
                    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
                    await exited;
                    clearTimeout(timer);
                },
            });
        };
        child.stdout?.on("data", onData);
        child.once("exit", (code) => reject(new Error(`dynalite process exited (${code}) before it listened: ${stderr.slice(0, 500)}`)));
    });
}
