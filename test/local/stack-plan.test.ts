import { expect } from "chai";
import { localEdgeSettings, localNames, planLocalServices } from "../../local/plan";
import { parseStackConfig } from "../../local/stack-config";

describe("local stack: stack config and the services it runs", () => {
    it("reads services, overrides and aws:region from a Pulumi stack file", () => {
        const config = parseStackConfig(
            [
                "config:",
                "  aws:region: eu-west-1",
                "  secure-image-cdn:services: [chat, marketplace]",
                "  secure-image-cdn:overrides:",
                "    chat:",
                "      mode: redirect",
            ].join("\n"),
            "Pulumi.test.yaml",
        );
        expect(config.region).to.equal("eu-west-1");
        expect(config.services).to.deep.equal({ services: ["chat", "marketplace"], overrides: { chat: { mode: "redirect" } } });
    });

    it("an empty file or no config key means the defaults", () => {
        expect(parseStackConfig("", "f").services).to.deep.equal({});
        expect(parseStackConfig("# nothing set yet\n\n", "f").services).to.deep.equal({});
        expect(parseStackConfig("encryptionsalt: x\n", "f").services).to.deep.equal({});
    });

    it("says which file is broken and how", () => {
        expect(() => parseStackConfig("config: [\n", "Pulumi.bad.yaml")).to.throw(/Pulumi\.bad\.yaml is not valid YAML/);
        expect(() => parseStackConfig("config:\n  aws:region: 42\n", "Pulumi.bad.yaml")).to.throw(/aws:region/);
        expect(() => parseStackConfig("- a\n", "Pulumi.bad.yaml")).to.throw(/expected a mapping/);
    });

    it("runs the component's default services (discussion, chat) with the component's settings", () => {
        const plans = planLocalServices({});
        expect(plans.map((plan) => plan.name)).to.deep.equal(["discussion", "chat"]);
        const chat = plans[1];
        expect(chat).to.include({ bucket: "local-chat-images", tableName: "local-chat-mappings", distributionId: "ELOCALCHAT" });
        expect(chat.ttls).to.deep.equal({ minTtl: 0, defaultTtl: 86400, maxTtl: 2592000 });
        expect(chat.edgeEvents).to.deep.equal(["origin-request", "origin-response"]);
        expect(chat.errorCachingTtls[404]).to.equal(10);
        expect(chat.responseHeaders.headers.map((header) => header.name)).to.include.members(["X-Content-Type-Options", "Content-Security-Policy"]);
    });

    it("follows levels and modes: public has no table and no function; secured runs at viewer-request (and origin-response in origin mode)", () => {
        const plans = planLocalServices({ services: ["marketplace", "regulatory", "chat"], overrides: { chat: { mode: "redirect" } } });
        const byName = Object.fromEntries(plans.map((plan) => [plan.name, plan]));
        expect(byName.marketplace.tableName).to.equal(undefined);
        expect(byName.marketplace.edgeEvents).to.deep.equal([]);
        expect(byName.regulatory.edgeEvents).to.deep.equal(["viewer-request", "origin-response"]);
        expect(byName.chat.edgeEvents).to.deep.equal(["origin-request"]);
    });

    it("passes the component's own errors through for a bad config", () => {
        expect(() => planLocalServices({ services: ["chat", "forum"] })).to.throw(/unknown service\(s\) forum/);
        expect(() => planLocalServices({ overrides: { chat: { mode: "teleport" } } })).to.throw(/mode/);
    });

    it("edge settings are the component's, with the local endpoints added", () => {
        const [chat] = planLocalServices({ services: ["chat"] });
        const settings = localEdgeSettings(chat, "eu-west-1", { dynamodb: "http://127.0.0.1:1", s3: "http://127.0.0.1:2" });
        expect(settings).to.include({ service: "chat", tableName: "local-chat-mappings", bucket: "local-chat-images", tableRegion: "eu-west-1", mode: "origin" });
        expect(settings?.endpoints).to.deep.equal({ dynamodb: "http://127.0.0.1:1", s3: "http://127.0.0.1:2" });
        const [market] = planLocalServices({ services: ["marketplace"] });
        expect(localEdgeSettings(market, "eu-west-1", { dynamodb: "x", s3: "y" })).to.equal(undefined);
    });

    it("local names are valid S3, DynamoDB and distribution names", () => {
        const names = localNames("discussion");
        expect(names.bucket).to.match(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
        expect(names.tableName).to.match(/^[A-Za-z0-9_.-]{3,255}$/);
        expect(names.distributionId).to.match(/^[A-Z0-9]{1,64}$/);
    });
});
