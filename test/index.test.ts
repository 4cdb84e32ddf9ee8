/**
 * The stack program (index.ts) run under mocks the way the Pulumi language
 * host runs it: config set, module loaded inside a stack, exports awaited.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { issuerConfigsFromOutputs } from "../issuer/config";
import { at, deploy, ofType, single, T } from "./components/support/mocks";
import { rejection } from "./support/rejection";

const ROOT = path.join(__dirname, "..");
const PROGRAM = path.join(ROOT, "index.ts");

/** Loads index.ts afresh (it reads its config when loaded) and returns its exports. */
function runProgram(): Record<string, unknown> {
    delete require.cache[require.resolve(PROGRAM)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(PROGRAM) as Record<string, unknown>;
}

/** Pulumi's wire form of stack config: every value a string, objects as JSON. */
function wireConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

describe("stack program (index.ts)", () => {
    it("with no config it deploys exactly discussion and chat, and exports each one's outputs", async () => {
        const { outputs, resources } = await deploy(runProgram, wireConfig({ "aws:region": "eu-west-1" }));
        expect(ofType(resources, T.component).map((c) => c.name)).to.have.members(["discussion", "chat"]);
        const services = at(outputs, "services") as Record<string, Record<string, unknown>>;
        expect(Object.keys(services)).to.have.members(["discussion", "chat"]);
        for (const name of ["discussion", "chat"]) {
            const exported = services[name];
            expect(exported, name).to.include({
                level: "required",
                mode: "origin",
                tableName: single(resources, T.table, name).state.name,
                distributionId: single(resources, T.distribution, name).id,
                functionVersionArn: single(resources, T.fn, `${name}-edge`).state.qualifiedArn,
            });
            // The services table gives both the default catalogue: a resizer each, named after the service.
            expect(single(resources, T.fn, `${name}-resizer`).inputs.architectures, name).to.deep.equal(["arm64"]);
            expect(Object.keys((exported.issuer as { variants: object }).variants), name).to.deep.equal(["thumb", "small", "large"]);
            // Written out here on purpose, as an oracle independent of SecureImageCdn.outputs().
            expect(Object.keys(exported), name).to.have.members([
                "level",
                "mode",
                "baseUrl",
                "domainName",
                "bucketName",
                "bucketArn",
                "region",
                "tableName",
                "tableArn",
                "distributionId",
                "distributionArn",
                "distributionDomainName",
                "functionVersionArn",
                "dashboardUrl",
                "alarmTopicArns",
                "logGroupName",
                "issuer",
            ]);
            expect(exported.dashboardUrl, name).to.equal(`https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/secure-image-cdn-test-${name}`);
            expect(Object.keys(exported.alarmTopicArns as object), name).to.have.members(["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"]);
            expect(Object.keys(exported.issuer as object), name).to.have.members([
                "service",
                "level",
                "region",
                "tableName",
                "bucket",
                "cdnBaseUrl",
                "distributionId",
                "hashTtlSeconds",
                "uploadPrefix",
                "maxUploadBytes",
                "mode",
                "memoTtlSeconds",
                "signedUrlTtlSeconds",
                "reinvalidateAfterSeconds",
                "variants",
            ]);
        }
        const issuers = issuerConfigsFromOutputs(JSON.parse(JSON.stringify(outputs)), "stack outputs");
        expect(issuers.get("chat")).to.deep.equal(services.chat.issuer);
    });

    it("Pulumi.dev.yaml is valid config for the program and deploys discussion and chat", async () => {
        const stackFile = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        expect(stackFile.config["aws:region"]).to.be.a("string");
        const { outputs } = await deploy(runProgram, wireConfig(stackFile.config));
        expect(Object.keys(at(outputs, "services") as object)).to.have.members(["discussion", "chat"]);
    });

    it("config picks the services and overrides one of them", async () => {
        const { resources, outputs } = await deploy(
            runProgram,
            wireConfig({
                "secure-image-cdn:services": ["marketplace", "regulatory"],
                "secure-image-cdn:overrides": { regulatory: { mode: "redirect" } },
            }),
        );
        expect(ofType(resources, T.component).map((c) => c.name)).to.have.members(["marketplace", "regulatory"]);
        expect(ofType(resources, T.fn).map((f) => f.name)).to.deep.equal(["regulatory-edge"]);
        expect(ofType(resources, T.table, "marketplace")).to.deep.equal([]);
        const services = at(outputs, "services");
        expect(at(services, "regulatory", "mode")).to.equal("redirect");
        expect(at(services, "regulatory", "level")).to.equal("secured");
        expect(at(services, "marketplace", "level")).to.equal("public");
        // A public instance has no delivery mode, no table and no function.
        expect(at(services, "marketplace")).to.not.have.any.keys("mode", "tableName", "tableArn", "functionVersionArn");
        expect(at(services, "marketplace", "issuer")).to.not.have.property("tableName");
        // What `pulumi stack output --json` would hold is what the issuing library loads.
        const issuers = issuerConfigsFromOutputs(JSON.parse(JSON.stringify(outputs)), "stack outputs");
        expect([...issuers.keys()]).to.have.members(["marketplace", "regulatory"]);
        expect(issuers.get("regulatory")).to.deep.equal(at(services, "regulatory", "issuer"));
        expect(issuers.get("marketplace")?.tableName).to.equal(undefined);
        const associations = at(single(resources, T.distribution, "regulatory").inputs, "defaultCacheBehavior", "lambdaFunctionAssociations");
        expect((associations as unknown[]).map((a) => at(a, "eventType"))).to.deep.equal(["viewer-request"]);
    });

    it("a config error stops the program, naming the config key", async () => {
        const unknown = await rejection(deploy(runProgram, wireConfig({ "secure-image-cdn:services": ["discussion", "forum"] })), Error);
        expect(String(unknown)).to.match(/secure-image-cdn:services: unknown service\(s\) forum/);

        const invalid = await rejection(deploy(runProgram, wireConfig({ "secure-image-cdn:overrides": { chat: { level: "public", mode: "redirect" } } })), Error);
        expect(String(invalid)).to.match(/secure-image-cdn:overrides\.chat: mode does not apply to level "public"/);
    });
});
