/**
 * The alarms (components/alarms.ts), their builder called directly with
 * resolved settings and a parent (a program's own component), as the
 * component calls it: with a home region known only when the deployment
 * runs (an AWS provider's), the topics are in the regions named up front,
 * the home region's alarms notify the topic there, and a home region
 * without one of the instance's topics fails them, saying what to do.
 */
import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarms } from "../../components/alarms";
import { createMappingTableResource } from "../../components/table";
import { guarded, parent, providerRegion } from "./support/builders";
import { alarmMetric, deploy, ofType, T } from "./support/mocks";
import { rejection } from "../support/rejection";

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

describe("components/alarms: the instance's alarms and where they notify", () => {
    describe("with a provider's home region", () => {
        it("the alarms: topics in the regions named when the program runs; the ReplicationLatency alarms in home, notifying its topic", async () => {
            const { resources } = await deploy(() => {
                const owner = parent();
                const settings = guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, { homeRegion: providerRegion("us-east-1"), requireHomeRegion: true });
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
                    const settings = guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, { homeRegion: providerRegion("ap-south-1"), requireHomeRegion: true });
                    createAlarms("chat", settings, { distribution: distribution(owner), table: createMappingTableResource("chat", settings, owner) }, owner);
                }),
                Error,
            );
            expect(error.message).to.match(/alarms: the home region's alarms \(the invalidator's, the resizer's, and with replicas the ReplicationLatency ones\) are in ap-south-1 .* \(it makes them when the program runs, in us-east-1\): add ap-south-1 to alarms\.edgeRegions/);
        });
    });
});
