/**
 * Builds the Lambda@Edge deployment code: Pulumi function serialization of the
 * edge factory with this instance's settings captured, then bundled into one
 * self-contained CommonJS file so that nothing it requires has to be packaged
 * beside it (the serializer turns modules found under node_modules, including
 * this package itself when installed from npm, into `require` calls).
 *
 * The bundle holds the edge modules and `aws4` (SigV4) only; Node built-ins
 * (`http`, `https`, `crypto`, `url`, `querystring`) stay `require` calls and
 * nothing from `@aws-sdk` is used at the edge (see edge/dynamo.ts for why).
 */
import * as pulumi from "@pulumi/pulumi";
import * as esbuild from "esbuild";
import * as path from "path";
import { edgeHandlerFactory } from "../edge/entry";
import { assertEdgeSettings } from "../edge/settings-check";
import type { EdgeSettings } from "../core/edge-settings";

/** File name of the handler module inside the zip; the Lambda handler is `<name>.handler`. */
export const EDGE_MODULE = "__index";
/** Lambda handler string for {@link EDGE_MODULE}. */
export const EDGE_HANDLER = `${EDGE_MODULE}.handler`;

/** The serialized (unbundled) module text of the edge factory for these settings. */
export async function serializeEdgeFactory(settings: EdgeSettings): Promise<string> {
    const serialized = await pulumi.runtime.serializeFunction(edgeHandlerFactory(assertEdgeSettings(settings)), {
        isFactoryFunction: true,
        exportName: "handler",
    });
    return serialized.text;
}

/**
 * The deployed module text: the serialized factory bundled into one file.
 * Minified: esbuild leaves names inside the serializer's `with` scopes alone
 * (renaming there would be unsafe) but strips whitespace and comments, and
 * fully minifies `aws4`.
 */
export async function buildEdgeCode(settings: EdgeSettings): Promise<string> {
    return bundleEdgeModule({ contents: await serializeEdgeFactory(settings), resolveDir: path.join(__dirname, "..") });
}

/**
 * Bundles one CommonJS module for the Lambda Node.js runtime, minified, into
 * text: either module text (`contents`, its `require`s resolved from
 * `resolveDir`) or an entry file. The benchmarks bundle their comparison
 * modules with this too, so sizes are compared like for like.
 */
export async function bundleEdgeModule(source: { contents: string; resolveDir: string } | { entryPoint: string }): Promise<string> {
    const input =
        "entryPoint" in source
            ? { entryPoints: [source.entryPoint] }
            : { stdin: { contents: source.contents, resolveDir: source.resolveDir, sourcefile: `${EDGE_MODULE}.js`, loader: "js" as const } };
    const result = await esbuild.build({
        ...input,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        minify: true,
        write: false,
        logLevel: "silent",
        legalComments: "none",
    });
    return result.outputFiles[0].text;
}
