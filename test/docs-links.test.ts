/**
 * The documentation holds together: every relative link and every `#anchor`
 * in README.md, SECURITY.md and docs/*.md points at a file of the repository
 * and, for an anchor, at a heading of that file (slugged as GitHub does), and
 * no paragraph is written out twice across those files (each text lives in
 * one place and the others link to it).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The documents whose links are checked, relative to the repository root. */
function documents(): string[] {
    const docs = fs
        .readdirSync(path.join(ROOT, "docs"))
        .filter((name) => name.endsWith(".md"))
        .map((name) => path.join("docs", name));
    return ["README.md", "SECURITY.md", ...docs.sort()];
}

/** The lines of a Markdown text outside fenced code blocks (fenced lines become empty). */
function proseLines(markdown: string): string[] {
    let fence: string | undefined;
    return markdown.split("\n").map((line) => {
        const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
        if (fence !== undefined) {
            if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
            return "";
        }
        if (marker !== undefined) {
            fence = marker;
            return "";
        }
        return line;
    });
}

/** A heading's anchor as GitHub makes it: text only, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
    const text = heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images: their text
        .replace(/`([^`]*)`/g, "$1") // code spans: their content
        .replace(/<[^>]+>/g, ""); // inline HTML tags
    return text
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
        .replace(/ /g, "-");
}

/** Every anchor a Markdown text defines: its headings' slugs (repeats get -1, -2…) and explicit `<a name>`/`id`s. */
function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const line of proseLines(markdown)) {
        const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
        if (heading) {
            const base = slug(heading[1]);
            const count = seen.get(base) ?? 0;
            seen.set(base, count + 1);
            anchors.add(count === 0 ? base : `${base}-${count}`);
        }
        for (const match of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]);
    }
    return anchors;
}

/** Link targets in a Markdown text: inline links and images, reference definitions, HTML href/src (code excluded). */
function linkTargets(markdown: string): string[] {
    const targets: string[] = [];
    for (const raw of proseLines(markdown)) {
        const line = raw.replace(/`[^`]*`/g, "");
        for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]);
        const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
        if (definition) targets.push(definition[1]);
        for (const match of line.matchAll(/\s(?:href|src)="([^"]+)"/g)) targets.push(match[1]);
    }
    return targets;
}

/**
 * What is wrong with the links of `file` (relative to `root`): a target
 * outside the repository, a missing file, an anchor no heading defines.
 */
function linkProblems(root: string, file: string): string[] {
    const problems: string[] = [];
    const markdown = fs.readFileSync(path.join(root, file), "utf8");
    for (const target of linkTargets(markdown)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:…: not a file of the repository
        const hashAt = target.indexOf("#");
        const pathPart = decodeURIComponent(hashAt < 0 ? target : target.slice(0, hashAt));
        const anchor = hashAt < 0 ? undefined : decodeURIComponent(target.slice(hashAt + 1));
        const resolved = pathPart === "" ? path.join(root, file) : path.resolve(root, path.dirname(file), pathPart);
        const relative = path.relative(root, resolved);
        if (relative.startsWith("..") || path.isAbsolute(relative)) {
            problems.push(`${file}: ${target} points outside the repository`);
            continue;
        }
        if (!fs.existsSync(resolved)) {
            problems.push(`${file}: ${target}: no file ${relative}`);
            continue;
        }
        if (anchor === undefined) continue;
        if (!resolved.endsWith(".md")) {
            problems.push(`${file}: ${target}: an anchor into ${relative}, which is not Markdown`);
            continue;
        }
        if (!anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)) problems.push(`${file}: ${target}: ${relative} has no heading #${anchor}`);
    }
    return problems;
}

/**
 * Paragraphs (and table rows) of at least `minLength` characters, whitespace
 * folded, that appear more than once across `files`: the same text kept by
 * hand in two places.
 */
function repeatedParagraphs(root: string, files: readonly string[], minLength = 120): string[] {
    const places = new Map<string, string[]>();
    for (const file of files) {
        const blocks: string[] = [];
        let current: string[] = [];
        for (const line of proseLines(fs.readFileSync(path.join(root, file), "utf8"))) {
            if (line.trim() === "") {
                blocks.push(current.join(" "));
                current = [];
            } else if (line.trimStart().startsWith("|")) {
                blocks.push(line);
            } else {
                current.push(line);
            }
        }
        blocks.push(current.join(" "));
        for (const block of blocks) {
            const text = block.replace(/\s+/g, " ").trim();
            if (text.length < minLength || /^\|[\s|:-]*\|$/.test(text)) continue;
            places.set(text, [...(places.get(text) ?? []), file]);
        }
    }
    return [...places.entries()].filter(([, where]) => where.length > 1).map(([text, where]) => `${where.join(", ")}: "${text.slice(0, 100)}…"`);
}

describe("documentation: links resolve, nothing is written twice", () => {
    it("slugs headings as GitHub does", () => {
        expect(slug("The local stack: `npm start`")).to.equal("the-local-stack-npm-start");
        expect(slug("`SecureImageCdn` arguments")).to.equal("secureimagecdn-arguments");
        expect(slug("2. Edge warm path (network excluded) and presigning")).to.equal("2-edge-warm-path-network-excluded-and-presigning");
        expect(slug("Settings (edge/settings.ts)")).to.equal("settings-edgesettingsts");
        expect(slug("How and where")).to.equal("how-and-where");
        expect([...anchorsOf("# A\n\n## A\n\n```\n# not a heading\n```\n\n### A\n")]).to.deep.equal(["a", "a-1", "a-2"]);
    });

    it("finds a broken file link, a broken anchor and a link out of the repository (the checker can fail)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
        try {
            fs.mkdirSync(path.join(dir, "docs"));
            fs.writeFileSync(path.join(dir, "docs", "other.md"), "# Other\n\n## Part two\n");
            fs.writeFileSync(
                path.join(dir, "README.md"),
                [
                    "# Title",
                    "[ok](docs/other.md#part-two) [ok](#title) [web](https://example.com/x#y)",
                    "[missing](docs/nope.md) [bad anchor](docs/other.md#part-three) [outside](../../package.json)",
                    "`[in code](docs/nope.md)`",
                    "```",
                    "[in a fence](docs/nope.md)",
                    "```",
                ].join("\n"),
            );
            expect(linkProblems(dir, "README.md")).to.deep.equal([
                "README.md: docs/nope.md: no file docs/nope.md",
                "README.md: docs/other.md#part-three: docs/other.md has no heading #part-three",
                "README.md: ../../package.json points outside the repository",
            ]);
            const paragraph = "A paragraph long enough to count as prose, the kind of text that someone could copy by hand from one document into another one.";
            fs.writeFileSync(path.join(dir, "docs", "copy.md"), `# Copy\n\n${paragraph}\n`);
            fs.appendFileSync(path.join(dir, "docs", "other.md"), `\n${paragraph.replace(/ /g, "\n")}\n`);
            expect(repeatedParagraphs(dir, ["docs/copy.md", "docs/other.md"])).to.have.length(1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("checks README.md, SECURITY.md and every docs/*.md", () => {
        const files = documents();
        expect(files).to.include.members(["README.md", "SECURITY.md", "docs/BENCHMARKS.md"]);
        expect(files.length, "docs/ holds more than the benchmark report").to.be.above(3);
    });

    it("every relative link and #anchor in them resolves", () => {
        const problems = documents().flatMap((file) => linkProblems(ROOT, file));
        expect(problems).to.deep.equal([]);
    });

    it("no paragraph or table row is kept in two places", () => {
        expect(repeatedParagraphs(ROOT, documents())).to.deep.equal([]);
    });
});
