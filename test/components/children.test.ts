/**
 * The children of an instance, as another program reaches them: typed
 * properties for each child resource, and Pulumi's `transforms` resource
 * option, given to the component, reaching every child.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { deploy, ofType, single, T } from "./support/mocks";
import { sharedDeploys } from "./support/shared-deploy";

/** The URN of a resource, once registered. */
function urnOf(resource: pulumi.Resource | undefined): pulumi.Output<string> | undefined {
    return resource?.urn;
}

describe("SecureImageCdn children", () => {
    /**
     * A plain instance, exporting what another program builds on (the edge
     * function's name, the bucket's id and ARN): deployed once, shared by the
     * tests that read it.
     */
    const plainInstance = sharedDeploys(() =>
        deploy(() => {
            const cdn = new SecureImageCdn("chat", { service: "chat" });
            return {
                name: cdn.edgeFunction?.name.apply((name) => `throttles of ${name}`),
                bucket: cdn.bucket.id,
                bucketArn: cdn.bucket.arn,
            };
        }),
    );

    it("each child resource is a typed property of the instance, the very resource registered", async () => {
        const { outputs, resources } = await deploy(() => {
            const cdn = new SecureImageCdn("chat", { service: "chat", alarms: { edgeRegions: ["us-east-1", "eu-west-1"] } });
            return {
                bucket: urnOf(cdn.bucket),
                bucketOwnershipControls: urnOf(cdn.bucketOwnershipControls),
                bucketPublicAccessBlock: urnOf(cdn.bucketPublicAccessBlock),
                bucketEncryption: urnOf(cdn.bucketEncryption),
                bucketVersioning: urnOf(cdn.bucketVersioning),
                bucketLifecycle: urnOf(cdn.bucketLifecycle),
                bucketPolicy: urnOf(cdn.bucketPolicy),
                table: urnOf(cdn.table),
                edgeRole: urnOf(cdn.edgeRole),
                edgeRolePolicy: urnOf(cdn.edgeRolePolicy),
                edgeFunction: urnOf(cdn.edgeFunction),
                originAccessControl: urnOf(cdn.originAccessControl),
                cachePolicy: urnOf(cdn.cachePolicy),
                responseHeadersPolicy: urnOf(cdn.responseHeadersPolicy),
                distribution: urnOf(cdn.distribution),
                errorRateAlarm: urnOf(cdn.errorRateAlarm),
                cloudFrontEdgeErrorsAlarm: urnOf(cdn.cloudFrontEdgeErrorsAlarm),
                cloudFrontEdgeLogGroups: Object.fromEntries(Object.entries(cdn.cloudFrontEdgeLogGroups).map(([region, group]) => [region, group.urn])),
                edgeDurationAlarms: Object.fromEntries(Object.entries(cdn.edgeDurationAlarms).map(([region, alarm]) => [region, alarm.urn])),
                edgeErrorsAlarms: Object.fromEntries(Object.entries(cdn.edgeErrorsAlarms).map(([region, alarm]) => [region, alarm.urn])),
                edgeThrottlesAlarms: Object.fromEntries(Object.entries(cdn.edgeThrottlesAlarms).map(([region, alarm]) => [region, alarm.urn])),
                alarmTopics: Object.fromEntries(Object.entries(cdn.alarmTopics).map(([region, topic]) => [region, topic.urn])),
                edgeLogGroups: Object.fromEntries(Object.entries(cdn.edgeLogGroups).map(([region, group]) => [region, group.urn])),
                edgeLogQueries: Object.fromEntries(Object.entries(cdn.edgeLogQueries).map(([region, queries]) => [region, queries.map((query) => query.urn)])),
                monitoringSubscription: urnOf(cdn.monitoringSubscription),
                dashboard: urnOf(cdn.dashboard),
                invalidators: Object.fromEntries(
                    (
                        [
                            ["invalidatorFunctions", cdn.invalidatorFunctions],
                            ["invalidatorRoles", cdn.invalidatorRoles],
                            ["invalidatorRolePolicies", cdn.invalidatorRolePolicies],
                            ["invalidatorLogGroups", cdn.invalidatorLogGroups],
                            ["invalidatorQueues", cdn.invalidatorQueues],
                            ["invalidatorDeadLetterQueues", cdn.invalidatorDeadLetterQueues],
                            ["invalidatorStreamSources", cdn.invalidatorStreamSources],
                            ["invalidatorQueueSources", cdn.invalidatorQueueSources],
                            ["invalidatorErrorsAlarms", cdn.invalidatorErrorsAlarms],
                            ["invalidatorThrottlesAlarms", cdn.invalidatorThrottlesAlarms],
                            ["invalidatorIteratorAgeAlarms", cdn.invalidatorIteratorAgeAlarms],
                            ["invalidatorDeadLetterAlarms", cdn.invalidatorDeadLetterAlarms],
                        ] as [string, Record<string, pulumi.Resource>][]
                    ).map(([property, byCopy]) => [property, Object.fromEntries(Object.entries(byCopy).map(([copy, child]) => [copy, child.urn]))]),
                ),
                distributionId: cdn.distribution.id,
                tableName: cdn.table?.name,
                functionName: cdn.edgeFunction?.name,
            };
        });
        const urn = (type: string, name: string) => `urn:pulumi:test::secure-image-cdn::${T.component}$${type}::${name}`;
        expect(outputs).to.deep.include({
            bucket: urn(T.bucket, "chat-bucket"),
            bucketOwnershipControls: urn(T.ownership, "chat-bucket-ownership"),
            bucketPublicAccessBlock: urn(T.publicAccess, "chat-bucket-public-access"),
            bucketEncryption: urn(T.encryption, "chat-bucket-encryption"),
            bucketVersioning: urn(T.versioning, "chat-bucket-versioning"),
            bucketLifecycle: urn(T.lifecycle, "chat-bucket-lifecycle"),
            bucketPolicy: urn(T.bucketPolicy, "chat-bucket-policy"),
            table: urn(T.table, "chat-table"),
            edgeRole: urn(T.role, "chat-edge-role"),
            edgeRolePolicy: urn(T.rolePolicy, "chat-edge-policy"),
            edgeFunction: urn(T.fn, "chat-edge"),
            originAccessControl: urn(T.oac, "chat-oac"),
            cachePolicy: urn(T.cachePolicy, "chat-cache-policy"),
            responseHeadersPolicy: urn(T.headersPolicy, "chat-headers-policy"),
            distribution: urn(T.distribution, "chat-cdn"),
            errorRateAlarm: urn(T.alarm, "chat-alarm-5xx"),
            cloudFrontEdgeErrorsAlarm: urn(T.alarm, "chat-alarm-cloudfront-edge-errors"),
            monitoringSubscription: urn(T.monitoring, "chat-metrics"),
            dashboard: urn(T.dashboard, "chat-dashboard"),
        });
        expect(outputs.edgeDurationAlarms).to.deep.equal({
            "us-east-1": urn(T.alarm, "chat-alarm-edge-duration-us-east-1"),
            "eu-west-1": urn(T.alarm, "chat-alarm-edge-duration-eu-west-1"),
        });
        expect(outputs.edgeErrorsAlarms).to.deep.equal({
            "us-east-1": urn(T.alarm, "chat-alarm-edge-errors-us-east-1"),
            "eu-west-1": urn(T.alarm, "chat-alarm-edge-errors-eu-west-1"),
        });
        expect(outputs.edgeThrottlesAlarms).to.deep.equal({
            "us-east-1": urn(T.alarm, "chat-alarm-edge-throttles-us-east-1"),
            "eu-west-1": urn(T.alarm, "chat-alarm-edge-throttles-eu-west-1"),
        });
        expect(outputs.alarmTopics).to.deep.equal({ "us-east-1": urn(T.topic, "chat-alarms-us-east-1"), "eu-west-1": urn(T.topic, "chat-alarms-eu-west-1") });
        // Log groups (and their queries) in every region of the price class, whatever the alarms cover.
        expect(Object.keys(outputs.edgeLogGroups)).to.have.members([
            ...["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"],
            ...["ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"],
        ]);
        expect(outputs.edgeLogGroups["eu-west-2"]).to.equal(urn(T.logGroup, "chat-edge-logs-eu-west-2"));
        expect(outputs.cloudFrontEdgeLogGroups["eu-west-2"]).to.equal(urn(T.logGroup, "chat-cloudfront-edge-logs-eu-west-2"));
        expect(Object.keys(outputs.cloudFrontEdgeLogGroups)).to.have.members(Object.keys(outputs.edgeLogGroups));
        expect(outputs.edgeLogQueries["eu-west-2"]).to.deep.equal([urn(T.queryDefinition, "chat-edge-query-outcomes-eu-west-2"), urn(T.queryDefinition, "chat-edge-query-top-hashes-eu-west-2")]);
        // The home invalidator's children, keyed `home`.
        expect(outputs.invalidators).to.deep.equal({
            invalidatorFunctions: { home: urn(T.fn, "chat-inv-home") },
            invalidatorRoles: { home: urn(T.role, "chat-inv-role-home") },
            invalidatorRolePolicies: { home: urn(T.rolePolicy, "chat-inv-policy-home") },
            invalidatorLogGroups: { home: urn(T.logGroup, "chat-inv-logs-home") },
            invalidatorQueues: { home: urn(T.queue, "chat-inv-queue-home") },
            invalidatorDeadLetterQueues: { home: urn(T.queue, "chat-inv-dlq-home") },
            invalidatorStreamSources: { home: urn(T.eventSourceMapping, "chat-inv-stream-home") },
            invalidatorQueueSources: { home: urn(T.eventSourceMapping, "chat-inv-source-home") },
            invalidatorErrorsAlarms: { home: urn(T.alarm, "chat-alarm-invalidator-errors-home") },
            invalidatorThrottlesAlarms: { home: urn(T.alarm, "chat-alarm-invalidator-throttles-home") },
            invalidatorIteratorAgeAlarms: { home: urn(T.alarm, "chat-alarm-invalidator-iterator-age-home") },
            invalidatorDeadLetterAlarms: { home: urn(T.alarm, "chat-alarm-invalidator-dead-letters-home") },
        });
        // Their outputs are the registered resources' own.
        expect(outputs.distributionId).to.equal(single(resources, T.distribution).id);
        expect(outputs.tableName).to.equal(single(resources, T.table).state.name);
        expect(outputs.functionName).to.equal(single(resources, T.fn, "chat-edge").state.name);
    });

    it("a public instance has no table, no edge role, policy or function, no invalidator, and no edge alarms", async () => {
        const { outputs } = await deploy(() => {
            const cdn = new SecureImageCdn("market", { service: "marketplace", level: "public" });
            return {
                absent: [cdn.table, cdn.edgeRole, cdn.edgeRolePolicy, cdn.edgeFunction].map((child) => child === undefined),
                edgeAlarms: Object.keys(cdn.edgeDurationAlarms),
                invalidators: Object.keys(cdn.invalidatorFunctions),
                errorRateAlarm: urnOf(cdn.errorRateAlarm),
            };
        });
        expect(outputs.absent).to.deep.equal([true, true, true, true]);
        expect(outputs.edgeAlarms).to.deep.equal([]);
        expect(outputs.invalidators).to.deep.equal([]);
        expect(outputs.errorRateAlarm).to.match(/::market-alarm-5xx$/);
    });

    it("with alarms off there is no alarm property to reach", async () => {
        const { outputs } = await deploy(() => {
            const cdn = new SecureImageCdn("chat", { service: "chat", alarms: { enabled: false } });
            return {
                errorRateAlarm: cdn.errorRateAlarm === undefined,
                edgeAlarms: [
                    cdn.edgeDurationAlarms,
                    cdn.edgeErrorsAlarms,
                    cdn.edgeThrottlesAlarms,
                    cdn.invalidatorErrorsAlarms,
                    cdn.invalidatorThrottlesAlarms,
                    cdn.invalidatorIteratorAgeAlarms,
                    cdn.invalidatorDeadLetterAlarms,
                    cdn.alarmTopics,
                ].flatMap((byRegion) => Object.keys(byRegion)),
            };
        });
        expect(outputs).to.deep.equal({ errorRateAlarm: true, edgeAlarms: [] });
    });

    it("another program builds on a child: its own alarm on the edge function's name, a notification on the bucket's id", async () => {
        const { outputs } = await plainInstance();
        expect(outputs.name).to.match(/^throttles of chat-edge-/);
        expect(outputs.bucket).to.be.a("string").and.match(/^chat-bucket-id-/);
        expect(outputs.bucketArn).to.match(/^arn:aws:s3:::chat-bucket-/);
    });

    describe("Pulumi's transforms resource option", () => {
        const WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/images/0d4e5f6a-1111-2222-3333-444455556666";

        it("a transform given to the component reaches every child, which is registered with what it returns (the README's example)", async () => {
            const seen: string[] = [];
            const { resources } = await deploy(() => {
                new SecureImageCdn(
                    "chat",
                    { service: "chat" },
                    {
                        transforms: [
                            (args) => {
                                seen.push(`${args.type}::${args.name}`);
                                if (args.type === T.bucket) {
                                    return { props: { ...args.props, tags: { ...args.props.tags, owner: "platform" } }, opts: args.opts };
                                }
                                return undefined;
                            },
                            // As in the README: a WAF web ACL on the distribution.
                            ({ type, props, opts }) => (type === "aws:cloudfront/distribution:Distribution" ? { props: { ...props, webAclId: WEB_ACL }, opts } : undefined),
                        ],
                    },
                );
            });
            // Every resource of the instance went through it: the component itself and each child.
            expect(seen).to.have.members(resources.map((r) => `${r.type}::${r.name}`));
            expect(resources.length).to.be.greaterThan(10);
            expect(single(resources, T.distribution).inputs.webAclId).to.equal(WEB_ACL);
            expect(single(resources, T.bucket).inputs.tags).to.deep.include({ owner: "platform", "secure-image-cdn:service": "chat" });
            // Only what it changed: the distribution keeps the rest of its inputs, the other children theirs.
            expect(single(resources, T.distribution).inputs.comment).to.equal("chat images (required)");
            expect(single(resources, T.cachePolicy).inputs).to.not.have.property("webAclId");
        });

        it("without a transform the same children keep their own values (the transform above made the difference)", async () => {
            const { resources } = await plainInstance();
            expect(single(resources, T.distribution).inputs).to.not.have.property("webAclId");
            expect(single(resources, T.bucket).inputs.tags).to.not.have.property("owner");
            expect(ofType(resources, T.alarm).length).to.be.greaterThan(0);
        });
    });
});
