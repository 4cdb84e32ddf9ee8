/**
 * The builders that take the home region, called directly with resolved
 * settings and a parent (a program's own component), as the component calls
 * them: the table (components/table.ts) and the alarms
 * (components/alarms.ts), with home an AWS provider's region, an Output.
 */
import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { createAlarms } from "../../components/alarms";
import { isGuarded, resolveArgs, ResolvedGuardedSettings } from "../../components/resolve-args";
import { createMappingTableResource } from "../../components/table";
import { alarmMetric, deploy, ofType, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";

/** A provider's region: known only once the deployment runs. */
function providerRegion(region: string): pulumi.Output<string> {
    return pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(region))));
}

function guarded(args: SecureImageCdnArgs, home: pulumi.Input<string>): ResolvedGuardedSettings {
    const settings = resolveArgs(args, { homeRegion: home, requireHomeRegion: true });
    if (!isGuarded(settings)) throw new Error("expected a guarded level");
    return settings;
}

/** A program's own component, to parent what a builder makes. */
function parent(): pulumi.ComponentResource {
    return new pulumi.ComponentResource("consumer:index:Images", "images");
}

/** The smallest distribution the alarms can watch. */
function distribution(owner: pulumi.Resource): aws.cloudfront.Distribution {
    return new aws.cloudfront.Distribution(
        "chat-cdn",
        {
            enabled: true,
            origins: [{ originId: "images", domainName: "chat-bucket.s3.eu-west-1.amazonaws.com" }],
            defaultCacheBehavior: { targetOriginId: "images", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        },
        { parent: owner },
    );
}

describe("builders, called directly with a provider's home region", () => {
    it("the table: its replicas once home resolves; a replica at home fails the table, naming where home came from", async () => {
        const { resources } = await deploy(() => {
            createMappingTableResource("chat", guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, providerRegion("us-west-2")), parent());
        });
        const table = single(resources, T.table);
        expect(table.parent).to.equal("images");
        expect(table.inputs.replicas).to.deep.equal([{ regionName: "eu-west-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true }]);
        const error = await rejection(
            deploy(() => {
                createMappingTableResource("chat", guarded({ service: "chat", replicaRegions: ["us-west-2"] }, providerRegion("us-west-2")), parent());
            }),
            Error,
        );
        expect(error.message).to.match(/replicaRegions\[0\] is the home region us-west-2 \(the region of the component's AWS provider\), where the table itself lives$/);
    });

    it("the alarms: topics in the regions named when the program runs; the ReplicationLatency alarms in home, notifying its topic", async () => {
        const { resources } = await deploy(() => {
            const owner = parent();
            const settings = guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, providerRegion("us-east-1"));
            const table = createMappingTableResource("chat", settings, owner);
            createAlarms("chat", settings, { distribution: distribution(owner), table }, owner);
        });
        const topics = ofType(resources, T.topic);
        expect(topics.map((topic) => topic.inputs.region)).to.deep.equal(["us-east-1"]);
        const replication = ofType(resources, T.alarm).filter((alarm) => alarmMetric(alarm.inputs).metricName === "ReplicationLatency");
        expect(replication.map((alarm) => [alarm.name, alarm.inputs.region, alarm.inputs.alarmActions])).to.deep.equal([
            ["chat-alarm-replication-latency-eu-west-1", "us-east-1", [topics[0].state.arn]],
        ]);
    });

    it("the alarms: a home region without one of the instance's topics fails them, saying which regions have one", async () => {
        const error = await rejection(
            deploy(() => {
                const owner = parent();
                const settings = guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, providerRegion("ap-south-1"));
                createAlarms("chat", settings, { distribution: distribution(owner), table: createMappingTableResource("chat", settings, owner) }, owner);
            }),
            Error,
        );
        expect(error.message).to.match(/alarms: the home region's alarms \(the invalidator's, the resizer's, and with replicas the ReplicationLatency ones\) are in ap-south-1 .* \(it makes them when the program runs, in us-east-1\): add ap-south-1 to alarms\.edgeRegions/);
    });
});
