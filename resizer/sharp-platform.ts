/**
 * sharp for the function's platform, whatever machine runs `pulumi up`.
 * sharp's native parts are npm packages per platform
 * (`@img/sharp-linux-<cpu>` and `@img/sharp-libvips-linux-<cpu>`), and npm
 * installs another platform's on request (`--os`, `--cpu`, `--libc`). So
 * the exact version installed here is installed again for Linux/glibc on
 * the function's CPU into a folder of its own, once: later builds reuse it.
 * This needs the npm registry, which a machine that deploys has.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { elfArchitecture } from "./elf";

/** The architectures a Lambda function can have, as Lambda names them. */
export type LambdaArchitecture = "arm64" | "x86_64";

/** npm's `--cpu` (Node's `process.arch`) for each. */
export const NPM_CPU: Readonly<Record<LambdaArchitecture, string>> = { arm64: "arm64", x86_64: "x64" };

/** The version of sharp this project has installed: the one the package gets too. */
export function installedSharpVersion(): string {
    const manifest = path.join(sharpModulesDir(), "sharp", "package.json");
    return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** The node_modules folder sharp is installed in (sharp exports no package.json, so found from its entry). */
function sharpModulesDir(): string {
    return path.resolve(path.dirname(require.resolve("sharp")), "..", "..");
}

/** Where platform installs are kept between builds: `node_modules/.cache/secure-image-cdn/`. */
export function defaultSharpCacheDir(): string {
    return path.join(sharpModulesDir(), ".cache", "secure-image-cdn");
}

/** What one platform install holds. */
export interface SharpInstall {
    /** Its node_modules folder: sharp, its JS dependencies and the platform's `@img` packages. */
    modulesDir: string;
    version: string;
    architecture: LambdaArchitecture;
    /** The native addon, relative to `modulesDir`. */
    addon: string;
}

/**
 * sharp `version` installed for Linux (glibc) on `architecture`, from the
 * cache or by `npm install` into a fresh folder renamed into place when
 * complete (so concurrent builds never see half an install). Checks that
 * the addon is an ELF file for that architecture.
 */
export async function sharpForPlatform(architecture: LambdaArchitecture, version: string, cacheDir = defaultSharpCacheDir()): Promise<SharpInstall> {
    const cpu = NPM_CPU[architecture];
    const target = path.join(cacheDir, `sharp-${version}-linux-${cpu}-glibc`);
    const addon = path.join("@img", `sharp-linux-${cpu}`, "lib", `sharp-linux-${cpu}-${version}.node`);
    if (!fs.existsSync(path.join(target, "node_modules", addon))) {
        fs.mkdirSync(cacheDir, { recursive: true });
        const staging = fs.mkdtempSync(path.join(cacheDir, "installing-"));
        try {
            fs.writeFileSync(path.join(staging, "package.json"), JSON.stringify({ private: true }));
            const args = ["install", `sharp@${version}`, "--os=linux", `--cpu=${cpu}`, "--libc=glibc", "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev"];
            await promisify(execFile)(npmCommand(), args, { cwd: staging, env: { ...process.env, npm_config_loglevel: "error" }, maxBuffer: 16 * 1024 * 1024 });
            try {
                fs.renameSync(staging, target);
            } catch (error) {
                // Another build finished the same install first: use that one.
                if (!fs.existsSync(path.join(target, "node_modules", addon))) throw error;
                fs.rmSync(staging, { recursive: true, force: true });
            }
        } catch (error) {
            fs.rmSync(staging, { recursive: true, force: true });
            const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
            throw new Error(`installing sharp ${version} for linux-${cpu} with npm failed (the npm registry must be reachable): ${detail}`);
        }
    }
    const modulesDir = path.join(target, "node_modules");
    const installed = (JSON.parse(fs.readFileSync(path.join(modulesDir, "sharp", "package.json"), "utf8")) as { version: string }).version;
    if (installed !== version) throw new Error(`${modulesDir} holds sharp ${installed}, not ${version}`);
    const machine = elfArchitecture(fs.readFileSync(path.join(modulesDir, addon)));
    if (machine !== architecture) throw new Error(`${addon} is built for ${machine ?? "no known architecture"}, not ${architecture}`);
    return { modulesDir, version, architecture, addon };
}

/** npm from PATH (`npm.cmd` on Windows). */
function npmCommand(): string {
    return process.platform === "win32" ? "npm.cmd" : "npm";
}
