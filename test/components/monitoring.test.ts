/**
 * Operations on a deployed instance, under Pulumi's mocks: no alarm is
 * silent by default, alarms and logs follow the price class, each region's
 * alarms reach that region's topic, `pulumi preview` warns about topics
 * nobody reads, logs expire, the dashboard shows the instance's own metrics,
 * and the table's encryption is a choice.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { resolveArgs } from "../../components/resolve-args";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { addressKey } from "../../components/topics";
import { alarmMetric, at, deploy, list, ofType, RecordedResource, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";
import { PRICES, REPLICA_INDEX_WRITE_UNITS, REPLICATED_ITEM_WRITES } from "../../bench/global-model";

const PRICE_CLASS_100 = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"];
const PRICE_CLASS_200 = [...PRICE_CLASS_100, "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1"];
const PRICE_CLASS_ALL = [...PRICE_CLASS_200, "ap-southeast-2", "sa-east-1"];

/** Deploys one instance, with the warnings Pulumi would print (and the logical name of the resource each names). */
async function deployWarned(name: string, args: SecureImageCdnArgs) {
    return deploy(() => ({ out: new SecureImageCdn(name, args).outputs() }));
}

function alarmsIn(resources: RecordedResource[], region: string): RecordedResource[] {
    return ofType(resources, T.alarm).filter((a) => a.inputs.region === region);
}

describe("operations on a deployed instance (Pulumi mocks)", function () {
    this.timeout(60000);

    describe("alarms that reach someone", () => {
        it("with the default config no alarm is silent: each notifies, on alarm and on recovery, the topic of its own region", async () => {
            const { resources } = await deployWarned("chat", { service: "chat" });
            const alarms = ofType(resources, T.alarm);
            // The 5xx alarm, CloudFront's Lambda@Edge failures, three per edge region, and the invalidator's four in the home region (eu-west-1).
            expect(alarms).to.have.length(2 + PRICE_CLASS_100.length * 3 + 4);
            const topics = new Map(ofType(resources, T.topic).map((t) => [t.inputs.region, t.state.arn]));
            expect([...topics.keys()]).to.have.members(PRICE_CLASS_100);
            for (const alarm of alarms) {
                const own = topics.get(alarm.inputs.region);
                expect(own, alarm.name).to.be.a("string");
                expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([own]);
                expect(alarm.inputs.okActions, alarm.name).to.deep.equal([own]);
            }
        });

        it("a public instance: its one alarm reaches a us-east-1 topic", async () => {
            const { resources } = await deployWarned("market", { service: "marketplace", level: "public" });
            const [topic] = ofType(resources, T.topic);
            expect(ofType(resources, T.topic)).to.have.length(1);
            expect(topic.inputs.region).to.equal("us-east-1");
            expect(single(resources, T.alarm).inputs.alarmActions).to.deep.equal([topic.state.arn]);
        });

        it("alarm.email subscribes each address to every region's topic, named after the address so edits leave the others alone", async () => {
            const email = ["oncall@example.com", "Images-Team@Example.org"];
            const { resources, warnings } = await deployWarned("chat", { service: "chat", alarms: { email, edgeRegions: ["us-east-1", "eu-west-1"] } });
            const subscriptions = ofType(resources, T.subscription);
            expect(subscriptions).to.have.length(2 * 2);
            for (const region of ["us-east-1", "eu-west-1"]) {
                const topic = ofType(resources, T.topic).find((t) => t.inputs.region === region);
                const mine = subscriptions.filter((s) => s.inputs.region === region);
                expect(mine.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]), region).to.have.deep.members(email.map((address) => ["email", address, topic?.state.arn]));
                expect(mine.map((s) => s.name), region).to.have.members(email.map((address) => `chat-alarms-${region}-email-${addressKey(address)}`));
            }
            expect(addressKey("Images-Team@Example.org")).to.equal(addressKey("images-team@example.org"));
            expect(warnings, "addresses are configured: nothing to warn about").to.deep.equal([]);
        });

        it("pulumi preview warns, on the instance, when the alarms' topics have no subscription configured", async () => {
            const { warnings } = await deployWarned("chat", { service: "chat" });
            expect(warnings).to.have.length(1);
            expect(warnings[0].message).to.match(/^chat: the alarms notify the SNS topics this instance creates \(us-east-1, .*\), and no subscription is configured/);
            expect(warnings[0].message).to.match(/set alarms\.email/);
            expect(warnings[0].resource, "the warning names the instance").to.equal("chat");
        });

        it("given actions: no topics; a warning names the regions whose alarms they leave without a topic, known only once Outputs resolve", async () => {
            const topic = "arn:aws:sns:us-east-1:123456789012:oncall";
            const plain = await deployWarned("chat", { service: "chat", alarms: { actions: [topic], edgeRegions: ["us-east-1", "eu-west-1", "ap-south-1"] } });
            expect(ofType(plain.resources, T.topic)).to.deep.equal([]);
            expect(plain.warnings.map((w) => w.message)).to.deep.equal(["chat: no alarms.actions topic is in eu-west-1, ap-south-1, so the alarms there notify nobody (alarms notify topics of their own region)"]);
            const later = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(topic))));
            const output = await deployWarned("chat", { service: "chat", alarms: { actions: [later], edgeRegions: ["us-east-1", "eu-west-1"] } });
            expect(output.warnings.map((w) => w.message)).to.deep.equal(["chat: no alarms.actions topic is in eu-west-1, so the alarms there notify nobody (alarms notify topics of their own region)"]);
            const covered = await deployWarned("chat", { service: "chat", alarms: { actions: [topic], edgeRegions: ["us-east-1"] } });
            expect(covered.warnings).to.deep.equal([]);
        });

        it("alarm regions follow the price class: every region whose regional edge cache serves it", async () => {
            for (const [priceClass, regions] of [
                ["PriceClass_100", PRICE_CLASS_100],
                ["PriceClass_200", PRICE_CLASS_200],
                ["PriceClass_All", PRICE_CLASS_ALL],
            ] as const) {
                const { resources } = await deployWarned("chat", { service: "chat", priceClass, alarms: { email: ["oncall@example.com"] } });
                const edge = ofType(resources, T.alarm).filter((a) => alarmMetric(a.inputs).namespace === "AWS/Lambda" && !a.name.startsWith("chat-alarm-invalidator-"));
                for (const metric of ["Duration", "Errors", "Throttles"]) {
                    expect(edge.filter((a) => alarmMetric(a.inputs).metricName === metric).map((a) => a.inputs.region), `${priceClass} ${metric}`).to.have.members([...regions]);
                }
                expect(ofType(resources, T.logGroup, "chat-edge-logs").map((g) => g.inputs.region), `${priceClass}: logs in every regional edge cache region`).to.have.members(PRICE_CLASS_ALL);
                expect(ofType(resources, T.topic).map((t) => t.inputs.region), priceClass).to.have.members([...regions]);
                // Home (eu-west-1) has the invalidator's four too.
                for (const region of regions) expect(alarmsIn(resources, region), `${priceClass} ${region}`).to.have.length(region === "us-east-1" ? 5 : region === "eu-west-1" ? 7 : 3);
            }
        });

        it("alarms.edgeRegions narrows the alarms, not the logs: the function may still run in any regional edge cache region", async () => {
            const { resources } = await deployWarned("chat", { service: "chat", alarms: { edgeRegions: ["eu-west-1", "ap-south-1"] } });
            expect([...new Set(ofType(resources, T.alarm).map((a) => a.inputs.region))]).to.have.members(["us-east-1", "eu-west-1", "ap-south-1"]);
            expect(ofType(resources, T.logGroup, "chat-edge-logs").map((g) => g.inputs.region), "every regional edge cache region").to.have.members(PRICE_CLASS_ALL);
            expect(ofType(resources, T.logGroup, "chat-cloudfront-edge-logs").map((g) => g.inputs.region), "CloudFront's, likewise").to.have.members(PRICE_CLASS_ALL);
        });
    });

    describe("what it costs", () => {
        /** Alarms and the metrics they read (CloudWatch bills an alarm per metric it reads, metric math included). */
        function alarmBill(resources: RecordedResource[]): { alarms: number; metrics: number } {
            const alarms = ofType(resources, T.alarm);
            const metrics = alarms.flatMap((a) => list(a.inputs, "metricQueries") as { metric?: unknown }[]).filter((q) => q.metric !== undefined);
            return { alarms: alarms.length, metrics: metrics.length };
        }
        const costs = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "operations.md"), "utf8");

        it("docs/operations.md counts the alarms and alarm metrics a default required instance creates, at $0.10 a metric", async () => {
            const { resources } = await deployWarned("chat", { service: "chat", level: "required" });
            const row = /\| alarms \|[^|]*\| (\d+) alarms, (\d+) alarm metrics: \$(\d+\.\d\d) \|/.exec(costs);
            expect(row, "the alarms row of the cost table").to.not.equal(null);
            const [, alarms, metrics, dollars] = row ?? [];
            expect(alarmBill(resources)).to.deep.equal({ alarms: Number(alarms), metrics: Number(metrics) });
            expect(Number(dollars)).to.equal(Math.round(Number(metrics) * 0.1 * 100) / 100);
        });

        it("docs/operations.md's price class table: edge regions, alarms, alarm metrics and their price, topics, confirmation mails and first OK notifications, as the component creates them", async () => {
            const rows = [...costs.matchAll(/^\| `(PriceClass_\w+)` \| (\d+) \| (\d+) \| (\d+) \| \$(\d+\.\d\d) \| (\d+) \| (\d+) \| (\d+) \|$/gm)];
            expect(rows.map((row) => row[1]), "one row per price class").to.deep.equal(["PriceClass_100", "PriceClass_200", "PriceClass_All"]);
            const email = ["oncall@example.com", "images@example.com"];
            for (const [, priceClass, regions, alarms, metrics, dollars, topics, mails, okNotifications] of rows) {
                const { resources } = await deployWarned("chat", { service: "chat", priceClass: priceClass as SecureImageCdnArgs["priceClass"], alarms: { email } });
                const bill = alarmBill(resources);
                const edgeRegions = new Set(ofType(resources, T.alarm).filter((a) => alarmMetric(a.inputs).namespace === "AWS/Lambda").map((a) => a.inputs.region));
                const notifying = ofType(resources, T.alarm).filter((a) => (a.inputs.okActions as unknown[]).length > 0);
                expect(
                    {
                        regions: edgeRegions.size,
                        ...bill,
                        dollars: Math.round(bill.metrics * 0.1 * 100) / 100,
                        topics: ofType(resources, T.topic).length,
                        mails: ofType(resources, T.subscription).length / email.length,
                        okNotifications: notifying.length,
                    },
                    priceClass,
                ).to.deep.equal({
                    regions: Number(regions),
                    alarms: Number(alarms),
                    metrics: Number(metrics),
                    dollars: Number(dollars),
                    topics: Number(topics),
                    mails: Number(mails),
                    okNotifications: Number(okNotifications),
                });
            }
        });

        it("docs/operations.md's replica table: one ReplicationLatency alarm and its invalidator's four per replica, and the replicated writes of an issued hash at the write price", async () => {
            const home = { "aws:region": "eu-west-1" };
            const without = (await deploy(() => void new SecureImageCdn("chat", { service: "chat", alarms: { email: ["a@example.com"] } }), home)).resources;
            const replicas = ["us-east-1", "ap-southeast-2"];
            const withReplicas = (await deploy(() => void new SecureImageCdn("chat", { service: "chat", replicaRegions: replicas, alarms: { email: ["a@example.com"] } }), home)).resources;
            // The replica's own alarms: its ReplicationLatency alarm, and its invalidator's (`required` + `origin`, the default).
            const added = (resources: RecordedResource[], invalidator: boolean) =>
                alarmBill(resources.filter((r) => r.type !== T.alarm || r.name.startsWith("chat-alarm-invalidator-") === invalidator));
            const perReplica = (invalidator: boolean) => {
                const [before, after] = [added(without, invalidator), added(withReplicas, invalidator)];
                return { alarms: (after.alarms - before.alarms) / replicas.length, metrics: (after.metrics - before.metrics) / replicas.length };
            };
            const rows = [
                [false, /^\| `ReplicationLatency` alarm \|[^|]*\| (\d+) alarms?, (\d+) alarm metrics?: \$(\d+\.\d\d) per month/m],
                [true, /^\| the replica's invalidator's alarms \|[^|]*\| (\d+) alarms?, (\d+) alarm metrics?: \$(\d+\.\d\d) per month/m],
            ] as const;
            for (const [invalidator, pattern] of rows) {
                const alarmRow = pattern.exec(costs);
                expect(alarmRow, `the replica table's row ${String(pattern)}`).to.not.equal(null);
                const [, alarms, metrics, dollars] = alarmRow ?? [];
                expect(perReplica(invalidator), String(pattern)).to.deep.equal({ alarms: Number(alarms), metrics: Number(metrics) });
                expect(Number(dollars)).to.equal(Math.round(perReplica(invalidator).metrics * 0.1 * 100) / 100);
            }
            // Written once and deleted once (by TTL or a revocation): the same items and index entry each time.
            const writeRow = /^\| replicated writes \| \$(\d+\.\d+) per million [^|]*\| (\d+) per issued hash when it is written [^|]*up to (\d+) more when TTL or a revocation deletes them: \$(\d+\.\d\d) per million issued hashes \|$/m.exec(costs);
            expect(writeRow, "the replicated writes row").to.not.equal(null);
            const [, price, written, deleted, perMillion] = writeRow ?? [];
            const units = REPLICATED_ITEM_WRITES + REPLICA_INDEX_WRITE_UNITS;
            expect([Number(written), Number(deleted)]).to.deep.equal([units, units]);
            expect(Number(price)).to.equal(PRICES.dynamoPerReplicatedWriteUnit * 1_000_000);
            expect(Number(perMillion)).to.equal(Math.round(2 * units * PRICES.dynamoPerReplicatedWriteUnit * 1_000_000 * 100) / 100);
        });

        it("docs/operations.md's variants: three more alarms on four metrics, in the home region", async () => {
            const home = { "aws:region": "eu-west-1" };
            const without = alarmBill((await deploy(() => void new SecureImageCdn("chat", { service: "chat", alarms: { email: ["a@example.com"] } }), home)).resources);
            const { resources } = await deploy(() => void new SecureImageCdn("chat", { service: "chat", variants: { thumb: { width: 256, height: 256 } }, alarms: { email: ["a@example.com"] } }), home);
            const added = alarmBill(resources);
            expect(costs).to.include("With `variants`: three more alarms on four metrics, $0.40;");
            expect({ alarms: added.alarms - without.alarms, metrics: added.metrics - without.metrics }).to.deep.equal({ alarms: 3, metrics: 4 });
            const resizer = ofType(resources, T.alarm).filter((a) => a.name.startsWith("chat-alarm-resizer-"));
            expect(resizer.map((a) => a.inputs.region)).to.deep.equal(["eu-west-1", "eu-west-1", "eu-west-1"]);
        });

        it("docs/operations.md's public instance: one alarm on two metrics", async () => {
            const { resources } = await deployWarned("market", { service: "marketplace", level: "public" });
            expect(costs).to.include("A `public` instance: $2.40 + $0.20 (one alarm on two metrics) + $3.00.");
            expect(alarmBill(resources)).to.deep.equal({ alarms: 1, metrics: 2 });
        });
    });

    describe("logs that do not pile up", () => {
        it("log groups keep logRetentionDays in every edge region; saved queries read each region's group", async () => {
            const { resources } = await deployWarned("chat", { service: "chat", logRetentionDays: 14 });
            const groups = ofType(resources, T.logGroup, "chat-edge-logs");
            expect(groups.map((g) => g.inputs.region), "PriceClass_100 still logs in every regional edge cache region").to.have.members(PRICE_CLASS_ALL);
            // The invalidator's group keeps them as long.
            for (const group of ofType(resources, T.logGroup)) expect(group.inputs.retentionInDays, group.name).to.equal(14);
            for (const query of ofType(resources, T.queryDefinition)) {
                const group = groups.find((g) => g.inputs.region === query.inputs.region);
                expect(query.inputs.logGroupNames, query.name).to.deep.equal([group?.state.name]);
                expect(String(query.inputs.queryString), query.name).to.match(/parse @message/);
            }
            expect(ofType(resources, T.queryDefinition)).to.have.length(PRICE_CLASS_ALL.length * 2);
        });

        it("the function's log group is named for what it is: one name in every region, carrying no region", async () => {
            const { resources } = await deployWarned("chat", { service: "chat" });
            const groups = ofType(resources, T.logGroup, "chat-edge-logs");
            const names = new Set(groups.map((g) => String(g.state.name)));
            expect(names.size, "one name everywhere").to.equal(1);
            const [name] = [...names];
            expect(name).to.match(/^chat-edge-logs-[0-9a-f]+$/);
            for (const region of PRICE_CLASS_ALL) expect(name, region).to.not.include(region);
            expect(groups.find((g) => g.name === "chat-edge-logs")?.inputs.region, "auto-named once, in us-east-1").to.equal("us-east-1");
            expect(at(single(resources, T.fn, "chat-edge").inputs, "loggingConfig", "logGroup")).to.equal(name);
        });

        it("CloudFront's log group for the function's invalid responses exists, with the retention period, in every region the function may run in; none for public", async () => {
            const { resources } = await deployWarned("chat", { service: "chat", logRetentionDays: 7 });
            const distribution = single(resources, T.distribution);
            const groups = ofType(resources, T.logGroup, "chat-cloudfront-edge-logs");
            expect(groups.map((g) => g.inputs.region)).to.have.members(PRICE_CLASS_ALL);
            for (const group of groups) {
                expect(group.inputs, group.name).to.deep.include({ name: `/aws/cloudfront/LambdaEdge/${String(distribution.id)}`, retentionInDays: 7 });
                expect(group.name).to.equal(`chat-cloudfront-edge-logs-${String(group.inputs.region)}`);
            }
            const open = await deployWarned("market", { service: "marketplace", level: "public" });
            expect(ofType(open.resources, T.logGroup)).to.deep.equal([]);
        });

        it("only CloudWatch Logs' retention periods are accepted, and none for public", async () => {
            expect(String(await rejection(deploy(() => void new SecureImageCdn("chat", { service: "chat", logRetentionDays: 10 })), Error))).to.match(
                /logRetentionDays must be one of 1, 3, 5, 7, 14, 30, .*3653, the periods CloudWatch Logs accepts \(got 10\)/,
            );
            expect(() => new SecureImageCdn("market", { service: "marketplace", level: "public", logRetentionDays: 7 })).to.throw(/logRetentionDays does not apply to level "public"/);
        });
    });

    describe("what an operator looks at", () => {
        it("the dashboard shows this instance's distribution, function, table and alarms; its URL is an output", async () => {
            const { resources, outputs } = await deployWarned("chat", { service: "chat" });
            const dashboard = single(resources, T.dashboard);
            expect(dashboard.inputs.region).to.equal("us-east-1");
            const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as { widgets: { type: string; properties: { metrics?: unknown[][]; alarms?: string[]; region?: string } }[] };
            const text = JSON.stringify(body);
            expect(text).to.contain(`"DistributionId","${single(resources, T.distribution).id}"`);
            expect(text).to.contain(`"FunctionName","us-east-1.${String(single(resources, T.fn, "chat-edge").state.name)}"`);
            expect(text).to.contain(`"FunctionName","${String(single(resources, T.fn, "chat-inv-home").state.name)}"`);
            expect(text).to.contain(`"TableName","${String(single(resources, T.table).state.name)}"`);
            const shownAlarms = body.widgets.flatMap((w) => w.properties.alarms ?? []);
            expect(shownAlarms).to.have.members(ofType(resources, T.alarm).map((a) => String(a.state.arn)));
            expect(outputs.out.dashboardUrl).to.equal("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/secure-image-cdn-test-chat");
        });

        it("additionalMetrics: false leaves the distribution without a monitoring subscription and the dashboard without the hit rate graph", async () => {
            const { resources } = await deployWarned("chat", { service: "chat", additionalMetrics: false, alarms: { email: ["a@example.com"] } });
            expect(ofType(resources, T.monitoring)).to.deep.equal([]);
            expect(String(single(resources, T.dashboard).inputs.dashboardBody)).to.not.contain("CacheHitRate");
        });
    });

    describe("the table's encryption", () => {
        const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

        it("AWS-owned by default; the AWS-managed KMS key or a customer-managed key on request", async () => {
            const encryption = async (args: Partial<SecureImageCdnArgs>) => single((await deployWarned("chat", { service: "chat", ...args })).resources, T.table).inputs.serverSideEncryption;
            expect(await encryption({})).to.deep.equal({ enabled: false });
            expect(await encryption({ tableEncryption: "aws-managed-kms" })).to.deep.equal({ enabled: true });
            expect(await encryption({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY })).to.deep.equal({ enabled: true, kmsKeyArn: KEY });
            const fromOutput = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(KEY))));
            expect(await encryption({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: fromOutput })).to.deep.equal({ enabled: true, kmsKeyArn: KEY });
        });

        it("a customer-managed key: the edge role may use it to decrypt, through DynamoDB in the table's region only; no KMS grant with the other encryptions", async () => {
            const kmsStatements = async (args: Partial<SecureImageCdnArgs>) => {
                const { resources } = await deployWarned("chat", { service: "chat", ...args });
                const table = single(resources, T.table);
                const policy = JSON.parse(String(single(resources, T.rolePolicy, "chat-edge-policy").inputs.policy)) as { Statement: { Action: string | string[] }[] };
                return { region: String(table.state.region), kms: policy.Statement.filter((s) => [s.Action].flat().some((action) => action.startsWith("kms:"))) };
            };
            const expected = (region: string) => [
                {
                    Sid: "DecryptTableKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: KEY,
                    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
                },
            ];
            const plain = await kmsStatements({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY });
            expect(plain.region).to.equal("eu-west-1");
            expect(plain.kms).to.deep.equal(expected("eu-west-1"));
            const fromOutput = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(KEY))));
            expect((await kmsStatements({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: fromOutput })).kms).to.deep.equal(expected("eu-west-1"));
            expect((await kmsStatements({})).kms, "aws-owned").to.deep.equal([]);
            expect((await kmsStatements({ tableEncryption: "aws-managed-kms" })).kms, "aws-managed-kms").to.deep.equal([]);
        });

        it("a key of another region than the table's (aws:region) is refused, plain up front and an Output when it resolves, naming both regions", async () => {
            const elsewhere = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const home = { "aws:region": "eu-west-1" };
            const message = /tableKmsKeyArn is a key in us-east-1, but the table is in eu-west-1 \(aws:region\): DynamoDB encrypts a table only with a key of its own region/;
            const later = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(elsewhere))));
            const fromOutput = await rejection(deploy(() => void new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: later }), home), Error);
            expect(String(fromOutput)).to.match(message);
            // A key of the home region deploys.
            const { resources } = await deploy(() => void new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY }), home);
            expect(single(resources, T.table).inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: KEY });
            // A plain key is refused before anything is registered (the stack config is the one just deployed with).
            expect(() => new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: elsewhere })).to.throw(message);
            expect(() => resolveArgs({ service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: elsewhere }, { homeRegion: "eu-west-1" })).to.throw(message);
            // Without a known home region there is nothing to compare with.
            expect(resolveArgs({ service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: elsewhere })).to.include({ tableKmsKeyArn: elsewhere });
        });

        it("a key without customer-managed-kms, customer-managed-kms without a key, or a bad key is refused, naming the field", async () => {
            expect(() => new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms" })).to.throw(/needs tableKmsKeyArn/);
            expect(() => new SecureImageCdn("chat", { service: "chat", tableKmsKeyArn: KEY })).to.throw(/tableKmsKeyArn applies only to tableEncryption "customer-managed-kms"/);
            expect(() => new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: "alias/mine" })).to.throw(/tableKmsKeyArn must be a KMS key ARN/);
            const bad = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve("alias/mine"))));
            const error = await rejection(deploy(() => void new SecureImageCdn("chat", { service: "chat", tableEncryption: "customer-managed-kms", tableKmsKeyArn: bad })), Error);
            expect(String(error)).to.match(/tableKmsKeyArn must be a KMS key ARN/);
            expect(() => new SecureImageCdn("chat", { service: "chat", tableEncryption: "kms" as never })).to.throw(/tableEncryption must be one of aws-owned, aws-managed-kms, customer-managed-kms/);
        });
    });

    it("alarm arguments are checked: addresses, the floor, and email with given actions or alarms off", async () => {
        const refused = (alarms: SecureImageCdnArgs["alarms"], pattern: RegExp) => expect(() => new SecureImageCdn("chat", { service: "chat", alarms }), JSON.stringify(alarms)).to.throw(pattern);
        refused({ email: ["not an address"] }, /^alarms\.email must hold email addresses/);
        refused({ email: ["a@example.com", "A@example.com"] }, /^alarms\.email lists a@example\.com more than once/);
        refused({ email: ["a@example.com"], enabled: false }, /alarms\.email does not apply when alarms\.enabled is false/);
        refused({ email: ["a@example.com"], actions: ["arn:aws:sns:us-east-1:123456789012:oncall"] }, /alarms\.email subscribes the topics the component creates/);
        refused({ minRequests: 0 }, /^alarms\.minRequests must be a whole number from 1/);
        refused({ unknown: 1 } as never, /unknown field alarms\.unknown/);
        const { resources } = await deployWarned("chat", { service: "chat", alarms: { minRequests: 1, email: ["a@example.com"] } });
        const judged = (list(single(resources, T.alarm, "chat-alarm-5xx").inputs, "metricQueries") as { expression?: string }[]).map((q) => q.expression).filter(Boolean);
        expect(judged).to.deep.equal(["IF(requests >= 1, rate, 0)"]);
    });
});
