/**
 * Edge modules for the benchmarks, built the way the component builds the
 * deployed code (components/edge-code.ts): Pulumi function serialization of a
 * factory, then one esbuild bundle. The production factory goes through
 * `buildEdgeCode` itself; the benchmark's own factory (bench-factory.ts,
 * which injects an in-process DynamoDB) goes through {@link bundleSerialized},
 * whose esbuild options must stay those of `buildEdgeCode` (and so, for the
 * comparison without the serializer, does {@link buildUnserializedModule}):
 * {@link assertSameBundler} checks that on every run by bundling the
 * production factory both ways and comparing the bytes.
 *
 * Modules are written under `.edge-build/bench/` in the project (git-ignored)
 * so their `require` calls resolve against the project's node_modules, and
 * loaded fresh (out of the require cache) so each load is a new container.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildEdgeCode, bundleEdgeModule, serializeEdgeFactory } from "../../components/edge-code";
import type { EdgeSettings } from "../../core/edge-settings";

export const PROJECT_DIR = path.join(__dirname, "..", "..");
export const BENCH_BUILD_DIR = path.join(PROJECT_DIR, ".edge-build", "bench");

/** Bundles serialized module text with the options `buildEdgeCode` uses. */
export async function bundleSerialized(text: string): Promise<string> {
    return bundleText(text);
}

/**
 * The same factory as one esbuild bundle of the ordinary modules, without
 * Pulumi's serializer: an entry that `require`s `modulePath` and calls
 * `exportName(...args)()`, the arguments inlined as JSON. Same esbuild
 * options as the deployed code, so the serializer is the only difference.
 */
export async function buildUnserializedModule(modulePath: string, exportName: string, args: readonly unknown[]): Promise<string> {
    const entry = `module.exports.handler = require(${JSON.stringify(modulePath)}).${exportName}(${args.map((a) => JSON.stringify(a)).join(", ")})();\n`;
    return bundleText(entry);
}

function bundleText(text: string): Promise<string> {
    return bundleEdgeModule({ contents: text, resolveDir: PROJECT_DIR });
}

/** Serializes a factory (a function returning the module's export) and bundles it. */
export async function buildFactoryModule(factory: () => unknown): Promise<string> {
    const serialized = await pulumi.runtime.serializeFunction(factory, { isFactoryFunction: true, exportName: "handler" });
    return bundleSerialized(serialized.text);
}

/** Throws unless {@link bundleSerialized} turns the production factory into exactly `buildEdgeCode`'s text. */
export async function assertSameBundler(settings: EdgeSettings): Promise<void> {
    const [ours, theirs] = await Promise.all([serializeEdgeFactory(settings).then(bundleSerialized), buildEdgeCode(settings)]);
    if (ours !== theirs) {
        throw new Error("bench/support/edge-build.ts bundles differently from components/edge-code.ts buildEdgeCode: align the esbuild options");
    }
}

const written = new Set<string>();

/** Writes module text to `.edge-build/bench/<name>-<digest>.js` and returns the path. */
export function writeModule(code: string, name: string): string {
    fs.mkdirSync(BENCH_BUILD_DIR, { recursive: true });
    const digest = createHash("sha256").update(code).digest("hex").slice(0, 12);
    const file = path.join(BENCH_BUILD_DIR, `${name}-${digest}.js`);
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== code) fs.writeFileSync(file, code);
    written.add(file);
    return file;
}

/** Deletes the module files this process wrote (another run's files are left alone). */
export function removeWrittenModules(): void {
    for (const file of written) fs.rmSync(file, { force: true });
    written.clear();
}

/** `require`s a module afresh (a new "container": its factory runs again). */
export function loadFresh(file: string): unknown {
    const resolved = require.resolve(file);
    delete require.cache[resolved];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(resolved) as { handler?: unknown };
    return loaded.handler;
}
