/**
 * Runs `npm start` and `npm run cdn` as a user would, in child processes,
 * for the end-to-end and browser tests, or the same programs from the test
 * run's compiled output (test/support/run-compiled.cjs), which start
 * without compiling the project on load. The stack runs in its own process
 * group so that a stop sends SIGINT to all of it, as Ctrl-C in a terminal does.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LocalStackState } from "../../local/state-file";

export const PROJECT_DIR = path.join(__dirname, "..", "..");

/**
 * How a child runs the project's TypeScript: `"source"`, as the npm
 * scripts do (ts-node compiles each file as it loads), or from a folder of
 * compiled JavaScript (the shared build's `compiledDir`).
 */
export type Runner = "source" | { compiledDir: string };

/** `node` with the compiled-output loader, for a source file of the project. */
function compiledCommand(compiledDir: string, file: string, args: string[]): { command: string; args: string[]; env: Record<string, string> } {
    return {
        command: process.execPath,
        args: ["--require", path.join(PROJECT_DIR, "test", "support", "run-compiled.cjs"), path.join(PROJECT_DIR, file), ...args],
        env: { SECURE_IMAGE_CDN_COMPILED: compiledDir },
    };
}

/** Environment for the children: no AWS SDK Node-version warning, no real credentials. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...extra };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    if (!("SECURE_IMAGE_CDN_OUTPUTS" in extra)) delete env.SECURE_IMAGE_CDN_OUTPUTS;
    return env;
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface StackProcess {
    child: ChildProcess;
    stateFile: string;
    /** Output so far (stdout and stderr interleaved). */
    output(): string;
    /**
     * Resolves once npm and the stack under it have exited (their output
     * closed), with npm's exit code, or its signal when npm itself was
     * stopped by one (as on Ctrl-C).
     */
    exited: Promise<number | NodeJS.Signals>;
    /** SIGINT (Ctrl-C) or another signal to the whole process group; resolves as {@link exited}. */
    stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
    /** SIGKILL to the whole group, if still running (test clean-up only). */
    kill(): void;
}

/**
 * Starts `npm start -- <args>` (or local/main.ts compiled, with `runner`);
 * the stack's data goes in `dataDir`; `env` adds to the environment.
 */
export function startStackProcess(args: string[], dataDir: string, env: Record<string, string> = {}, runner: Runner = "source"): StackProcess {
    const startArgs = [...args, "--data-dir", dataDir];
    const launch =
        runner === "source" ? { command: "npm", args: ["start", "--", ...startArgs], env: {} } : compiledCommand(runner.compiledDir, path.join("local", "main.ts"), startArgs);
    const child = spawn(launch.command, launch.args, {
        cwd: PROJECT_DIR,
        env: childEnv({ ...launch.env, ...env }),
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on("close", (code, signal) => resolve(code ?? signal ?? -1)));
    let done = false;
    void exited.then(() => (done = true));
    const signal = (name: NodeJS.Signals) => {
        if (done || child.pid === undefined) return;
        try {
            process.kill(-child.pid, name);
        } catch {
            // Already gone.
        }
    };
    return {
        child,
        stateFile: path.join(dataDir, "local-stack.json"),
        output: () => output,
        exited,
        stop: (name: NodeJS.Signals = "SIGINT") => {
            signal(name);
            return exited;
        },
        kill: () => signal("SIGKILL"),
    };
}

/** Waits for the stack's state file (written once everything listens); fails early if the process exits. */
export async function waitForState(stack: StackProcess, timeoutMs: number): Promise<LocalStackState> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | string | undefined;
    void stack.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
        if (exitCode !== undefined) throw new Error(`npm start exited with ${exitCode} before it was ready:\n${stack.output()}`);
        if (fs.existsSync(stack.stateFile)) {
            try {
                const state = JSON.parse(fs.readFileSync(stack.stateFile, "utf8")) as LocalStackState;
                if (stack.output().includes("Ready")) return state;
            } catch {
                // Being written; try again.
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`npm start was not ready within ${timeoutMs} ms:\n${stack.output()}`);
}

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs the issuer CLI. With `stateFile`: `npm run -s cdn -- <args>` in the
 * project, pointed at that file. With `cwd`: the CLI started in that folder
 * with no configuration at all, as `npm run cdn` does in the project while
 * the local stack runs with its default data folder. With a compiled
 * `runner`, issuer/cli.ts compiled, in the same folder with the same
 * environment.
 */
export function runCli(args: string[], where: { stateFile: string } | { cwd: string }, runner: Runner = "source"): Promise<CliResult> {
    const tsNode = path.join(PROJECT_DIR, "node_modules", "ts-node", "dist", "bin.js");
    const cli = path.join("issuer", "cli.ts");
    const outputs: Record<string, string> = "stateFile" in where ? { SECURE_IMAGE_CDN_OUTPUTS: where.stateFile } : {};
    const cwd = "stateFile" in where ? PROJECT_DIR : where.cwd;
    const compiled = runner === "source" ? undefined : compiledCommand(runner.compiledDir, cli, args);
    const [command, commandArgs, env] = compiled
        ? [compiled.command, compiled.args, childEnv({ ...compiled.env, ...outputs })]
        : "stateFile" in where
          ? ["npm", ["run", "-s", "cdn", "--", ...args], childEnv(outputs)]
          : [process.execPath, [tsNode, "--transpile-only", path.join(PROJECT_DIR, cli), ...args], childEnv()];
    return new Promise((resolve, reject) => {
        const child = spawn(command, commandArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
}
