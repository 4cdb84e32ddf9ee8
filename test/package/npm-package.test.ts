/**
 * The package as another project gets it from npm: compiled to dist/, copied
 * under a consumer's node_modules, and loaded by its package name. This is
 * also the case where Pulumi's serializer meets our own modules *inside*
 * node_modules (it turns them into `require` calls), so the edge bundle must
 * still come out self-contained.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { installPackage } from "./installed";

let consumerDir: string;
let installedDir: string;

/** Runs a consumer script in a fresh Node process and returns its JSON answer. */
function runConsumer(script: string): Record<string, unknown> {
    const file = path.join(consumerDir, "consumer.js");
    fs.writeFileSync(file, script);
    const out = execFileSync(process.execPath, [file], { cwd: consumerDir, encoding: "utf8", env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
    return JSON.parse(out.trim().split("\n").pop() ?? "{}");
}

describe("the npm package, installed in another project", function () {
    this.timeout(180_000);

    // What `npm publish` ships ("files": package.json, README, CHANGELOG, SECURITY, docs/ and the compiled dist/).
    before(async function () {
        // Built once per run; another test file's process may be building it.
        this.timeout(600_000);
        ({ consumer: consumerDir, installed: installedDir } = await installPackage());
    });

    it("ships every file the README links to, so its links work where the package is read (npm's page, node_modules)", () => {
        const readme = fs.readFileSync(path.join(installedDir, "README.md"), "utf8");
        const targets = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
        expect(targets, "the README links to files of the repository").to.include.members(["docs/infrastructure.md", "SECURITY.md"]);
        const missing = targets.filter((target) => !fs.existsSync(path.join(installedDir, target)));
        expect(missing, "linked from README.md but not in the package").to.deep.equal([]);
    });

    it('exports SecureImageCdn, its enums and the services table from the package root ("main"/"exports")', () => {
        const answer = runConsumer(`
            const lib = require("secure-image-cdn");
            console.log(JSON.stringify({
                component: typeof lib.SecureImageCdn,
                resolvedLevel: lib.planServices({ services: ["chat"] })[0].args.level,
                services: Object.keys(lib.SERVICE_CATALOG),
                from: require.resolve("secure-image-cdn"),
            }));`);
        expect(answer.component).to.equal("function");
        expect(answer.resolvedLevel).to.equal("required");
        expect(answer.services).to.include.members(["discussion", "chat", "marketplace", "nudges", "regulatory"]);
        expect(answer.from).to.equal(path.join(installedDir, "dist", "lib.js"));
    });

    it("gives other programs the deploy identity's policy from the package root, the documents npm run deploy-policy prints", () => {
        const answer = runConsumer(`
            const { deployPolicies } = require("secure-image-cdn");
            const { DEPLOY_PERMISSIONS } = require("secure-image-cdn/dist/tools/deploy-policy/permissions.js");
            const documents = deployPolicies({ partition: "aws", accountId: "123456789012", project: "images", stack: "prod", instances: ["chat"] });
            console.log(JSON.stringify({
                documents: documents.length,
                buckets: documents.flatMap((document) => document.Statement).filter((statement) => statement.Sid === "Bucket").map((statement) => statement.Resource),
                types: Object.keys(DEPLOY_PERMISSIONS).length,
                from: require.resolve("secure-image-cdn"),
            }));`);
        // One instance's grants, variants' types included, take two managed policies.
        expect(answer.documents).to.equal(2);
        expect(answer.buckets).to.deep.equal(["arn:aws:s3:::chat-bucket-*"]);
        expect(answer.types).to.be.greaterThan(15);
        expect(answer.from).to.equal(path.join(installedDir, "dist", "lib.js"));
    });

    it("gives application code the issuing library from secure-image-cdn/issuer without loading Pulumi", () => {
        const answer = runConsumer(`
            const service = require("secure-image-cdn/issuer");
            const pulumiLoaded = Object.keys(require.cache).some((file) => file.includes("@pulumi"));
            console.log(JSON.stringify({ exports: Object.keys(service), pulumiLoaded }));`);
        expect(answer.exports).to.include.members(["ImageIssuer", "createClients", "loadIssuerConfig"]);
        expect(answer).to.have.property("pulumiLoaded", false);
    });

    it("builds a self-contained edge bundle from the installed copy, which answers a request", () => {
        const answer = runConsumer(`
            const fs = require("fs");
            const { resolveArgs } = require("secure-image-cdn/dist/components/resolve-args.js");
            const { edgeSettingsFor } = require("secure-image-cdn/dist/components/edge-settings.js");
            const { buildEdgeCode, serializeEdgeFactory } = require("secure-image-cdn/dist/components/edge-code.js");
            (async () => {
                const settings = edgeSettingsFor(resolveArgs({ service: "chat" }), {
                    tableName: "chat-table-1", tableRegion: "eu-west-1", bucket: "chat-bucket-1", bucketRegion: "eu-west-1" });
                const serialized = await serializeEdgeFactory(settings);
                const code = await buildEdgeCode(settings);
                fs.writeFileSync(__dirname + "/edge-bundle.js", code);
                const { handler } = require("./edge-bundle.js");
                const event = { Records: [{ cf: {
                    config: { distributionDomainName: "d1.cloudfront.net", distributionId: "E1", eventType: "origin-request", requestId: "r1" },
                    request: { clientIp: "203.0.113.1", method: "GET", uri: "/etc/passwd", querystring: "", headers: {} } } }] };
                const response = await handler(event);
                console.log(JSON.stringify({
                    serializedRequiresPackage: /require\\("secure-image-cdn[^"]*"\\)/.test(serialized),
                    bundleRequires: [...code.matchAll(/require\\("([^"]+)"\\)/g)].map((m) => m[1]),
                    status: response.status,
                }));
            })().catch((error) => { console.error(error); process.exit(1); });`);
        // The serializer did meet the package under node_modules and emitted a require for it...
        expect(answer).to.have.property("serializedRequiresPackage", true);
        // ...and the bundle inlined it: only Node built-ins remain to be required.
        const requires = answer.bundleRequires as string[];
        expect(requires.filter((name) => !/^(node:)?(https?|crypto|url|querystring|zlib|buffer|util|stream|events|net|tls|os|path)$/.test(name))).to.deep.equal([]);
        expect(answer.status).to.match(/^4\d\d$/);
    });
});
