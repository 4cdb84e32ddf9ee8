/**
 * The resizer's deployment package: a zip holding `index.js` (the handler
 * and the modules it uses, bundled by esbuild) and, under `node_modules/`,
 * sharp's JavaScript with its two small dependencies and the native addon
 * and libvips for the function's architecture. Nothing from `@aws-sdk`
 * (the Lambda Node.js runtime provides the SDK for JavaScript v3) and
 * nothing from `@pulumi`. The settings are not in it (they are an
 * environment variable), so one package serves every instance.
 *
 * arm64 by default: Lambda bills arm64 duration 20% below x86_64 at every
 * memory size (AWS Lambda pricing: $0.0000133334 against $0.0000166667 per
 * GB-second in US East (N. Virginia), first tier), and sharp ships the
 * same libvips build for Linux arm64 as for x86_64 (docs/variants.md,
 * "Packaging").
 */
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { elfArchitecture } from "./elf";
import { installedSharpVersion, LambdaArchitecture, sharpForPlatform } from "./sharp-platform";
import { ZipEntry, zipFiles } from "./zip";

/** The function's architecture unless told otherwise. */
export const DEFAULT_RESIZER_ARCHITECTURE: LambdaArchitecture = "arm64";

/** The Lambda handler string of the package. */
export const RESIZER_HANDLER = "index.handler";

export interface ResizerPackageOptions {
    /** @default "arm64" */
    architecture?: LambdaArchitecture;
    /** Where platform installs of sharp are kept between builds. @default node_modules/.cache/secure-image-cdn */
    cacheDir?: string;
}

export interface ResizerPackage {
    /** The zip to deploy. */
    zip: Buffer;
    /** The names in it, in order. */
    files: string[];
    architecture: LambdaArchitecture;
    sharpVersion: string;
    handler: typeof RESIZER_HANDLER;
}

/** Builds the package; the same inputs give the same bytes. */
export async function buildResizerPackage(options: ResizerPackageOptions = {}): Promise<ResizerPackage> {
    const architecture = options.architecture ?? DEFAULT_RESIZER_ARCHITECTURE;
    const sharpVersion = installedSharpVersion();
    const sharp = await sharpForPlatform(architecture, sharpVersion, options.cacheDir);
    const entries: ZipEntry[] = [{ name: "index.js", data: Buffer.from(await bundleResizerHandler(), "utf8") }];
    for (const file of packagedModuleFiles(sharp.modulesDir)) {
        entries.push({ name: `node_modules/${file}`, data: fs.readFileSync(path.join(sharp.modulesDir, file)) });
    }
    for (const entry of entries) {
        if (/\.(node|so(\.\d+)*)$/.test(entry.name) && elfArchitecture(entry.data) !== architecture) {
            throw new Error(`${entry.name} is not a ${architecture} ELF file`);
        }
    }
    return { zip: zipFiles(entries), files: entries.map((entry) => entry.name), architecture, sharpVersion, handler: RESIZER_HANDLER };
}

/**
 * The handler module as one CommonJS file: resizer/entry and what it
 * imports, with `sharp` (shipped beside it) and `@aws-sdk/*` (the
 * runtime's) left as `require` calls.
 */
export async function bundleResizerHandler(): Promise<string> {
    const result = await esbuild.build({
        entryPoints: [require.resolve("./entry")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        minify: true,
        write: false,
        logLevel: "silent",
        legalComments: "none",
        external: ["sharp", "@aws-sdk/*"],
    });
    return result.outputFiles[0].text;
}

/**
 * The files of an installed node_modules folder that run: JavaScript,
 * package manifests, native objects and licences; not type declarations,
 * ES module twins (the handler is CommonJS), sources, docs or npm's own
 * bookkeeping. Sorted, so the zip is the same every time.
 */
export function packagedModuleFiles(modulesDir: string): string[] {
    const files: string[] = [];
    const walk = (relative: string): void => {
        for (const entry of fs.readdirSync(path.join(modulesDir, relative), { withFileTypes: true })) {
            const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
            if (entry.isDirectory()) {
                if (![".bin", ".cache", "sharp/src", "sharp/install", "sharp/lib"].includes(name)) walk(name);
            } else if (entry.isFile() && isRuntimeFile(entry.name)) {
                files.push(name);
            }
        }
    };
    walk("");
    return files.sort();
}

function isRuntimeFile(name: string): boolean {
    if (name === ".package-lock.json" || name === "package-lock.json") return false;
    if (/\.d\.[cm]?ts$/.test(name) || /\.(mjs|md|map|ts)$/.test(name)) return false;
    return /\.(js|cjs|json|node)$/.test(name) || /\.so(\.\d+)*$/.test(name) || /^(LICEN[CS]E|NOTICE|THIRD-PARTY-NOTICES)/i.test(name);
}
