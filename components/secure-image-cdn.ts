/**
 * `SecureImageCdn`: private user images behind CloudFront, one instance per
 * service. See docs/infrastructure.md for the picture and the levels.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeliveryMode, SecurityLevel } from "../edge/settings";
import type { SecureImageCdnArgs } from "./args";
import { createAlarms } from "./alarms";
import { attachBucketPolicy, createImageBucket } from "./bucket";
import { createDistribution } from "./distribution";
import { createEdgeFunction } from "./edge-function";
import type { IssuerSettings } from "../issuer/config";
import { issuerSettingsFor } from "./issuer-settings";
import { deliveryModeOf, isGuarded, resolveArgs, ResolvedCdnSettings, ResolvedGuardedSettings, validateInstanceName } from "./resolve-args";
import { createMappingTableResource } from "./table";

/** Type token of the component. */
export const SECURE_IMAGE_CDN_TYPE = "secure-image-cdn:index:SecureImageCdn";

/**
 * What the issuing library needs to know about an instance: its
 * `IssuerConfig`, with the locations still Outputs.
 */
export type CdnIssuerConfig = IssuerSettings<pulumi.Output<string>>;

/**
 * Everything an instance exposes, by output name: registered as the
 * component's outputs, and what the stack program exports per service
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
    issuer: CdnIssuerConfig;
}

export class SecureImageCdn extends pulumi.ComponentResource {
    /** The validated, defaulted settings this instance was built from. */
    public readonly settings: ResolvedCdnSettings;
    public readonly level: SecurityLevel;
    /** Delivery mode of a guarded level; absent for `public`, which serves objects by key. */
    public readonly mode?: DeliveryMode;
    /** The domain viewers use: the first alias, or the distribution's cloudfront.net domain. */
    public readonly domainName: pulumi.Output<string>;
    /** `https://<domainName>`, no trailing slash. */
    public readonly baseUrl: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    /** Region of the bucket (and of the table). */
    public readonly region: pulumi.Output<string>;
    /** Absent for `public`. */
    public readonly tableName?: pulumi.Output<string>;
    public readonly tableArn?: pulumi.Output<string>;
    public readonly distributionId: pulumi.Output<string>;
    public readonly distributionArn: pulumi.Output<string>;
    /** The distribution's own `*.cloudfront.net` domain (the target of DNS records for aliases). */
    public readonly distributionDomainName: pulumi.Output<string>;
    /** The numbered edge function version the distribution runs; absent for `public`. */
    public readonly functionVersionArn?: pulumi.Output<string>;
    /** Settings for the issuing library. */
    public readonly issuerConfig: CdnIssuerConfig;

    constructor(name: string, args: SecureImageCdnArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered: a bad config creates nothing.
        validateInstanceName(name);
        const settings = resolveArgs(args);
        super(SECURE_IMAGE_CDN_TYPE, name, {}, opts);
        this.settings = settings;
        this.level = settings.level;
        this.mode = deliveryModeOf(settings);

        const images = createImageBucket(name, settings, this);
        const guarded = isGuarded(settings) ? this.createEdge(name, settings, images.bucket) : undefined;
        const cdn = createDistribution(
            name,
            settings,
            { bucket: images.bucket, functionVersionArn: guarded?.fn.qualifiedArn, dependsOn: guarded ? [guarded.policy] : [] },
            this,
        );
        attachBucketPolicy(name, images, cdn.distribution.arn, this);
        createAlarms(name, settings, { distribution: cdn.distribution, fn: guarded?.fn }, this);

        this.domainName = settings.aliases.length > 0 ? pulumi.output(settings.aliases[0]) : cdn.distribution.domainName;
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

    /** The instance's outputs (see {@link SecureImageCdnOutputs}). */
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
            issuer: this.issuerConfig,
        });
    }

    /** The table and the edge function of a guarded level. */
    private createEdge(name: string, settings: ResolvedGuardedSettings, bucket: aws.s3.Bucket) {
        const table = createMappingTableResource(name, settings, this);
        const edge = createEdgeFunction(name, settings, { table, bucket }, this);
        return { table, ...edge };
    }
}

/** A copy without the keys whose value is `undefined`. */
function withoutAbsent<T extends object>(record: T): T {
    return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
