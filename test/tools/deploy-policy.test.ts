/**
 * The deploy identity's policy (tools/deploy-policy/): what the generator
 * promises (Lambda@Edge's extra permissions, the replicas' and point-in-time
 * recovery's documented actions, scopes, conditions, a stable document), its
 * command line (tools/deploy-policy.ts), and the copy in docs/operations.md.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SecureImageCdnArgs } from "../../components/args";
import { DEPLOY_PERMISSIONS, TYPES_WITHOUT_PERMISSIONS } from "../../tools/deploy-policy/permissions";
import { deployPolicies, deployPolicy, DeployPolicyInput, splitPolicy } from "../../tools/deploy-policy/policy";
import { childName, CLOUDFRONT_EDGE_LOG_GROUP_PREFIX } from "../../components/names";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { at, deploy, MOCK_PROJECT, MOCK_STACK, RecordedResource, single, T } from "../components/support/mocks";
import type { PolicyDocument, PolicyStatement } from "../../components/policies";
import { formatDeployPolicies, parseDeployPolicyArgs, stackDeployPolicy, writeDeployPolicies } from "../../tools/deploy-policy";
import { asList } from "../support/policy-grants";

const ROOT = path.join(__dirname, "..", "..");
const ACCOUNT = "123456789012";

/**
 * The most characters of one customer managed policy, whitespace not
 * counted (IAM User Guide, "IAM and AWS STS quotas").
 */
const MANAGED_POLICY_LIMIT = 6144;

/** The characters IAM counts in a document: its JSON without whitespace. */
function iamSize(doc: PolicyDocument): number {
    return JSON.stringify(doc, null, 2).replace(/\s/g, "").length;
}

/** A copy of the project's Pulumi.yaml with one stack config, `Pulumi.<stack>.yaml`, of this text. */
function projectWithStack(stack: string, config: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-policy-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), config);
    return root;
}

function policy(overrides: Partial<DeployPolicyInput> = {}) {
    return deployPolicy({ partition: "aws", accountId: ACCOUNT, project: "secure-image-cdn", stack: "prod", instances: ["chat"], ...overrides });
}

/** The statements that allow `action` (IAM wildcards in the policy's actions honoured). */
function allowing(statements: PolicyStatement[], action: string): PolicyStatement[] {
    return statements.filter((s) => s.Effect === "Allow" && asList(s.Action).some((a) => new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(action)));
}

/** Whether an IAM pattern (with `*` and `?`) matches a value. */
function matches(pattern: string, value: string): boolean {
    return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
}

/** Whether a policy's Allow statements grant `action` on `arn` (conditions aside). */
function allows(doc: { Statement: PolicyStatement[] }, action: string, arn: string): boolean {
    return doc.Statement.some(
        (s) => s.Effect === "Allow" && asList(s.Action).some((a) => matches(a, action)) && asList(s.Resource).some((r) => matches(r, arn)),
    );
}

const KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/**
 * What adding and removing a replica of a global table (version 2019.11.21)
 * takes, as the Amazon DynamoDB Developer Guide lists it ("Using IAM with
 * global tables"): `UpdateTable` in the home region; in the replica's region
 * `CreateTable`, `CreateTableReplica` and the item operations DynamoDB
 * backfills the replica with; to remove one, `DeleteTable` and
 * `DeleteTableReplica` there. Stated here, not read from the generator.
 */
const GLOBAL_TABLE_ACTIONS = {
    home: ["dynamodb:UpdateTable"],
    replicaRegion: [
        "dynamodb:CreateTable",
        "dynamodb:CreateTableReplica",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
        "dynamodb:GetItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteTable",
        "dynamodb:DeleteTableReplica",
    ],
} as const;

/** Every level, mode and option that changes which resources exist. */
const PROGRAMS: SecureImageCdnArgs[] = [
    { service: "discussion", replicaRegions: ["us-east-1", "ap-southeast-2"], variants: { thumb: { width: 256, height: 256 } } },
    { service: "chat", mode: "redirect", alarms: { email: ["oncall@example.com"] }, tableEncryption: "customer-managed-kms", tableKmsKeyArn: KMS_KEY },
    {
        service: "regulatory",
        level: "secured",
        priceClass: "PriceClass_All",
        additionalMetrics: false,
        alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:oncall"], edgeRegions: ["us-east-1"] },
        variants: { small: { width: 640, height: 640 } },
    },
    { service: "marketplace", level: "public" },
    { service: "nudges", level: "public", alarms: { enabled: false } },
];

/**
 * The ARN IAM authorizes a resource's own actions on, from what the mocks
 * recorded (the formats of the AWS Service Authorization Reference).
 */
function arnOf(resource: RecordedResource, all: RecordedResource[]): string | undefined {
    const byId = (id: unknown) => all.find((r) => r.id === id);
    const cloudFront = (kind: string) => `arn:aws:cloudfront::${ACCOUNT}:${kind}/${String(resource.id)}`;
    switch (resource.type) {
        case "aws:cloudfront/originAccessControl:OriginAccessControl":
            return cloudFront("origin-access-control");
        case "aws:cloudfront/cachePolicy:CachePolicy":
            return cloudFront("cache-policy");
        case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
            return cloudFront("response-headers-policy");
        case "aws:cloudfront/monitoringSubscription:MonitoringSubscription":
            return String(byId(resource.inputs.distributionId)?.state.arn);
        case "aws:iam/rolePolicy:RolePolicy":
            return String(byId(resource.inputs.role)?.state.arn);
        // A function URL and a permission act on their function.
        case "aws:lambda/functionUrl:FunctionUrl":
            return String(resource.state.functionArn);
        case "aws:lambda/permission:Permission":
            return String(all.find((r) => r.type === "aws:lambda/function:Function" && r.state.name === resource.inputs.function)?.state.arn);
        case "aws:sns/topicSubscription:TopicSubscription":
            return `${String(resource.inputs.topic)}:0d4e5f6a-1111-2222-3333-444455556666`;
        case "aws:cloudwatch/queryDefinition:QueryDefinition":
            return "*";
        case "aws:cloudwatch/dashboard:Dashboard":
            return String(resource.state.dashboardArn);
        default:
            if (typeof resource.state.arn === "string") return resource.state.arn;
            // The bucket's configuration resources act on the bucket.
            if (resource.inputs.bucket !== undefined) return String(byId(resource.inputs.bucket)?.state.arn);
            return undefined;
    }
}

describe("operations: the deploy identity's policy", () => {
    describe("derived from what the program registers", () => {
        let resources: RecordedResource[];
        before(async function () {
            this.timeout(60000);
            // Replicas are checked against the stack's aws:region.
            ({ resources } = await deploy(
                () => {
                    for (const args of PROGRAMS) new SecureImageCdn(args.service, args);
                },
                { "aws:region": "eu-west-1" },
            ));
        });

        it("every resource type the program registers has an entry, and every entry is a type it registers", () => {
            const registered = [...new Set(resources.map((r) => r.type))].filter((type) => !TYPES_WITHOUT_PERMISSIONS.includes(type));
            expect(registered.filter((type) => DEPLOY_PERMISSIONS[type] === undefined), "types with no entry").to.deep.equal([]);
            expect(Object.keys(DEPLOY_PERMISSIONS).filter((type) => !registered.includes(type)), "entries nothing registers").to.deep.equal([]);
        });

        it("the policy grants each resource the actions of its type on the resource's own ARN", () => {
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: PROGRAMS.map((p) => p.service) });
            let checked = 0;
            for (const resource of resources.filter((r) => !TYPES_WITHOUT_PERMISSIONS.includes(r.type))) {
                const arn = arnOf(resource, resources);
                expect(arn, `${resource.type} ${resource.name}: its ARN`).to.be.a("string").and.not.equal("undefined");
                // The first grant of a type acts on the resource itself; the others on lists, roles it passes, objects.
                const [own] = DEPLOY_PERMISSIONS[resource.type];
                for (const action of own.actions) {
                    expect(allows(doc, action.replace(/\*$/, "Config"), arn as string), `${action} on ${arn} (${resource.name})`).to.equal(true);
                    checked += 1;
                }
            }
            expect(checked).to.be.greaterThan(500);
        });

        it("and on nothing of another instance: the chat grants do not reach discussion's resources (but those CloudFront names)", () => {
            const chatOnly = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat"] });
            // CloudFront names its own resources, and the log groups of invalid edge responses after the distribution's ID.
            const namedByCloudFront = (r: RecordedResource) => r.type.startsWith("aws:cloudfront/") || String(r.state.name).startsWith(CLOUDFRONT_EDGE_LOG_GROUP_PREFIX);
            // Event source mappings have only a UUID: they are told apart by the function they feed (next test).
            const theirs = resources.filter((r) => r.name.startsWith("discussion-") && typeof r.state.arn === "string" && !namedByCloudFront(r) && r.type !== T.eventSourceMapping);
            expect(theirs.filter((r) => r.type === T.logGroup), "discussion's own log groups are checked").to.not.deep.equal([]);
            expect(theirs.map((r) => r.type)).to.include.members([T.fn, T.queue, T.role]);
            for (const resource of theirs) {
                const [own] = DEPLOY_PERMISSIONS[resource.type];
                for (const action of own.actions) expect(allows(chatOnly, action, String(resource.state.arn)), `${action} on ${String(resource.state.arn)}`).to.equal(false);
            }
        });

        it("event source mappings: created, changed and deleted only for the instance's invalidators (lambda:FunctionArn); read and tagged by UUID", () => {
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat", "discussion"] });
            const invalidators = [`arn:aws:lambda:*:${ACCOUNT}:function:chat-inv-*`, `arn:aws:lambda:*:${ACCOUNT}:function:discussion-inv-*`];
            for (const action of ["lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"]) {
                const granted = allowing(doc.Statement, action);
                expect(granted, action).to.have.length(1);
                expect(granted[0].Condition, action).to.deep.equal({ ArnLike: { "lambda:FunctionArn": invalidators } });
            }
            expect(asList(allowing(doc.Statement, "lambda:CreateEventSourceMapping")[0].Resource), "nothing to name before it exists").to.deep.equal(["*"]);
            const mapping = single(resources, T.eventSourceMapping, "discussion-inv-stream-home");
            expect(allows(doc, "lambda:GetEventSourceMapping", String(mapping.state.arn))).to.equal(true);
            // The mappings feed the functions the condition names.
            expect(String(single(resources, T.fn, "discussion-inv-home").state.arn)).to.satisfy((arn: string) => invalidators.some((pattern) => matches(pattern, arn)));
        });

        it("a replicated table: each action the DynamoDB guide lists for adding and removing a replica, on that instance's table where the guide says; the replication service-linked role once", () => {
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat", "discussion"], replicatedInstances: ["chat"] });
            const table = (region: string, instance = "chat") => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${instance}-table-1234567`;
            for (const action of GLOBAL_TABLE_ACTIONS.home) expect(allows(doc, action, table("eu-west-1")), `${action} at home`).to.equal(true);
            for (const action of GLOBAL_TABLE_ACTIONS.replicaRegion) expect(allows(doc, action, table("ap-southeast-2")), `${action} in a replica's region`).to.equal(true);
            // Creating and deleting a table is every table's; the rest is what replicas add, and only to the replicated instance.
            const replicaOnly = GLOBAL_TABLE_ACTIONS.replicaRegion.filter((action) => !["dynamodb:CreateTable", "dynamodb:DeleteTable"].includes(action));
            for (const action of replicaOnly) {
                expect(allows(doc, action, table("ap-southeast-2", "discussion")), `${action} on another instance's table`).to.equal(false);
            }
            const [role] = doc.Statement.filter((s) => s.Sid === "TableReplicationRole");
            expect(role).to.deep.include({ Action: ["iam:CreateServiceLinkedRole"], Condition: { StringEquals: { "iam:AWSServiceName": "replication.dynamodb.amazonaws.com" } } });
            const plain = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat"] });
            expect(plain.Statement.map((s) => s.Sid)).not.to.include.members(["TableReplicas", "TableReplicationRole"]);
            for (const action of replicaOnly) expect(allows(plain, action, table("eu-west-1")), `no ${action} without replicas`).to.equal(false);
        });

        it("point-in-time recovery, on for the table and every replica with default settings, is turned on with UpdateContinuousBackups and read back with DescribeContinuousBackups, granted wherever the table is", () => {
            const replicated = single(resources, T.table, "discussion");
            expect(at(replicated.inputs, "pointInTimeRecovery", "enabled"), "the home table").to.equal(true);
            const replicas = replicated.inputs.replicas as { regionName: string; pointInTimeRecovery: boolean }[];
            expect(replicas.map((replica) => replica.regionName)).to.deep.equal(["us-east-1", "ap-southeast-2"]);
            for (const replica of replicas) expect(replica.pointInTimeRecovery, `the replica in ${replica.regionName}`).to.equal(true);
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["discussion"], replicatedInstances: ["discussion"] });
            const name = String(replicated.state.name);
            for (const region of ["eu-west-1", ...replicas.map((replica) => replica.regionName)]) {
                for (const action of ["dynamodb:UpdateContinuousBackups", "dynamodb:DescribeContinuousBackups"]) {
                    expect(allows(doc, action, `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`), `${action} in ${region}`).to.equal(true);
                }
            }
        });

        it("scopes the instance's children by the names the component gives them (childName), whatever the role", () => {
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat"] });
            const scoped = (sid: string) => asList(doc.Statement.find((statement) => statement.Sid === sid)?.Resource);
            expect(scoped("Bucket")).to.deep.equal([`arn:aws:s3:::${childName("chat", "bucket")}-*`]);
            expect(scoped("Table")).to.deep.equal([`arn:aws:dynamodb:*:${ACCOUNT}:table/${childName("chat", "table")}-*`]);
            expect(scoped("Roles")).to.deep.equal([
                `arn:aws:iam::${ACCOUNT}:role/${childName("chat", "edgeRole")}-*`,
                `arn:aws:iam::${ACCOUNT}:role/${childName("chat", "invalidatorRole")}-*`,
                `arn:aws:iam::${ACCOUNT}:role/${childName("chat", "resizerRole")}-*`,
            ]);
            expect(scoped("EdgeFunction")).to.deep.equal([`arn:aws:lambda:us-east-1:${ACCOUNT}:function:${childName("chat", "edgeFunction")}-*`]);
            expect(scoped("ResizerFunction")).to.deep.equal([`arn:aws:lambda:*:${ACCOUNT}:function:${childName("chat", "resizerFunction")}-*`]);
            expect(scoped("InvalidatorFunction")).to.deep.equal([`arn:aws:lambda:*:${ACCOUNT}:function:${childName("chat", "invalidator")}-*`]);
            expect(scoped("CloudFrontFunction")).to.deep.equal([`arn:aws:cloudfront::${ACCOUNT}:function/${childName("chat", "acceptFunction")}-*`]);
            expect(scoped("Queues")).to.deep.equal([`arn:aws:sqs:*:${ACCOUNT}:${childName("chat", "invalidatorDeadLetters")}-*`, `arn:aws:sqs:*:${ACCOUNT}:${childName("chat", "invalidatorQueue")}-*`]);
            expect(scoped("Alarm")).to.deep.equal([`arn:aws:cloudwatch:*:${ACCOUNT}:alarm:${childName("chat", "alarm")}-*`]);
            expect(scoped("LogGroup")).to.deep.equal([
                `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/cloudfront/LambdaEdge/*`,
                `arn:aws:logs:*:${ACCOUNT}:log-group:${childName("chat", "edgeLogGroup")}-*`,
                `arn:aws:logs:*:${ACCOUNT}:log-group:${childName("chat", "invalidatorLogGroup")}-*`,
                `arn:aws:logs:*:${ACCOUNT}:log-group:${childName("chat", "resizerLogGroup")}-*`,
            ]);
            expect(scoped("Topic")).to.deep.equal([`arn:aws:sns:*:${ACCOUNT}:${childName("chat", "alarmTopic")}-*`]);
        });

        it("a customer-managed table key: DescribeKey and CreateGrant on that key, through DynamoDB only", () => {
            const doc = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: MOCK_PROJECT, stack: MOCK_STACK, instances: ["chat"], kmsKeyArns: [KMS_KEY] });
            const [kms] = doc.Statement.filter((s) => s.Sid === "TableKmsKeys");
            expect(kms).to.deep.equal({
                Sid: "TableKmsKeys",
                Effect: "Allow",
                Action: ["kms:CreateGrant", "kms:DescribeKey"],
                Resource: KMS_KEY,
                Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
            });
            expect(policy().Statement.some((s) => asList(s.Action).some((a) => a.startsWith("kms:"))), "no key, no KMS permission").to.equal(false);
        });
    });

    it("associating the edge function: GetFunction and Enable/DisableReplication* on its versions, PassRole on its role to Lambda only, the service-linked roles once", () => {
        const { Statement } = policy();
        const edge = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:chat-edge-*`;
        const [getFunction] = allowing(Statement, "lambda:GetFunction");
        expect(asList(getFunction?.Resource), "every function of the instance: the edge's, the resizer's, the invalidators'").to.have.members([
            edge,
            `arn:aws:lambda:*:${ACCOUNT}:function:chat-resizer-*`,
            `arn:aws:lambda:*:${ACCOUNT}:function:chat-inv-*`,
        ]);
        for (const action of ["lambda:EnableReplication", "lambda:DisableReplication", "lambda:PublishVersion"]) {
            const granted = allowing(Statement, action);
            expect(granted.flatMap((statement) => asList(statement.Resource)), `${action}: the edge function only, never the resizer or an invalidator`).to.deep.equal([edge]);
        }
        // The edge function is kept on destroy (its replicas linger); the resizer and the invalidators go with the stack.
        expect(allowing(Statement, "lambda:DeleteFunction").flatMap((statement) => asList(statement.Resource))).to.have.members([
            `arn:aws:lambda:*:${ACCOUNT}:function:chat-resizer-*`,
            `arn:aws:lambda:*:${ACCOUNT}:function:chat-inv-*`,
        ]);
        expect(asList(Statement.flatMap((s) => asList(s.Action))), "the wildcard itself is granted, as the guide requires").to.include.members(["lambda:EnableReplication*", "lambda:DisableReplication*"]);
        const [passRole] = allowing(Statement, "iam:PassRole");
        expect(passRole).to.deep.include({
            Resource: [`arn:aws:iam::${ACCOUNT}:role/chat-edge-role-*`, `arn:aws:iam::${ACCOUNT}:role/chat-inv-role-*`, `arn:aws:iam::${ACCOUNT}:role/chat-resizer-role-*`],
            Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
        });
        expect(asList(passRole.Action)).to.deep.equal(["iam:PassRole"]);
        const [linked] = allowing(Statement, "iam:CreateServiceLinkedRole");
        expect(linked.Condition).to.deep.equal({ StringEquals: { "iam:AWSServiceName": ["replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"] } });
        expect(asList(linked.Resource).every((arn) => arn.startsWith(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/`))).to.equal(true);
    });

    it("the roles: a description is changed with iam:UpdateRoleDescription (not UpdateRole), granted on the instance's roles only", () => {
        const { Statement } = policy();
        const granted = allowing(Statement, "iam:UpdateRoleDescription");
        expect(granted.map((s) => s.Sid)).to.deep.equal(["Roles"]);
        expect(asList(granted[0].Resource)).to.deep.equal([`arn:aws:iam::${ACCOUNT}:role/chat-edge-role-*`, `arn:aws:iam::${ACCOUNT}:role/chat-inv-role-*`, `arn:aws:iam::${ACCOUNT}:role/chat-resizer-role-*`]);
        expect(allows({ Statement }, "iam:UpdateRoleDescription", `arn:aws:iam::${ACCOUNT}:role/discussion-edge-role-1a2b3c4`), "another instance's role").to.equal(false);
    });

    it("every action is scoped: by the instance's names where AWS uses them, by the account for CloudFront, * only for saved queries (which have no ARN) and for creating an event source mapping of the instance's invalidators", () => {
        const { Statement } = policy({ instances: ["chat", "discussion"] });
        for (const statement of Statement) {
            for (const resource of asList(statement.Resource)) {
                if (resource === "*" && statement.Condition !== undefined) {
                    expect(asList(statement.Action), statement.Sid).to.deep.equal(["lambda:CreateEventSourceMapping"]);
                    expect(Object.keys(statement.Condition.ArnLike ?? {}), statement.Sid).to.deep.equal(["lambda:FunctionArn"]);
                    continue;
                }
                if (resource === "*") {
                    expect(asList(statement.Action), statement.Sid).to.have.members(["logs:DeleteQueryDefinition", "logs:DescribeQueryDefinitions", "logs:PutQueryDefinition"]);
                    continue;
                }
                expect(resource, statement.Sid).to.match(new RegExp(`^arn:aws:[a-z0-9-]+:[a-z0-9-*]*:(${ACCOUNT})?:`));
            }
        }
        const [createBucket] = allowing(Statement, "s3:CreateBucket");
        expect(asList(createBucket.Resource)).to.deep.equal(["arn:aws:s3:::chat-bucket-*", "arn:aws:s3:::discussion-bucket-*"]);
        const [putDashboard] = allowing(Statement, "cloudwatch:PutDashboard");
        expect(asList(putDashboard.Resource)).to.deep.equal([`arn:aws:cloudwatch::${ACCOUNT}:dashboard/secure-image-cdn-prod-chat`, `arn:aws:cloudwatch::${ACCOUNT}:dashboard/secure-image-cdn-prod-discussion`]);
        // Nothing lets the deploy identity read images or hash items.
        for (const action of ["s3:GetObject", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "iam:AttachRolePolicy", "iam:CreateUser"]) {
            expect(allowing(Statement, action), action).to.deep.equal([]);
        }
    });

    it("one statement per scope and condition, with unique IDs, in a stable order", () => {
        const first = policy({ instances: ["chat", "discussion"] });
        expect(JSON.stringify(policy({ instances: ["chat", "discussion"] }))).to.equal(JSON.stringify(first));
        const sids = first.Statement.map((s) => s.Sid);
        expect(new Set(sids).size).to.equal(sids.length);
        for (const sid of sids) expect(sid).to.match(/^[A-Za-z0-9]+$/);
        expect(first.Version).to.equal("2012-10-17");
    });

    it("a type without an entry stops the generator, naming it", () => {
        expect(() => policy({ types: ["aws:ec2/instance:Instance"] })).to.throw(/no deploy permissions are known for resource type aws:ec2\/instance:Instance/);
        expect(policy({ types: ["aws:s3/bucket:Bucket"] }).Statement.map((s) => s.Sid)).to.deep.equal(["Bucket", "BucketObjects"]);
        expect(Object.keys(DEPLOY_PERMISSIONS).length).to.be.greaterThan(15);
    });

    describe("npm run deploy-policy", () => {
        it("reads its flags, refusing a missing account or an unknown flag", () => {
            expect(parseDeployPolicyArgs(["--account", ACCOUNT])).to.deep.equal({ help: false, accountId: ACCOUNT, stack: "dev", partition: "aws" });
            expect(parseDeployPolicyArgs(["--account", ACCOUNT, "--stack", "prod", "--partition", "aws-us-gov"])).to.include({ stack: "prod", partition: "aws-us-gov" });
            expect(parseDeployPolicyArgs(["--account", ACCOUNT, "--out-dir", "policies"])).to.include({ outDir: "policies" });
            expect(() => parseDeployPolicyArgs(["--account", ACCOUNT, "--out-dir"])).to.throw(/--out-dir needs a value/);
            expect(parseDeployPolicyArgs(["--help"]).help).to.equal(true);
            expect(() => parseDeployPolicyArgs([])).to.throw(/--account must be a 12-digit AWS account ID/);
            expect(() => parseDeployPolicyArgs(["--account", "12345"])).to.throw(/--account must be a 12-digit/);
            expect(() => parseDeployPolicyArgs(["--account", ACCOUNT, "--region", "x"])).to.throw(/unknown option --region/);
            expect(() => parseDeployPolicyArgs(["--account"])).to.throw(/--account needs a value/);
            expect(() => parseDeployPolicyArgs(["--account", ACCOUNT, "--partition", "aws-moon"])).to.throw(/--partition must be/);
        });

        it("scopes the policy to the services the stack's config deploys", () => {
            const Statement = stackDeployPolicy(ROOT, { help: false, accountId: ACCOUNT, stack: "dev", partition: "aws" }).flatMap((doc) => doc.Statement);
            const [createTable] = allowing(Statement, "dynamodb:CreateTable");
            expect(asList(createTable.Resource)).to.deep.equal([`arn:aws:dynamodb:*:${ACCOUNT}:table/chat-table-*`, `arn:aws:dynamodb:*:${ACCOUNT}:table/discussion-table-*`]);
            expect(() => stackDeployPolicy(ROOT, { help: false, accountId: ACCOUNT, stack: "nope", partition: "aws" })).to.throw(/Pulumi\.nope\.yaml does not exist/);
        });

        it("a service removing its last replica (replicaRegionsToRemove only) still gets DeleteTableReplica on its table", () => {
            const root = projectWithStack(
                "leaving",
                "config:\n  aws:region: eu-west-1\n  secure-image-cdn:services: [discussion, chat]\n  secure-image-cdn:overrides:\n    chat:\n      replicaRegionsToRemove: [ap-southeast-2]\n",
            );
            const Statement = stackDeployPolicy(root, { help: false, accountId: ACCOUNT, stack: "leaving", partition: "aws" }).flatMap((doc) => doc.Statement);
            const replicas = Statement.find((statement) => statement.Sid === "TableReplicas");
            expect(asList(replicas?.Resource)).to.deep.equal([`arn:aws:dynamodb:*:${ACCOUNT}:table/chat-table-*`]);
            expect(allows({ Statement }, "dynamodb:DeleteTableReplica", `arn:aws:dynamodb:ap-southeast-2:${ACCOUNT}:table/chat-table-1234567`)).to.equal(true);
            expect(allows({ Statement }, "dynamodb:DeleteTableReplica", `arn:aws:dynamodb:ap-southeast-2:${ACCOUNT}:table/discussion-table-1234567`), "not discussion's").to.equal(false);
        });

        it("docs/operations.md shows exactly what it prints for the dev stack", () => {
            const doc = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
            const block = /<!-- deploy-policy:dev:(\d{12}) -->\n```json\n([\s\S]*?)```/.exec(doc);
            if (!block) throw new Error("docs/operations.md has no deploy-policy block");
            const printed = formatDeployPolicies(stackDeployPolicy(ROOT, { help: false, accountId: block[1], stack: "dev", partition: "aws" }));
            expect(block[2]).to.equal(printed);
            const shown = JSON.parse(block[2]) as PolicyDocument[];
            expect(shown, "a list of documents").to.be.an("array").with.length.greaterThan(1);
            for (const doc of shown) expect(iamSize(doc), "each fits a managed policy").to.be.at.most(MANAGED_POLICY_LIMIT);
        });

        it("prints a JSON list of documents whatever their number; --out-dir writes one file per document", () => {
            const one = deployPolicies({ partition: "aws", accountId: ACCOUNT, project: "secure-image-cdn", stack: "dev", instances: ["marketplace"], types: ["aws:s3/bucket:Bucket"] });
            expect(one).to.have.length(1);
            expect(JSON.parse(formatDeployPolicies(one))).to.deep.equal(JSON.parse(JSON.stringify(one)));
            const dev = stackDeployPolicy(ROOT, { help: false, accountId: ACCOUNT, stack: "dev", partition: "aws" });
            const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "deploy-policy-out-")), "policies");
            const files = writeDeployPolicies(dir, dev);
            expect(files.map((file) => path.relative(dir, file))).to.deep.equal(dev.map((_, i) => `deploy-policy-${i + 1}.json`));
            expect(files.map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as unknown)).to.deep.equal(JSON.parse(JSON.stringify(dev)));
        });
    });

    describe("fits IAM's size limit for a customer managed policy (6,144 characters without whitespace)", () => {
        const FIVE_SERVICES = `config:
  aws:region: eu-west-1
  secure-image-cdn:services: [discussion, chat, marketplace, nudges, regulatory]
  secure-image-cdn:overrides:
    discussion:
      replicaRegions: [us-east-1, ap-southeast-2]
    chat:
      tableEncryption: customer-managed-kms
      tableKmsKeyArn: ${KMS_KEY}
`;

        it("the dev stack: every document fits, and together they hold every statement of the whole policy", () => {
            const documents = stackDeployPolicy(ROOT, { help: false, accountId: ACCOUNT, stack: "dev", partition: "aws" });
            const whole = deployPolicy({ partition: "aws", accountId: ACCOUNT, project: "secure-image-cdn", stack: "dev", instances: ["discussion", "chat"] });
            expect(iamSize(whole), "the whole policy does not fit one").to.be.greaterThan(MANAGED_POLICY_LIMIT);
            expect(documents.map(iamSize).every((size) => size <= MANAGED_POLICY_LIMIT), `sizes ${documents.map(iamSize).join(", ")}`).to.equal(true);
            expect(documents).to.have.length(2);
            expect(documents.flatMap((doc) => doc.Statement)).to.deep.equal(whole.Statement);
            for (const doc of documents) expect(doc.Version).to.equal("2012-10-17");
        });

        it("a stack of all five services (one with replicas, one with a customer-managed key): every document fits, nothing lost", () => {
            const root = projectWithStack("five", FIVE_SERVICES);
            const documents = stackDeployPolicy(root, { help: false, accountId: ACCOUNT, stack: "five", partition: "aws" });
            const whole = deployPolicy({
                partition: "aws",
                accountId: ACCOUNT,
                project: "secure-image-cdn",
                stack: "five",
                instances: ["discussion", "chat", "marketplace", "nudges", "regulatory"],
                kmsKeyArns: [KMS_KEY],
                replicatedInstances: ["discussion"],
            });
            expect(iamSize(whole)).to.be.greaterThan(MANAGED_POLICY_LIMIT);
            for (const doc of documents) expect(iamSize(doc), doc.Statement.map((s) => s.Sid).join(",")).to.be.at.most(MANAGED_POLICY_LIMIT);
            expect(documents.flatMap((doc) => doc.Statement)).to.deep.equal(whole.Statement);
            expect(documents.flatMap((doc) => doc.Statement).map((s) => s.Sid)).to.include.members(["TableReplicas", "TableKmsKeys"]);
            expect(documents.length).to.be.within(2, 3);
        });

        it("packs greedily by whole statements: a document that fits stays one, the same document", () => {
            // The bucket's and the table's types: one instance's grants on them fit one document.
            const types = Object.keys(DEPLOY_PERMISSIONS).filter((type) => type.startsWith("aws:s3/") || type.startsWith("aws:dynamodb/") || type.startsWith("aws:sqs/"));
            const small = policy({ types });
            expect(iamSize(small)).to.be.at.most(MANAGED_POLICY_LIMIT);
            expect(splitPolicy(small)).to.deep.equal([small]);
            expect(deployPolicies({ partition: "aws", accountId: ACCOUNT, project: "secure-image-cdn", stack: "prod", instances: ["chat"], types })).to.deep.equal([small]);
            // Three statements of about 2,500 characters: two documents, the first two together would not fit.
            const statement = (sid: string): PolicyStatement => ({ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 60 }, (_, i) => `arn:aws:s3:::${sid.toLowerCase()}-bucket-${i}/*`) });
            const doc: PolicyDocument = { Version: "2012-10-17", Statement: [statement("First"), statement("Second"), statement("Third")] };
            const split = splitPolicy(doc);
            expect(split.map((d) => d.Statement.map((s) => s.Sid))).to.deep.equal([["First", "Second"], ["Third"]]);
        });

        it("a statement over the limit on its own stops the generator, naming it", () => {
            const huge: PolicyStatement = { Sid: "Huge", Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) };
            const doc: PolicyDocument = { Version: "2012-10-17", Statement: [policy().Statement[0], huge] };
            expect(() => splitPolicy(doc)).to.throw(/^deploy policy statement Huge is \d+ characters on its own, over the 6144 IAM allows a managed policy/);
            const many = Array.from({ length: 150 }, (_, i) => `svc${i}`);
            expect(() => deployPolicies({ partition: "aws", accountId: ACCOUNT, project: "secure-image-cdn", stack: "prod", instances: many })).to.throw(/^deploy policy statement Alarm is \d+ characters on its own, over the 6144/);
        });
    });
});
