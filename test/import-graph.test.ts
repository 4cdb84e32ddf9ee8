/**
 * The import graph of the whole repository: no cycles, and arrows that
 * point down the layers.
 *
 * - `core/` is what every part agrees on: it imports only other `core/`
 *   files and Node's built-ins (no npm package at all, so no Pulumi and no
 *   AWS SDK).
 * - `edge/`, `issuer/`, `resizer/` and `invalidator/` are runtime code (a
 *   Lambda@Edge function, an application's library, two regional Lambda
 *   functions): they
 *   import `core/` and npm packages, never Pulumi, and never each other or
 *   anything above them.
 * - `components/` builds the resources from the layers below it; the local
 *   stack (`local/`) runs them; the operator tools (`tools/`) use both (the
 *   deploy policy reads the stack's config as the local stack does); the
 *   stack (`index.ts`) and the package entry (`lib.ts`, which exports the
 *   deploy policy) sit on top; `bench/` and `test/` may use anything.
 *
 * Nothing imports the root of `@pulumi/aws`: the services come from their
 * own modules, through components/aws.ts.
 *
 * Type-only imports count: a cycle of types is still two files that cannot
 * be read or changed one without the other.
 */
import { expect } from "chai";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".git", ".local-data", ".edge-build", ".resizer-build"]);

/** Layers from the bottom; a file may import its own layer's folder and the layers below. */
const LAYERS: readonly (readonly string[])[] = [
    ["core"],
    ["edge", "issuer", "resizer", "invalidator"],
    ["components"],
    ["local"],
    ["tools"],
    ["index.ts", "lib.ts"],
    ["bench", "test"],
];

/** Runtime layers that must never load Pulumi. */
const WITHOUT_PULUMI = new Set(["core", "edge", "issuer", "resizer", "invalidator"]);

/** The top-level folder (or root file) a repository path belongs to. */
function unitOf(file: string): string {
    return path.relative(ROOT, file).split(path.sep)[0];
}

function layerOf(unit: string): number {
    const index = LAYERS.findIndex((layer) => layer.includes(unit));
    if (index < 0) throw new Error(`${unit} is in no layer: add it to LAYERS in test/import-graph.test.ts`);
    return index;
}

/** Every TypeScript file of the repository (the test's own fixtures and generated folders aside). */
function sourceFiles(dir = ROOT): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || full === path.join(ROOT, "test", "package", "consumer") ? [] : sourceFiles(full);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

interface Imports {
    /** Repository files this file imports (resolved). */
    local: string[];
    /** Package names (`@pulumi/pulumi`, `sharp`, `fs`…). */
    packages: string[];
    /** What the file names for each package import, as written (`@pulumi/aws/s3`). */
    specifiers: string[];
}

function importsOf(file: string): Imports {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const local: string[] = [];
    const packages: string[] = [];
    const specifiers: string[] = [];
    for (const { fileName } of info.importedFiles) {
        if (fileName.startsWith(".")) {
            const base = path.resolve(path.dirname(file), fileName);
            const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
            if (!target) throw new Error(`${path.relative(ROOT, file)} imports ${fileName}, which resolves to no file`);
            if (target.endsWith(".ts")) local.push(target);
        } else {
            specifiers.push(fileName);
            packages.push(fileName.startsWith("@") ? fileName.split("/").slice(0, 2).join("/") : fileName.split("/")[0]);
        }
    }
    return { local, packages, specifiers };
}

/** The strongly connected components of more than one file (or a file importing itself): the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (node: string): void => {
        index.set(node, counter);
        low.set(node, counter);
        counter += 1;
        stack.push(node);
        onStack.add(node);
        for (const next of graph.get(node) ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
            } else if (onStack.has(next)) {
                low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
            }
        }
        if (low.get(node) === index.get(node)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop() as string;
                onStack.delete(member);
                component.push(member);
            } while (member !== node);
            if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
        }
    };
    for (const node of graph.keys()) if (!index.has(node)) visit(node);
    return found;
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

describe("the import graph", () => {
    const files = sourceFiles();
    const imports = new Map(files.map((file) => [file, importsOf(file)] as const));
    const rel = (file: string) => path.relative(ROOT, file);

    it("reads the whole repository", () => {
        // Guards the checks below against passing on an empty or partial walk.
        for (const unit of ["core", "edge", "issuer", "components", "local", "test"]) {
            expect(files.filter((file) => unitOf(file) === unit), unit).to.not.be.empty;
        }
        expect(imports.get(path.join(ROOT, "core", "item.ts"))?.local.map(rel)).to.include(path.join("core", "contract.ts"));
    });

    it("has no cycle, type-only imports included", () => {
        const graph = new Map([...imports].map(([file, { local }]) => [file, local] as const));
        expect(cycles(graph).map((cycle) => cycle.map(rel).join(" ↔ "))).to.deep.equal([]);
    });

    it("finds a cycle when there is one (the check itself)", () => {
        const graph = new Map([
            ["a", ["b"]],
            ["b", ["c"]],
            ["c", ["a"]],
            ["d", ["d"]],
            ["e", ["a"]],
        ]);
        expect(cycles(graph)).to.deep.equal([["a", "b", "c"], ["d"]]);
    });

    it("core imports only core and Node's built-ins: no npm package, so neither Pulumi nor the AWS SDK", () => {
        const offending = files
            .filter((file) => unitOf(file) === "core")
            .flatMap((file) => {
                const { local, packages } = imports.get(file) as Imports;
                return [
                    ...local.filter((target) => unitOf(target) !== "core").map((target) => `${rel(file)} → ${rel(target)}`),
                    ...packages.filter((name) => !BUILTINS.has(name)).map((name) => `${rel(file)} → ${name}`),
                ];
            });
        expect(offending).to.deep.equal([]);
    });

    it("the runtime layers (core, edge, issuer, resizer) never import Pulumi", () => {
        const offending = files
            .filter((file) => WITHOUT_PULUMI.has(unitOf(file)))
            .flatMap((file) => (imports.get(file) as Imports).packages.filter((name) => name.startsWith("@pulumi/")).map((name) => `${rel(file)} → ${name}`));
        expect(offending).to.deep.equal([]);
    });

    it("nothing imports the root of @pulumi/aws, which makes the compiler read every AWS service's declarations: components/aws.ts imports the services used, each from its module", () => {
        const offending = files.filter((file) => (imports.get(file) as Imports).specifiers.includes("@pulumi/aws")).map(rel);
        expect(offending).to.deep.equal([]);
        expect((imports.get(path.join(ROOT, "components", "aws.ts")) as Imports).specifiers, "the check reads module paths as written").to.include("@pulumi/aws/provider");
    });

    it("arrows point down: a file imports its own folder and the layers below, never a sibling or a layer above", () => {
        const offending = files.flatMap((file) => {
            const unit = unitOf(file);
            const layer = layerOf(unit);
            return (imports.get(file) as Imports).local
                .filter((target) => {
                    const targetUnit = unitOf(target);
                    if (targetUnit === unit) return false;
                    const targetLayer = layerOf(targetUnit);
                    // The top layers (bench, test) may read anything; below them a sibling is as wrong as a layer above.
                    return layer < LAYERS.length - 1 ? targetLayer >= layer : targetLayer > layer;
                })
                .map((target) => `${rel(file)} → ${rel(target)}`);
        });
        expect(offending).to.deep.equal([]);
    });
});
