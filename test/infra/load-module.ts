/**
 * Loads generated CommonJS code the way Lambda would: from a file. The file
 * lives in the git-ignored `.edge-build/` inside the project, so any
 * `require` in it resolves against this project.
 */
import * as fs from "fs";
import * as path from "path";

export const EDGE_BUILD_DIR = path.join(__dirname, "..", "..", ".edge-build");

/** Writes `text` to `.edge-build/<name>.js` and requires it afresh. */
export function loadModule(text: string, name: string): Record<string, unknown> {
    fs.mkdirSync(EDGE_BUILD_DIR, { recursive: true });
    const file = path.join(EDGE_BUILD_DIR, `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.js`);
    fs.writeFileSync(file, text);
    delete require.cache[require.resolve(file)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
}
