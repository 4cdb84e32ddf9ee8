/**
 * The folder one test run shares between its processes: mocha runs test
 * files in parallel worker processes, and what a run builds once (the
 * type-check and the package, test/support/shared-build.ts) is handed
 * between them through files here. It lives under the project's git-ignored
 * `.edge-build/`, so that what is laid out in it resolves this project's
 * node_modules further up, as an installed package's dependencies would.
 *
 * The mocha main process makes it before any worker starts
 * ({@link createTestRun}, from test/setup.ts's global setup) and names it in
 * the environment the workers inherit; it removes it when the run ends.
 */
import * as fs from "fs";
import * as path from "path";

export const PROJECT_DIR = path.join(__dirname, "..", "..");

/** Environment variable naming the run's folder, set by the mocha main process for its workers. */
export const TEST_RUN_ENV = "SECURE_IMAGE_CDN_TEST_RUN";

/** Makes the run's folder and names it in the environment (workers forked later inherit it). */
export function createTestRun(): string {
    const parent = path.join(PROJECT_DIR, ".edge-build");
    fs.mkdirSync(parent, { recursive: true });
    const dir = fs.mkdtempSync(path.join(parent, "test-run-"));
    process.env[TEST_RUN_ENV] = dir;
    return dir;
}

/** Removes the run's folder made by {@link createTestRun} in this process. */
export function removeTestRun(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    if (process.env[TEST_RUN_ENV] === dir) delete process.env[TEST_RUN_ENV];
}

let ownRun: string | undefined;

/**
 * The run's folder: the one the main process made, or, when this process
 * was started some other way (mocha without this project's config), one of
 * its own, removed when the process exits.
 */
export function testRunDir(): string {
    const shared = process.env[TEST_RUN_ENV];
    if (shared !== undefined && fs.existsSync(shared)) return shared;
    if (ownRun === undefined) {
        const dir = createTestRun();
        ownRun = dir;
        process.on("exit", () => removeTestRun(dir));
    }
    return ownRun;
}
