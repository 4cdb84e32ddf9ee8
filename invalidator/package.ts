/**
 * The invalidator's deployment code: invalidator/entry.ts and what it
 * imports bundled by esbuild into one CommonJS file, `index.js`, with
 * `@aws-sdk/*` left as `require` calls (the Lambda Node.js runtime provides
 * the SDK for JavaScript v3). No settings are in it: they are an environment
 * variable, so one build serves every instance and region.
 */
import * as esbuild from "esbuild";

/** File name of the handler module in the function's code; the Lambda handler is `index.handler`. */
export const INVALIDATOR_MODULE = "index";
/** The Lambda handler string. */
export const INVALIDATOR_HANDLER = `${INVALIDATOR_MODULE}.handler`;

let built: Promise<string> | undefined;

/** The bundled handler module, built once per process. */
export function invalidatorCode(): Promise<string> {
    built ??= bundleInvalidator();
    built.catch(() => (built = undefined));
    return built;
}

async function bundleInvalidator(): Promise<string> {
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
        external: ["@aws-sdk/*"],
    });
    return result.outputFiles[0].text;
}
