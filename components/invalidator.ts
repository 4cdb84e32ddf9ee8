/**
 * The invalidators of a `required` + `origin` instance: one in the home
 * region and one in each replica region, each following its own copy of
 * the table's stream (a replica's stream carries a removal once it has
 * replicated there). Each is a small Lambda function fed by two event
 * source mappings, its table's stream and its own SQS queue, with a
 * dead-letter queue, a log group with a retention period, and a role that
 * may do exactly what it does (policies.ts `invalidatorPolicy`). What it
 * runs is invalidator/handler.ts (bundled by invalidator/package.ts); how
 * it is fed and why is invalidator/deployment.ts; its delay is core's
 * (`reinvalidationDelay`).
 *
 * The home copy's children are keyed `home` and created with the
 * component's provider (home is its region, possibly known only during the
 * deployment); a replica's are keyed by its region and name it.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { INVALIDATOR_FUNCTION, INVALIDATOR_QUEUE, INVALIDATOR_STREAM_SOURCE } from "../invalidator/deployment";
import { INVALIDATOR_HANDLER, INVALIDATOR_MODULE, invalidatorCode } from "../invalidator/package";
import { INVALIDATOR_SETTINGS_ENV } from "../invalidator/settings";
import { checkedTableKmsKeyArn } from "./args/table";
import { childName, regionCode } from "./names";
import { invalidatorPolicy, invalidatorTrustPolicy } from "./policies";
import { invalidatorSettingsFor, reinvalidateAfterSecondsFor } from "./invalidator-settings";
import type { ResolvedGuardedSettings } from "./resolve-args";

/** The runtime, named explicitly, as the edge function's is. */
export const INVALIDATOR_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

/** The key of the home copy's invalidator in the records below. */
export const HOME_COPY = "home";

/** One copy's invalidator. */
export interface Invalidator {
    /** The region it runs in; an Output for home when it is the provider's region. */
    region: pulumi.Input<string>;
    fn: aws.lambda.Function;
    role: aws.iam.Role;
    policy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
    queue: aws.sqs.Queue;
    deadLetters: aws.sqs.Queue;
    streamSource: aws.lambda.EventSourceMapping;
    queueSource: aws.lambda.EventSourceMapping;
}

export interface InvalidatorInputs {
    table: aws.dynamodb.Table;
    distribution: aws.cloudfront.Distribution;
}

/** The invalidators of an instance, keyed {@link HOME_COPY} and by replica region. */
export function createInvalidators(name: string, settings: ResolvedGuardedSettings, inputs: InvalidatorInputs, parent: pulumi.Resource): Record<string, Invalidator> {
    const invalidators: Record<string, Invalidator> = { [HOME_COPY]: createInvalidator(name, settings, inputs, undefined, parent) };
    for (const region of settings.replicaRegions) invalidators[region] = createInvalidator(name, settings, inputs, region, parent);
    return invalidators;
}

/** One copy's invalidator: `replicaRegion` undefined for home. */
function createInvalidator(
    name: string,
    settings: ResolvedGuardedSettings,
    { table, distribution }: InvalidatorInputs,
    replicaRegion: string | undefined,
    parent: pulumi.Resource,
): Invalidator {
    const copy = replicaRegion === undefined ? HOME_COPY : regionCode(replicaRegion);
    // Home's children take the component's provider and its region; a replica's name theirs.
    const placed = replicaRegion === undefined ? {} : { region: replicaRegion };
    const region: pulumi.Input<string> = replicaRegion ?? table.region;
    const tags = settings.tags;

    const deadLetters = new aws.sqs.Queue(
        childName(name, "invalidatorDeadLetters", copy),
        { ...placed, messageRetentionSeconds: INVALIDATOR_QUEUE.deadLetterRetentionSeconds, sqsManagedSseEnabled: true, tags },
        { parent },
    );
    const queue = new aws.sqs.Queue(
        childName(name, "invalidatorQueue", copy),
        {
            ...placed,
            visibilityTimeoutSeconds: INVALIDATOR_QUEUE.visibilityTimeoutSeconds,
            messageRetentionSeconds: INVALIDATOR_QUEUE.messageRetentionSeconds,
            sqsManagedSseEnabled: true,
            redrivePolicy: deadLetters.arn.apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: INVALIDATOR_QUEUE.maxReceiveCount })),
            tags,
        },
        { parent },
    );
    const logGroup = new aws.cloudwatch.LogGroup(childName(name, "invalidatorLogGroup", copy), { ...placed, retentionInDays: settings.logRetentionDays, tags }, { parent });
    const role = new aws.iam.Role(
        childName(name, "invalidatorRole", copy),
        {
            description: `Invalidator of the ${settings.service} image CDN (${replicaRegion ?? "home"}): CloudFront paths of removed hashes`,
            assumeRolePolicy: JSON.stringify(invalidatorTrustPolicy()),
            tags,
        },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        childName(name, "invalidatorRolePolicy", copy),
        {
            role: role.id,
            policy: pulumi
                .all([region, distribution.arn, table.arn, checkedTableKmsKeyArn(settings), queue.arn, deadLetters.arn, logGroup.arn])
                .apply(([resolvedRegion, distributionArn, tableArn, tableKmsKeyArn, queueArn, deadLetterArn, logGroupArn]) =>
                    JSON.stringify(
                        invalidatorPolicy({
                            region: resolvedRegion,
                            distributionArn,
                            tableArn,
                            ...(tableKmsKeyArn !== undefined ? { tableKmsKeyArn } : {}),
                            queueArn,
                            deadLetterArn,
                            logGroupArn,
                        }),
                    ),
                ),
        },
        { parent },
    );

    const reinvalidateAfterSeconds = reinvalidateAfterSecondsFor(settings);
    const environment = pulumi.all([region, distribution.id, queue.url]).apply(([resolvedRegion, distributionId, queueUrl]) => ({
        variables: { [INVALIDATOR_SETTINGS_ENV]: JSON.stringify(invalidatorSettingsFor(settings, { region: resolvedRegion, distributionId, queueUrl })) },
    }));
    const fn = new aws.lambda.Function(
        childName(name, "invalidator", copy),
        {
            ...placed,
            description: `Invalidates the ${settings.service} image CDN's paths of removed hashes, at once and ${reinvalidateAfterSeconds} s later`,
            role: role.arn,
            runtime: INVALIDATOR_RUNTIME,
            architectures: [INVALIDATOR_FUNCTION.architecture],
            handler: INVALIDATOR_HANDLER,
            code: pulumi.output(invalidatorCode()).apply((text) => new pulumi.asset.AssetArchive({ [`${INVALIDATOR_MODULE}.js`]: new pulumi.asset.StringAsset(text) })),
            memorySize: INVALIDATOR_FUNCTION.memorySizeMb,
            timeout: INVALIDATOR_FUNCTION.timeoutSeconds,
            environment,
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags,
        },
        // It may log only once its log group exists and its role may write there.
        { parent, dependsOn: [policy, logGroup] },
    );

    const streamArn = replicaRegion === undefined ? table.streamArn : replicaStreamArn(table, replicaRegion);
    const streamSource = new aws.lambda.EventSourceMapping(
        childName(name, "invalidatorStreamSource", copy),
        {
            ...placed,
            eventSourceArn: streamArn,
            functionName: fn.arn,
            startingPosition: INVALIDATOR_STREAM_SOURCE.startingPosition,
            batchSize: INVALIDATOR_STREAM_SOURCE.batchSize,
            maximumBatchingWindowInSeconds: INVALIDATOR_STREAM_SOURCE.maximumBatchingWindowInSeconds,
            bisectBatchOnFunctionError: INVALIDATOR_STREAM_SOURCE.bisectBatchOnFunctionError,
            maximumRetryAttempts: INVALIDATOR_STREAM_SOURCE.maximumRetryAttempts,
            maximumRecordAgeInSeconds: INVALIDATOR_STREAM_SOURCE.maximumRecordAgeInSeconds,
            parallelizationFactor: INVALIDATOR_STREAM_SOURCE.parallelizationFactor,
            destinationConfig: { onFailure: { destinationArn: deadLetters.arn } },
            tags,
        },
        // Lambda checks the role's permissions when the mapping is created.
        { parent, dependsOn: [policy] },
    );
    const queueSource = new aws.lambda.EventSourceMapping(
        childName(name, "invalidatorQueueSource", copy),
        {
            ...placed,
            eventSourceArn: queue.arn,
            functionName: fn.arn,
            batchSize: INVALIDATOR_QUEUE.batchSize,
            functionResponseTypes: ["ReportBatchItemFailures"],
            tags,
        },
        { parent, dependsOn: [policy] },
    );
    return { region, fn, role, policy, logGroup, queue, deadLetters, streamSource, queueSource };
}

/** The stream of the table's replica in `region` (each replica has its own). */
function replicaStreamArn(table: aws.dynamodb.Table, region: string): pulumi.Output<string> {
    return table.replicas.apply((replicas) => {
        const replica = (replicas ?? []).find((candidate) => candidate.regionName === region);
        if (replica === undefined) throw new Error(`the table has no replica in ${region}`);
        return replica.streamArn;
    });
}
