/**
 * The defaults of the SecureImageCdn args are stated in three places that
 * readers meet separately: the JSDoc `@default` tags in components/args.ts
 * (what an editor shows), `CDN_DEFAULTS` (what the code applies) and the
 * args table of the documentation. This test keeps the three in agreement
 * and checks that every arg is documented in each.
 *
 * The JSDoc is read from the source with the TypeScript compiler API; the
 * table is found by its heading, "`SecureImageCdn` arguments", in README.md
 * or any Markdown file under docs/.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { CDN_DEFAULTS } from "../../core/defaults";
import { ARG_KEYS } from "../../components/resolve-args";

const ROOT = path.join(__dirname, "..", "..");
const ARGS_FILE = path.join(ROOT, "components", "args.ts");
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
}

/** A default as a comparable value; NONE stands for "nothing" (absent, `[]`, `{}`). */
const NONE = Symbol("none");
const REQUIRED = Symbol("required");
type DefaultValue = typeof NONE | typeof REQUIRED | unknown;

/** Every arg of SecureImageCdnArgs and of the interfaces its fields use, with its JSDoc. */
function documentedArgs(): DocumentedArg[] {
    const source = ts.createSourceFile(ARGS_FILE, fs.readFileSync(ARGS_FILE, "utf8"), ts.ScriptTarget.Latest, true);
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    source.forEachChild((node) => {
        if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
    });
    const collect = (name: string, prefix: string): DocumentedArg[] => {
        const declaration = interfaces.get(name);
        if (!declaration) throw new Error(`components/args.ts declares no interface ${name}`);
        return declaration.members.filter(ts.isPropertySignature).flatMap((member) => {
            const key = member.name.getText(source);
            const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
            const description = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join(" ").trim();
            const defaultTag = ts.getJSDocTags(member).find((tag) => tag.tagName.text === "default");
            const typeName = member.type && ts.isTypeReferenceNode(member.type) ? member.type.typeName.getText(source) : undefined;
            const container = typeName !== undefined && interfaces.has(typeName);
            const arg: DocumentedArg = {
                path: prefix + key,
                optional: member.questionToken !== undefined,
                description,
                defaultTag: defaultTag ? (ts.getTextOfJSDocComment(defaultTag.comment) ?? "").trim() : undefined,
                container,
            };
            return container && typeName ? [arg, ...collect(typeName, `${prefix}${key}.`)] : [arg];
        });
    };
    return collect("SecureImageCdnArgs", "");
}

/** The value at a dotted path of CDN_DEFAULTS, or NONE when it has none. */
function codeDefault(argPath: string): DefaultValue {
    let value: unknown = CDN_DEFAULTS;
    for (const part of argPath.split(".")) {
        if (typeof value !== "object" || value === null || !(part in value)) return NONE;
        value = (value as Record<string, unknown>)[part];
    }
    return normalise(value);
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

describe("SecureImageCdn args: JSDoc, CDN_DEFAULTS and the documentation agree", () => {
    const args = documentedArgs();
    const leaves = args.filter((arg) => !arg.container);

    it("the JSDoc covers every field the code knows (ARG_KEYS), and CDN_DEFAULTS nothing else", () => {
        expect(args.filter((arg) => !arg.path.includes(".")).map((arg) => arg.path)).to.have.members([...ARG_KEYS]);
        const codePaths = Object.entries(CDN_DEFAULTS).flatMap(([key, value]) =>
            typeof value === "object" && value !== null && !Array.isArray(value) && args.some((arg) => arg.path === key && arg.container)
                ? Object.keys(value).map((inner) => `${key}.${inner}`)
                : [key],
        );
        expect(codePaths.filter((codePath) => !leaves.some((arg) => arg.path === codePath)), "CDN_DEFAULTS keys with no arg").to.deep.equal([]);
    });

    it("every arg has a purpose, and every optional arg a @default", () => {
        for (const arg of args) {
            expect(arg.description, `${arg.path}: JSDoc description`).to.match(/\w{3,}/);
            if (arg.optional) expect(arg.defaultTag, `${arg.path}: @default`).to.be.a("string").and.not.equal("");
            else expect(arg.defaultTag, `${arg.path} is required and so has no @default`).to.equal(undefined);
        }
    });

    it("each @default states the value CDN_DEFAULTS applies", () => {
        for (const arg of leaves.filter((a) => a.optional)) {
            const documented = jsdocDefault(arg.defaultTag ?? "");
            expect(show(documented), `${arg.path}: @default ${arg.defaultTag} vs CDN_DEFAULTS`).to.equal(show(codeDefault(arg.path)));
        }
    });

    it("the documentation's args table lists every arg once, with the default CDN_DEFAULTS applies", () => {
        const { files, entries } = tableEntries();
        if (files.length === 0) {
            expect.fail(`no Markdown heading "${TABLE_HEADING}" in README.md or docs/**/*.md: the args table must live under that heading`);
        }
        for (const file of files) {
            const mine = entries.filter((entry) => entry.file === file);
            const listed = mine.map((entry) => entry.argPath);
            expect(listed, `${file}: args table rows`).to.have.members(leaves.map((arg) => arg.path));
            for (const entry of mine) {
                const arg = leaves.find((a) => a.path === entry.argPath);
                const expected = arg?.optional === false ? REQUIRED : codeDefault(entry.argPath);
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
            expect(show(jsdocDefault("300"))).to.not.equal(show(codeDefault("hashTtlSeconds")));
            expect(show(tableDefault("`61` (`secured`: `0`)"))).to.not.equal(show(codeDefault("edge.memoTtlSeconds")));
        });
    });
});
