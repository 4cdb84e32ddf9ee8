/**
 * The operations args as resolveArgs applies them: their defaults, the edge
 * regions that follow the price class, and which combinations it refuses.
 */
import { expect } from "chai";
import { edgeLogRegions } from "../../../components/args";
import { resolveArgs, ResolvedGuardedSettings } from "../../../components/resolve-args";

function guarded(args: Parameters<typeof resolveArgs>[0]): ResolvedGuardedSettings {
    const settings = resolveArgs(args);
    if (settings.level === "public") throw new Error("expected a guarded level");
    return settings;
}

describe("operations args", () => {
    it("defaults: topics created (no actions), no addresses, a floor of 100, additional metrics on, logs kept 30 days, the AWS-owned table key", () => {
        const settings = guarded({ service: "chat" });
        expect(settings.alarms).to.deep.include({ createTopics: true, email: [], minRequests: 100 });
        expect(settings).to.deep.include({ additionalMetrics: true, logRetentionDays: 30, tableEncryption: "aws-owned" });
        expect(settings).to.not.have.property("tableKmsKeyArn");
    });

    it("edge alarm regions default to the price class's regions; given ones win; logs cover both", () => {
        expect(guarded({ service: "chat", priceClass: "PriceClass_All" }).alarms.edgeRegions).to.have.length(13);
        expect(guarded({ service: "chat", priceClass: "PriceClass_200" }).alarms.edgeRegions).to.include("ap-northeast-1").and.not.include("sa-east-1");
        const narrowed = guarded({ service: "chat", priceClass: "PriceClass_200", alarms: { edgeRegions: ["eu-west-1", "sa-east-1"] } });
        expect(narrowed.alarms.edgeRegions).to.deep.equal(["eu-west-1", "sa-east-1"]);
        const everyRegionalEdgeCache = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"];
        expect(edgeLogRegions(narrowed), "logs in every regional edge cache region").to.have.members(everyRegionalEdgeCache);
        expect(edgeLogRegions(guarded({ service: "chat", alarms: { edgeRegions: ["ca-central-1"] } })), "plus an added alarm region").to.have.members([...everyRegionalEdgeCache, "ca-central-1"]);
    });

    it("given actions mean no topics; alarms off mean none either", () => {
        expect(guarded({ service: "chat", alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:oncall"] } }).alarms.createTopics).to.equal(false);
        expect(guarded({ service: "chat", alarms: { enabled: false } }).alarms.createTopics).to.equal(false);
    });

    it("the public level takes no log or table args; additionalMetrics applies to every level", () => {
        expect(resolveArgs({ service: "marketplace", level: "public", additionalMetrics: false })).to.deep.include({ additionalMetrics: false });
        for (const [field, value] of [
            ["logRetentionDays", 7],
            ["tableEncryption", "aws-managed-kms"],
        ] as const) {
            expect(() => resolveArgs({ service: "marketplace", level: "public", [field]: value }), field).to.throw(new RegExp(`^${field} does not apply to level "public"`));
        }
        expect(() => resolveArgs({ service: "chat", additionalMetrics: "yes" as never })).to.throw(/^additionalMetrics must be true or false/);
    });
});
