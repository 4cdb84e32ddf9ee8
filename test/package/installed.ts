/**
 * The npm package as another project gets it: compiled by the package's own
 * build config and laid, with the files `npm publish` ships (package.json
 * "files"), under the node_modules of a consumer project in the git-ignored
 * `.edge-build/`. Anything else it requires (Pulumi, the AWS SDK) resolves
 * from this project's node_modules further up, as hoisted dependencies would.
 * Built once per test run and shared by the tests that use it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.join(__dirname, "..", "..");
/** The consumer project: test/package/consumer's files, plus node_modules/secure-image-cdn. */
export const CONSUMER = path.join(ROOT, ".edge-build", "consumer");
export const INSTALLED = path.join(CONSUMER, "node_modules", "secure-image-cdn");
const CONSUMER_SOURCE = path.join(__dirname, "consumer");

let installed = false;

/** Builds and lays out the package and the consumer project (once). */
export function installPackage(): void {
    if (installed) return;
    fs.rmSync(CONSUMER, { recursive: true, force: true });
    fs.mkdirSync(INSTALLED, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
    for (const entry of manifest.files.filter((file) => file !== "dist/")) {
        fs.cpSync(path.join(ROOT, entry), path.join(INSTALLED, entry), { recursive: true });
    }
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(INSTALLED, "package.json"));
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(INSTALLED, "dist")], { cwd: ROOT });
    fs.cpSync(CONSUMER_SOURCE, CONSUMER, { recursive: true });
    installed = true;
}
