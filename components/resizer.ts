/**
 * The resizer of an instance with variants: a regional Lambda function in
 * the home region (the bucket's), arm64, whose code is the resizer package
 * (components/resizer-code.ts) and whose settings are its environment
 * (resizer/settings.ts), behind a function URL that takes `AWS_IAM` auth;
 * its role, its log group with a retention period, and the two permissions
 * that let this instance's distribution, and nothing else, invoke it
 * through the URL.
 *
 * Since October 2025 a new function URL needs both `lambda:InvokeFunctionUrl`
 * and `lambda:InvokeFunction` for its caller (AWS Lambda Developer Guide,
 * "Control access to Lambda function URLs"); both name CloudFront's service
 * principal with the distribution as source ARN (CloudFront Developer
 * Guide, "Restrict access to an AWS Lambda function URL origin"), and the
 * second holds only for invocations through the URL
 * (`lambda:InvokedViaFunctionUrl`).
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { resizerEnvironment } from "../resizer/settings";
import { DEFAULT_RESIZER_ARCHITECTURE, RESIZER_HANDLER } from "../resizer/package";
import { childName } from "./names";
import { CLOUDFRONT_SERVICE, resizerFunctionPolicy, resizerTrustPolicy } from "./policies";
import { resizerCode } from "./resizer-code";
import { resizerSettingsFor } from "./resizer-settings";
import type { ResolvedVariantSettings } from "./resolve-args";

/** The resizer's runtime, named explicitly like the edge's. */
export const RESIZER_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

export interface Resizer {
    role: aws.iam.Role;
    policy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
    fn: aws.lambda.Function;
    url: aws.lambda.FunctionUrl;
}

/** Creates the role, the log group, the function, its policy and its URL. */
export function createResizer(name: string, settings: ResolvedVariantSettings, { bucket }: { bucket: aws.s3.Bucket }, parent: pulumi.Resource): Resizer {
    const role = new aws.iam.Role(
        childName(name, "resizerRole"),
        { description: `Image variants resizer of the ${settings.service} image CDN`, assumeRolePolicy: JSON.stringify(resizerTrustPolicy()), tags: settings.tags },
        { parent },
    );
    // Created with the bucket's provider: the function, its logs and its URL are in the home region.
    const logGroup = new aws.cloudwatch.LogGroup(childName(name, "resizerLogGroup"), { retentionInDays: settings.logRetentionDays, tags: settings.tags }, { parent });
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const policy = new aws.iam.RolePolicy(
        childName(name, "resizerRolePolicy"),
        {
            role: role.id,
            policy: pulumi
                .all([bucket.arn, bucket.region, partition.partition, identity.accountId, logGroup.name])
                .apply(([bucketArn, region, partitionName, accountId, logGroupName]) =>
                    JSON.stringify(resizerFunctionPolicy({ bucketArn, uploadPrefix: settings.uploadPrefix, partition: partitionName, accountId, region, logGroupName })),
                ),
        },
        { parent },
    );
    const variables = pulumi.all([bucket.bucket, bucket.region]).apply(([bucketName, region]) => resizerEnvironment(resizerSettingsFor(settings, { bucket: bucketName, region })));
    const fn = new aws.lambda.Function(
        childName(name, "resizerFunction"),
        {
            description: `Image variants of the ${settings.service} image CDN (${Object.keys(settings.variants).join(", ")})`,
            role: role.arn,
            runtime: RESIZER_RUNTIME,
            architectures: [DEFAULT_RESIZER_ARCHITECTURE],
            handler: RESIZER_HANDLER,
            code: resizerCode(DEFAULT_RESIZER_ARCHITECTURE),
            memorySize: settings.resizer.memorySizeMb,
            timeout: settings.resizer.timeoutSeconds,
            reservedConcurrentExecutions: settings.resizer.reservedConcurrency,
            environment: { variables },
            // Plain text: each line is the handler's JSON (resizer/log.ts) after Lambda's prefix.
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags: settings.tags,
        },
        // It may log, and read, from its first invocation.
        { parent, dependsOn: [policy] },
    );
    const url = new aws.lambda.FunctionUrl(childName(name, "resizerFunctionUrl"), { functionName: fn.name, authorizationType: "AWS_IAM", invokeMode: "BUFFERED" }, { parent });
    return { role, policy, logGroup, fn, url };
}

export interface ResizerInvokePermissions {
    /** `lambda:InvokeFunctionUrl` for the distribution, on `AWS_IAM` URLs. */
    invokeUrl: aws.lambda.Permission;
    /** `lambda:InvokeFunction` for the distribution, only through the URL. */
    invoke: aws.lambda.Permission;
}

/** Lets the instance's distribution, and no other, invoke the resizer through its URL. */
export function allowDistributionToInvoke(name: string, fn: aws.lambda.Function, distributionArn: pulumi.Input<string>, parent: pulumi.Resource): ResizerInvokePermissions {
    const invokeUrl = new aws.lambda.Permission(
        childName(name, "resizerPermission", "url"),
        { function: fn.name, action: "lambda:InvokeFunctionUrl", principal: CLOUDFRONT_SERVICE, sourceArn: distributionArn, functionUrlAuthType: "AWS_IAM" },
        { parent },
    );
    const invoke = new aws.lambda.Permission(
        childName(name, "resizerPermission", "function"),
        { function: fn.name, action: "lambda:InvokeFunction", principal: CLOUDFRONT_SERVICE, sourceArn: distributionArn, invokedViaFunctionUrl: true },
        { parent },
    );
    return { invokeUrl, invoke };
}

/** The host name of a function URL (`https://<id>.lambda-url.<region>.on.aws/`), as a CloudFront origin's domain. */
export function functionUrlHost(url: string): string {
    const host = /^https:\/\/([^/]+)\/?$/.exec(url)?.[1];
    if (host === undefined) throw new Error(`not a function URL: ${url}`);
    return host;
}
