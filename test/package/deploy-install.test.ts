/**
 * A deployment that installs production dependencies only. A pipeline runs
 * `npm ci --omit=dev` on a fresh copy of the project and `pulumi up`, whose
 * Node.js language host compiles and type-checks index.ts (with the
 * project's `typescript` and `ts-node` when installed, else with the
 * TypeScript 3.8 it vendors, which cannot read this code). Here: a fresh
 * copy outside this project (so nothing resolves from its node_modules),
 * `npm ci --omit=dev`, then Pulumi's host entry `cmd/run` started the way
 * the language host starts it, against mocks served as its resource monitor.
 *
 * Also checked without installing: every dependency is there because the
 * program or the package needs it when deployed, and everything the
 * program imports is a dependency.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { promisify } from "util";
import { ofType, T } from "../components/support/mocks";
import { MonitorServer, startMonitorServer } from "./monitor-server";

const ROOT = path.join(__dirname, "..", "..");
const run = promisify(execFile);

interface Manifest {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

/** What the project's git checkout holds, without what installs and runs make (the .gitignore'd folders). */
const NOT_COPIED = new Set([".git", "node_modules", "dist", ".edge-build", ".local-data"]);

/** Folders and files of the deployed program and of the package `npm publish` ships (everything but tests, local stack, benchmarks). */
const PRODUCTION_SOURCES = ["index.ts", "lib.ts", "core", "components", "edge", "issuer", "resizer", "invalidator", "tools/deploy-policy"];

/**
 * Why each dependency that no production file imports is needed at deploy
 * time anyway.
 */
const DEPLOY_TIME_TOOLS: Record<string, string> = {
    typescript: "Pulumi's Node.js host compiles index.ts with it, and `prepare` builds dist/ with it",
    "ts-node": "Pulumi's Node.js host loads index.ts through it",
    "@types/node": "the program is type-checked with Node's types (tsconfig.json)",
};

/** The external packages a source file imports, exports from or requires, by package name (comments and strings ignored). */
function importedPackages(file: string): string[] {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return importedFiles
        .map((reference) => reference.fileName)
        .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:") && !builtinModules.includes(specifier.split("/")[0]))
        .map((specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
}

function sourceFiles(entry: string): string[] {
    const full = path.join(ROOT, entry);
    if (fs.statSync(full).isFile()) return [full];
    return fs.readdirSync(full, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts")).map((name) => path.join(full, name));
}

/**
 * The packages an import of `name` needs installed: the package itself and,
 * for one without types of its own, its `@types` package (`aws-lambda` is
 * types only: `@types/aws-lambda`).
 */
function packagesFor(name: string): string[] {
    const listed = (candidate: string) => candidate in manifest.dependencies || candidate in manifest.devDependencies;
    const typesPackage = `@types/${name.replace(/^@([^/]+)\//, "$1__")}`;
    const found = [name, typesPackage].filter(listed);
    return found.length > 0 ? found : [name];
}

describe("dependencies by what needs them", () => {
    const imported = new Map<string, string[]>();
    for (const file of PRODUCTION_SOURCES.flatMap(sourceFiles)) {
        for (const name of importedPackages(file).flatMap(packagesFor)) imported.set(name, [...new Set([...(imported.get(name) ?? []), path.relative(ROOT, file)])]);
    }

    it("the reader of imports finds what the program's own files import", () => {
        expect([...imported.keys()]).to.include.members(["@pulumi/pulumi", "@pulumi/aws", "esbuild", "aws4", "@types/aws4", "@types/aws-lambda"]);
        expect([...imported.keys()]).to.not.include("secure-image-cdn");
        expect(imported.get("esbuild")).to.deep.equal(["components/edge-code.ts", "resizer/package.ts", "invalidator/package.ts"]);
        expect(imported.get("sharp")).to.deep.equal(["issuer/image/avif.ts", "issuer/image/describe.ts", "resizer/transform.ts"]);
    });

    it("everything the program and the package import is a dependency (installed with --omit=dev)", () => {
        const missing = [...imported.entries()].filter(([name]) => !(name in manifest.dependencies)).map(([name, files]) => `${name} (${files.join(", ")})`);
        expect(missing).to.deep.equal([]);
    });

    it("every dependency is imported by the program or the package, or is a deploy-time tool", () => {
        const unneeded = Object.keys(manifest.dependencies).filter((name) => !imported.has(name) && !(name in DEPLOY_TIME_TOOLS));
        expect(unneeded, "dependencies nothing deployed needs (devDependencies?)").to.deep.equal([]);
    });

    it("what only tests, the local stack and the benchmarks use is a devDependency", () => {
        expect(manifest.devDependencies).to.include.keys("js-yaml", "@aws-sdk/s3-request-presigner", "mocha", "chai", "dynalite", "s3rver");
        expect(manifest.dependencies).to.not.have.any.keys("js-yaml", "@aws-sdk/s3-request-presigner", "mocha", "chai");
    });
});

describe("a deployment that installs production dependencies only (npm ci --omit=dev)", function () {
    // npm ci takes 15-40 s here, then Pulumi type-checks and runs the program.
    this.timeout(600_000);

    let copy: string;
    let monitor: MonitorServer;
    let host: { stdout: string; stderr: string };

    before(async () => {
        copy = fs.mkdtempSync(path.join(os.tmpdir(), "secure-image-cdn-deploy-"));
        fs.cpSync(ROOT, copy, { recursive: true, filter: (source) => !NOT_COPIED.has(path.relative(ROOT, source).split(path.sep)[0]) });
        await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], { cwd: copy, env: { ...process.env, NODE_ENV: "production" }, maxBuffer: 16 * 1024 * 1024 });
        monitor = await startMonitorServer();
        // What the language host runs for `runtime: nodejs` with `typescript: true` and `main: index.ts`.
        host = await run(
            process.execPath,
            [
                path.join(copy, "node_modules", "@pulumi", "pulumi", "cmd", "run"),
                `--monitor=${monitor.address}`,
                "--project=secure-image-cdn",
                "--stack=deploy",
                `--root-directory=${copy}`,
                `--pwd=${copy}`,
                "./index.ts",
            ],
            {
                cwd: copy,
                env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_CONFIG: JSON.stringify({ "aws:region": "eu-west-1" }), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
                maxBuffer: 16 * 1024 * 1024,
            },
        );
    });

    after(() => {
        monitor?.close();
        if (copy) fs.rmSync(copy, { recursive: true, force: true });
    });

    it("installs no devDependency, and `prepare` built dist/ with the installed compiler", () => {
        const installed = fs.readdirSync(path.join(copy, "node_modules"));
        for (const name of ["mocha", "chai", "js-yaml", "dynalite", "s3rver", "playwright-core", "fast-check"]) expect(installed, name).to.not.include(name);
        expect(fs.readdirSync(path.join(copy, "node_modules", "@aws-sdk"))).to.not.include("s3-request-presigner");
        expect(fs.existsSync(path.join(copy, "dist", "lib.js"))).to.equal(true);
    });

    it("Pulumi's host finds the project's TypeScript 5 and ts-node, not the TypeScript 3.8 it vendors", async () => {
        const { stdout } = await run(
            process.execPath,
            ["-e", 'const t = require("@pulumi/pulumi/tsutils").typeScriptRequireStrings(); console.log(JSON.stringify({ ...t, version: require(t.typescriptRequire).version }))'],
            { cwd: copy },
        );
        const found = JSON.parse(stdout) as { typescriptRequire: string; tsnodeRequire: string; version: string };
        expect(found).to.include({ typescriptRequire: "typescript", tsnodeRequire: "ts-node" });
        expect(found.version).to.match(/^5\./);
    });

    it("loads index.ts as the language host does, type-checked, and registers the stack's resources", () => {
        expect(host.stderr, "the host's errors").to.not.match(/error/i);
        const resources = monitor.mocks.resources;
        expect(resources.filter((r) => r.type === T.component).map((r) => r.name)).to.have.members(["discussion", "chat"]);
        for (const service of ["discussion", "chat"]) {
            const registered = resources.map((r) => ({ ...r, protect: undefined, parent: undefined }));
            for (const type of [T.bucket, T.table, T.distribution, T.bucketPolicy]) {
                expect(ofType(registered, type, service), `${service} ${type}`).to.have.length(1);
            }
            // The edge function, with the services table's variants the resizer, and (required + origin) home's invalidator; a role each.
            expect(ofType(registered, T.fn, service).map((r) => r.name), `${service} functions`).to.have.members([`${service}-edge`, `${service}-resizer`, `${service}-inv-home`]);
            expect(ofType(registered, T.role, service).map((r) => r.name), `${service} roles`).to.have.members([`${service}-edge-role`, `${service}-resizer-role`, `${service}-inv-role-home`]);
        }
    });

    it("exports each service's outputs, where the issuing library reads them", () => {
        const services = monitor.stackOutputs().services as Record<string, { issuer: Record<string, unknown>; level: string }>;
        expect(Object.keys(services)).to.have.members(["discussion", "chat"]);
        const table = monitor.mocks.resources.find((r) => r.type === T.table && r.name === "chat-table");
        expect(services.chat.level).to.equal("required");
        expect(services.chat.issuer.tableName).to.equal(table?.state.name);
    });
});
