/**
 * Mocha's configuration for a whole run (`npm test`, `npm run test:quick`):
 * the project's .mocharc.json (what a run of single files uses too), with
 * every test file in parallel worker processes, two at a time for this
 * project's two-core machines. Test files share no folder, port or state,
 * so any two may run side by side.
 *
 * Files are handed to the workers in this order: the longest first, so that
 * no long file starts last and keeps one core busy while the other idles,
 * among them at once the one that makes the run's shared build (the
 * type-check and the package, test/support/shared-build.ts, which a few
 * later files wait for), then the rest by name.
 */
const fs = require("fs");
const path = require("path");
const base = require("../../.mocharc.json");

const ROOT = path.join(__dirname, "..", "..");

/** Longest first (by their time in a parallel run of the whole suite): roughly in that order, no need to be exact. */
const FIRST = [
    "test/package/deploy-install.test.ts",
    "test/typecheck.test.ts",
    "test/bench/smoke.test.ts",
    "test/security/revocation-race.test.ts",
    "test/local/e2e.test.ts",
    "test/reliability/issuer-faults.test.ts",
    "test/components/monitoring.test.ts",
    "test/security/erasure-timing.test.ts",
    "test/package/plugin.test.ts",
    "test/issuer/erase-versions.test.ts",
    "test/components/secure-image-cdn.deploy.test.ts",
    "test/security/edge-http.test.ts",
    "test/tools/api-report.test.ts",
    "test/components/replicas.test.ts",
    "test/security/revocation-timing.test.ts",
    "test/local/variants.test.ts",
    "test/reliability/load-smoke.test.ts",
    "test/components/home-region.test.ts",
    "test/resizer/package.test.ts",
    "test/issuer/cli.test.ts",
    "test/local/playground.browser.test.ts",
    "test/issuer/concurrency.test.ts",
    "test/reliability/edge-faults.test.ts",
    "test/local/playground-placeholder.browser.test.ts",
];

/** Test files left out of the quick run: the package's install and build, and the browser. */
const SLOW_ONLY = [/^test\/package\//, /\.browser\.test\.ts$/];

function testFiles() {
    return fs
        .readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".test.ts"))
        .map((name) => path.posix.join("test", name.split(path.sep).join("/")))
        .sort();
}

/** The config; `quick` leaves out the slow-only files. */
module.exports = function suite({ quick }) {
    const all = testFiles();
    const missing = FIRST.filter((file) => !all.includes(file));
    if (missing.length > 0) throw new Error(`test/mocharc/suite.cjs lists files that do not exist: ${missing.join(", ")}`);
    const ordered = [...FIRST, ...all.filter((file) => !FIRST.includes(file))];
    return {
        ...base,
        parallel: true,
        jobs: 2,
        spec: quick ? ordered.filter((file) => !SLOW_ONLY.some((pattern) => pattern.test(file))) : ordered,
    };
};
