/**
 * `replicaRegions` under Pulumi mocks: the table becomes a global table
 * (replicas with point-in-time recovery and deletion protection, the stream
 * it needs), the edge role may read the table in each replica region and
 * nothing more, each replica gets a `ReplicationLatency` alarm in the home
 * region and rows on the dashboard, and bad values are refused with the
 * field named (what the edge captures of the replica regions:
 * test/components/edge-settings.test.ts).
 */
import { expect } from "chai";
import * as aws from "../../components/aws";
import * as path from "path";
import type { SecureImageCdnArgs } from "../../components/args";
import { edgeSettingsFor } from "../../components/edge-settings";
import { checkReplicaRegions } from "../../components/args/table";
import { tableArnIn, tableReplicas } from "../../components/replicas";
import { isGuarded, resolveArgs, ResolvedGuardedSettings } from "../../components/resolve-args";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { alarmMetric, at, deploy, json, list, MOCK_ACCOUNT, ofType, RecordedResource, single, T } from "./support/mocks";
import { sharedDeploys } from "./support/shared-deploy";
import { rejection, thrown } from "../support/rejection";

const HOME = "eu-west-1";
const REPLICAS = ["us-east-1", "ap-southeast-2"];

function guarded(args: SecureImageCdnArgs, homeRegion = HOME): ResolvedGuardedSettings {
    const settings = resolveArgs(args, { homeRegion, requireHomeRegion: true });
    if (!isGuarded(settings)) throw new Error("expected a guarded level");
    return settings;
}

/** The statements of the edge role's inline policy. */
function edgeStatements(resources: RecordedResource[]): { Sid: string; Action: string | string[]; Resource: string | string[] }[] {
    return list(json(single(resources, T.rolePolicy, "chat-edge-policy").inputs, "policy"), "Statement") as { Sid: string; Action: string | string[]; Resource: string | string[] }[];
}

describe("replicaRegions: a global table, read nearest by the edge", () => {
    /** Instance "chat" with `args`, deployed once per args and config and shared by the tests that ask. */
    const deployOne = sharedDeploys((args: SecureImageCdnArgs, config: Record<string, string> = { "aws:region": HOME }) => deploy(() => ({ out: new SecureImageCdn("chat", args).outputs() }), config));

    describe("the table", () => {
        it("gets a replica per region, each with point-in-time recovery, deletion protection and the table's tags, and the stream replicas need", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegions: REPLICAS });
            const table = single(resources, T.table).inputs;
            expect(table).to.include({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES", deletionProtectionEnabled: true, billingMode: "PAY_PER_REQUEST" });
            expect(at(table, "pointInTimeRecovery", "enabled")).to.equal(true);
            expect(table.replicas).to.deep.equal([
                { regionName: "us-east-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
                { regionName: "ap-southeast-2", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
            ]);
        });

        it("without replicas stays one table, its stream on all the same (the invalidator reads it; adding replicas later changes nothing else)", async () => {
            for (const args of [{ service: "chat" }, { service: "chat", mode: "redirect" }, { service: "regulatory", level: "secured" }] as SecureImageCdnArgs[]) {
                const { resources } = await deployOne(args);
                const table = single(resources, T.table).inputs;
                expect(table, args.service).not.to.have.any.keys("replicas");
                expect(table, args.service).to.include({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" });
            }
        });

        it("with protectData false the replicas lose deletion protection too (a throwaway stack)", () => {
            expect(tableReplicas(["us-east-1"], { protectData: false })).to.deep.equal([{ regionName: "us-east-1", pointInTimeRecovery: true, deletionProtectionEnabled: false, propagateTags: true }]);
        });
    });

    describe("the edge role", () => {
        it("may GetItem on the table at home and in each replica region, and nothing more on DynamoDB", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegions: REPLICAS });
            const dynamo = edgeStatements(resources).filter((statement) => [statement.Action].flat().some((action) => action.startsWith("dynamodb:")));
            expect(dynamo).to.have.length(1);
            const table = `table/chat-table-`;
            expect(dynamo[0].Action).to.equal("dynamodb:GetItem");
            const arns = [dynamo[0].Resource].flat();
            expect(arns.map((arn) => arn.split(":")[3])).to.deep.equal([HOME, ...REPLICAS]);
            for (const arn of arns) expect(arn).to.match(new RegExp(`^arn:aws:dynamodb:[a-z0-9-]+:${MOCK_ACCOUNT}:${table}`));
            expect(new Set(arns.map((arn) => arn.split(":").slice(5).join(":"))).size, "the same table in each region").to.equal(1);
        });

        it("without replicas may read the home table only", async () => {
            const { resources } = await deployOne({ service: "chat" });
            const lookUp = edgeStatements(resources).find((statement) => statement.Sid === "LookUpHashes");
            expect(lookUp?.Resource).to.be.a("string").and.match(/^arn:aws:dynamodb:eu-west-1:/);
        });

        it("names a replica's ARN by swapping the region only", () => {
            expect(tableArnIn("arn:aws:dynamodb:eu-west-1:123456789012:table/chat-table-abc", "ap-southeast-2")).to.equal("arn:aws:dynamodb:ap-southeast-2:123456789012:table/chat-table-abc");
            expect(() => tableArnIn("arn:aws:s3:::bucket", "us-east-1")).to.throw("not a DynamoDB table ARN");
        });
    });

    describe("operations", () => {
        it("each replica region gets a ReplicationLatency alarm in the home region, notifying the home region's topic, quiet when nothing is written", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegions: REPLICAS });
            const alarms = ofType(resources, T.alarm).filter((alarm) => alarmMetric(alarm.inputs).metricName === "ReplicationLatency");
            expect(alarms.map((alarm) => alarm.name)).to.deep.equal(["chat-alarm-replication-latency-us-east-1", "chat-alarm-replication-latency-ap-southeast-2"]);
            const homeTopic = ofType(resources, T.topic).find((topic) => topic.inputs.region === HOME);
            expect(homeTopic, "a topic in the home region").to.not.equal(undefined);
            for (const [index, alarm] of alarms.entries()) {
                const metric = alarmMetric(alarm.inputs);
                expect(alarm.inputs).to.include({ region: HOME, treatMissingData: "notBreaching", threshold: 10000, comparisonOperator: "GreaterThanThreshold" });
                expect(metric).to.deep.include({ namespace: "AWS/DynamoDB", stat: "Average" });
                expect(metric.dimensions.ReceivingRegion).to.equal(REPLICAS[index]);
                expect(metric.dimensions.TableName).to.match(/^chat-table-/);
                expect(alarm.inputs.alarmActions).to.deep.equal([homeTopic?.state.arn]);
            }
            const none = await deployOne({ service: "chat" });
            expect(ofType(none.resources, T.alarm).filter((alarm) => alarmMetric(alarm.inputs).metricName === "ReplicationLatency")).to.deep.equal([]);
        });

        it("takes its threshold from alarms.replicationLatencyMs, and the component exposes the alarms by replica region", async () => {
            let cdn: SecureImageCdn | undefined;
            const { resources } = await deploy(() => {
                cdn = new SecureImageCdn("chat", { service: "chat", replicaRegions: ["us-east-1"], alarms: { replicationLatencyMs: 2500 } });
                return {};
            }, { "aws:region": HOME });
            const alarm = ofType(resources, T.alarm).find((a) => alarmMetric(a.inputs).metricName === "ReplicationLatency");
            expect(alarm?.inputs.threshold).to.equal(2500);
            expect(Object.keys(cdn?.replicationLatencyAlarms ?? {})).to.deep.equal(["us-east-1"]);
        });

        it("the dashboard shows each replica's reads in its own region and the replication lag towards each", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegions: REPLICAS });
            const body = json(single(resources, T.dashboard).inputs, "dashboardBody") as { widgets: { type: string; properties: { title?: string; region?: string; metrics?: unknown[][] } }[] };
            const graphs = body.widgets.filter((widget) => widget.type === "metric");
            const lag = graphs.find((widget) => widget.properties.title?.startsWith("DynamoDB replication lag"));
            expect(lag?.properties.region).to.equal(HOME);
            expect(lag?.properties.metrics?.map((line) => line.slice(0, 2).concat(line.slice(4, 6)))).to.deep.equal(REPLICAS.map((region) => ["AWS/DynamoDB", "ReplicationLatency", "ReceivingRegion", region]));
            for (const region of REPLICAS) {
                const reads = graphs.find((widget) => widget.properties.title === `DynamoDB reads of the replica — ${region}`);
                expect(reads?.properties.region, region).to.equal(region);
                expect(reads?.properties.metrics?.map((line) => line[1])).to.deep.equal(["ConsumedReadCapacityUnits", "ReadThrottleEvents"]);
            }
        });
    });

    describe("refusals, each naming the field", () => {
        const cases: [string, SecureImageCdnArgs, string][] = [
            ["an unknown region", { service: "chat", replicaRegions: ["us-east-1", "mars-north-1"] }, 'replicaRegions[1] must be a commercial AWS region code such as "us-east-1" (got "mars-north-1")'],
            ["a region twice", { service: "chat", replicaRegions: ["us-east-1", "us-east-1"] }, "replicaRegions lists us-east-1 twice"],
            ["the home region", { service: "chat", replicaRegions: ["us-east-1", HOME] }, `replicaRegions[1] is the home region ${HOME} (aws:region)`],
            ["the public level", { service: "marketplace", level: "public", replicaRegions: ["us-east-1"] }, 'replicaRegions does not apply to level "public"'],
            ["not a list", { service: "chat", replicaRegions: "us-east-1" as unknown as string[] }, "replicaRegions must be a list of strings"],
            ["a customer-managed key", { service: "chat", replicaRegions: ["us-east-1"], tableEncryption: "customer-managed-kms", tableKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, 'replicaRegions does not go with tableEncryption "customer-managed-kms"'],
            ["the AWS-managed key", { service: "chat", replicaRegions: ["us-east-1"], tableEncryption: "aws-managed-kms" }, 'replicaRegions does not go with tableEncryption "aws-managed-kms"'],
            ["the AWS-managed key while a replica is removed", { service: "chat", replicaRegionsToRemove: ["us-east-1"], tableEncryption: "aws-managed-kms" }, 'replicaRegionsToRemove does not go with tableEncryption "aws-managed-kms"'],
            ["a region both kept and removed", { service: "chat", replicaRegions: ["us-east-1"], replicaRegionsToRemove: ["us-east-1"] }, "replicaRegionsToRemove[0] us-east-1 is also in replicaRegions"],
            ["removing the home region", { service: "chat", replicaRegionsToRemove: [HOME] }, `replicaRegionsToRemove[0] is the home region ${HOME} (aws:region)`],
            ["removing an unknown region", { service: "chat", replicaRegionsToRemove: ["mars-north-1"] }, 'replicaRegionsToRemove[0] must be a commercial AWS region code such as "us-east-1" (got "mars-north-1")'],
            ["removing a region twice", { service: "chat", replicaRegionsToRemove: ["us-east-1", "us-east-1"] }, "replicaRegionsToRemove lists us-east-1 twice"],
            ["removing a replica at the public level", { service: "marketplace", level: "public", replicaRegionsToRemove: ["us-east-1"] }, 'replicaRegionsToRemove does not apply to level "public"'],
            ["removals not a list", { service: "chat", replicaRegionsToRemove: "us-east-1" as unknown as string[] }, "replicaRegionsToRemove must be a list of strings"],
            ["securedReads at required", { service: "chat", replicaRegions: ["us-east-1"], edge: { securedReads: "nearest" } }, 'edge.securedReads applies only to level "secured"'],
            ["securedReads without replicas", { service: "regulatory", level: "secured", edge: { securedReads: "nearest" } }, "edge.securedReads applies only with replicaRegions"],
            ["a bad securedReads", { service: "regulatory", level: "secured", replicaRegions: ["us-east-1"], edge: { securedReads: "closest" as never } }, "edge.securedReads must be one of home, nearest"],
            ["a bad replicationLatencyMs", { service: "chat", replicaRegions: ["us-east-1"], alarms: { replicationLatencyMs: 0 } }, "alarms.replicationLatencyMs"],
        ];
        for (const [what, args, message] of cases) {
            it(`refuses ${what}`, () => {
                expect(thrown(() => resolveArgs(args, { homeRegion: HOME, requireHomeRegion: true }), Error).message).to.include(message);
            });
        }

        it("the component refuses replicas when the stack sets no aws:region (it cannot tell home), before creating anything", async () => {
            const { resources, error } = await deploy(() => {
                try {
                    new SecureImageCdn("chat", { service: "chat", replicaRegions: ["us-east-1"] });
                } catch (caught) {
                    return { error: (caught as Error).message };
                }
                return { error: "" };
            }, {}).then((deployment) => ({ resources: deployment.resources, error: (deployment.outputs as { error: string }).error }));
            expect(error).to.include("replicaRegions needs the home region: set aws:region");
            expect(resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });

        it("checks the home region only when asked to know it: the edge's own check catches it when the code is built", () => {
            expect(() => checkReplicaRegions(["eu-west-1"], undefined, false)).not.to.throw();
            expect(() => checkReplicaRegions(["eu-west-1"], undefined, true)).to.throw("replicaRegions needs the home region");
            expect(() => checkReplicaRegions([], undefined, true)).not.to.throw();
        });
    });

    describe("removing a replica region while protectData is on (replicaRegionsToRemove)", () => {
        type Replica = { regionName: string; deletionProtectionEnabled: boolean };
        /** The table's replicas as one deployment gives them to the provider. */
        const replicasAfter = async (args: Partial<SecureImageCdnArgs>): Promise<Replica[]> =>
            ((single((await deployOne({ service: "chat", ...args })).resources, T.table).inputs.replicas as Replica[] | undefined) ?? []);
        /**
         * What AWS refuses when one deployment follows another: the provider deletes each replica the new
         * config drops, and DynamoDB will not delete a replica whose deletion protection is on.
         */
        const refusedDeletions = (before: Replica[], after: Replica[]) =>
            before.filter((replica) => !after.some((kept) => kept.regionName === replica.regionName) && replica.deletionProtectionEnabled).map((replica) => replica.regionName);

        it("the documented two steps delete the replica, each deployment acceptable to AWS; dropping it in one step is what AWS refuses", async () => {
            const start = await replicasAfter({ replicaRegions: REPLICAS });
            const step1 = await replicasAfter({ replicaRegions: ["us-east-1"], replicaRegionsToRemove: ["ap-southeast-2"] });
            const step2 = await replicasAfter({ replicaRegions: ["us-east-1"] });
            expect(step1, "step 1 keeps it, unprotected").to.deep.equal([
                { regionName: "us-east-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
                { regionName: "ap-southeast-2", pointInTimeRecovery: true, deletionProtectionEnabled: false, propagateTags: true },
            ]);
            expect(refusedDeletions(start, step1), "step 1 deletes nothing").to.deep.equal([]);
            expect(step2.map((replica) => replica.regionName), "step 2 drops it").to.deep.equal(["us-east-1"]);
            expect(refusedDeletions(step1, step2), "step 2 deletes an unprotected replica").to.deep.equal([]);
            expect(refusedDeletions(start, step2), "in one step, the protected replica's deletion is refused").to.deep.equal(["ap-southeast-2"]);
        });

        it("the last replica too: the table stays a global table (stream on) until it is gone", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegionsToRemove: ["ap-southeast-2"] });
            const table = single(resources, T.table).inputs;
            expect(table).to.include({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES", deletionProtectionEnabled: true });
            expect(table.replicas).to.deep.equal([{ regionName: "ap-southeast-2", pointInTimeRecovery: true, deletionProtectionEnabled: false, propagateTags: true }]);
        });

        it("a replica on its way out is not read by the edge, not alarmed on and not on the dashboard", async () => {
            const { resources } = await deployOne({ service: "chat", replicaRegions: ["us-east-1"], replicaRegionsToRemove: ["ap-southeast-2"] });
            const getItem = edgeStatements(resources).find((statement) => [statement.Action].flat().includes("dynamodb:GetItem"));
            expect([getItem?.Resource].flat().map((arn) => String(arn).split(":")[3])).to.deep.equal([HOME, "us-east-1"]);
            const lag = ofType(resources, T.alarm).filter((alarm) => alarmMetric(alarm.inputs).metricName === "ReplicationLatency");
            expect(lag.map((alarm) => alarmMetric(alarm.inputs).dimensions.ReceivingRegion)).to.deep.equal(["us-east-1"]);
            expect(String(single(resources, T.dashboard).inputs.dashboardBody)).to.not.include("ap-southeast-2");
            const placement = { tableName: "chat-table-1", tableRegion: HOME, bucket: "chat-images-1", bucketRegion: HOME };
            expect(edgeSettingsFor(guarded({ service: "chat", replicaRegions: ["us-east-1"], replicaRegionsToRemove: ["ap-southeast-2"] }), placement).replicaRegions).to.deep.equal(["us-east-1"]);
        });

        it("with an AWS provider's home region, a replica being removed there is refused when the region resolves", async () => {
            const error = await rejection(
                deploy(() => {
                    const provider = new aws.Provider("home", { region: "us-east-1" });
                    new SecureImageCdn("chat", { service: "chat", replicaRegionsToRemove: ["us-east-1"] }, { provider });
                }, { "aws:region": HOME }),
                Error,
            );
            expect(String(error)).to.match(/replicaRegionsToRemove\[0\] is the home region us-east-1 \(the region of the component's AWS provider/);
        });
    });

    it("is set per service through the stack's overrides, like every other arg", async () => {
        const { resources } = await deploy(
            () => {
                // index.ts reads its config when loaded: load it afresh inside the mocked stack.
                const program = path.join(__dirname, "..", "..", "index.ts");
                delete require.cache[require.resolve(program)];
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(program) as Record<string, unknown>;
            },
            {
                "aws:region": HOME,
                "secure-image-cdn:services": JSON.stringify(["discussion", "chat"]),
                "secure-image-cdn:overrides": JSON.stringify({ chat: { replicaRegions: ["ap-southeast-2"] } }),
            },
        );
        const tables = ofType(resources, T.table);
        const replicasOf = (prefix: string) => tables.find((table) => table.name.startsWith(prefix))?.inputs.replicas;
        expect(replicasOf("chat-")).to.deep.equal([{ regionName: "ap-southeast-2", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true }]);
        expect(replicasOf("discussion-")).to.equal(undefined);
    });
});
