/**
 * The project type-checks: what `tsc --noEmit` reports over tsconfig.json
 * (every source, test, benchmark and tool), read from the run's one
 * TypeScript program (test/support/shared-build.ts), which also compiles the
 * package the package tests install. Mocha loads the tests through ts-node
 * without checking their types, so a type error fails here, and only here.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SharedBuild, sharedBuild } from "./support/shared-build";

const ROOT = path.resolve(__dirname, "..");

describe("type check (tsc --noEmit over tsconfig.json)", function () {
    let build: SharedBuild;

    before(async function () {
        // One type-check of the whole project; another test file's process may be making it.
        this.timeout(600_000);
        build = await sharedBuild();
    });

    it("finds no type error in the project", () => {
        expect(build.projectDiagnostics.join("\n\n"), "tsc --noEmit").to.equal("");
    });

    it("compiles, from the checked program, every file package.json points into dist/ (types, exports, bin)", () => {
        interface Manifest {
            types: string;
            exports: Record<string, string | Record<string, string>>;
            bin: Record<string, string>;
        }
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
        const targets = [
            manifest.types,
            ...Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target))),
            ...Object.values(manifest.bin),
        ]
            .map((target) => path.normalize(target))
            .filter((target) => target.startsWith("dist/") && !target.includes("*"));
        expect(targets.length, "package.json's entry points in dist/").to.be.greaterThan(4);
        const emitted = build.emitted.map((file) => `dist/${file}`);
        for (const target of targets) expect(emitted, target).to.include(target);
    });
});
