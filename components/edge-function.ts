/**
 * The Lambda@Edge function of a guarded instance and its role.
 *
 * Built by hand rather than with `aws.lambda.CallbackFunction`, whose
 * defaults do not suit the edge: without an explicit role it attaches broad
 * managed policies, and it packages the `dependencies` of the nearest
 * package.json, which for a project that installed this package from npm
 * drags the AWS SDK and Pulumi into a zip that viewer triggers cap at 1 MB.
 * Here the code is the edge factory serialized by Pulumi with this
 * instance's settings captured and bundled into one file
 * (components/edge-code.ts), the role trusts Lambda and its edge replicas and
 * may do exactly what the handler does.
 *
 * What Lambda@Edge cannot take is simply never set: environment variables,
 * layers, VPC, dead-letter queues, tracing, reserved concurrency, arm64.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { buildEdgeCode, EDGE_HANDLER, EDGE_MODULE } from "./edge-code";
import { EDGE_REGION } from "../core/limits";
import type { ResolvedGuardedSettings } from "./resolve-args";
import { checkedTableKmsKeyArn } from "./args/table";
import { edgeSettingsFor } from "./edge-settings";
import type { EdgeSettings } from "../core/edge-settings";
import { childName } from "./names";
import { edgeFunctionPolicy, edgeTrustPolicy } from "./policies";

/** The runtime, named explicitly: edge functions never follow a moving default. */
export const EDGE_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

const builtCode = new Map<string, Promise<string>>();

/**
 * The deployed code for these settings: `buildEdgeCode` (the edge factory
 * serialized by Pulumi and bundled), built once per distinct settings in a
 * process. Closure serialization takes about a second, and a program (or a
 * test run) that builds the same settings twice gets the same text.
 */
export function edgeCodeText(settings: EdgeSettings): Promise<string> {
    const key = JSON.stringify(settings);
    let text = builtCode.get(key);
    if (text === undefined) {
        text = buildEdgeCode(settings);
        builtCode.set(key, text);
        text.catch(() => builtCode.delete(key));
    }
    return text;
}

export interface EdgeFunctionInputs {
    table: aws.dynamodb.Table;
    bucket: aws.s3.Bucket;
    /** The function's log group name, the same in every region (logs.ts). */
    logGroupName: pulumi.Input<string>;
}

export interface EdgeFunction {
    role: aws.iam.Role;
    policy: aws.iam.RolePolicy;
    fn: aws.lambda.Function;
}

/** Creates the role, the function (published, in us-east-1) and the role's inline policy. */
export function createEdgeFunction(
    name: string,
    settings: ResolvedGuardedSettings,
    { table, bucket, logGroupName }: EdgeFunctionInputs,
    parent: pulumi.Resource,
): EdgeFunction {
    const role = new aws.iam.Role(
        childName(name, "edgeRole"),
        {
            description: `Lambda@Edge role of the ${settings.service} image CDN`,
            assumeRolePolicy: JSON.stringify(edgeTrustPolicy()),
            tags: settings.tags,
        },
        { parent },
    );

    // An Output as the code input (not a resource inside apply): the archive
    // is built once the table and bucket names and regions are known.
    const code = pulumi
        .all([table.name, table.region, bucket.bucket, bucket.region])
        .apply(async ([tableName, tableRegion, bucketName, bucketRegion]) => {
            const edgeSettings = edgeSettingsFor(settings, { tableName, tableRegion, bucket: bucketName, bucketRegion });
            const text = await edgeCodeText(edgeSettings);
            return new pulumi.asset.AssetArchive({ [`${EDGE_MODULE}.js`]: new pulumi.asset.StringAsset(text) });
        });

    const fn = new aws.lambda.Function(
        childName(name, "edgeFunction"),
        {
            region: EDGE_REGION,
            description: `Hash check of the ${settings.service} image CDN (${settings.level}, ${settings.mode})`,
            role: role.arn,
            runtime: EDGE_RUNTIME,
            architectures: ["x86_64"],
            handler: EDGE_HANDLER,
            code,
            memorySize: settings.edge.memorySizeMb,
            timeout: settings.edge.timeoutSeconds,
            // Lambda@Edge logs to this group in every region it runs in (logs.ts
            // creates it there, with a retention period). Plain text: each
            // line is the handler's JSON after Lambda's prefix.
            loggingConfig: { logFormat: "Text", logGroup: logGroupName },
            // CloudFront associates numbered versions only.
            publish: true,
            // Replicas of a detached edge function linger for hours and make
            // DeleteFunction fail; on destroy the function is dropped from the
            // state instead (Lambda@Edge deletes the replicas; the function can
            // be deleted by hand once they are gone).
            skipDestroy: true,
            tags: settings.tags,
        },
        { parent },
    );

    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const policy = new aws.iam.RolePolicy(
        childName(name, "edgeRolePolicy"),
        {
            role: role.id,
            // The key of a customer-managed-kms table (possibly an Output) joins the other ARNs; only the document is built here.
            policy: pulumi
                .all([table.arn, bucket.arn, partition.partition, identity.accountId, logGroupName, checkedTableKmsKeyArn(settings)])
                .apply(([tableArn, bucketArn, partitionName, accountId, logGroup, tableKmsKeyArn]) =>
                    JSON.stringify(
                        edgeFunctionPolicy({
                            mode: settings.mode,
                            tableArn,
                            replicaRegions: settings.replicaRegions,
                            ...(tableKmsKeyArn !== undefined ? { tableKmsKeyArn } : {}),
                            bucketArn,
                            partition: partitionName,
                            accountId,
                            logGroupName: logGroup,
                        }),
                    ),
                ),
        },
        { parent },
    );
    return { role, policy, fn };
}
