/**
 * The invalidators under Pulumi's strict recording mocks: one per copy of a
 * `required` + `origin` table (home's with the component's provider, each
 * replica's in its region), none elsewhere; what feeds each (its table
 * copy's stream, its queue) and how; its queue and dead-letter queue; its
 * function's settings; its role's least privilege; its log group, alarms
 * and dashboard row; names that fit AWS's limits; and the S3 origin's
 * timeouts the invalidator's delay is counted from.
 */
import { expect } from "chai";
import type { SecureImageCdnArgs } from "../../components/args";
import { childName, regionCode } from "../../components/names";
import { INVALIDATOR_ITERATOR_AGE_MS } from "../../components/alarm-specs";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { S3_ORIGIN_TIMEOUTS } from "../../core/bounds";
import { REGION_LOCATIONS } from "../../core/regions";
import { INVALIDATOR_FUNCTION, INVALIDATOR_QUEUE, INVALIDATOR_STREAM_SOURCE } from "../../invalidator/deployment";
import { parseInvalidatorSettings } from "../../invalidator/settings";
import type { PolicyStatement } from "../../components/policies";
import { alarmMetric, at, deploy, json, list, MOCK_ACCOUNT, ofType, RecordedResource, single, T } from "./support/mocks";

const HOME = "eu-west-1";
const REPLICAS = ["us-east-1", "ap-southeast-2"];
const KMS_KEY = `arn:aws:kms:${HOME}:${MOCK_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function deployOne(args: SecureImageCdnArgs) {
    return deploy(() => ({ out: new SecureImageCdn(args.service, args).outputs() }), { "aws:region": HOME });
}

/** The resource of `type` named `<childName(instance, role)>-<copy>`. */
function child(resources: RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.filter((resource) => resource.type === type && resource.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

function statements(resource: RecordedResource): PolicyStatement[] {
    return list(json(resource.inputs, "policy"), "Statement") as PolicyStatement[];
}

describe("the invalidators (Pulumi mocks)", () => {
    let resources: RecordedResource[];
    before(async function () {
        this.timeout(60_000);
        ({ resources } = await deployOne({ service: "chat", replicaRegions: REPLICAS }));
    });

    it("one per copy of a required + origin table: home's with the component's provider, each replica's in its region", () => {
        expect(ofType(resources, T.fn, "chat-inv").map((fn) => fn.name)).to.have.members(["chat-inv-home", "chat-inv-use1", "chat-inv-apse2"]);
        expect(child(resources, T.fn, "chat-inv-home").inputs).to.not.have.property("region");
        expect(child(resources, T.fn, "chat-inv-apse2").inputs.region).to.equal("ap-southeast-2");
        for (const name of ["chat-inv-queue-apse2", "chat-inv-dlq-apse2", "chat-inv-logs-apse2", "chat-inv-stream-apse2", "chat-inv-source-apse2"]) {
            const resource = resources.find((r) => r.name === name);
            expect(resource?.inputs.region, name).to.equal("ap-southeast-2");
        }
    });

    it("runs the bundled handler on arm64 with the smallest memory, its settings in one environment variable", () => {
        for (const [name, region] of [["chat-inv-home", HOME], ["chat-inv-apse2", "ap-southeast-2"]]) {
            const fn = child(resources, T.fn, name);
            expect(fn.inputs).to.include({ runtime: "nodejs22.x", handler: "index.handler", memorySize: INVALIDATOR_FUNCTION.memorySizeMb, timeout: INVALIDATOR_FUNCTION.timeoutSeconds });
            expect(fn.inputs.architectures).to.deep.equal(["arm64"]);
            const settings = parseInvalidatorSettings(at(fn.inputs, "environment", "variables", "INVALIDATOR_SETTINGS") as string);
            const queue = child(resources, T.queue, name.replace("chat-inv-", "chat-inv-queue-"));
            expect(settings).to.deep.equal({
                service: "chat",
                region,
                distributionId: single(resources, T.distribution).id,
                queueUrl: queue.state.url,
                reinvalidateAfterSeconds: 75,
                variants: false,
            });
            // It logs to its own group, which has a retention period.
            const group = child(resources, T.logGroup, name.replace("chat-inv-", "chat-inv-logs-"));
            expect(at(fn.inputs, "loggingConfig", "logGroup")).to.equal(group.state.name);
            expect(group.inputs.retentionInDays).to.equal(30);
            expect(fn.dependsOn, "its log group and its role's policy first").to.have.members([name.replace("chat-inv-", "chat-inv-logs-"), name.replace("chat-inv-", "chat-inv-policy-")]);
        }
    });

    it("follows its own copy's stream, as the mapping's settings say, and its own queue with partial batch responses", () => {
        const table = single(resources, T.table);
        const replica = (list(table.state, "replicas") as { regionName: string; streamArn: string }[]).find((r) => r.regionName === "ap-southeast-2");
        const copies: [string, unknown][] = [["home", table.state.streamArn], ["apse2", replica?.streamArn]];
        for (const [copy, streamArn] of copies) {
            const stream = child(resources, T.eventSourceMapping, `chat-inv-stream-${copy}`);
            expect(stream.inputs.eventSourceArn, copy).to.equal(streamArn);
            expect(stream.inputs.functionName).to.equal(child(resources, T.fn, `chat-inv-${copy}`).state.arn);
            expect(stream.inputs).to.include({ ...INVALIDATOR_STREAM_SOURCE });
            expect(INVALIDATOR_STREAM_SOURCE).to.deep.include({ startingPosition: "LATEST", bisectBatchOnFunctionError: true, maximumRetryAttempts: -1 });
            expect(at(stream.inputs, "destinationConfig", "onFailure", "destinationArn")).to.equal(child(resources, T.queue, `chat-inv-dlq-${copy}`).state.arn);
            const source = child(resources, T.eventSourceMapping, `chat-inv-source-${copy}`);
            expect(source.inputs).to.include({ eventSourceArn: child(resources, T.queue, `chat-inv-queue-${copy}`).state.arn, batchSize: INVALIDATOR_QUEUE.batchSize });
            expect(source.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
        }
        expect(table.state.streamArn).to.match(new RegExp(`^arn:aws:dynamodb:${HOME}:`));
        expect(replica?.streamArn).to.match(/^arn:aws:dynamodb:ap-southeast-2:/);
    });

    it("queues encrypted, with a visibility timeout six times the function's and a dead-letter queue after 30 receives", () => {
        const queue = child(resources, T.queue, "chat-inv-queue-home");
        const deadLetters = child(resources, T.queue, "chat-inv-dlq-home");
        expect(queue.inputs).to.include({ visibilityTimeoutSeconds: 60, messageRetentionSeconds: 86_400, sqsManagedSseEnabled: true });
        expect(INVALIDATOR_QUEUE.visibilityTimeoutSeconds).to.be.at.least(6 * INVALIDATOR_FUNCTION.timeoutSeconds);
        expect(json(queue.inputs, "redrivePolicy")).to.deep.equal({ deadLetterTargetArn: deadLetters.state.arn, maxReceiveCount: 30 });
        expect(deadLetters.inputs).to.include({ messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true });
        expect(deadLetters.inputs).to.not.have.property("redrivePolicy");
    });

    it("its role is Lambda's only, and may do exactly what it does, on this instance's resources in its region", () => {
        const role = child(resources, T.role, "chat-inv-role-apse2");
        expect(json(role.inputs, "assumeRolePolicy")).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{ Sid: "Lambda", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const tableName = String(single(resources, T.table).state.name);
        const grants = statements(child(resources, T.rolePolicy, "chat-inv-policy-apse2"));
        expect(grants).to.deep.equal([
            { Sid: "InvalidateThisDistribution", Effect: "Allow", Action: "cloudfront:CreateInvalidation", Resource: single(resources, T.distribution).state.arn },
            {
                Sid: "ReadThisTableStream",
                Effect: "Allow",
                Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
                Resource: `arn:aws:dynamodb:ap-southeast-2:${MOCK_ACCOUNT}:table/${tableName}/stream/*`,
            },
            {
                Sid: "UseItsQueue",
                Effect: "Allow",
                Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage"],
                Resource: child(resources, T.queue, "chat-inv-queue-apse2").state.arn,
            },
            { Sid: "DeadLetterFailedBatches", Effect: "Allow", Action: "sqs:SendMessage", Resource: child(resources, T.queue, "chat-inv-dlq-apse2").state.arn },
            { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${String(child(resources, T.logGroup, "chat-inv-logs-apse2").state.arn)}:*` },
        ]);
        const home = statements(child(resources, T.rolePolicy, "chat-inv-policy-home"));
        expect(home.find((s) => s.Sid === "ReadThisTableStream")?.Resource).to.equal(`arn:aws:dynamodb:${HOME}:${MOCK_ACCOUNT}:table/${tableName}/stream/*`);
    });

    it("four alarms per invalidator, in its region, notifying that region's topic", () => {
        const alarms = ofType(resources, T.alarm).filter((alarm) => alarm.name.startsWith("chat-alarm-invalidator-"));
        expect(alarms.map((alarm) => alarm.name)).to.have.members(
            ["home", "us-east-1", "ap-southeast-2"].flatMap((copy) => ["errors", "throttles", "iterator-age", "dead-letters"].map((kind) => `chat-alarm-invalidator-${kind}-${copy}`)),
        );
        const apse2 = alarms.filter((alarm) => alarm.name.endsWith("-ap-southeast-2"));
        expect(apse2.map((alarm) => `${alarmMetric(alarm.inputs).namespace} ${alarmMetric(alarm.inputs).metricName} ${alarmMetric(alarm.inputs).stat} > ${String(alarm.inputs.threshold)}`)).to.have.members([
            "AWS/Lambda Errors Sum > 0",
            "AWS/Lambda Throttles Sum > 0",
            `AWS/Lambda IteratorAge Maximum > ${INVALIDATOR_ITERATOR_AGE_MS}`,
            "AWS/SQS ApproximateNumberOfMessagesVisible Maximum > 0",
        ]);
        const topic = child(resources, T.topic, "chat-alarms-ap-southeast-2");
        for (const alarm of apse2) {
            expect(alarm.inputs.region).to.equal("ap-southeast-2");
            expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic.state.arn]);
            expect(alarm.inputs.treatMissingData).to.equal("notBreaching");
        }
        const deadLetters = apse2.find((alarm) => alarm.name.includes("dead-letters"));
        expect(alarmMetric(deadLetters?.inputs ?? {}).dimensions).to.deep.equal({ QueueName: child(resources, T.queue, "chat-inv-dlq-apse2").state.name });
        for (const alarm of alarms.filter((a) => a.name.endsWith("-home"))) expect(alarm.inputs.region, alarm.name).to.equal(HOME);
    });

    it("a dashboard row per invalidator", () => {
        const body = json(single(resources, T.dashboard).inputs, "dashboardBody") as { widgets: { properties: { title?: string; region?: string } }[] };
        const titles = body.widgets.map((widget) => widget.properties.title ?? "");
        for (const where of [`home, ${HOME}`, "us-east-1", "ap-southeast-2"]) {
            expect(titles, where).to.include.members([`Invalidator invocations — ${where}`, `Invalidator behind its stream (ms) — ${where}`, `Invalidator dead letters — ${where}`]);
        }
    });

    it("the S3 origin's timeouts are set, so a read becomes a cached copy within the invalidator's delay", () => {
        const origin = list(single(resources, T.distribution).inputs, "origins")[0];
        expect(origin).to.deep.include({
            connectionAttempts: S3_ORIGIN_TIMEOUTS.connectionAttempts,
            connectionTimeout: S3_ORIGIN_TIMEOUTS.connectionTimeoutSeconds,
            responseCompletionTimeout: S3_ORIGIN_TIMEOUTS.responseCompletionTimeoutSeconds,
        });
    });
});

describe("the invalidators: where there are none, and what changes them", () => {
    it("none for required + redirect, secured or public: CloudFront serves nothing of a hash there without asking the edge", async function () {
        this.timeout(60_000);
        for (const args of [{ service: "chat", mode: "redirect" }, { service: "regulatory", level: "secured" }, { service: "regulatory", level: "secured", mode: "redirect" }, { service: "marketplace", level: "public" }] as SecureImageCdnArgs[]) {
            const { resources } = await deployOne(args);
            expect([...ofType(resources, T.queue), ...ofType(resources, T.eventSourceMapping), ...ofType(resources, T.fn, `${args.service}-inv`)], JSON.stringify(args)).to.deep.equal([]);
        }
    });

    it("a longer edge timeout makes a longer delay; a customer-managed table key lets home's decrypt its stream through DynamoDB only", async function () {
        this.timeout(60_000);
        const { resources } = await deployOne({ service: "chat", edge: { timeoutSeconds: 10 }, tableEncryption: "customer-managed-kms", tableKmsKeyArn: KMS_KEY });
        const settings = parseInvalidatorSettings(at(child(resources, T.fn, "chat-inv-home").inputs, "environment", "variables", "INVALIDATOR_SETTINGS") as string);
        expect(settings.reinvalidateAfterSeconds).to.equal(85);
        const decrypt = statements(child(resources, T.rolePolicy, "chat-inv-policy-home")).find((s) => s.Sid === "DecryptTableStream");
        expect(decrypt).to.deep.equal({
            Sid: "DecryptTableStream",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: KMS_KEY,
            Condition: { StringEquals: { "kms:ViaService": `dynamodb.${HOME}.amazonaws.com` } },
        });
    });

    it("its children's names fit AWS's limits with the longest service name and the longest region code (Lambda and IAM: 64)", () => {
        const longest = "a".repeat(40);
        const codes = Object.keys(REGION_LOCATIONS).map(regionCode);
        expect(new Set(codes).size, "a code per region").to.equal(codes.length);
        const longestCode = codes.reduce((a, b) => (b.length > a.length ? b : a));
        // Pulumi's auto-name: the logical name, a hyphen, seven characters.
        for (const role of ["invalidator", "invalidatorRole"] as const) expect(`${childName(longest, role, longestCode)}-1234567`.length, role).to.be.at.most(64);
        expect(`${childName(longest, "invalidatorQueue", longestCode)}-1234567`.length, "SQS: 80").to.be.at.most(80);
        expect([regionCode("eu-west-1"), regionCode("ap-southeast-2"), regionCode("us-gov-west-1"), regionCode("ca-central-1")]).to.deep.equal(["euw1", "apse2", "usgw1", "cac1"]);
        expect(() => regionCode("moon-base")).to.throw(/not a region name/);
    });
});
