/**
 * The package as a Pulumi plugin package, for programs in other languages:
 * what `pulumi package add` runs, in-process. Pulumi's component provider
 * infers the schema from the TypeScript source (the SDK of every language
 * is generated from it) and constructs the component when such a program
 * asks for one.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { ARG_KEYS } from "../../components/args";
import { SECURE_IMAGE_CDN_TYPE, SecureImageCdn } from "../../components/secure-image-cdn";
import { watchApplies } from "../components/support/apply-watch";
import { alarmMetric, at, deploy, ofType, single, T } from "../components/support/mocks";

const ROOT = path.join(__dirname, "..", "..");

interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    description?: string;
    plain?: boolean;
    optional?: boolean;
}
interface SchemaType {
    type: string;
    enum?: { name: string; value: string; description?: string }[];
    properties?: Record<string, SchemaProperty>;
}
interface Schema {
    name: string;
    version: string;
    resources: Record<string, { isComponent: boolean; description?: string; inputProperties: Record<string, SchemaProperty>; requiredInputs?: string[]; properties: Record<string, SchemaProperty> }>;
    types: Record<string, SchemaType>;
    dependencies?: { name: string; version: string }[];
}

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerModule = require("@pulumi/pulumi/provider/experimental/analyzer") as {
    Analyzer: { prototype: { findProgramEntryPoint(this: unknown): { fileName: string } } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The text of a `##` section of a Markdown file, up to the next `##` heading. */
function markdownSection(file: string, heading: string): string {
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf(`## ${heading}\n`);
    if (start < 0) throw new Error(`${path.basename(file)} has no section "${heading}"`);
    const next = text.indexOf("\n## ", start + 3);
    return text.slice(start, next < 0 ? undefined : next);
}

/** The fenced code blocks of one language in a Markdown text. */
function codeBlocks(markdown: string, language: string): string[] {
    return [...markdown.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))].map((match) => match[1]);
}

/** A schema name as Pulumi's Python SDK spells it: `edgeRegions` → `edge_regions`. */
function pythonName(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The keyword arguments of each call of `callee(` in Python text: the names, at the call's own nesting level. */
function keywordArguments(text: string, callee: string): string[][] {
    const calls: string[][] = [];
    for (let at = text.indexOf(`${callee}(`); at >= 0; at = text.indexOf(`${callee}(`, at + 1)) {
        let depth = 0;
        let current = "";
        const names: string[] = [];
        for (const char of text.slice(at + callee.length)) {
            if ("([{".includes(char)) depth += 1;
            if (")]}".includes(char)) depth -= 1;
            if (depth === 0) break;
            if (depth === 1 && char === ",") {
                names.push(current);
                current = "";
            } else {
                current += char;
            }
        }
        names.push(current);
        calls.push(names.map((argument) => /^\s*([a-z_][a-z0-9_]*)\s*=/.exec(argument)?.[1]).filter((name): name is string => name !== undefined));
    }
    return calls;
}

describe("the package as a Pulumi plugin package (other languages)", function () {
    // The schema is inferred with the TypeScript compiler over the whole project: about 15 s here.
    this.timeout(180_000);

    const provider = new ComponentProvider({ components: [SecureImageCdn], name: "secure-image-cdn", dirname: ROOT });
    let schema: Schema;
    let entryPoint: string | undefined;

    before(async () => {
        const find = analyzerModule.Analyzer.prototype.findProgramEntryPoint;
        analyzerModule.Analyzer.prototype.findProgramEntryPoint = function () {
            const file = find.call(this);
            entryPoint = file.fileName;
            return file;
        };
        try {
            schema = JSON.parse(await provider.getSchema()) as Schema;
        } finally {
            analyzerModule.Analyzer.prototype.findProgramEntryPoint = find;
        }
    });

    const component = () => schema.resources[SECURE_IMAGE_CDN_TYPE];
    const typeOf = (ref: string | undefined) => schema.types[String(ref).replace("#/types/", "")];

    it("PulumiPlugin.yaml declares a Node.js plugin, whose source entry is the package's main (lib.ts), not the stack program", () => {
        expect(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; main: string };
        expect(manifest.main).to.equal("lib.ts");
        expect(entryPoint).to.equal(path.join(ROOT, "lib.ts"));
        expect(schema.name).to.equal(manifest.name);
    });

    it("the schema holds SecureImageCdn as a component under the type token the component registers", () => {
        expect(Object.keys(schema.resources)).to.deep.equal([SECURE_IMAGE_CDN_TYPE]);
        expect(component().isComponent).to.equal(true);
        expect(component().description).to.match(/CloudFront/);
    });

    it("every arg is an input with its JSDoc as description; service is the one required input", () => {
        const inputs = component().inputProperties;
        expect(Object.keys(inputs)).to.have.members([...ARG_KEYS]);
        for (const [name, property] of Object.entries(inputs)) expect(property.description, name).to.match(/\w{3,}/);
        for (const name of ["alarms", "edge"]) {
            const fields = Object.entries(typeOf(inputs[name].$ref)?.properties ?? {});
            expect(fields.length, name).to.be.greaterThan(3);
            for (const [field, property] of fields) expect(property.description, `${name}.${field}`).to.match(/\w{3,}/);
        }
        expect(component().requiredInputs).to.deep.equal(["service"]);
        expect(inputs.service.description).to.match(/^Name of the service whose images this CDN serves/);
    });

    it("level, mode and priceClass are enums with the values TypeScript callers write", () => {
        const inputs = component().inputProperties;
        const values = (name: string) => typeOf(inputs[name].$ref)?.enum?.map((member) => member.value);
        expect(values("level")).to.deep.equal(["public", "required", "secured"]);
        expect(values("mode")).to.deep.equal(["origin", "redirect"]);
        expect(values("priceClass")).to.deep.equal(["PriceClass_100", "PriceClass_200", "PriceClass_All"]);
        expect(typeOf(inputs.level.$ref)?.enum?.find((member) => member.value === "secured")?.description).to.match(/every request/);
    });

    it("variants: a plain map of presets whose fit and formats are enums with the values TypeScript callers write; resizer a plain object", () => {
        const inputs = component().inputProperties;
        expect(inputs.variants.plain).to.equal(true);
        const preset = typeOf(inputs.variants.additionalProperties?.$ref);
        expect(Object.keys(preset?.properties ?? {})).to.have.members(["width", "height", "fit", "quality", "formats", "eager"]);
        for (const [field, property] of Object.entries(preset?.properties ?? {})) expect(property.description, `variants.*.${field}`).to.match(/\w{3,}/);
        expect(typeOf(preset?.properties?.fit.$ref)?.enum?.map((member) => member.value)).to.deep.equal(["cover", "inside"]);
        expect(typeOf(preset?.properties?.formats.items?.$ref)?.enum?.map((member) => member.value)).to.deep.equal(["avif", "webp", "jpeg", "png"]);
        expect(Object.keys(typeOf(inputs.resizer.$ref)?.properties ?? {})).to.have.members(["reservedConcurrency", "memorySizeMb", "timeoutSeconds"]);
        expect(inputs.resizer.plain).to.equal(true);
        // What the issuer reads back: each preset's formats and eager flag.
        const issuer = typeOf(component().properties.issuerConfig.$ref);
        expect(Object.keys(typeOf(issuer?.properties?.variants.additionalProperties?.$ref)?.properties ?? {})).to.have.members(["formats", "eager"]);
    });

    it("values passed through to AWS are Inputs; what decides the resources is plain", () => {
        const inputs = component().inputProperties;
        expect(inputs.certificateArn.plain, "certificateArn").to.equal(undefined);
        expect(inputs.aliases.items?.plain, "aliases items").to.equal(undefined);
        expect(inputs.tags.additionalProperties?.plain, "tag values").to.equal(undefined);
        const alarms = typeOf(inputs.alarms.$ref);
        expect(alarms?.properties?.actions.items?.plain, "alarms.actions items").to.equal(undefined);
        for (const name of ["service", "level", "mode", "hashTtlSeconds", "priceClass", "protectData", "alarms", "edge", "aliases", "tags"]) {
            expect(inputs[name].plain, name).to.equal(true);
        }
        expect(alarms?.properties?.edgeRegions.plain).to.equal(true);
    });

    it("outputs: the values, and each child as a reference to its AWS resource type", () => {
        const outputs = component().properties;
        for (const name of ["baseUrl", "domainName", "bucketName", "region", "distributionId", "distributionDomainName", "tableName", "functionVersionArn"]) {
            expect(outputs[name]?.type, name).to.equal("string");
        }
        expect(typeOf(outputs.level.$ref)?.enum?.length).to.equal(3);
        const aws = (token: string) => `/aws/v${schema.dependencies?.find((d) => d.name === "aws")?.version}/schema.json#/resources/${token.replace("/", "%2F")}`;
        expect(outputs.bucket.$ref).to.equal(aws(T.bucket));
        expect(outputs.table.$ref).to.equal(aws(T.table));
        expect(outputs.edgeFunction.$ref).to.equal(aws(T.fn));
        expect(outputs.edgeRole.$ref).to.equal(aws(T.role));
        expect(outputs.distribution.$ref).to.equal(aws(T.distribution));
        expect(outputs.cachePolicy.$ref).to.equal(aws(T.cachePolicy));
        expect(outputs.responseHeadersPolicy.$ref).to.equal(aws(T.headersPolicy));
        expect(outputs.errorRateAlarm.$ref).to.equal(aws(T.alarm));
        expect(outputs.edgeDurationAlarms.additionalProperties?.$ref).to.equal(aws(T.alarm));
        expect(outputs.table.optional && outputs.edgeFunction.optional).to.equal(true);
        expect(typeOf(outputs.issuerConfig.$ref)?.properties).to.include.keys("cdnBaseUrl", "bucket", "region", "tableName", "hashTtlSeconds");
    });

    it("construct, as a program in another language asks for one: the component and its children are registered, values arriving as Outputs included", async () => {
        const watch = watchApplies();
        const topicArn = "arn:aws:sns:us-east-1:123456789012:oncall";
        let deployment;
        try {
            deployment = await deploy(() => {
                // What the engine passes: plain values, and Outputs where the program's values came from its resources.
                const inputs = {
                    service: "regulatory",
                    level: "secured",
                    mode: "redirect",
                    tags: { team: pulumi.output("compliance") },
                    alarms: { actions: [pulumi.output(topicArn)], edgeRegions: ["us-east-1", "eu-west-1"] },
                };
                const constructed = provider.construct("notices", SECURE_IMAGE_CDN_TYPE, inputs, {});
                return { state: constructed.then(({ state }) => ({ baseUrl: state.baseUrl, mode: state.mode, keys: Object.keys(state) })), urn: constructed.then(({ urn }) => urn) };
            });
        } finally {
            watch.stop();
        }
        const { resources, outputs } = deployment;
        expect(single(resources, T.component).name).to.equal("notices");
        expect(outputs.urn).to.match(/^urn:pulumi:test::secure-image-cdn::\S*secure-image-cdn:index:SecureImageCdn::notices$/);
        for (const type of [T.bucket, T.table, T.fn, T.role, T.distribution, T.cachePolicy, T.headersPolicy, T.bucketPolicy]) {
            expect(single(resources, type).parent, type).to.equal("notices");
        }
        const associations = at(single(resources, T.distribution).inputs, "defaultCacheBehavior", "lambdaFunctionAssociations") as unknown[];
        expect(associations.map((a) => at(a, "eventType"))).to.deep.equal(["viewer-request"]);
        expect(single(resources, T.bucket).inputs.tags).to.deep.include({ team: "compliance" });
        const cloudFrontAlarm = ofType(resources, T.alarm).find((a) => alarmMetric(a.inputs).namespace === "AWS/CloudFront");
        expect(cloudFrontAlarm?.inputs.alarmActions).to.deep.equal([topicArn]);
        expect(outputs.state.mode).to.equal("redirect");
        expect(outputs.state.baseUrl).to.equal(`https://${String(single(resources, T.distribution).state.domainName)}`);
        expect(outputs.state.keys).to.have.members(Object.keys(component().properties));
        expect(watch.registeredInApply).to.deep.equal([]);
    });
    describe("the README's examples (Using the component from another Pulumi project)", () => {
        const section = markdownSection(path.join(ROOT, "README.md"), "Using the component from another Pulumi project");

        it("the TypeScript example is the consumer program the tests type-check and run (test/package/consumer/index.ts)", () => {
            const program = fs.readFileSync(path.join(__dirname, "consumer", "index.ts"), "utf8").trim();
            expect(codeBlocks(section, "ts").map((block) => block.trim())).to.include(program);
        });

        it("the Python example uses the names of the schema's inputs, types, enum members and outputs", () => {
            const [python] = codeBlocks(section, "python");
            expect(python, "a Python example").to.be.a("string");
            const inputs = component().inputProperties;
            const [args] = keywordArguments(python, "sic.SecureImageCdn");
            expect(args.length).to.be.greaterThan(3);
            for (const name of args) expect(Object.keys(inputs).map(pythonName), `SecureImageCdn(${name}=…)`).to.include(name);
            // Input object types are <Type>Args in Python.
            const typeCalls = [...python.matchAll(/sic\.(\w+)Args\(/g)].map((match) => match[1]);
            expect(typeCalls.length).to.be.greaterThan(0);
            for (const type of typeCalls) {
                const properties = schema.types[`secure-image-cdn:index:${type}`]?.properties;
                expect(properties, `type ${type}`).to.be.an("object");
                for (const [keywords] of [keywordArguments(python, `sic.${type}Args`)]) {
                    for (const name of keywords) expect(Object.keys(properties ?? {}).map(pythonName), `${type}Args(${name}=…)`).to.include(name);
                }
            }
            // Enum members are UPPER_SNAKE_CASE of the schema's member names.
            const members = [...python.matchAll(/sic\.(\w+)\.([A-Z][A-Z0-9_]*)\b/g)];
            expect(members.length).to.be.greaterThan(0);
            for (const [, type, member] of members) {
                const names = schema.types[`secure-image-cdn:index:${type}`]?.enum?.map((m) => pythonName(m.name).toUpperCase());
                expect(names, `enum ${type}`).to.include(member);
            }
            const outputs = [...python.matchAll(/\bimages\.([a-z_]+)\b/g)].map((match) => match[1]);
            expect(outputs.length).to.be.greaterThan(0);
            for (const name of outputs) expect(Object.keys(component().properties).map(pythonName), `images.${name}`).to.include(name);
        });

        it("the YAML example uses the schema's type token, inputs, enum values and outputs", () => {
            const [text] = codeBlocks(section, "yaml");
            const program = yaml.load(text) as {
                packages: Record<string, string>;
                resources: Record<string, { type: string; properties: Record<string, unknown> }>;
                outputs: Record<string, string>;
            };
            expect(program.packages).to.have.property(schema.name);
            const [name, images] = Object.entries(program.resources).find(([, resource]) => resource.type.startsWith(`${schema.name}:`)) ?? [];
            // YAML's short form `<package>:<Type>` is the schema's `<package>:index:<Type>`.
            expect(images?.type.replace(/^([^:]+):([^:]+)$/, "$1:index:$2")).to.equal(SECURE_IMAGE_CDN_TYPE);
            const inputs = component().inputProperties;
            for (const [key, value] of Object.entries(images?.properties ?? {})) {
                expect(inputs, `property ${key}`).to.have.property(key);
                const enumValues = typeOf(inputs[key].$ref)?.enum?.map((member) => member.value);
                if (enumValues) expect(enumValues, `${key}: ${String(value)}`).to.include(value);
                const objectType = typeOf(inputs[key].$ref)?.properties;
                if (objectType) for (const inner of Object.keys(value as object)) expect(objectType, `${key}.${inner}`).to.have.property(inner);
            }
            const outputs = Object.values(program.outputs).map((expression) => new RegExp(`^\\$\\{${name}\\.(\\w+)\\}$`).exec(expression)?.[1]);
            expect(outputs.length).to.be.greaterThan(0);
            for (const output of outputs) expect(component().properties, String(output)).to.have.property(String(output));
        });
    });
});
