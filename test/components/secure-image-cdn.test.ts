/**
 * The component's values (components/secure-image-cdn.ts): one record, built
 * once, is what the typed properties hold, what `outputs()` returns and what
 * the instance registers as its outputs, so none of the three can list a
 * value the others lack.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import type { SecureImageCdnOutputs, SecureImageCdnValues } from "../../components/secure-image-cdn";
import { deploy } from "./support/mocks";

/** Constructs one instance in a mocked stack, capturing what it registers as its outputs. */
async function constructed(args: SecureImageCdnArgs): Promise<{ cdn: SecureImageCdn; registered: unknown[] }> {
    const registered: unknown[] = [];
    let cdn: SecureImageCdn | undefined;
    // registerOutputs is protected: reached through the prototype, to watch what the instance hands it.
    const prototype = pulumi.ComponentResource.prototype as unknown as { registerOutputs(this: unknown, outputs?: unknown): void };
    const original = prototype.registerOutputs;
    prototype.registerOutputs = function (this: unknown, outputs?: unknown) {
        if (this instanceof SecureImageCdn) registered.push(outputs);
        return original.call(this, outputs);
    };
    try {
        await deploy(() => {
            cdn = new SecureImageCdn(args.service, args);
        }, { "aws:region": "eu-west-1" });
    } finally {
        prototype.registerOutputs = original;
    }
    if (!cdn) throw new Error("not constructed");
    return { cdn, registered };
}

describe("SecureImageCdn: its values, one record", () => {
    it("outputs() is what the instance registered, and each of its values is the very Output the typed property holds", async () => {
        const { cdn, registered } = await constructed({ service: "chat" });
        const outputs = cdn.outputs();
        // The base class calls it once more, without outputs, which does nothing once they are registered.
        expect(registered.filter((record) => record !== undefined)).to.have.length(1);
        expect(registered[0]).to.equal(outputs);
        const properties = cdn as unknown as Record<string, unknown>;
        const { issuer, alarmTopicArns, ...values } = outputs;
        expect(issuer).to.equal(cdn.issuerConfig);
        for (const [name, value] of Object.entries(values)) expect(properties[name], name).to.equal(value);
        expect(Object.keys(values)).to.have.members([
            "level", "mode", "domainName", "baseUrl", "bucketName", "bucketArn", "region", "tableName", "tableArn",
            "distributionId", "distributionArn", "distributionDomainName", "functionVersionArn", "dashboardUrl", "logGroupName",
        ]);
        expect(Object.keys(alarmTopicArns ?? {})).to.have.members(Object.keys(cdn.alarmTopics));
        expect(alarmTopicArns?.["us-east-1"]).to.equal(cdn.alarmTopics["us-east-1"].arn);
    });

    it("what a public instance lacks is an absent property and no output key", async () => {
        const { cdn } = await constructed({ service: "marketplace", level: "public", alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:oncall"] } });
        const outputs = cdn.outputs();
        for (const name of ["mode", "tableName", "tableArn", "functionVersionArn", "logGroupName", "alarmTopicArns"] as const) {
            expect(outputs, name).to.not.have.property(name);
        }
        expect([cdn.mode, cdn.tableName, cdn.table, cdn.edgeFunction, cdn.logGroupName]).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
        expect(outputs.level).to.equal("public");
    });

    it("the values record must hold every value the instance declares (a missing one does not compile)", () => {
        // @ts-expect-error: the record lacks the instance's other values, so it is not a SecureImageCdnValues.
        const incomplete: SecureImageCdnValues = { level: "public" };
        // @ts-expect-error: outputs() has no key for a child.
        const withChild: Pick<SecureImageCdnOutputs, "bucket"> = {};
        expect([incomplete.level, withChild]).to.deep.equal(["public", {}]);
    });
});
