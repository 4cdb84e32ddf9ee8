/// <reference types="mocha" />
// The mocha globals (describe, it, …) are typed for the tests only, here:
// tsconfig.json types the program with Node's types alone, so a deploy that
// installs production dependencies only still type-checks it.
// Loaded by mocha before every test file (.mocharc.json), in its main
// process and in each of its parallel workers.
import { keepNoPulumiPromiseStacks } from "./support/pulumi-stacks";
import { createTestRun, removeTestRun } from "./support/test-run";

keepNoPulumiPromiseStacks();

// The AWS SDK warns on Node 20 about its releases after January 2027; the lock
// file pins versions that work, so the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let runDir: string | undefined;

/** Where Pulumi keeps the promises its runtime is still waiting on (loaded only by the files that use Pulumi). */
const PULUMI_LEAKS = require.resolve("@pulumi/pulumi/runtime/debuggable");

/**
 * Root hooks: mocha runs them around each test file in a parallel worker,
 * and around the whole run in a single process.
 */
export const mochaHooks = {
    /**
     * Pulumi's runtime reports the promises still pending when the process
     * exits ("… promises were still active") and makes the exit code 1. A
     * parallel worker exits only when the run ends, and its exit code is
     * not the run's, so each test file is held to it here, when it ends.
     */
    afterAll(): void {
        const loaded = require.cache[PULUMI_LEAKS] as { exports: { leakedPromises(): [Set<unknown>, string] } } | undefined;
        if (!loaded) return;
        // Takes them off the exit-time report too (and lists them when PULUMI_DEBUG_PROMISE_LEAKS is set).
        const [leaked] = loaded.exports.leakedPromises();
        if (leaked.size > 0) {
            throw new Error(`Pulumi's runtime still waits on ${leaked.size} promises after this test file: a resource registration was left unfinished (PULUMI_DEBUG_PROMISE_LEAKS=1 lists them)`);
        }
    },
};

/**
 * Runs once per `mocha` command, in its main process, before any worker
 * starts: the folder the run's processes share (test/support/test-run.ts).
 */
export function mochaGlobalSetup(): void {
    runDir = createTestRun();
}

/** Runs once per `mocha` command, after every worker has ended. */
export function mochaGlobalTeardown(): void {
    if (runDir !== undefined) removeTestRun(runDir);
}
