/**
 * SecureImageCdn as a component: what it creates per level, how instances
 * stay apart, what it protects, what it exposes, and how it refuses bad
 * args. Tests that read the same instance (the same name and args) share
 * its one deployment, read-only (test/components/support/shared-deploy.ts);
 * a test whose program is its own deploys it into a fresh mocked stack.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SecureImageCdnArgs } from "../../components/args";
import { USER_CONTENT_CSP } from "../../components/distribution";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { alarmMetric, at, deploy, json, list, MOCK_REGION, ofType, RecordedResource, single, T } from "./support/mocks";
import { sharedDeploys } from "./support/shared-deploy";
import { rejection, thrown } from "../support/rejection";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0d4e5f6a-1111-2222-3333-444455556666";

/** Every string anywhere inside a value. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
    return [];
}

describe("SecureImageCdn component", () => {
    /** One instance and its outputs, deployed once per name and args and shared by the tests that ask. */
    const deployOne = sharedDeploys((name: string, args: SecureImageCdnArgs) => deploy(() => ({ out: new SecureImageCdn(name, args).outputs() })));

    it("a required instance has a bucket, a table, an edge function with its role, the invalidator, the CloudFront parts and alarms", async () => {
        const { resources } = await deployOne("chat", { service: "chat" });
        const count = (type: string) => ofType(resources, type).length;
        // The edge function and the home invalidator, each with its role and policy.
        expect([count(T.component), count(T.bucket), count(T.table), count(T.fn), count(T.role), count(T.rolePolicy)]).to.deep.equal([1, 1, 1, 2, 2, 2]);
        expect([count(T.oac), count(T.cachePolicy), count(T.headersPolicy), count(T.distribution), count(T.bucketPolicy), count(T.versioning)]).to.deep.equal([1, 1, 1, 1, 1, 1]);
        // Its queue and dead-letter queue, and its two sources: the table's stream and the queue.
        expect([count(T.queue), count(T.eventSourceMapping)]).to.deep.equal([2, 2]);
        // The 5xx alarm, CloudFront's Lambda@Edge failures, and duration, errors and throttles in each of PriceClass_100's
        // seven edge regions; the invalidator's four.
        expect(count(T.alarm)).to.equal(2 + 7 * 3 + 4);
        // A topic per region with alarms (home, eu-west-1, is an edge region); in each of the 13 regions with a regional
        // edge cache (the function may run in any of them) the function's log group, CloudFront's for its invalid
        // responses and two saved queries; the invalidator's log group; the metrics subscription, a dashboard.
        expect([count(T.topic), count(T.logGroup), count(T.queryDefinition), count(T.monitoring), count(T.dashboard)]).to.deep.equal([7, 27, 26, 1, 1]);
    });

    it("the public level creates no table, no function, no role and no edge alarm, and associates nothing", async () => {
        const { resources } = await deployOne("market", { service: "marketplace", level: "public" });
        for (const type of [T.table, T.fn, T.role, T.rolePolicy]) expect(ofType(resources, type), type).to.deep.equal([]);
        expect(ofType(resources, T.alarm).map((a) => alarmMetric(a.inputs).namespace)).to.deep.equal(["AWS/CloudFront"]);
        expect(ofType(resources, T.logGroup), "no function, no log groups").to.deep.equal([]);
        expect(at(single(resources, T.distribution).inputs, "defaultCacheBehavior", "lambdaFunctionAssociations") ?? []).to.deep.equal([]);
    });

    it("every child is parented to the instance and named after it", async () => {
        const { resources } = await deployOne("chat", { service: "chat" });
        const children = resources.filter((r) => r.type !== T.component);
        expect(children.length).to.be.greaterThan(10);
        for (const child of children) {
            expect(child.parent, child.name).to.equal("chat");
            expect(child.name, child.type).to.match(/^chat-/);
        }
    });

    it("no resource is created inside an apply: all exist when the constructor returns", async () => {
        const deployment = await deployOne("chat", { service: "chat" });
        expect(deployment.constructedByProgram).to.equal(deployment.resources.length);
    });

    it("it asks the provider only for the account and partition (for the edge log ARNs), and a public instance asks nothing", async () => {
        const guarded = await deployOne("chat", { service: "chat" });
        expect(guarded.calls.map((c) => c.token)).to.have.members(["aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getPartition:getPartition"]);
        const open = await deployOne("marketplace", { service: "marketplace", level: "public" });
        expect(open.calls).to.deep.equal([]);
    });

    it("no child has a fixed physical name, so auto-naming keeps stacks and instances apart", async () => {
        const { resources } = await deployOne("chat", { service: "chat" });
        const primaryLogGroup = ofType(resources, T.logGroup).find((r) => r.name === "chat-edge-logs");
        if (!primaryLogGroup) throw new Error("no log group chat-edge-logs");
        const distributionId = single(resources, T.distribution).id;
        for (const r of resources) {
            if (r.type === T.logGroup && r.name.startsWith("chat-cloudfront-edge-logs-")) {
                // CloudFront names the log group of the function's invalid responses after the distribution.
                expect(r.inputs.name, r.name).to.equal(`/aws/cloudfront/LambdaEdge/${distributionId}`);
            } else if (r.type === T.logGroup && r !== primaryLogGroup && r.name.startsWith("chat-edge-logs-")) {
                // The function logs under one name everywhere: every region's group takes us-east-1's auto-generated one.
                expect(r.inputs.name, r.name).to.equal(primaryLogGroup.state.name);
            } else if (r.type === T.queryDefinition) {
                // A saved query's name is a label (queries are identified by ID), made unique by project, stack and instance.
                expect(r.inputs.name, r.name).to.match(/^secure-image-cdn\/test\/chat\/edge /);
            } else {
                expect(r.inputs.name, `${r.type} ${r.name}`).to.equal(undefined);
            }
            if (r.type === T.bucket) expect(r.inputs, r.name).to.not.have.property("bucket");
            // Dashboards are named by their owner: project, stack and instance.
            if (r.type === T.dashboard) expect(r.inputs.dashboardName, r.name).to.equal("secure-image-cdn-test-chat");
        }
        expect(primaryLogGroup.inputs.name, "us-east-1's log group is auto-named").to.equal(undefined);
    });

    it("two instances in one stack do not collide and share nothing", async () => {
        const { resources } = await deploy(() => {
            new SecureImageCdn("chat", { service: "chat" });
            new SecureImageCdn("discussion", { service: "discussion" });
        });
        const keys = resources.map((r) => `${r.type}::${r.name}`);
        expect(new Set(keys).size).to.equal(keys.length);
        const ids = resources.filter((r) => r.id !== undefined).map((r) => r.id);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const [self, other] of [
            ["chat", "discussion"],
            ["discussion", "chat"],
        ]) {
            const mine = resources.filter((r) => r.name === self || r.name.startsWith(`${self}-`));
            const theirs = resources.filter((r) => r.name === other || r.name.startsWith(`${other}-`));
            expect(mine.length + theirs.length).to.equal(resources.length);
            // Nothing that identifies theirs (ids, names, ARNs, domains) appears in any input of mine.
            const identifying = ["name", "bucket", "arn", "qualifiedArn", "domainName", "bucketRegionalDomainName"];
            const theirValues = new Set(
                theirs.flatMap((r) => [r.id, ...identifying.map((key) => r.state[key])]).filter((v): v is string => typeof v === "string"),
            );
            expect(theirValues.size).to.be.greaterThan(theirs.length);
            for (const r of mine) {
                const leaked = strings(r.inputs).filter((s) => [...theirValues].some((value) => s.includes(value)));
                expect(leaked, `${r.name} refers to ${other}`).to.deep.equal([]);
            }
        }
    });

    describe("stateful children", () => {
        it("the bucket and the table are protected, the table has deletion protection and the bucket is never force-destroyed", async () => {
            const { resources } = await deployOne("chat", { service: "chat" });
            expect(single(resources, T.bucket), "bucket").to.have.property("protect", true);
            expect(single(resources, T.table), "table").to.have.property("protect", true);
            expect(single(resources, T.table).inputs, "table").to.have.property("deletionProtectionEnabled", true);
            expect(single(resources, T.bucket).inputs, "bucket").to.have.property("forceDestroy", false);
            const protectedNames = resources.filter((r) => r.protect === true).map((r) => r.name);
            expect(protectedNames).to.have.members(["chat-bucket", "chat-table"]);
        });

        it("protectData: false lifts all of it, for throwaway stacks", async () => {
            const { resources } = await deployOne("chat", { service: "chat", protectData: false });
            expect(single(resources, T.bucket), "bucket").to.have.property("protect", false);
            expect(single(resources, T.table), "table").to.have.property("protect", false);
            expect(single(resources, T.table).inputs, "table").to.have.property("deletionProtectionEnabled", false);
            expect(single(resources, T.bucket).inputs, "bucket").to.have.property("forceDestroy", true);
        });

        it("the bucket keeps every version of every object", async () => {
            const { resources } = await deployOne("market", { service: "marketplace", level: "public" });
            const versioning = single(resources, T.versioning);
            expect(versioning.inputs.bucket).to.equal(single(resources, T.bucket).id);
            expect(versioning.inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        });

        it("unconfirmed uploads expire after a day (current and old versions under <uploadPrefix>incoming/); hidden versions everywhere after noncurrentVersionDays, then their lone delete markers; after versioning is on", async () => {
            for (const [name, args, prefix, days] of [
                ["chat", { service: "chat" }, "uploads/incoming/", 30],
                ["market", { service: "marketplace", level: "public", uploadPrefix: "listings/new/", noncurrentVersionDays: 7 }, "listings/new/incoming/", 7],
            ] as const) {
                const { resources } = await deployOne(name, args);
                const lifecycle = single(resources, T.lifecycle);
                expect(lifecycle.inputs.bucket, name).to.equal(single(resources, T.bucket).id);
                expect(lifecycle.dependsOn, `${name}: after versioning`).to.include(single(resources, T.versioning).name);
                expect(lifecycle.inputs.rules, name).to.deep.equal([
                    {
                        id: "expire-unconfirmed-uploads",
                        status: "Enabled",
                        filter: { prefix },
                        expiration: { days: 1 },
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                    {
                        id: "expire-hidden-versions",
                        status: "Enabled",
                        filter: {},
                        expiration: { expiredObjectDeleteMarker: true },
                        noncurrentVersionExpiration: { noncurrentDays: days },
                    },
                ]);
            }
        });

        it("the table is encrypted with DynamoDB's AWS-owned key by default (no KMS charge), chosen explicitly", async () => {
            const { resources } = await deployOne("chat", { service: "chat" });
            // enabled: false is the AWS-owned key (pulumi-aws TableServerSideEncryption); true without a key ARN would be the billed AWS-managed KMS key.
            expect(single(resources, T.table).inputs.serverSideEncryption).to.deep.equal({ enabled: false });
        });
    });

    describe("response headers for user content", () => {
        /** A service of each level, named like the stack names it. */
        const SERVICE_AT = { public: "marketplace", required: "chat", secured: "regulatory" } as const;

        async function headersPolicy(args: SecureImageCdnArgs): Promise<RecordedResource> {
            const { resources } = await deployOne(args.service, args);
            const policy = single(resources, T.headersPolicy);
            expect(at(single(resources, T.distribution).inputs, "defaultCacheBehavior", "responseHeadersPolicyId")).to.equal(policy.id);
            return policy;
        }

        it("every level sends nosniff, a sandboxing CSP, DENY framing, no referrer and HSTS, overriding the origin", async () => {
            for (const level of ["public", "required", "secured"] as const) {
                const security = (await headersPolicy({ service: SERVICE_AT[level], level })).inputs.securityHeadersConfig;
                expect(at(security, "contentTypeOptions"), level).to.deep.equal({ override: true });
                expect(at(security, "contentSecurityPolicy"), level).to.deep.equal({
                    contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
                    override: true,
                });
                expect(at(security, "frameOptions"), level).to.deep.equal({ frameOption: "DENY", override: true });
                expect(at(security, "referrerPolicy"), level).to.deep.equal({ referrerPolicy: "no-referrer", override: true });
                expect(at(security, "strictTransportSecurity"), level).to.have.property("override", true);
                expect(Number(at(security, "strictTransportSecurity", "accessControlMaxAgeSec")), level).to.be.at.least(31536000);
            }
            expect(USER_CONTENT_CSP).to.match(/default-src 'none'/).and.match(/sandbox/).and.not.match(/script-src/);
        });

        it("S3's own response headers are removed (at most 10, none of CloudFront's)", async () => {
            const items = list((await headersPolicy({ service: "chat" })).inputs, "removeHeadersConfig", "items").map((i) => at(i, "header"));
            expect(items).to.deep.equal([
                "x-amz-id-2",
                "x-amz-request-id",
                "x-amz-server-side-encryption",
                "x-amz-server-side-encryption-bucket-key-enabled",
                "x-amz-version-id",
            ]);
            expect(items.length).to.be.at.most(10);
            for (const header of items) expect(String(header)).to.match(/^x-amz-/).and.not.match(/^x-amz-cf-/);
        });

        it("secured images make browsers revalidate every time (Cache-Control: private, no-cache); required ones leave caching to the origin", async () => {
            const secured = (await headersPolicy({ service: SERVICE_AT.secured, level: "secured" })).inputs.customHeadersConfig;
            expect(secured).to.deep.equal({ items: [{ header: "Cache-Control", value: "private, no-cache", override: true }] });
            expect((await headersPolicy({ service: "chat", level: "required" })).inputs.customHeadersConfig).to.equal(undefined);
        });
    });

    describe("outputs", () => {
        it("a guarded instance exposes its URLs, names, ARNs and the issuer settings", async () => {
            const { outputs, resources } = await deployOne("chat", {
                service: "chat",
                mode: "redirect",
                uploadPrefix: "in/",
                maxUploadBytes: 2048,
                hashTtlSeconds: 86400,
                signedUrlTtlSeconds: 120,
                edge: { memoTtlSeconds: 30 },
            });
            const distribution = single(resources, T.distribution);
            const bucket = single(resources, T.bucket);
            const table = single(resources, T.table);
            expect(outputs.out).to.deep.include({
                level: "required",
                mode: "redirect",
                domainName: distribution.state.domainName,
                baseUrl: `https://${String(distribution.state.domainName)}`,
                bucketName: bucket.state.bucket,
                bucketArn: bucket.state.arn,
                region: MOCK_REGION,
                tableName: table.state.name,
                tableArn: table.state.arn,
                distributionId: distribution.id,
                distributionArn: distribution.state.arn,
                functionVersionArn: single(resources, T.fn).state.qualifiedArn,
            });
            expect(outputs.out.issuer).to.deep.equal({
                service: "chat",
                level: "required",
                region: MOCK_REGION,
                tableName: table.state.name,
                bucket: bucket.state.bucket,
                cdnBaseUrl: `https://${String(distribution.state.domainName)}`,
                distributionId: distribution.id,
                hashTtlSeconds: 86400,
                uploadPrefix: "in/",
                maxUploadBytes: 2048,
                // What the issuer needs to say when a revoked hash stops working.
                mode: "redirect",
                memoTtlSeconds: 30,
                signedUrlTtlSeconds: 120,
            });
        });

        it("the output names, for a guarded and a public instance", async () => {
            // Written out here on purpose, as an oracle independent of SecureImageCdn.outputs().
            const always = ["level", "domainName", "baseUrl", "bucketName", "bucketArn", "region", "distributionId", "distributionArn", "distributionDomainName", "issuer"];
            const guarded = await deployOne("chat", { service: "chat" });
            expect(Object.keys(guarded.outputs.out)).to.have.members([...always, "dashboardUrl", "alarmTopicArns", "mode", "tableName", "tableArn", "functionVersionArn", "logGroupName"]);
            const open = await deployOne("market", { service: "marketplace", level: "public" });
            expect(Object.keys(open.outputs.out)).to.have.members([...always, "dashboardUrl", "alarmTopicArns"]);
            const ownTopics = await deployOne("chat", { service: "chat", alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:oncall"], edgeRegions: ["us-east-1"] } });
            expect(Object.keys(ownTopics.outputs.out), "with alarms.actions there are no topics of the instance's").to.not.include("alarmTopicArns");
        });

        it("a public instance has no delivery mode", async () => {
            const { outputs } = await deploy(() => {
                const cdn = new SecureImageCdn("market", { service: "marketplace", level: "public" });
                return { out: cdn.outputs(), modeIsSet: cdn.mode !== undefined };
            });
            expect(outputs.out).to.not.have.property("mode");
            expect(outputs, "SecureImageCdn.mode is set").to.include({ modeIsSet: false });
        });

        it("a public instance's issuer settings have no table", async () => {
            const { outputs } = await deployOne("market", { service: "marketplace", level: "public" });
            expect(outputs.out.issuer).to.not.have.property("tableName");
            expect(outputs.out.functionVersionArn).to.equal(undefined);
            expect(outputs.out.tableName).to.equal(undefined);
            expect(outputs.out.issuer.level).to.equal("public");
            for (const field of ["mode", "memoTtlSeconds", "signedUrlTtlSeconds"]) expect(outputs.out.issuer, field).to.not.have.property(field);
        });

        it("with aliases the base URL is the first alias", async () => {
            const { outputs } = await deployOne("chat", { service: "chat", aliases: ["img.example.com", "cdn.example.com"], certificateArn: CERT });
            expect(outputs.out.baseUrl).to.equal("https://img.example.com");
            expect(outputs.out.issuer.cdnBaseUrl).to.equal("https://img.example.com");
            expect(outputs.out.distributionDomainName).to.match(/\.cloudfront\.net$/);
        });

        it("a certificate ARN known only at deployment (an Output) is accepted and used", async () => {
            const { resources } = await deploy(() => {
                new SecureImageCdn("chat", { service: "chat", aliases: ["img.example.com"], certificateArn: pulumi.output(CERT) });
            });
            expect(at(single(resources, T.distribution).inputs, "viewerCertificate", "acmCertificateArn")).to.equal(CERT);
        });
    });

    describe("alarms", () => {
        it("each alarm notifies the topics of its own region, on alarm and on recovery", async () => {
            const usEast = "arn:aws:sns:us-east-1:123456789012:oncall";
            const eu = "arn:aws:sns:eu-west-1:123456789012:oncall-eu";
            const { resources } = await deployOne("chat", { service: "chat", alarms: { actions: [usEast, eu], edgeRegions: ["us-east-1", "eu-west-1", "ap-south-1"] } });
            const invalidator = ofType(resources, T.alarm).filter((a) => a.name.startsWith("chat-alarm-invalidator-"));
            const byKey = new Map(ofType(resources, T.alarm).filter((a) => !invalidator.includes(a)).map((a) => [`${alarmMetric(a.inputs).metricName} ${String(a.inputs.region)}`, a.inputs]));
            expect([...byKey.keys()]).to.have.members([
                "5xxErrorRate us-east-1",
                "LambdaExecutionError us-east-1",
                ...["us-east-1", "eu-west-1", "ap-south-1"].flatMap((region) => [`Duration ${region}`, `Errors ${region}`, `Throttles ${region}`]),
            ]);
            // The home invalidator's four, in the home region, notify its topic.
            expect(invalidator.map((a) => `${alarmMetric(a.inputs).metricName} ${String(a.inputs.region)}`)).to.have.members(["Errors eu-west-1", "Throttles eu-west-1", "IteratorAge eu-west-1", "ApproximateNumberOfMessagesVisible eu-west-1"]);
            for (const alarm of invalidator) expect(at(alarm.inputs, "alarmActions"), alarm.name).to.deep.equal([eu]);
            expect(at(byKey.get("5xxErrorRate us-east-1"), "alarmActions")).to.deep.equal([usEast]);
            expect(at(byKey.get("LambdaExecutionError us-east-1"), "okActions")).to.deep.equal([usEast]);
            expect(at(byKey.get("Duration us-east-1"), "okActions")).to.deep.equal([usEast]);
            expect(at(byKey.get("Throttles us-east-1"), "alarmActions")).to.deep.equal([usEast]);
            expect(at(byKey.get("Duration eu-west-1"), "alarmActions")).to.deep.equal([eu]);
            expect(at(byKey.get("Errors eu-west-1"), "okActions")).to.deep.equal([eu]);
            expect(at(byKey.get("Duration ap-south-1"), "alarmActions")).to.deep.equal([]);
            expect(ofType(resources, T.topic), "given actions: no topics of the instance's").to.deep.equal([]);
        });

        it("alarms can be turned off", async () => {
            const { resources } = await deployOne("chat", { service: "chat", alarms: { enabled: false } });
            expect(ofType(resources, T.alarm)).to.deep.equal([]);
        });
    });

    describe("refusals", () => {
        it("invalid args fail before anything is registered, naming the field", async () => {
            const error = await rejection(
                deploy(() => {
                    new SecureImageCdn("market", { service: "marketplace", level: "public", mode: "redirect" });
                }),
                Error,
            );
            expect(String(error)).to.match(/mode does not apply to level "public"/);
        });

        it("nothing is registered for invalid args", async () => {
            const { resources } = await deploy(() => {
                const error = thrown(() => new SecureImageCdn("chat", { service: "chat", edge: { timeoutSeconds: 60 } }), Error);
                expect(String(error)).to.match(/edge\.timeoutSeconds must be at most 30/);
            });
            expect(resources).to.deep.equal([]);
        });

        it("an instance name that auto-naming cannot use is refused, naming it", () => {
            expect(() => new SecureImageCdn("Chat_EU", { service: "chat" })).to.throw(/^name must be 1-40 lowercase letters/);
        });
    });

    it("edge code captures this instance's table and bucket (the role policy, the bucket and the code agree)", async () => {
        const { resources } = await deployOne("chat", { service: "chat", mode: "redirect" });
        const policy = json(single(resources, T.rolePolicy).inputs, "policy");
        const resourcesGranted = list(policy, "Statement").flatMap((s) => strings(at(s, "Resource")));
        expect(resourcesGranted).to.include(single(resources, T.table).state.arn);
        expect(resourcesGranted).to.include(`${String(single(resources, T.bucket).state.arn)}/*`);
    });
});
