/**
 * `SecureImageCdn`: private user images behind CloudFront, one instance per
 * service. See docs/infrastructure.md for the picture and the levels.
 *
 * Its args are in args/, by group; what it exposes is below: the values the
 * issuing library and DNS need, and every child resource as a typed
 * property (as awsx and eks components do), so a program can attach what
 * the component does not build, such as a bucket notification or its own
 * alarm on the edge function. Both are built once, as two records (the
 * children, the values) that the typed properties, `outputs()` and the
 * registered outputs all come from. To change a child's inputs or options,
 * pass Pulumi's `transforms` resource option to the component: a transform
 * receives every child (each is parented to the instance).
 *
 * Its bucket and table are created in the home region: the region of the
 * AWS provider it is given, else the stack's `aws:region` (home-region.ts).
 */
import type * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeliveryMode, SecurityLevel } from "../core/enums";
import type { SecureImageCdnArgs } from "./args";
import { checkedAliases } from "./args/distribution";
import { edgeLogRegions } from "./args/logs";
import { checkedTags, validateInstanceName } from "./args/service";
import { createAlarms } from "./alarms";
import { attachBucketPolicy, createImageBucket } from "./bucket";
import { createDistribution } from "./distribution";
import { createEdgeFunction } from "./edge-function";
import { homeRegionOf } from "./home-region";
import type { IssuerSettings } from "../issuer/config";
import { issuerSettingsFor } from "./issuer-settings";
import { createCloudFrontEdgeLogs, createEdgeLogs } from "./logs";
import { createInvalidators } from "./invalidator";
import type { Invalidator } from "./invalidator";
import { createDashboard, createMonitoringSubscription } from "./monitoring";
import { hasInvalidator } from "../core/revocation";
import { deliveryModeOf, hasVariants, isGuarded, resolveArgs, ResolvedCdnSettings, ResolvedGuardedSettings, ResolvedVariantSettings } from "./resolve-args";
import { allowDistributionToInvoke, createResizer, functionUrlHost } from "./resizer";
import { createVariantRouting } from "./variant-routing";
import { createMappingTableResource } from "./table";

/** Type token of the component. */
export const SECURE_IMAGE_CDN_TYPE = "secure-image-cdn:index:SecureImageCdn";

/**
 * What the issuing library needs to know about an instance: its
 * `IssuerConfig`, with the locations still Outputs.
 */
export interface CdnIssuerConfig extends IssuerSettings<pulumi.Output<string>> {}

/**
 * Private user images served through CloudFront: a private S3 bucket read
 * only by the distribution, and for the guarded levels a DynamoDB table of
 * expiring hashes that a Lambda@Edge function checks, so that every image
 * URL is unguessable and expires.
 */
export class SecureImageCdn extends pulumi.ComponentResource {
    /** How strictly this instance guards its images. */
    public readonly level!: SecurityLevel;
    /** Delivery mode of a guarded level; absent for `public`, which serves objects by key. */
    public readonly mode?: DeliveryMode;
    /** The domain viewers use: the first alias, or the distribution's cloudfront.net domain. */
    public readonly domainName!: pulumi.Output<string>;
    /** `https://<domainName>`, no trailing slash. */
    public readonly baseUrl!: pulumi.Output<string>;
    /** Name of the private image bucket. */
    public readonly bucketName!: pulumi.Output<string>;
    /** ARN of the private image bucket. */
    public readonly bucketArn!: pulumi.Output<string>;
    /** Region of the bucket (and of the table). */
    public readonly region!: pulumi.Output<string>;
    /** Name of the hash table; absent for `public`. */
    public readonly tableName?: pulumi.Output<string>;
    /** ARN of the hash table; absent for `public`. */
    public readonly tableArn?: pulumi.Output<string>;
    /** Id of the CloudFront distribution (for invalidations). */
    public readonly distributionId!: pulumi.Output<string>;
    /** ARN of the CloudFront distribution. */
    public readonly distributionArn!: pulumi.Output<string>;
    /** The distribution's own `*.cloudfront.net` domain (the target of DNS records for aliases). */
    public readonly distributionDomainName!: pulumi.Output<string>;
    /** The numbered edge function version the distribution runs; absent for `public`. */
    public readonly functionVersionArn?: pulumi.Output<string>;
    /** Settings for the issuing library (what the stack exports as `issuer`). */
    public readonly issuerConfig!: CdnIssuerConfig;

    /** The private image bucket. */
    public readonly bucket!: aws.s3.Bucket;
    /** The bucket's object ownership (bucket owner enforced, no ACLs). */
    public readonly bucketOwnershipControls!: aws.s3.BucketOwnershipControls;
    /** The bucket's public access block (all four blocks on). */
    public readonly bucketPublicAccessBlock!: aws.s3.BucketPublicAccessBlock;
    /** The bucket's default encryption (SSE-S3). */
    public readonly bucketEncryption!: aws.s3.BucketServerSideEncryptionConfiguration;
    /** The bucket's versioning (enabled). */
    public readonly bucketVersioning!: aws.s3.BucketVersioning;
    /** The bucket's lifecycle rules: unconfirmed uploads (the staging prefix) expire after a day. */
    public readonly bucketLifecycle!: aws.s3.BucketLifecycleConfiguration;
    /** The bucket policy: reads only through this distribution, HTTPS only. */
    public readonly bucketPolicy!: aws.s3.BucketPolicy;
    /** The hash table; absent for `public`. */
    public readonly table?: aws.dynamodb.Table;
    /** The edge function's role; absent for `public`. */
    public readonly edgeRole?: aws.iam.Role;
    /** The edge function role's inline policy (least privilege); absent for `public`. */
    public readonly edgeRolePolicy?: aws.iam.RolePolicy;
    /** The Lambda@Edge function (in us-east-1, published); absent for `public`. */
    public readonly edgeFunction?: aws.lambda.Function;
    /** The origin access control through which CloudFront reads the bucket. */
    public readonly originAccessControl!: aws.cloudfront.OriginAccessControl;
    /** The cache policy of the distribution's only behavior. */
    public readonly cachePolicy!: aws.cloudfront.CachePolicy;
    /** The response headers policy (security headers for user content). */
    public readonly responseHeadersPolicy!: aws.cloudfront.ResponseHeadersPolicy;
    /** The CloudFront distribution. */
    public readonly distribution!: aws.cloudfront.Distribution;
    /** The CloudFront 5xx error-rate alarm (us-east-1); absent when alarms are disabled. */
    public readonly errorRateAlarm?: aws.cloudwatch.MetricAlarm;
    /** The alarm on the Lambda@Edge failures CloudFront counts (execution errors, invalid responses, throttles; us-east-1); absent for `public` or when alarms are disabled. */
    public readonly cloudFrontEdgeErrorsAlarm?: aws.cloudwatch.MetricAlarm;
    /** The Lambda@Edge duration alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeDurationAlarms!: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The Lambda@Edge errors alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeErrorsAlarms!: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The Lambda@Edge throttles alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeThrottlesAlarms!: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The `ReplicationLatency` alarms (in the home region), by the replica region each watches; empty without `replicaRegions` or when alarms are disabled. */
    public readonly replicationLatencyAlarms!: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The SNS topics the alarms notify, by region; empty when `alarms.actions` is given or alarms are disabled. */
    public readonly alarmTopics!: { [region: string]: aws.sns.Topic };
    /** The `alarms.email` subscriptions, by region (pending until each address confirms). */
    public readonly alarmEmailSubscriptions!: { [region: string]: aws.sns.TopicSubscription[] };
    /** CloudFront's additional metrics for the distribution; absent with `additionalMetrics: false`. */
    public readonly monitoringSubscription?: aws.cloudfront.MonitoringSubscription;
    /** The instance's CloudWatch dashboard. */
    public readonly dashboard!: aws.cloudwatch.Dashboard;
    /** The CloudWatch console URL of the dashboard. */
    public readonly dashboardUrl!: pulumi.Output<string>;
    /** The edge function's log groups, by region (each with a retention period); empty for `public`. */
    public readonly edgeLogGroups!: { [region: string]: aws.cloudwatch.LogGroup };
    /** The saved Logs Insights queries over the edge's log lines, by region; empty for `public`. */
    public readonly edgeLogQueries!: { [region: string]: aws.cloudwatch.QueryDefinition[] };
    /** The edge function's log group name, the same in every region; absent for `public`. */
    public readonly logGroupName?: pulumi.Output<string>;
    /** CloudFront's log groups for the edge function's invalid responses (`/aws/cloudfront/LambdaEdge/<distribution ID>`), by region, each with a retention period; empty for `public`. */
    public readonly cloudFrontEdgeLogGroups!: { [region: string]: aws.cloudwatch.LogGroup };
    /** The variants' resizer function (regional, in the home region); absent without variants. */
    public readonly resizerFunction?: aws.lambda.Function;
    /** The resizer's role; absent without variants. */
    public readonly resizerRole?: aws.iam.Role;
    /** The resizer role's inline policy (read originals and variants, write variants, its logs); absent without variants. */
    public readonly resizerRolePolicy?: aws.iam.RolePolicy;
    /** The resizer's log group, with the edge's retention; absent without variants. */
    public readonly resizerLogGroup?: aws.cloudwatch.LogGroup;
    /** The resizer's function URL (`AWS_IAM` auth), the variants' origin; absent without variants. */
    public readonly resizerFunctionUrl?: aws.lambda.FunctionUrl;
    /** Lets the distribution call the function URL (`lambda:InvokeFunctionUrl`); absent without variants. */
    public readonly resizerInvokeUrlPermission?: aws.lambda.Permission;
    /** Lets the distribution invoke the function through its URL (`lambda:InvokeFunction`); absent without variants. */
    public readonly resizerInvokePermission?: aws.lambda.Permission;
    /** The origin access control (type `lambda`) through which CloudFront signs its calls to the resizer; absent without variants. */
    public readonly resizerOriginAccessControl?: aws.cloudfront.OriginAccessControl;
    /** The viewer-request CloudFront Function that negotiates a variant's format; `required` with variants only. */
    public readonly acceptFunction?: aws.cloudfront.Function;
    /** The resizer's duration alarm (home region); absent without variants or alarms. */
    public readonly resizerDurationAlarm?: aws.cloudwatch.MetricAlarm;
    /** The resizer's errors alarm (home region); absent without variants or alarms. */
    public readonly resizerErrorsAlarm?: aws.cloudwatch.MetricAlarm;
    /** The resizer's throttles alarm (home region); absent without variants or alarms. */
    public readonly resizerThrottlesAlarm?: aws.cloudwatch.MetricAlarm;
    /**
     * The invalidators' functions (`required` + `origin`: one per copy of the
     * table, following its stream), keyed `home` and by replica region; empty
     * at the other levels and modes. Their other children below are keyed
     * the same way.
     */
    public readonly invalidatorFunctions!: { [copy: string]: aws.lambda.Function };
    /** The invalidators' roles. */
    public readonly invalidatorRoles!: { [copy: string]: aws.iam.Role };
    /** The invalidators' roles' inline policies (least privilege). */
    public readonly invalidatorRolePolicies!: { [copy: string]: aws.iam.RolePolicy };
    /** The invalidators' log groups (each with a retention period). */
    public readonly invalidatorLogGroups!: { [copy: string]: aws.cloudwatch.LogGroup };
    /** The invalidators' queues: second invalidations, and refused ones tried again. */
    public readonly invalidatorQueues!: { [copy: string]: aws.sqs.Queue };
    /** The invalidators' dead-letter queues. */
    public readonly invalidatorDeadLetterQueues!: { [copy: string]: aws.sqs.Queue };
    /** The event source mappings from each copy's table stream to its invalidator. */
    public readonly invalidatorStreamSources!: { [copy: string]: aws.lambda.EventSourceMapping };
    /** The event source mappings from each invalidator's queue to it. */
    public readonly invalidatorQueueSources!: { [copy: string]: aws.lambda.EventSourceMapping };
    /** The invalidators' errors alarms; empty without invalidators or when alarms are disabled. */
    public readonly invalidatorErrorsAlarms!: { [copy: string]: aws.cloudwatch.MetricAlarm };
    /** The invalidators' throttles alarms. */
    public readonly invalidatorThrottlesAlarms!: { [copy: string]: aws.cloudwatch.MetricAlarm };
    /** The invalidators' iterator-age alarms (falling behind the stream). */
    public readonly invalidatorIteratorAgeAlarms!: { [copy: string]: aws.cloudwatch.MetricAlarm };
    /** The invalidators' dead-letter queue alarms. */
    public readonly invalidatorDeadLetterAlarms!: { [copy: string]: aws.cloudwatch.MetricAlarm };

    constructor(name: string, args: SecureImageCdnArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered: a bad config creates nothing.
        validateInstanceName(name);
        // Home is the region of the AWS provider the options give, else the stack's aws:region (home-region.ts).
        const resolved = resolveArgs(args, { homeRegion: homeRegionOf(opts), requireHomeRegion: true });
        super(SECURE_IMAGE_CDN_TYPE, name, {}, opts);
        // Tag values given as Outputs are checked when they resolve, like the aliases.
        const settings = { ...resolved, tags: checkedTags(resolved.tags) };
        const built = createChildren(name, settings, this);
        const values = valuesOf(settings, built);
        // The typed properties, outputs() and the registered outputs all come from these two records.
        Object.assign(this, built.children, values);
        const outputs = outputsOf(values, built.children);
        OUTPUTS.set(this, outputs);
        this.registerOutputs(outputs);
    }

    /** The instance's values, by output name (see SecureImageCdnOutputs): what the stack exports per service. */
    public outputs(): SecureImageCdnOutputs {
        const outputs = OUTPUTS.get(this);
        if (outputs === undefined) throw new Error("SecureImageCdn.outputs(): the instance was not constructed");
        return outputs;
    }
}

/** The instance's own typed properties (not ComponentResource's, not methods). */
type OwnProperty = Exclude<keyof SecureImageCdn, keyof pulumi.ComponentResource | "outputs">;

/** The properties that are values (plain strings, Outputs, the issuer's settings); every other one is a child. */
type ValueName = { [K in OwnProperty]-?: NonNullable<SecureImageCdn[K]> extends pulumi.Output<unknown> | string | CdnIssuerConfig ? K : never }[OwnProperty];

/**
 * Every value an instance exposes as a typed property, each key present
 * (`undefined` for what the instance lacks), derived from the properties
 * themselves so the record and the properties cannot drift apart.
 */
export type SecureImageCdnValues = { [K in ValueName]-?: SecureImageCdn[K] | undefined };

/** Every child an instance exposes as a typed property, derived likewise. */
export type SecureImageCdnChildren = { [K in Exclude<OwnProperty, ValueName>]-?: SecureImageCdn[K] | undefined };

/**
 * Everything an instance exposes as values, by output name: registered as
 * the component's outputs, and what the stack program exports per service
 * (`services.<name>`, where the issuing library reads `issuer`). Each value
 * property, `issuerConfig` as `issuer`, plus `alarmTopicArns`: the ARNs of
 * the alarm topics the instance created, by region (absent when
 * `alarms.actions` is given or alarms are off). Keys of what an instance
 * lacks (a `public` one's table, function, mode and log group) are absent.
 */
export type SecureImageCdnOutputs = Pick<SecureImageCdn, Exclude<ValueName, "issuerConfig">> & {
    alarmTopicArns?: { [region: string]: pulumi.Output<string> };
    issuer: CdnIssuerConfig;
};

/** What each constructed instance registered as its outputs (an instance has no other place for it: every property is in the schema). */
const OUTPUTS = new WeakMap<SecureImageCdn, SecureImageCdnOutputs>();

/** The children, and what the builders made besides them that the values need. */
interface BuiltInstance {
    children: SecureImageCdnChildren;
    /** The aliases, each checked once resolved (the distribution's input). */
    aliases: pulumi.Output<string[]>;
    dashboardUrl: pulumi.Output<string>;
    /** The edge function's log group name, the same in every region; absent for `public`. */
    logGroupName?: pulumi.Output<string>;
}

/** Every child of an instance, made by the builders in the order their inputs need. */
function createChildren(name: string, settings: ResolvedCdnSettings, parent: pulumi.Resource): BuiltInstance {
    const images = createImageBucket(name, settings, parent);
    const guarded = isGuarded(settings) ? createGuardedChildren(name, settings, images.bucket, parent) : undefined;
    const variants = hasVariants(settings) ? createVariantChildren(name, settings, images.bucket, parent) : undefined;
    const aliases = checkedAliases(settings.aliases);
    const cdn = createDistribution(
        name,
        settings,
        {
            bucket: images.bucket,
            aliases,
            functionVersionArn: guarded?.fn.qualifiedArn,
            // The function may log only once its log groups exist; on destroy they go after the distribution.
            dependsOn: guarded ? [guarded.policy, ...Object.values(guarded.logs.groups)] : [],
            variants: variants
                ? {
                      originHost: variants.resizer.url.functionUrl.apply(functionUrlHost),
                      oacId: variants.routing.oac.id,
                      acceptFunctionArn: variants.routing.acceptFunction?.arn,
                  }
                : undefined,
        },
        parent,
    );
    // Only this distribution may invoke the resizer, and only through its URL.
    const invoke = variants ? allowDistributionToInvoke(name, variants.resizer.fn, cdn.distribution.arn, parent) : undefined;
    const bucketPolicy = attachBucketPolicy(name, images, cdn.distribution.arn, parent);
    const cloudFrontEdgeLogGroups = guarded
        ? createCloudFrontEdgeLogs(
              name,
              { distributionId: cdn.distribution.id, regions: guarded.logs.regions, retentionDays: guarded.logs.retentionDays, tags: settings.tags },
              parent,
          )
        : {};
    // Where CloudFront serves copies without asking the edge, removed mappings are invalidated from the table's stream.
    const invalidators =
        guarded && isGuarded(settings) && hasInvalidator(settings) ? createInvalidators(name, settings, { table: guarded.table, distribution: cdn.distribution }, parent) : {};
    const monitoring = settings.additionalMetrics ? createMonitoringSubscription(name, cdn.distribution, parent) : undefined;
    const alarms = createAlarms(name, settings, { distribution: cdn.distribution, fn: guarded?.fn, table: guarded?.table, resizer: variants?.resizer.fn, invalidators }, parent);
    const dashboard = createDashboard(
        name,
        {
            service: settings.service,
            level: settings.level,
            distribution: cdn.distribution,
            additionalMetrics: settings.additionalMetrics,
            edge: guarded ? { fn: guarded.fn, regions: settings.alarms.edgeRegions } : undefined,
            table: guarded?.table,
            replicaRegions: isGuarded(settings) ? settings.replicaRegions : [],
            resizer: variants && hasVariants(settings) ? { fn: variants.resizer.fn, reservedConcurrency: settings.resizer.reservedConcurrency } : undefined,
            invalidators: Object.entries(invalidators).map(([copy, invalidator]) => ({
                copy,
                region: invalidator.region,
                functionName: invalidator.fn.name,
                deadLetterQueueName: invalidator.deadLetters.name,
            })),
            alarms: alarms?.all ?? [],
        },
        parent,
    );
    const each = <T>(pick: (invalidator: Invalidator) => T) => Object.fromEntries(Object.entries(invalidators).map(([copy, invalidator]) => [copy, pick(invalidator)]));
    const children: SecureImageCdnChildren = {
        bucket: images.bucket,
        bucketOwnershipControls: images.ownership,
        bucketPublicAccessBlock: images.publicAccess,
        bucketEncryption: images.encryption,
        bucketVersioning: images.versioning,
        bucketLifecycle: images.lifecycle,
        bucketPolicy,
        table: guarded?.table,
        edgeRole: guarded?.role,
        edgeRolePolicy: guarded?.policy,
        edgeFunction: guarded?.fn,
        originAccessControl: cdn.oac,
        cachePolicy: cdn.cachePolicy,
        responseHeadersPolicy: cdn.headersPolicy,
        distribution: cdn.distribution,
        errorRateAlarm: alarms?.errorRate,
        cloudFrontEdgeErrorsAlarm: alarms?.cloudFrontEdgeErrors,
        edgeDurationAlarms: alarms?.edgeDuration ?? {},
        edgeErrorsAlarms: alarms?.edgeErrors ?? {},
        edgeThrottlesAlarms: alarms?.edgeThrottles ?? {},
        replicationLatencyAlarms: alarms?.replicationLatency ?? {},
        alarmTopics: alarms?.topics.topics ?? {},
        alarmEmailSubscriptions: alarms?.topics.subscriptions ?? {},
        monitoringSubscription: monitoring,
        dashboard: dashboard.dashboard,
        edgeLogGroups: guarded?.logs.groups ?? {},
        edgeLogQueries: guarded?.logs.queries ?? {},
        cloudFrontEdgeLogGroups,
        resizerFunction: variants?.resizer.fn,
        resizerRole: variants?.resizer.role,
        resizerRolePolicy: variants?.resizer.policy,
        resizerLogGroup: variants?.resizer.logGroup,
        resizerFunctionUrl: variants?.resizer.url,
        resizerInvokeUrlPermission: invoke?.invokeUrl,
        resizerInvokePermission: invoke?.invoke,
        resizerOriginAccessControl: variants?.routing.oac,
        acceptFunction: variants?.routing.acceptFunction,
        resizerDurationAlarm: alarms?.resizerDuration,
        resizerErrorsAlarm: alarms?.resizerErrors,
        resizerThrottlesAlarm: alarms?.resizerThrottles,
        invalidatorFunctions: each((invalidator) => invalidator.fn),
        invalidatorRoles: each((invalidator) => invalidator.role),
        invalidatorRolePolicies: each((invalidator) => invalidator.policy),
        invalidatorLogGroups: each((invalidator) => invalidator.logGroup),
        invalidatorQueues: each((invalidator) => invalidator.queue),
        invalidatorDeadLetterQueues: each((invalidator) => invalidator.deadLetters),
        invalidatorStreamSources: each((invalidator) => invalidator.streamSource),
        invalidatorQueueSources: each((invalidator) => invalidator.queueSource),
        invalidatorErrorsAlarms: alarms?.invalidators["invalidator-errors"] ?? {},
        invalidatorThrottlesAlarms: alarms?.invalidators["invalidator-throttles"] ?? {},
        invalidatorIteratorAgeAlarms: alarms?.invalidators["invalidator-iterator-age"] ?? {},
        invalidatorDeadLetterAlarms: alarms?.invalidators["invalidator-dead-letters"] ?? {},
    };
    return { children, aliases, dashboardUrl: dashboard.url, logGroupName: guarded?.logs.groupName };
}

/** The table, the edge function and its logs, of a guarded level. */
function createGuardedChildren(name: string, settings: ResolvedGuardedSettings, bucket: aws.s3.Bucket, parent: pulumi.Resource) {
    const table = createMappingTableResource(name, settings, parent);
    const regions = edgeLogRegions(settings);
    const logs = createEdgeLogs(name, { regions, retentionDays: settings.logRetentionDays, tags: settings.tags }, parent);
    const edge = createEdgeFunction(name, settings, { table, bucket, logGroupName: logs.groupName }, parent);
    return { table, logs: { ...logs, regions, retentionDays: settings.logRetentionDays }, ...edge };
}

/** The resizer and the distribution's way to it, of an instance with variants. */
function createVariantChildren(name: string, settings: ResolvedVariantSettings, bucket: aws.s3.Bucket, parent: pulumi.Resource) {
    return { resizer: createResizer(name, settings, { bucket }, parent), routing: createVariantRouting(name, settings, parent) };
}

/** Every value of an instance, from its settings and what was built. */
function valuesOf(settings: ResolvedCdnSettings, { children, aliases, dashboardUrl, logGroupName }: BuiltInstance): SecureImageCdnValues {
    const { bucket, table, distribution, edgeFunction } = children;
    if (bucket === undefined || distribution === undefined) throw new Error("every instance has a bucket and a distribution");
    const domainName = settings.aliases.length > 0 ? aliases.apply((list) => list[0]) : distribution.domainName;
    const baseUrl = pulumi.interpolate`https://${domainName}`;
    return {
        level: settings.level,
        mode: deliveryModeOf(settings),
        domainName,
        baseUrl,
        bucketName: bucket.bucket,
        bucketArn: bucket.arn,
        region: bucket.region,
        tableName: table?.name,
        tableArn: table?.arn,
        distributionId: distribution.id,
        distributionArn: distribution.arn,
        distributionDomainName: distribution.domainName,
        functionVersionArn: edgeFunction?.qualifiedArn,
        dashboardUrl,
        logGroupName,
        issuerConfig: issuerSettingsFor(settings, {
            region: bucket.region,
            tableName: table?.name,
            bucket: bucket.bucket,
            cdnBaseUrl: baseUrl,
            distributionId: distribution.id,
        }),
    };
}

/** The outputs record: the values (`issuerConfig` as `issuer`), the created topics' ARNs by region, without what is absent. */
function outputsOf(values: SecureImageCdnValues, children: SecureImageCdnChildren): SecureImageCdnOutputs {
    const { issuerConfig, ...named } = values;
    const topics = Object.entries(children.alarmTopics ?? {});
    const alarmTopicArns = topics.length > 0 ? Object.fromEntries(topics.map(([region, topic]) => [region, topic.arn])) : undefined;
    // What is left once the absent keys are dropped is what the type says: the required values are always set.
    return withoutAbsent({ ...named, alarmTopicArns, issuer: issuerConfig }) as SecureImageCdnOutputs;
}

/** A copy without the keys whose value is `undefined`. */
function withoutAbsent<T extends object>(record: T): T {
    return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
