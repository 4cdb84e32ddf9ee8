/**
 * The home region (components/home-region.ts): the region of the AWS
 * provider the component is given, in each form Pulumi takes one, else the
 * stack's `aws:region`. With a provider for another region than the
 * stack's, the table, its ReplicationLatency alarms and the table key's
 * region check are there; what is checked against home is checked when the
 * provider's region resolves, and fails the deployment with the message a
 * plain home gets up front.
 */
import { expect } from "chai";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { awsProviderOf, homeRegionOf, homeRegionSource } from "../../components/home-region";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { alarmMetric, deploy, MOCK_ACCOUNT, ofType, RecordedResource, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";

/** The stack's own region in these tests; the provider's is another. */
const STACK_REGION = "eu-west-1";
const PROVIDER_REGION = "us-west-2";
const KEY_IN = (region: string) => `arn:aws:kms:${region}:${MOCK_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The alarms on replication lag. */
function replicationAlarms(resources: RecordedResource[]): RecordedResource[] {
    return ofType(resources, T.alarm).filter((alarm) => alarmMetric(alarm.inputs).metricName === "ReplicationLatency");
}

/** Deploys one instance with an AWS provider for PROVIDER_REGION, passed by `pass`, in a stack whose aws:region is STACK_REGION. */
function deployWithProvider(args: SecureImageCdnArgs, pass: (provider: aws.Provider) => pulumi.ComponentResourceOptions = (provider) => ({ provider }), region = PROVIDER_REGION) {
    return deploy(() => {
        const provider = new aws.Provider("west", { region });
        new SecureImageCdn(args.service, args, pass(provider));
    }, { "aws:region": STACK_REGION });
}

/** The message of a failed deployment without the serialization prefixes Pulumi adds on the way out. */
function ownMessage(error: Error): string {
    return error.message.replace(/^(error serializing property "[^"]*": )+/, "");
}

describe("the home region: the given AWS provider's, else the stack's aws:region", () => {
    describe("which provider the children are made with", () => {
        it("the options' provider, providers.aws, the AWS one of a providers list, or the parent's; none for the default provider", async () => {
            let found: Record<string, string | undefined> = {};
            await deploy(() => {
                const west = new aws.Provider("west", { region: PROVIDER_REGION });
                const east = new aws.Provider("east", { region: "us-east-1" });
                const parent = new pulumi.ComponentResource("consumer:index:Images", "images", {}, { providers: [east] });
                const name = (provider: pulumi.ProviderResource | undefined) => (provider === undefined ? undefined : provider === west ? "west" : provider === east ? "east" : "other");
                found = {
                    provider: name(awsProviderOf({ provider: west })),
                    map: name(awsProviderOf({ providers: { aws: west } })),
                    list: name(awsProviderOf({ providers: [west] })),
                    parent: name(awsProviderOf({ parent })),
                    "provider over parent": name(awsProviderOf({ provider: west, parent })),
                    "a map without aws": name(awsProviderOf({ providers: {} })),
                    none: name(awsProviderOf({})),
                    "no options": name(awsProviderOf(undefined)),
                };
            });
            expect(found).to.deep.equal({
                provider: "west",
                map: "west",
                list: "west",
                parent: "east",
                "provider over parent": "west",
                "a map without aws": undefined,
                none: undefined,
                "no options": undefined,
            });
        });

        it("home is the provider's region, read through the provider; without one, the stack's aws:region, as a plain name", async () => {
            let fromProvider: pulumi.Input<string> | undefined;
            let fromStack: pulumi.Input<string> | undefined;
            const { outputs, calls } = await deploy(
                () => {
                    fromProvider = homeRegionOf({ provider: new aws.Provider("west", { region: PROVIDER_REGION }) });
                    fromStack = homeRegionOf({});
                    return { provider: fromProvider };
                },
                { "aws:region": STACK_REGION },
            );
            expect(outputs.provider).to.equal(PROVIDER_REGION);
            expect(fromStack).to.equal(STACK_REGION);
            expect(calls.map((call) => call.token)).to.deep.equal(["aws:index/getRegion:getRegion"]);
            expect(homeRegionSource(STACK_REGION)).to.equal("aws:region");
            expect(homeRegionSource(pulumi.output(PROVIDER_REGION))).to.equal("the region of the component's AWS provider");
        });
    });

    describe("with a provider for another region than the stack's", () => {
        for (const [form, pass] of [
            ["provider", (provider: aws.Provider) => ({ provider })],
            ["providers: { aws }", (provider: aws.Provider) => ({ providers: { aws: provider } })],
            ["providers: [aws]", (provider: aws.Provider) => ({ providers: [provider] })],
        ] as const) {
            it(`(${form}) the table is there, its ReplicationLatency alarms too, notifying the instance's topic there; a replica may be in the stack's region`, async () => {
                const { resources } = await deployWithProvider({ service: "chat", replicaRegions: [STACK_REGION, "ap-southeast-2"] }, pass);
                const table = single(resources, T.table);
                expect(table.state.region, "the table follows the provider").to.equal(PROVIDER_REGION);
                expect(table.inputs.replicas).to.deep.equal([
                    { regionName: STACK_REGION, pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
                    { regionName: "ap-southeast-2", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
                ]);
                const alarms = replicationAlarms(resources);
                expect(alarms.map((alarm) => alarm.name)).to.deep.equal([`chat-alarm-replication-latency-${STACK_REGION}`, "chat-alarm-replication-latency-ap-southeast-2"]);
                const topic = ofType(resources, T.topic).find((candidate) => candidate.inputs.region === PROVIDER_REGION);
                expect(topic, `a topic in ${PROVIDER_REGION}`).to.not.equal(undefined);
                for (const alarm of alarms) {
                    expect(alarm.inputs.region, alarm.name).to.equal(PROVIDER_REGION);
                    expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic?.state.arn]);
                }
            });
        }

        it("a replica in the provider's region fails the deployment, naming the field and where home came from", async () => {
            const error = await rejection(deployWithProvider({ service: "chat", replicaRegions: ["us-east-1", PROVIDER_REGION] }), Error);
            expect(ownMessage(error)).to.equal(`replicaRegions[1] is the home region ${PROVIDER_REGION} (the region of the component's AWS provider), where the table itself lives`);
        });

        it("the table key must be in the provider's region: one there is taken, one in the stack's region fails the deployment", async () => {
            const args = (key: string): SecureImageCdnArgs => ({ service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: key });
            const { resources } = await deployWithProvider(args(KEY_IN(PROVIDER_REGION)));
            expect(single(resources, T.table).inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: KEY_IN(PROVIDER_REGION) });
            const error = await rejection(deployWithProvider(args(KEY_IN(STACK_REGION))), Error);
            expect(ownMessage(error)).to.equal(
                `tableKmsKeyArn is a key in ${STACK_REGION}, but the table is in ${PROVIDER_REGION} (the region of the component's AWS provider): DynamoDB encrypts a table only with a key of its own region (got ${KEY_IN(STACK_REGION)})`,
            );
        });

        it("without the provider, home is the stack's aws:region again: the same replica is refused up front, before anything is created", async () => {
            const { outputs, resources } = await deploy(() => {
                try {
                    new SecureImageCdn("chat", { service: "chat", replicaRegions: [STACK_REGION] });
                } catch (caught) {
                    return { error: (caught as Error).message };
                }
                return { error: "" };
            }, { "aws:region": STACK_REGION });
            expect(outputs.error).to.equal(`replicaRegions[0] is the home region ${STACK_REGION} (aws:region), where the table itself lives`);
            expect(resources).to.deep.equal([]);
        });
    });

    describe("the ReplicationLatency alarms need a topic where the provider is", () => {
        it("a provider's region without one of the instance's topics fails the deployment, saying what to do", async () => {
            const error = await rejection(deployWithProvider({ service: "chat", replicaRegions: ["us-east-1"] }, undefined, "ap-south-1"), Error);
            expect(ownMessage(error)).to.match(
                /^alarms: the home region's alarms \(the invalidator's, the resizer's, and with replicas the ReplicationLatency ones\) are in ap-south-1 \(the region of the component's AWS provider\), where this instance has no alarm topic .*: add ap-south-1 to alarms\.edgeRegions, or give alarms\.actions with a topic in ap-south-1$/,
            );
        });

        it("with the region among alarms.edgeRegions, they notify the topic made there", async () => {
            const { resources } = await deployWithProvider({ service: "chat", replicaRegions: ["us-east-1"], alarms: { edgeRegions: ["us-east-1", "ap-south-1"] } }, undefined, "ap-south-1");
            const topic = ofType(resources, T.topic).find((candidate) => candidate.inputs.region === "ap-south-1");
            const [alarm] = replicationAlarms(resources);
            expect(alarm.inputs).to.deep.include({ region: "ap-south-1", alarmActions: [topic?.state.arn] });
        });

        it("with alarms.actions, a topic in the provider's region reaches them, and one in a region without an alarm fails the deployment", async () => {
            const home = `arn:aws:sns:${PROVIDER_REGION}:${MOCK_ACCOUNT}:oncall`;
            const east = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:oncall`;
            const { resources, warnings } = await deployWithProvider({ service: "chat", replicaRegions: ["us-east-1"], alarms: { actions: [east, home], edgeRegions: ["us-east-1"] } });
            expect(replicationAlarms(resources)[0].inputs.alarmActions).to.deep.equal([home]);
            expect(ofType(resources, T.topic)).to.deep.equal([]);
            expect(warnings, "every alarm region has a topic").to.deep.equal([]);
            const far = `arn:aws:sns:ap-south-1:${MOCK_ACCOUNT}:oncall`;
            const error = await rejection(deployWithProvider({ service: "chat", replicaRegions: ["us-east-1"], alarms: { actions: [east, far], edgeRegions: ["us-east-1"] } }), Error);
            expect(ownMessage(error)).to.match(/^alarms\.actions: topic arn:aws:sns:ap-south-1:\d{12}:oncall is in ap-south-1, where this instance has no alarm \(alarms are in us-east-1, us-west-2\)/);
        });

        it("warns, once the region resolves, when given actions leave it without a topic", async () => {
            const east = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:oncall`;
            const { warnings } = await deployWithProvider({ service: "chat", replicaRegions: ["us-east-1"], alarms: { actions: [east], edgeRegions: ["us-east-1"] } });
            expect(warnings.map((warning) => warning.message)).to.deep.equal([
                `chat: no alarms.actions topic is in ${PROVIDER_REGION}, so the alarms there notify nobody (alarms notify topics of their own region)`,
            ]);
        });
    });

    it("without replicas or a customer-managed key, the provider's region decides nothing: the instance is what it is without a provider, in that region", async () => {
        const withProvider = await deployWithProvider({ service: "chat" });
        const without = await deploy(() => {
            new SecureImageCdn("chat", { service: "chat" });
        }, { "aws:region": STACK_REGION });
        // The same children, whatever order the provider's Outputs let them register in.
        const shape = (resources: RecordedResource[]) => resources.filter((r) => r.type !== "pulumi:providers:aws").map((r) => `${r.type} ${r.name}`).sort();
        expect(shape(withProvider.resources)).to.deep.equal(shape(without.resources));
        expect(single(withProvider.resources, T.bucket).state.region).to.equal(PROVIDER_REGION);
    });
});
