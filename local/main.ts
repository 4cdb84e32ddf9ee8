/**
 * `npm start`: the local stack. Parses the flags, reads the stack config,
 * starts everything (local/stack.ts), prints where it listens, and stops
 * cleanly on Ctrl-C or SIGTERM. Any start-up failure is one line on stderr
 * and exit code 1; so is a part failing while it runs (local/failure.ts),
 * after every server is stopped and the state file removed.
 */
import * as path from "path";

// The AWS SDK warns on Node 20 about its releases after January 2027; the lock file pins working versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const PROJECT_DIR = path.join(__dirname, "..");

/** How long a stop after a failure may take before the process exits anyway, ms. */
const STOP_TIMEOUT_MS = 5_000;

function fail(message: string): never {
    process.stderr.write(`npm start: ${message}\n`);
    process.exit(1);
}

async function main(): Promise<void> {
    // Clock from the process start, so "ready in" counts TypeScript loading too.
    const started = Date.now() - Math.round(process.uptime() * 1000);
    const { parseStartArgs, USAGE } = await import("./cli-args");
    let args;
    try {
        args = parseStartArgs(process.argv.slice(2), PROJECT_DIR);
    } catch (error) {
        fail((error as Error).message);
    }
    if (args.help) {
        process.stdout.write(USAGE + "\n");
        return;
    }
    const [{ dataLayout }, { failureLine }, { removeState }] = await Promise.all([import("./data-dir"), import("./failure"), import("./state-file")]);
    // A part failing at any moment from here stops everything, cleanly: no half-dead stack, no stale state file.
    let running: { close(): Promise<void> } | undefined;
    let failing = false;
    const stateFile = dataLayout(args.dataDir).state;
    const partFailed = (error: unknown) => {
        if (failing) return;
        failing = true;
        process.stderr.write(`npm start: ${failureLine(error)}\n`);
        if (process.env.SECURE_IMAGE_CDN_DEBUG && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
        const exit = () => {
            removeState(stateFile);
            process.exit(1);
        };
        // A broken part may never finish closing: exit regardless after a while.
        setTimeout(exit, STOP_TIMEOUT_MS).unref();
        (running?.close() ?? Promise.resolve()).then(exit, exit);
    };
    process.on("uncaughtException", partFailed);
    process.on("unhandledRejection", partFailed);

    const progress = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
    const { readStackConfig } = await import("./stack-config");
    const stackConfig = readStackConfig(args.configFile);
    progress("loading (Pulumi's function serializer builds the edge code)");
    const [{ startLocalStack }, { summaryLines }] = await Promise.all([import("./stack"), import("./summary")]);
    const stack = await startLocalStack({
        stackConfig,
        dataDir: args.dataDir,
        fresh: args.fresh,
        seed: args.seed,
        ports: args.ports,
        ...(args.replication ? { replication: args.replication } : {}),
        ...(args.edgeRegions ? { edgeRegions: args.edgeRegions } : {}),
        progress,
        log: (line) => process.stderr.write(`${line}\n`),
    });
    running = stack;
    if (failing) return;
    const summary = summaryLines(stack, { stackLabel: args.stackLabel, configFile: args.configFile, projectDir: PROJECT_DIR, readyMs: Date.now() - started });
    process.stdout.write(summary.join("\n") + "\n");

    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
            process.stderr.write(`npm start: ${signal} again, exiting without waiting\n`);
            process.exit(130);
        }
        stopping = true;
        process.stdout.write(`\n${signal}: stopping the local stack…\n`);
        stack.close().then(
            () => {
                process.stdout.write("stopped; data kept in " + stack.layout.root + "\n");
                process.exit(0);
            },
            (error: unknown) => fail(`failed while stopping: ${(error as Error).message}`),
        );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.SECURE_IMAGE_CDN_DEBUG && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
    fail(message);
});
