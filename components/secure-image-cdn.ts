/**
 * `SecureImageCdn`: private user images behind CloudFront, one instance per
 * service. See docs/infrastructure.md for the picture and the levels.
 *
 * Its args are in args.ts; what it exposes is below: the values the issuing
 * library and DNS need, and every child resource as a typed property (as
 * awsx and eks components do), so a program can attach what the component
 * does not build, such as a bucket notification or its own alarm on the
 * edge function. To change a child's inputs or options, pass Pulumi's
 * `transforms` resource option to the component: a transform receives every
 * child (each is parented to the instance).
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeliveryMode, SecurityLevel } from "../core/enums";
import type { SecureImageCdnArgs } from "./args";
import { createAlarms } from "./alarms";
import { configuredHomeRegion } from "./replicas";
import { createEdgeLogs } from "./logs";
import { createDashboard, createMonitoringSubscription } from "./monitoring";
import { attachBucketPolicy, createImageBucket } from "./bucket";
import { checkedAliases, checkedTags } from "./checked-inputs";
import { createDistribution } from "./distribution";
import { createEdgeFunction } from "./edge-function";
import type { IssuerSettings } from "../issuer/config";
import { issuerSettingsFor } from "./issuer-settings";
import { deliveryModeOf, edgeLogRegions, isGuarded, resolveArgs, ResolvedGuardedSettings, validateInstanceName } from "./resolve-args";
import { createMappingTableResource } from "./table";

/** Type token of the component. */
export const SECURE_IMAGE_CDN_TYPE = "secure-image-cdn:index:SecureImageCdn";

/**
 * What the issuing library needs to know about an instance: its
 * `IssuerConfig`, with the locations still Outputs.
 */
export interface CdnIssuerConfig extends IssuerSettings<pulumi.Output<string>> {}

/**
 * Everything an instance exposes as values, by output name: registered as
 * the component's outputs, and what the stack program exports per service
 * (`services.<name>`, where the issuing library reads `issuer`). Keys of
 * what a `public` instance lacks are absent.
 */
export interface SecureImageCdnOutputs {
    level: SecurityLevel;
    mode?: DeliveryMode;
    domainName: pulumi.Output<string>;
    baseUrl: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    bucketArn: pulumi.Output<string>;
    region: pulumi.Output<string>;
    tableName?: pulumi.Output<string>;
    tableArn?: pulumi.Output<string>;
    distributionId: pulumi.Output<string>;
    distributionArn: pulumi.Output<string>;
    distributionDomainName: pulumi.Output<string>;
    functionVersionArn?: pulumi.Output<string>;
    /** The CloudWatch console URL of the instance's dashboard. */
    dashboardUrl: pulumi.Output<string>;
    /** ARNs of the alarm topics the instance created, by region; absent when `alarms.actions` is given or alarms are off. */
    alarmTopicArns?: { [region: string]: pulumi.Output<string> };
    /** The edge function's log group (the same name in every region it runs in); absent for `public`. */
    logGroupName?: pulumi.Output<string>;
    issuer: CdnIssuerConfig;
}

/**
 * Private user images served through CloudFront: a private S3 bucket read
 * only by the distribution, and for the guarded levels a DynamoDB table of
 * expiring hashes that a Lambda@Edge function checks, so that every image
 * URL is unguessable and expires.
 */
export class SecureImageCdn extends pulumi.ComponentResource {
    /** How strictly this instance guards its images. */
    public readonly level: SecurityLevel;
    /** Delivery mode of a guarded level; absent for `public`, which serves objects by key. */
    public readonly mode?: DeliveryMode;
    /** The domain viewers use: the first alias, or the distribution's cloudfront.net domain. */
    public readonly domainName: pulumi.Output<string>;
    /** `https://<domainName>`, no trailing slash. */
    public readonly baseUrl: pulumi.Output<string>;
    /** Name of the private image bucket. */
    public readonly bucketName: pulumi.Output<string>;
    /** ARN of the private image bucket. */
    public readonly bucketArn: pulumi.Output<string>;
    /** Region of the bucket (and of the table). */
    public readonly region: pulumi.Output<string>;
    /** Name of the hash table; absent for `public`. */
    public readonly tableName?: pulumi.Output<string>;
    /** ARN of the hash table; absent for `public`. */
    public readonly tableArn?: pulumi.Output<string>;
    /** Id of the CloudFront distribution (for invalidations). */
    public readonly distributionId: pulumi.Output<string>;
    /** ARN of the CloudFront distribution. */
    public readonly distributionArn: pulumi.Output<string>;
    /** The distribution's own `*.cloudfront.net` domain (the target of DNS records for aliases). */
    public readonly distributionDomainName: pulumi.Output<string>;
    /** The numbered edge function version the distribution runs; absent for `public`. */
    public readonly functionVersionArn?: pulumi.Output<string>;
    /** Settings for the issuing library (what the stack exports as `issuer`). */
    public readonly issuerConfig: CdnIssuerConfig;

    /** The private image bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** The bucket's object ownership (bucket owner enforced, no ACLs). */
    public readonly bucketOwnershipControls: aws.s3.BucketOwnershipControls;
    /** The bucket's public access block (all four blocks on). */
    public readonly bucketPublicAccessBlock: aws.s3.BucketPublicAccessBlock;
    /** The bucket's default encryption (SSE-S3). */
    public readonly bucketEncryption: aws.s3.BucketServerSideEncryptionConfiguration;
    /** The bucket's versioning (enabled). */
    public readonly bucketVersioning: aws.s3.BucketVersioning;
    /** The bucket's lifecycle rules: unconfirmed uploads (the staging prefix) expire after a day. */
    public readonly bucketLifecycle: aws.s3.BucketLifecycleConfiguration;
    /** The bucket policy: reads only through this distribution, HTTPS only. */
    public readonly bucketPolicy: aws.s3.BucketPolicy;
    /** The hash table; absent for `public`. */
    public readonly table?: aws.dynamodb.Table;
    /** The edge function's role; absent for `public`. */
    public readonly edgeRole?: aws.iam.Role;
    /** The edge function role's inline policy (least privilege); absent for `public`. */
    public readonly edgeRolePolicy?: aws.iam.RolePolicy;
    /** The Lambda@Edge function (in us-east-1, published); absent for `public`. */
    public readonly edgeFunction?: aws.lambda.Function;
    /** The origin access control through which CloudFront reads the bucket. */
    public readonly originAccessControl: aws.cloudfront.OriginAccessControl;
    /** The cache policy of the distribution's only behavior. */
    public readonly cachePolicy: aws.cloudfront.CachePolicy;
    /** The response headers policy (security headers for user content). */
    public readonly responseHeadersPolicy: aws.cloudfront.ResponseHeadersPolicy;
    /** The CloudFront distribution. */
    public readonly distribution: aws.cloudfront.Distribution;
    /** The CloudFront 5xx error-rate alarm (us-east-1); absent when alarms are disabled. */
    public readonly errorRateAlarm?: aws.cloudwatch.MetricAlarm;
    /** The Lambda@Edge duration alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeDurationAlarms: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The Lambda@Edge errors alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeErrorsAlarms: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The Lambda@Edge throttles alarms, by region; empty for `public` or when alarms are disabled. */
    public readonly edgeThrottlesAlarms: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The `ReplicationLatency` alarms (in the home region), by the replica region each watches; empty without `replicaRegions` or when alarms are disabled. */
    public readonly replicationLatencyAlarms: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The SNS topics the alarms notify, by region; empty when `alarms.actions` is given or alarms are disabled. */
    public readonly alarmTopics: { [region: string]: aws.sns.Topic };
    /** The `alarms.email` subscriptions, by region (pending until each address confirms). */
    public readonly alarmEmailSubscriptions: { [region: string]: aws.sns.TopicSubscription[] };
    /** CloudFront's additional metrics for the distribution; absent with `additionalMetrics: false`. */
    public readonly monitoringSubscription?: aws.cloudfront.MonitoringSubscription;
    /** The instance's CloudWatch dashboard. */
    public readonly dashboard: aws.cloudwatch.Dashboard;
    /** The CloudWatch console URL of the dashboard. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** The edge function's log groups, by region (each with a retention period); empty for `public`. */
    public readonly edgeLogGroups: { [region: string]: aws.cloudwatch.LogGroup };
    /** The saved Logs Insights queries over the edge's log lines, by region; empty for `public`. */
    public readonly edgeLogQueries: { [region: string]: aws.cloudwatch.QueryDefinition[] };
    /** The edge function's log group name, the same in every region; absent for `public`. */
    public readonly logGroupName?: pulumi.Output<string>;

    constructor(name: string, args: SecureImageCdnArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered: a bad config creates nothing.
        validateInstanceName(name);
        // Replicas are checked against the home region: the stack's aws:region, where the table is made.
        const resolved = resolveArgs(args, { homeRegion: configuredHomeRegion(), requireHomeRegion: true });
        super(SECURE_IMAGE_CDN_TYPE, name, {}, opts);
        // Tag values given as Outputs are checked when they resolve, like the aliases below.
        const settings = { ...resolved, tags: checkedTags(resolved.tags) };
        this.level = settings.level;
        this.mode = deliveryModeOf(settings);

        const images = createImageBucket(name, settings, this);
        const guarded = isGuarded(settings) ? this.createEdge(name, settings, images.bucket) : undefined;
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
            },
            this,
        );
        const bucketPolicy = attachBucketPolicy(name, images, cdn.distribution.arn, this);
        const monitoring = settings.additionalMetrics ? createMonitoringSubscription(name, cdn.distribution, this) : undefined;
        const alarms = createAlarms(name, settings, { distribution: cdn.distribution, fn: guarded?.fn, table: guarded?.table }, this);
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
                alarms: alarms?.all ?? [],
            },
            this,
        );

        this.bucket = images.bucket;
        this.bucketOwnershipControls = images.ownership;
        this.bucketPublicAccessBlock = images.publicAccess;
        this.bucketEncryption = images.encryption;
        this.bucketVersioning = images.versioning;
        this.bucketLifecycle = images.lifecycle;
        this.bucketPolicy = bucketPolicy;
        this.table = guarded?.table;
        this.edgeRole = guarded?.role;
        this.edgeRolePolicy = guarded?.policy;
        this.edgeFunction = guarded?.fn;
        this.originAccessControl = cdn.oac;
        this.cachePolicy = cdn.cachePolicy;
        this.responseHeadersPolicy = cdn.headersPolicy;
        this.distribution = cdn.distribution;
        this.errorRateAlarm = alarms?.errorRate;
        this.edgeDurationAlarms = alarms?.edgeDuration ?? {};
        this.edgeErrorsAlarms = alarms?.edgeErrors ?? {};
        this.edgeThrottlesAlarms = alarms?.edgeThrottles ?? {};
        this.replicationLatencyAlarms = alarms?.replicationLatency ?? {};
        this.alarmTopics = alarms?.topics.topics ?? {};
        this.alarmEmailSubscriptions = alarms?.topics.subscriptions ?? {};
        this.monitoringSubscription = monitoring;
        this.dashboard = dashboard.dashboard;
        this.dashboardUrl = dashboard.url;
        this.edgeLogGroups = guarded?.logs.groups ?? {};
        this.edgeLogQueries = guarded?.logs.queries ?? {};
        this.logGroupName = guarded?.logs.groupName;

        this.domainName = settings.aliases.length > 0 ? aliases.apply((list) => list[0]) : cdn.distribution.domainName;
        this.baseUrl = pulumi.interpolate`https://${this.domainName}`;
        this.bucketName = images.bucket.bucket;
        this.bucketArn = images.bucket.arn;
        this.region = images.bucket.region;
        this.tableName = guarded?.table.name;
        this.tableArn = guarded?.table.arn;
        this.distributionId = cdn.distribution.id;
        this.distributionArn = cdn.distribution.arn;
        this.distributionDomainName = cdn.distribution.domainName;
        this.functionVersionArn = guarded?.fn.qualifiedArn;
        this.issuerConfig = issuerSettingsFor(settings, {
            region: this.region,
            tableName: this.tableName,
            bucket: this.bucketName,
            cdnBaseUrl: this.baseUrl,
            distributionId: this.distributionId,
        });

        this.registerOutputs(this.outputs());
    }

    /** The instance's values, by output name (see SecureImageCdnOutputs). */
    public outputs(): SecureImageCdnOutputs {
        return withoutAbsent({
            level: this.level,
            mode: this.mode,
            domainName: this.domainName,
            baseUrl: this.baseUrl,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            region: this.region,
            tableName: this.tableName,
            tableArn: this.tableArn,
            distributionId: this.distributionId,
            distributionArn: this.distributionArn,
            distributionDomainName: this.distributionDomainName,
            functionVersionArn: this.functionVersionArn,
            dashboardUrl: this.dashboardUrl,
            alarmTopicArns: Object.keys(this.alarmTopics).length > 0 ? Object.fromEntries(Object.entries(this.alarmTopics).map(([region, topic]) => [region, topic.arn])) : undefined,
            logGroupName: this.logGroupName,
            issuer: this.issuerConfig,
        });
    }

    /** The table, the edge function and its logs, of a guarded level. */
    private createEdge(name: string, settings: ResolvedGuardedSettings, bucket: aws.s3.Bucket) {
        const table = createMappingTableResource(name, settings, this);
        const logs = createEdgeLogs(name, { regions: edgeLogRegions(settings), retentionDays: settings.logRetentionDays, tags: settings.tags }, this);
        const edge = createEdgeFunction(name, settings, { table, bucket, logGroupName: logs.groupName }, this);
        return { table, logs, ...edge };
    }
}

/** A copy without the keys whose value is `undefined`. */
function withoutAbsent<T extends object>(record: T): T {
    return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
