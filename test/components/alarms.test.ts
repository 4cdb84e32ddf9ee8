/**
 * The alarms (components/alarms.ts), their builder called directly with
 * resolved settings and a parent (a program's own component), as the
 * component calls it: what it returns (each alarm under its kind and
 * region, the topics it made), where given actions go (each alarm to those
 * of its own region) and on what the warning about the others is raised,
 * nothing at all when alarms are off; and with a home region known only
 * when the deployment runs (an AWS provider's), the topics are in the
 * regions named up front, the home region's alarms notify the topic there,
 * and a home region without one of the instance's topics fails them,
 * saying what to do.
 */
import { expect } from "chai";
import * as aws from "../../components/aws";
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

/** The smallest Lambda function the edge alarms can watch. */
function edgeFunction(owner: pulumi.Resource): aws.lambda.Function {
    return new aws.lambda.Function(
        "chat-edge",
        { role: "arn:aws:iam::123456789012:role/chat-edge-role", runtime: "nodejs22.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({}) },
        { parent: owner },
    );
}

/** A resource's logical name, from its URN. */
function nameOf(resource: pulumi.Resource): pulumi.Output<string> {
    return resource.urn.apply((urn) => urn.split("::").pop() ?? urn);
}

/** The logical names of a record of resources, by key. */
function namesOf(resources: Record<string, pulumi.Resource>): pulumi.Output<Record<string, string>> {
    return pulumi.all(Object.fromEntries(Object.entries(resources).map(([key, resource]) => [key, nameOf(resource)])));
}

const US_EAST_TOPIC = "arn:aws:sns:us-east-1:123456789012:oncall";

describe("components/alarms: the instance's alarms and where they notify", () => {
    it("what it returns: the error rate first of all, CloudFront's edge failures, each edge alarm under its region, every alarm in order, and the topic it made in each region", async () => {
        const { outputs, resources } = await deploy(() => {
            const owner = parent();
            const settings = guarded({ service: "chat", mode: "redirect", alarms: { edgeRegions: ["us-east-1", "ap-south-1"], email: ["oncall@example.com"] } });
            const alarms = createAlarms("chat", settings, { distribution: distribution(owner), fn: edgeFunction(owner) }, owner);
            if (alarms === undefined) throw new Error("alarms are on");
            return {
                all: pulumi.all(alarms.all.map(nameOf)),
                errorRate: nameOf(alarms.errorRate),
                cloudFrontEdgeErrors: alarms.cloudFrontEdgeErrors ? nameOf(alarms.cloudFrontEdgeErrors) : "none",
                edgeDuration: namesOf(alarms.edgeDuration),
                edgeErrors: namesOf(alarms.edgeErrors),
                edgeThrottles: namesOf(alarms.edgeThrottles),
                replicationLatency: namesOf(alarms.replicationLatency),
                invalidatorKinds: Object.keys(alarms.invalidators),
                invalidators: pulumi.all(Object.values(alarms.invalidators).map(namesOf)),
                resizer: [alarms.resizerDuration, alarms.resizerErrors, alarms.resizerThrottles].filter((alarm) => alarm !== undefined).length,
                topics: namesOf(alarms.topics.topics),
                subscriptions: pulumi.all(Object.fromEntries(Object.entries(alarms.topics.subscriptions).map(([region, list]) => [region, pulumi.all(list.map(nameOf))]))),
            };
        });
        expect(outputs).to.deep.include({
            errorRate: "chat-alarm-5xx",
            cloudFrontEdgeErrors: "chat-alarm-cloudfront-edge-errors",
            edgeDuration: { "us-east-1": "chat-alarm-edge-duration-us-east-1", "ap-south-1": "chat-alarm-edge-duration-ap-south-1" },
            edgeErrors: { "us-east-1": "chat-alarm-edge-errors-us-east-1", "ap-south-1": "chat-alarm-edge-errors-ap-south-1" },
            edgeThrottles: { "us-east-1": "chat-alarm-edge-throttles-us-east-1", "ap-south-1": "chat-alarm-edge-throttles-ap-south-1" },
            replicationLatency: {},
            invalidatorKinds: ["invalidator-errors", "invalidator-throttles", "invalidator-iterator-age", "invalidator-dead-letters"],
            invalidators: [{}, {}, {}, {}],
            resizer: 0,
            topics: { "us-east-1": "chat-alarms-us-east-1", "ap-south-1": "chat-alarms-ap-south-1" },
        });
        expect(outputs.all).to.deep.equal([
            "chat-alarm-5xx",
            "chat-alarm-cloudfront-edge-errors",
            ...["us-east-1", "ap-south-1"].flatMap((region) => [`chat-alarm-edge-duration-${region}`, `chat-alarm-edge-errors-${region}`, `chat-alarm-edge-throttles-${region}`]),
        ]);
        expect(outputs.all).to.have.members(ofType(resources, T.alarm).map((alarm) => alarm.name));
        expect(Object.keys(outputs.subscriptions)).to.have.members(["us-east-1", "ap-south-1"]);
        // Each alarm and topic is the parent's child.
        expect([...ofType(resources, T.alarm), ...ofType(resources, T.topic)].filter((resource) => resource.parent !== "images")).to.deep.equal([]);
    });

    it("given actions: no topics; each alarm notifies, on alarm and on recovery, the given topics of its own region and none of another's; the warning about a region left without one is raised on the parent", async () => {
        const { resources, warnings } = await deploy(() => {
            const owner = parent();
            const settings = guarded({ service: "chat", mode: "redirect", alarms: { actions: [US_EAST_TOPIC], edgeRegions: ["us-east-1", "ap-south-1"] } });
            createAlarms("chat", settings, { distribution: distribution(owner), fn: edgeFunction(owner) }, owner);
        });
        expect(ofType(resources, T.topic)).to.deep.equal([]);
        const alarms = ofType(resources, T.alarm);
        expect(alarms.map((alarm) => alarm.inputs.region)).to.include.members(["us-east-1", "ap-south-1"]);
        for (const alarm of alarms) {
            const expected = alarm.inputs.region === "us-east-1" ? [US_EAST_TOPIC] : [];
            expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal(expected);
            expect(alarm.inputs.okActions, alarm.name).to.deep.equal(expected);
        }
        expect(warnings.map((warning) => warning.resource)).to.deep.equal(["images"]);
        expect(warnings[0].message).to.include("ap-south-1");
    });

    it("alarms off: it makes nothing and returns nothing", async () => {
        const { outputs, resources } = await deploy(() => {
            const owner = parent();
            const settings = guarded({ service: "chat", mode: "redirect", alarms: { enabled: false } });
            return { made: createAlarms("chat", settings, { distribution: distribution(owner), fn: edgeFunction(owner) }, owner) === undefined ? "nothing" : "alarms" };
        });
        expect(outputs.made).to.equal("nothing");
        expect([...ofType(resources, T.alarm), ...ofType(resources, T.topic), ...ofType(resources, T.subscription)]).to.deep.equal([]);
    });

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
