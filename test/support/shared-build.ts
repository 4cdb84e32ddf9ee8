/**
 * What a test run compiles, once, for every test that needs it:
 *
 * - one TypeScript program over tsconfig.json: the project's type-check,
 *   what `tsc --noEmit` reports;
 * - the npm package, emitted from that same program (the files
 *   `npm run build` compiles, with the options it compiles them with,
 *   checked equal here) and laid out under the node_modules of a consumer
 *   project as npm installs it;
 * - the consumer program (test/package/consumer) type-checked against the
 *   package's emitted declarations, by a second program that reuses the
 *   first one's parsed files, so the type declarations of Node, Pulumi and
 *   the AWS provider are read once;
 * - the rest of the project's JavaScript, for child processes that run it
 *   without compiling it again (the local stack, the CLI);
 * - what each entry point of the package exports (tools/api-report.ts), read
 *   from the same program.
 *
 * Test files run in parallel worker processes: the first process that asks
 * builds, in the run's folder (test/support/test-run.ts), and the others
 * wait for its result there.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ExportedName, exportedNames } from "../../tools/api-report";
import { PROJECT_DIR, testRunDir } from "./test-run";

export interface SharedBuild {
    /** The project's type errors (tsconfig.json), one formatted message each as `tsc` prints them; empty when it type-checks. */
    projectDiagnostics: string[];
    /** The consumer project: test/package/consumer's files, and the package in its node_modules. */
    consumerDir: string;
    /** The package as npm installs it: its package.json, the files its "files" ship, and dist/. */
    installedDir: string;
    /** The consumer program's type errors against the package's emitted declarations. */
    consumerDiagnostics: string[];
    /** The declaration file the consumer's `import … from "secure-image-cdn"` resolved to. */
    consumerImportResolvedTo: string | undefined;
    /** The package's files compiled into `installedDir/dist`, relative to it. */
    emitted: string[];
    /**
     * The project's JavaScript but the tests', at the sources' paths relative
     * to this folder (`local/main.ts` → `local/main.js`), for child processes
     * that run it instead of compiling on load (test/support/run-compiled.cjs).
     */
    compiledDir: string;
    /** What each entry point of the package exports (tools/api-report.ts), read from the project's program: by entry point name. */
    exportedNames: Record<string, ExportedName[]>;
}

/** How long a process waits for another one's build (20 to 40 s on this project's busy two-core machines). */
const WAIT_LIMIT_MS = 10 * 60_000;

let pending: Promise<SharedBuild> | undefined;

/** The run's build: made by this process if it asks first, else the one another process made or is making. */
export function sharedBuild(): Promise<SharedBuild> {
    pending ??= claimOrWait(testRunDir());
    return pending;
}

async function claimOrWait(runDir: string): Promise<SharedBuild> {
    const claim = path.join(runDir, "build-claim");
    const resultFile = path.join(runDir, "build-result.json");
    try {
        fs.mkdirSync(claim);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        return waitForResult(claim, resultFile);
    }
    fs.writeFileSync(path.join(claim, "pid"), String(process.pid));
    let outcome: { build: SharedBuild } | { error: string };
    try {
        outcome = { build: buildOnce(path.join(runDir, "build")) };
    } catch (error) {
        outcome = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    // Write then rename, so a waiting process never reads half a file.
    fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(outcome));
    fs.renameSync(`${resultFile}.tmp`, resultFile);
    if ("error" in outcome) throw new Error(`the shared test build failed: ${outcome.error}`);
    return outcome.build;
}

async function waitForResult(claim: string, resultFile: string): Promise<SharedBuild> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
        if (fs.existsSync(resultFile)) {
            const outcome = JSON.parse(fs.readFileSync(resultFile, "utf8")) as { build: SharedBuild } | { error: string };
            if ("error" in outcome) throw new Error(`the shared test build failed in another process: ${outcome.error}`);
            return outcome.build;
        }
        const owner = Number(fs.existsSync(path.join(claim, "pid")) ? fs.readFileSync(path.join(claim, "pid"), "utf8") : NaN);
        if (Number.isInteger(owner) && !isAlive(owner)) throw new Error(`process ${owner}, which was making the shared test build, ended without a result`);
        if (Date.now() > deadline) throw new Error(`no shared test build after ${WAIT_LIMIT_MS / 1000} s (${claim})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** A compiler host whose parsed files are shared with every other host made with the same cache. */
function cachingHost(options: ts.CompilerOptions, cache: Map<string, ts.SourceFile>): ts.CompilerHost {
    const host = ts.createCompilerHost(options);
    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        const settings = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
        const key = `${settings.languageVersion}|${settings.impliedNodeFormat ?? ""}|${fileName}`;
        const cached = shouldCreateNewSourceFile ? undefined : cache.get(key);
        if (cached) return cached;
        const parsed = parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        if (parsed) cache.set(key, parsed);
        return parsed;
    };
    return host;
}

function readConfig(file: string): ts.ParsedCommandLine {
    const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
        },
    });
    if (!parsed) throw new Error(`cannot read ${file}`);
    return parsed;
}

const FORMAT_HOST: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => PROJECT_DIR,
    getNewLine: () => "\n",
};

function formatted(diagnostics: readonly ts.Diagnostic[]): string[] {
    return diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, FORMAT_HOST).trimEnd());
}

/** The compiler options that decide what is emitted, without where they came from. */
function emitOptions(options: ts.CompilerOptions): string {
    const { configFilePath: _file, noEmit: _noEmit, ...rest } = options;
    return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}

/** Compiles everything into `dir`; see the module comment. */
function buildOnce(dir: string): SharedBuild {
    const cache = new Map<string, ts.SourceFile>();

    // The project, as `tsc --noEmit` checks it.
    const project = readConfig(path.join(PROJECT_DIR, "tsconfig.json"));
    const program = ts.createProgram({ rootNames: project.fileNames, options: project.options, host: cachingHost(project.options, cache) });
    const projectDiagnostics = [...ts.getPreEmitDiagnostics(program)];

    // The package, as `npm run build` compiles it: the same options, so the
    // same output, which the checked program emits without checking again.
    const build = readConfig(path.join(PROJECT_DIR, "tsconfig.build.json"));
    if (emitOptions(build.options) !== emitOptions(project.options)) {
        throw new Error(
            "tsconfig.build.json compiles with other options than tsconfig.json, so the type-check's program cannot emit the package: compile it with its own program in test/support/shared-build.ts",
        );
    }
    const outDir = build.options.outDir;
    if (outDir === undefined) throw new Error("tsconfig.build.json names no outDir");
    // Every file the build compiles: its own and those they import (module resolution only, nothing is checked).
    const buildProgram = ts.createProgram({ rootNames: build.fileNames, options: build.options, host: cachingHost(build.options, cache) });
    const packageFiles = new Set(buildProgram.getSourceFiles().filter((file) => !file.isDeclarationFile && !buildProgram.isSourceFileFromExternalLibrary(file)).map((file) => file.fileName));
    for (const fileName of packageFiles) {
        if (!program.getSourceFile(fileName)) throw new Error(`${fileName} is compiled by tsconfig.build.json but not type-checked by tsconfig.json`);
    }
    const runnable = (fileName: string) => !path.relative(PROJECT_DIR, fileName).startsWith(`test${path.sep}`);

    // One emit per file, written where it is needed: the package's dist/ (everything tsc writes) and the compiled sources (the JavaScript).
    const consumerDir = path.join(dir, "consumer");
    const installedDir = path.join(consumerDir, "node_modules", "secure-image-cdn");
    const compiledDir = path.join(dir, "compiled");
    const emitted: string[] = [];
    const write = (target: string, text: string) => {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
    };
    for (const source of program.getSourceFiles()) {
        const inPackage = packageFiles.has(source.fileName);
        if (source.isDeclarationFile || program.isSourceFileFromExternalLibrary(source) || !(inPackage || runnable(source.fileName))) continue;
        const writeFile: ts.WriteFileCallback = (fileName, text) => {
            const relative = path.relative(outDir, fileName);
            if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`${fileName} is emitted outside ${outDir}`);
            if (inPackage) {
                write(path.join(installedDir, "dist", relative), text);
                emitted.push(relative);
            }
            if (runnable(source.fileName) && relative.endsWith(".js")) write(path.join(compiledDir, relative), text);
        };
        projectDiagnostics.push(...program.emit(source, writeFile).diagnostics);
    }

    // What `npm publish` ships besides dist/ ("files"), and the consumer project around it.
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { files: string[] };
    for (const entry of manifest.files.filter((file) => file !== "dist/")) {
        fs.cpSync(path.join(PROJECT_DIR, entry), path.join(installedDir, entry), { recursive: true });
    }
    fs.copyFileSync(path.join(PROJECT_DIR, "package.json"), path.join(installedDir, "package.json"));
    fs.cpSync(path.join(PROJECT_DIR, "test", "package", "consumer"), consumerDir, { recursive: true });

    // The consumer program against the package's declarations, as its own `tsc -p` checks it.
    const consumer = readConfig(path.join(consumerDir, "tsconfig.json"));
    const consumerHost = cachingHost(consumer.options, cache);
    const consumerProgram = ts.createProgram({ rootNames: consumer.fileNames, options: consumer.options, host: consumerHost });
    const consumerDiagnostics = ts.getPreEmitDiagnostics(consumerProgram);
    const resolved = ts.resolveModuleName("secure-image-cdn", path.join(consumerDir, "index.ts"), consumer.options, consumerHost).resolvedModule;

    return {
        // The program's emit repeats its declaration errors (getPreEmitDiagnostics has them already).
        projectDiagnostics: [...new Set(formatted(projectDiagnostics))],
        consumerDir,
        installedDir,
        consumerDiagnostics: formatted(consumerDiagnostics),
        consumerImportResolvedTo: resolved?.resolvedFileName,
        emitted: emitted.sort(),
        compiledDir,
        exportedNames: Object.fromEntries(exportedNames(program)),
    };
}
