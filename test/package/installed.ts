/**
 * The npm package as another project gets it: compiled as the package's own
 * build config compiles it and laid, with the files `npm publish` ships
 * (package.json "files"), under the node_modules of a consumer project in
 * the test run's folder (under the git-ignored `.edge-build/`). Anything
 * else it requires (Pulumi, the AWS SDK) resolves from this project's
 * node_modules further up, as hoisted dependencies would. Built once per
 * test run (test/support/shared-build.ts) and shared by the tests that use
 * it, whichever process runs them.
 */
import * as path from "path";
import { sharedBuild } from "../support/shared-build";

export const ROOT = path.join(__dirname, "..", "..");

export interface InstalledPackage {
    /** The consumer project: test/package/consumer's files, plus node_modules/secure-image-cdn. */
    consumer: string;
    /** node_modules/secure-image-cdn in the consumer project. */
    installed: string;
}

/** The package and the consumer project, once built for this run. */
export async function installPackage(): Promise<InstalledPackage> {
    const build = await sharedBuild();
    return { consumer: build.consumerDir, installed: build.installedDir };
}
