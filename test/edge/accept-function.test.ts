/**
 * The generated viewer-request CloudFront Function: written in the syntax
 * the `cloudfront-js-2.0` runtime takes, self-contained (run in an empty
 * `vm` context, a reference to anything but its own functions and the
 * language's built-ins fails), within the 10 KB quota, and doing what
 * core/variants.ts does: each browser of the table gets its token in the
 * URI; every other request goes on untouched.
 */
import { expect } from "chai";
import * as ts from "typescript";
import * as vm from "vm";
import { DEFAULT_VARIANT_PRESETS, MAX_PRESETS, negotiateVariantToken, VariantCatalogue, VariantPreset } from "../../core/variants";
import { ACCEPT_FUNCTION_RUNTIME, acceptFunctionSource, MAX_CLOUDFRONT_FUNCTION_BYTES } from "../../edge/accept-function";
import { BROWSER_IMAGE_ACCEPT } from "../support/browser-accept";
import { thrown } from "../support/rejection";

const HASH = "fedcba9876543210fedcba9876543210";

interface CfHeaders {
    [name: string]: { value: string; multiValue?: { value: string }[] };
}
interface CfRequest {
    method: string;
    uri: string;
    querystring: Record<string, { value: string }>;
    headers: CfHeaders;
    cookies: Record<string, { value: string }>;
}

/** A viewer-request event as CloudFront Functions hands it over (CloudFront Developer Guide, "CloudFront Functions event structure"). */
function viewerRequest(uri: string, headers: CfHeaders = {}): { version: string; context: Record<string, string>; viewer: { ip: string }; request: CfRequest } {
    return {
        version: "1.0",
        context: { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType: "viewer-request", requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
        viewer: { ip: "198.51.100.11" },
        request: { method: "GET", uri, querystring: {}, headers, cookies: {} },
    };
}

/** The generated source loaded into a context holding nothing but the language's built-ins. */
function load(source: string): (event: ReturnType<typeof viewerRequest>) => CfRequest {
    const context = vm.createContext({});
    return vm.runInContext(`${source}\n;handler`, context, { filename: "accept-function.js" });
}

/** Syntax the CloudFront Functions runtime does not list as supported, found in `source`. */
function unsupportedSyntax(source: string): string[] {
    const file = ts.createSourceFile("f.js", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isForOfStatement(node)) found.push("for-of");
        if (ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) found.push("spread");
        if (ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) found.push("destructuring");
        if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) found.push("class");
        if (ts.isParameter(node) && node.initializer) found.push("default parameter");
        if ((ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isElementAccessExpression(node)) && node.questionDotToken) found.push("optional chaining");
        if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken)) found.push("??");
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isExportAssignment(node)) found.push("module syntax");
        if (ts.isIdentifier(node) && ["require", "exports", "module", "globalThis", "eval", "Function", "setTimeout"].includes(node.text)) found.push(node.text);
        if (ts.isRegularExpressionLiteral(node) && /\/[a-z]*[suyd][a-z]*$/.test(node.text)) found.push(`regex flags ${node.text}`);
        ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
}

describe("edge/accept-function (viewer-request CloudFront Function)", () => {
    const source = acceptFunctionSource(DEFAULT_VARIANT_PRESETS);
    const handler = load(source);

    it(`is written for ${ACCEPT_FUNCTION_RUNTIME}: no syntax that runtime lacks, no module references`, () => {
        expect(ACCEPT_FUNCTION_RUNTIME).to.equal("cloudfront-js-2.0");
        expect(unsupportedSyntax(source)).to.deep.equal([]);
        // Compiled imports read `<module>_1.name`: none may be left in serialised code.
        expect(source).to.not.match(/\b\w+_1\./);
        // The checker itself finds what it looks for.
        expect(unsupportedSyntax("for (const x of y) {} const {a} = b; f(...c); d?.e; g ?? h; require('x');")).to.include.members([
            "for-of",
            "destructuring",
            "spread",
            "optional chaining",
            "??",
            "require",
        ]);
    });

    it("carries the catalogue as data: each preset's formats", () => {
        expect(source).to.include(`var PRESET_FORMATS = ${JSON.stringify({ thumb: ["avif", "webp", "jpeg", "png"], small: ["avif", "webp", "jpeg", "png"], large: ["avif", "webp", "jpeg", "png"] })};`);
    });

    for (const { browser, accept, token } of BROWSER_IMAGE_ACCEPT) {
        it(`${browser}: /images/<hash>/thumb → /images/<hash>/thumb.${token}`, () => {
            const event = viewerRequest(`/images/${HASH}/thumb`, accept === undefined ? {} : { accept: { value: accept } });
            expect(handler(event).uri).to.equal(`/images/${HASH}/thumb.${token}`);
        });
    }

    it("negotiates among the preset's own formats, as the TypeScript function does", () => {
        const catalogue: VariantCatalogue = {
            plain: { ...(DEFAULT_VARIANT_PRESETS.small as VariantPreset), formats: ["jpeg"] },
            webp: { ...(DEFAULT_VARIANT_PRESETS.small as VariantPreset), formats: ["webp", "png"] },
        };
        const custom = load(acceptFunctionSource(catalogue));
        for (const { accept } of BROWSER_IMAGE_ACCEPT) {
            for (const name of ["plain", "webp"]) {
                const headers: CfHeaders = accept === undefined ? {} : { accept: { value: accept } };
                expect(custom(viewerRequest(`/images/${HASH}/${name}`, headers)).uri).to.equal(`/images/${HASH}/${name}.${negotiateVariantToken(accept, catalogue[name].formats)}`);
            }
        }
    });

    it("joins a repeated Accept header (multiValue) before negotiating", () => {
        const event = viewerRequest(`/images/${HASH}/small`, { accept: { value: "image/png", multiValue: [{ value: "image/png" }, { value: "image/webp" }] } });
        expect(handler(event).uri).to.equal(`/images/${HASH}/small.webp`);
    });

    const untouched = [
        `/images/${HASH}`,
        `/images/${HASH}/thumb.webp`,
        `/images/${HASH}/thumb.jpeg`,
        `/images/${HASH}/huge`,
        `/images/${HASH}/constructor`,
        `/images/${HASH}/thumb/`,
        `/images/${HASH.toUpperCase()}/thumb`,
        `/images/${HASH}/%74humb`,
        "/",
        "/favicon.ico",
        "/images/../etc/passwd",
    ];
    for (const uri of untouched) {
        it(`leaves ${uri} alone, and the rest of the request with it`, () => {
            const event = viewerRequest(uri, { accept: { value: "image/avif,image/webp" }, host: { value: "images.example.com" } });
            event.request.querystring = { a: { value: "1" } };
            const before = JSON.parse(JSON.stringify(event.request));
            expect(handler(event)).to.deep.equal(before);
        });
    }

    it("changes nothing but the URI of a request it rewrites", () => {
        const event = viewerRequest(`/images/${HASH}/large`, { accept: { value: "image/webp" }, host: { value: "images.example.com" } });
        event.request.querystring = { a: { value: "1" } };
        const expected = { ...JSON.parse(JSON.stringify(event.request)), uri: `/images/${HASH}/large.webp` };
        expect(handler(event)).to.deep.equal(expected);
    });

    it(`fits CloudFront's ${MAX_CLOUDFRONT_FUNCTION_BYTES}-byte limit with the largest catalogue allowed, and refuses to generate past it`, () => {
        const name = (i: number): string => `${String(i).padStart(2, "0")}${"n".repeat(30)}`;
        const widest: VariantCatalogue = Object.fromEntries(Array.from({ length: MAX_PRESETS }, (_, i) => [name(i), DEFAULT_VARIANT_PRESETS.thumb]));
        const bytes = Buffer.byteLength(acceptFunctionSource(widest));
        expect(bytes).to.be.below(MAX_CLOUDFRONT_FUNCTION_BYTES);
        const oversized: VariantCatalogue = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${name(i)}x`, DEFAULT_VARIANT_PRESETS.thumb]));
        expect(thrown(() => acceptFunctionSource(oversized), Error).message).to.match(/over CloudFront's 10240-byte limit/);
    });
});
