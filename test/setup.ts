/// <reference types="mocha" />
// The mocha globals (describe, it, …) are typed for the tests only, here:
// tsconfig.json types the program with Node's types alone, so a deploy that
// installs production dependencies only still type-checks it.
// Loaded by mocha before every test file (.mocharc.json), in its main
// process and in each of its parallel workers.
import { createTestRun, removeTestRun } from "./support/test-run";

// The AWS SDK warns on Node 20 about its releases after January 2027; the lock
// file pins versions that work, so the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let runDir: string | undefined;

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
