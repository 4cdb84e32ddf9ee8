/**
 * `node -r test/support/run-compiled.cjs <file>.ts …`: runs the project's
 * TypeScript from the test run's compiled output (test/support/shared-build.ts,
 * the folder named by SECURE_IMAGE_CDN_COMPILED) instead of compiling each
 * file as it loads, as ts-node does under `npm start`. Each module keeps
 * its source's path, so `__dirname`, and everything found from it (the
 * playground's static files, `.edge-build/`, the default data folder), is
 * what it is under `npm start`.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const compiled = process.env.SECURE_IMAGE_CDN_COMPILED;
if (!compiled) throw new Error("run-compiled.cjs: SECURE_IMAGE_CDN_COMPILED names no compiled folder");

require.extensions[".ts"] = (module, filename) => {
    const relative = path.relative(ROOT, filename);
    if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`run-compiled.cjs: ${filename} is not in the project`);
    module._compile(fs.readFileSync(path.join(compiled, relative.replace(/\.ts$/, ".js")), "utf8"), filename);
};
