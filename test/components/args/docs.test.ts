/**
 * The defaults of the SecureImageCdn args are stated in three places that
 * readers meet separately: the JSDoc `@default` tags of each arg group in
 * components/args/ (what an editor shows), the group's `*_DEFAULTS` in the
 * same file (what its checks apply) and the args table of the
 * documentation. This test keeps the three in agreement and checks that
 * every arg is documented in each.
 *
 * The JSDoc is read with the TypeScript compiler's type checker, as Pulumi's
 * schema inference reads it: the properties of `SecureImageCdnArgs`,
 * inherited from the group interfaces it extends, each with the file that
 * declares it. The table is found by its heading, "`SecureImageCdn`
 * arguments", in README.md or any Markdown file under docs/.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ARG_KEYS, CDN_DEFAULTS } from "../../../components/args";

const ROOT = path.join(__dirname, "..", "..", "..");
const ARGS_DIR = path.join(ROOT, "components", "args");
const ARGS_FILE = path.join(ARGS_DIR, "index.ts");
const TABLE_HEADING = "`SecureImageCdn` arguments";

/** One arg as its JSDoc states it. */
interface DocumentedArg {
    /** `level`, `alarms.actions`, `edge.memoTtlSeconds`… */
    path: string;
    optional: boolean;
    description: string;
    /** The text of the `@default` tag, if any. */
    defaultTag?: string;
    /** True for an arg whose type is one of the documented interfaces (`alarms`, `edge`). */
    container: boolean;
    /** The field's name in the interface that declares it (`memoTtlSeconds` for `edge.memoTtlSeconds`). */
    field: string;
    /** The group file that declares it. */
    file: string;
}

/** A default as a comparable value; NONE stands for "nothing" (absent, `[]`, `{}`). */
const NONE = Symbol("none");
const REQUIRED = Symbol("required");
type DefaultValue = typeof NONE | typeof REQUIRED | unknown;

/** Every arg of SecureImageCdnArgs and of the interfaces its fields use, with its JSDoc and the file that declares it. */
function documentedArgs(): DocumentedArg[] {
    const program = ts.createProgram([ARGS_FILE], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const index = program.getSourceFile(ARGS_FILE);
    if (!index) throw new Error(`cannot read ${ARGS_FILE}`);
    const args = index.statements.find((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === "SecureImageCdnArgs");
    if (!args) throw new Error("components/args/index.ts declares no interface SecureImageCdnArgs");
    /** An interface declared in a group file (a container such as CdnAlarmOptions), or undefined. */
    const groupInterface = (type: ts.Type): ts.Type | undefined => {
        const declaration = type.getSymbol()?.declarations?.[0];
        return declaration && ts.isInterfaceDeclaration(declaration) && path.dirname(declaration.getSourceFile().fileName) === ARGS_DIR ? type : undefined;
    };
    const collect = (type: ts.Type, prefix: string): DocumentedArg[] =>
        checker.getPropertiesOfType(type).flatMap((property) => {
            const member = property.valueDeclaration;
            if (!member || !ts.isPropertySignature(member)) throw new Error(`${prefix}${property.name} is not declared as an interface field`);
            const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
            const description = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join(" ").trim();
            const defaultTag = ts.getJSDocTags(member).find((tag) => tag.tagName.text === "default");
            const inner = groupInterface(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, member)));
            const arg: DocumentedArg = {
                path: prefix + property.name,
                optional: member.questionToken !== undefined,
                description,
                defaultTag: defaultTag ? (ts.getTextOfJSDocComment(defaultTag.comment) ?? "").trim() : undefined,
                container: inner !== undefined,
                field: property.name,
                file: member.getSourceFile().fileName,
            };
            return inner ? [arg, ...collect(inner, `${prefix}${property.name}.`)] : [arg];
        });
    return collect(checker.getTypeAtLocation(args.name), "");
}

/** The `*_DEFAULTS` a group file exports: the defaults its checks apply. */
function groupDefaults(file: string): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    const found = Object.entries(exported).filter(([name, value]) => name.endsWith("_DEFAULTS") && typeof value === "object" && value !== null);
    if (found.length !== 1) throw new Error(`${path.relative(ROOT, file)} must export exactly one *_DEFAULTS (got ${found.map(([name]) => name).join(", ") || "none"})`);
    return found[0][1] as Record<string, unknown>;
}

/** The default the arg's own group applies, or NONE when it has none. */
function codeDefault(arg: DocumentedArg): DefaultValue {
    const defaults = groupDefaults(arg.file);
    return arg.field in defaults ? normalise(defaults[arg.field]) : NONE;
}

/** Empty lists and objects mean "nothing" as much as an absent default does. */
function normalise(value: unknown): DefaultValue {
    if (value === undefined) return NONE;
    if (Array.isArray(value)) return value.length === 0 ? NONE : [...value];
    if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return NONE;
    return value;
}

/** A literal as written in a tag or a cell: JSON, else a bare word. */
function literal(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The text without a trailing remark in parentheses: `2592000 (30 days)` → `2592000`. */
function withoutRemark(text: string): string {
    return text.replace(/\s*\([^()]*\)\s*$/, "").trim();
}

/**
 * A `@default` tag's value. Forms used: a JSON literal with an optional
 * remark (`2592000 (30 days)`), `none …`, and per-level values
 * (`60 for \`required\`, 0 for \`secured\``).
 */
function jsdocDefault(tag: string): DefaultValue {
    if (/^none\b/i.test(tag)) return NONE;
    const perLevel = [...tag.matchAll(/(\S+) for `(\w+)`/g)];
    if (perLevel.length > 0) return Object.fromEntries(perLevel.map((match) => [match[2], literal(match[1])]));
    return normalise(literal(withoutRemark(tag)));
}

/**
 * A table cell's value. Forms used: a backticked literal with an optional
 * remark, per-level exceptions in parentheses (`` `60` (`secured`: `0`) ``,
 * where the first value is the default level's), `(required)`, `none …`,
 * and a comma-separated list without backticks.
 */
function tableDefault(cell: string): DefaultValue {
    const text = cell.trim();
    if (/^\(required\)$/i.test(text)) return REQUIRED;
    if (/^none\b/i.test(text)) return NONE;
    const literals = [...text.matchAll(/`([^`]*)`/g)].map((match) => match[1]);
    if (literals.length > 0) {
        const exceptions = [...text.matchAll(/`(\w+)`:\s*`([^`]*)`/g)];
        if (exceptions.length === 0) return normalise(literal(literals[0]));
        const levels: Record<string, unknown> = { [String(CDN_DEFAULTS.level)]: literal(literals[0]) };
        for (const [, level, value] of exceptions) levels[level] = literal(value);
        return levels;
    }
    const list = withoutRemark(text).split(",").map((item) => item.trim()).filter((item) => item !== "");
    return list.length > 1 ? list : normalise(literal(list[0] ?? ""));
}

/** One row of the documentation's args table: the args it names and the default cell of each. */
interface TableEntry {
    file: string;
    argPath: string;
    cell: string;
}

/** Markdown files that may hold the table: README.md and every .md under docs/. */
function markdownFiles(): string[] {
    const files = [path.join(ROOT, "README.md")];
    const walk = (dir: string) => {
        if (!fs.existsSync(dir)) return;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.name.endsWith(".md")) files.push(full);
        }
    };
    walk(path.join(ROOT, "docs"));
    return files.filter((file) => fs.existsSync(file));
}

/** The rows of every args table under the heading, in every file that has one. */
function tableEntries(): { files: string[]; entries: TableEntry[] } {
    const files: string[] = [];
    const entries: TableEntry[] = [];
    for (const file of markdownFiles()) {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        const headingAt = lines.findIndex((line) => /^#{1,6}\s/.test(line) && line.includes(TABLE_HEADING));
        if (headingAt < 0) continue;
        const level = /^#+/.exec(lines[headingAt])?.[0].length ?? 1;
        const section: string[] = [];
        for (const line of lines.slice(headingAt + 1)) {
            const heading = /^(#{1,6})\s/.exec(line);
            if (heading && heading[1].length <= level) break;
            section.push(line);
        }
        const rows = section.filter((line) => line.trim().startsWith("|"));
        const relative = path.relative(ROOT, file);
        if (rows.length < 3) throw new Error(`${relative}: the section "${TABLE_HEADING}" holds no table`);
        files.push(relative);
        const header = cells(rows[0]).map((cell) => cell.toLowerCase());
        const argColumn = header.findIndex((cell) => /arg/.test(cell));
        const defaultColumn = header.findIndex((cell) => /default/.test(cell));
        if (argColumn < 0 || defaultColumn < 0) throw new Error(`${relative}: the args table needs an argument column and a default column (got ${header.join(" | ")})`);
        for (const row of rows.slice(2)) {
            const columns = cells(row);
            const names = [...(columns[argColumn] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]);
            const defaultCell = columns[defaultColumn] ?? "";
            // `a` / `b` rows give one default each, in the same order, separated by " / ".
            const parts = defaultCell.split(/\s+\/\s+/);
            names.forEach((name, i) => entries.push({ file: relative, argPath: name, cell: parts.length === names.length ? parts[i] : defaultCell }));
        }
    }
    return { files, entries };
}

function cells(row: string): string[] {
    return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

function show(value: DefaultValue): string {
    if (value === NONE) return "none";
    if (value === REQUIRED) return "(required)";
    return JSON.stringify(value);
}

describe("SecureImageCdn args: each group's JSDoc, its defaults and the documentation agree", () => {
    const args = documentedArgs();
    const leaves = args.filter((arg) => !arg.container);
    const argNamed = (argPath: string): DocumentedArg => {
        const found = leaves.find((arg) => arg.path === argPath);
        if (!found) throw new Error(`no arg ${argPath}`);
        return found;
    };

    it("the JSDoc covers every field the code knows (ARG_KEYS), each declared in a group file of components/args/", () => {
        expect(args.filter((arg) => !arg.path.includes(".")).map((arg) => arg.path)).to.have.members([...ARG_KEYS]);
        const files = [...new Set(args.map((arg) => path.relative(ARGS_DIR, arg.file)))];
        expect(files, "group files").to.include.members(["delivery.ts", "cache.ts", "alarms.ts", "edge.ts", "table.ts"]);
        expect(files, "SecureImageCdnArgs itself declares nothing: every field is in its group").to.not.include("index.ts");
    });

    it("each group's defaults have no key without an arg declared beside them, and CDN_DEFAULTS is theirs, gathered", () => {
        for (const file of [...new Set(args.map((arg) => arg.file))]) {
            const declared = args.filter((arg) => arg.file === file).map((arg) => arg.field);
            const strays = Object.keys(groupDefaults(file)).filter((key) => !declared.includes(key));
            expect(strays, `${path.relative(ROOT, file)}: defaults with no arg`).to.deep.equal([]);
        }
        for (const arg of leaves.filter((a) => a.optional)) {
            let gathered: unknown = CDN_DEFAULTS;
            for (const part of arg.path.split(".")) gathered = typeof gathered === "object" && gathered !== null ? (gathered as Record<string, unknown>)[part] : undefined;
            expect(show(normalise(gathered)), `CDN_DEFAULTS.${arg.path}`).to.equal(show(codeDefault(arg)));
        }
    });

    it("every arg has a purpose, and every optional arg a @default", () => {
        for (const arg of args) {
            expect(arg.description, `${arg.path}: JSDoc description`).to.match(/\w{3,}/);
            if (arg.optional) expect(arg.defaultTag, `${arg.path}: @default`).to.be.a("string").and.not.equal("");
            else expect(arg.defaultTag, `${arg.path} is required and so has no @default`).to.equal(undefined);
        }
    });

    it("each @default states the value its group's defaults apply", () => {
        for (const arg of leaves.filter((a) => a.optional)) {
            const documented = jsdocDefault(arg.defaultTag ?? "");
            expect(show(documented), `${arg.path}: @default ${arg.defaultTag} vs ${path.relative(ROOT, arg.file)}`).to.equal(show(codeDefault(arg)));
        }
    });

    it("the documentation's args table lists every arg once, with the default its group applies", () => {
        const { files, entries } = tableEntries();
        if (files.length === 0) {
            expect.fail(`no Markdown heading "${TABLE_HEADING}" in README.md or docs/**/*.md: the args table must live under that heading`);
        }
        for (const file of files) {
            const mine = entries.filter((entry) => entry.file === file);
            const listed = mine.map((entry) => entry.argPath);
            expect(listed, `${file}: args table rows`).to.have.members(leaves.map((arg) => arg.path));
            for (const entry of mine) {
                const arg = argNamed(entry.argPath);
                const expected = arg.optional === false ? REQUIRED : codeDefault(arg);
                expect(show(tableDefault(entry.cell)), `${file}: ${entry.argPath} default "${entry.cell}"`).to.equal(show(expected));
            }
        }
    });

    describe("the readers of the three forms", () => {
        it("read tags and cells the way they are written", () => {
            expect(show(jsdocDefault("2592000 (30 days)"))).to.equal("2592000");
            expect(show(jsdocDefault('"required"'))).to.equal('"required"');
            expect(show(jsdocDefault("[] (the distribution's cloudfront.net domain)"))).to.equal("none");
            expect(show(jsdocDefault("60 for `required`, 0 for `secured`"))).to.equal('{"required":60,"secured":0}');
            expect(show(tableDefault("`60` (`secured`: `0`)"))).to.equal('{"required":60,"secured":0}');
            expect(show(tableDefault("`2592000` (30 days)"))).to.equal("2592000");
            expect(show(tableDefault('`"uploads/"`'))).to.equal('"uploads/"');
            expect(show(tableDefault("none, CloudFront's certificate"))).to.equal("none");
            expect(show(tableDefault("(required)"))).to.equal("(required)");
            expect(show(tableDefault("us-east-1, eu-west-1"))).to.equal('["us-east-1","eu-west-1"]');
        });

        it("tell different values apart", () => {
            expect(show(jsdocDefault("300"))).to.not.equal(show(codeDefault(argNamed("hashTtlSeconds"))));
            expect(show(tableDefault("`61` (`secured`: `0`)"))).to.not.equal(show(codeDefault(argNamed("edge.memoTtlSeconds"))));
        });
    });
});
