/**
 * The services the local stack runs (local/plan.ts), planned from a stack
 * config with the component's own defaults, levels, modes and errors: each
 * service's bucket, table, distribution id, cache lifetimes, edge events
 * and response headers, its edge settings with the local endpoints added,
 * and local names AWS would accept. Pure: nothing is started.
 */
import { expect } from "chai";
import { localEdgeSettings, localNames, planLocalServices } from "../../local/plan";

describe("local stack: the services a stack config runs", () => {
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
