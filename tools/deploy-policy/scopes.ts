/**
 * Where the deploy identity's actions may act: each scope as IAM resource
 * ARN patterns for one instance, derived from the names the component gives
 * its children (components/names.ts), never typed out again here.
 *
 * Scopes follow Pulumi's auto-naming: a child's physical name is its logical
 * name (`childName(instance, role)`: `<instance>-bucket`, `<instance>-edge`…)
 * plus a random suffix, so `<logical name>-*` covers the instance's children
 * of that role and nothing that is not named after them. CloudFront assigns
 * its own IDs, so its resources are scoped to the account. A stack whose
 * `pulumi:autonaming` config changes the name pattern needs the scopes
 * widened accordingly.
 */
import { EDGE_REGION } from "../../core/limits";
import { dashboardName } from "../../components/dashboard";
import { childName, CLOUDFRONT_EDGE_LOG_GROUP_PREFIX } from "../../components/names";
import type { ChildRole } from "../../components/names";
import type { PolicyStatement } from "../../components/policies";

/** What the ARN patterns of a scope are built from. */
export interface ScopeContext {
    partition: string;
    accountId: string;
    project: string;
    stack: string;
    /** The SecureImageCdn instance (its logical name, which prefixes its children's). */
    instance: string;
}

/** Every physical name Pulumi auto-names from the instance's children of a role. */
function autoNamed(instance: string, role: ChildRole): string {
    return `${childName(instance, role)}-*`;
}

/** Where a group of actions may act, as IAM resource ARN patterns. */
export const SCOPES = {
    bucket: ({ partition, instance }: ScopeContext) => [`arn:${partition}:s3:::${autoNamed(instance, "bucket")}`],
    /** Objects, for emptying a bucket whose `protectData` is off before deleting it. */
    bucketObjects: ({ partition, instance }: ScopeContext) => [`arn:${partition}:s3:::${autoNamed(instance, "bucket")}/*`],
    table: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:dynamodb:*:${accountId}:table/${autoNamed(instance, "table")}`],
    /** Every role of an instance: the edge function's, the resizer's and the invalidators'. */
    roles: ({ partition, accountId, instance }: ScopeContext) =>
        (["edgeRole", "resizerRole", "invalidatorRole"] as const).map((role) => `arn:${partition}:iam::${accountId}:role/${autoNamed(instance, role)}`),
    /** The edge function and its numbered versions (`…:function:<name>:<version>`). */
    edgeFunction: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:lambda:${EDGE_REGION}:${accountId}:function:${autoNamed(instance, "edgeFunction")}`],
    /** The resizer (variants): in the home region, whichever it is. */
    resizerFunction: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:lambda:*:${accountId}:function:${autoNamed(instance, "resizerFunction")}`],
    /** The invalidators, one per copy of the table, in its region. */
    invalidatorFunction: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:lambda:*:${accountId}:function:${autoNamed(instance, "invalidator")}`],
    /** Every function of an instance: the edge function (and its versions), the resizer and the invalidators. */
    functions: (context: ScopeContext) => [...SCOPES.edgeFunction(context), ...SCOPES.resizerFunction(context), ...SCOPES.invalidatorFunction(context)],
    /** The viewer-request CloudFront Function of the variants (`required`): named after the instance, unlike CloudFront's other resources. */
    cloudFrontFunction: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:cloudfront::${accountId}:function/${autoNamed(instance, "acceptFunction")}`],
    /** The invalidators' queues and dead-letter queues. */
    queues: ({ partition, accountId, instance }: ScopeContext) => [
        `arn:${partition}:sqs:*:${accountId}:${autoNamed(instance, "invalidatorQueue")}`,
        `arn:${partition}:sqs:*:${accountId}:${autoNamed(instance, "invalidatorDeadLetters")}`,
    ],
    /**
     * Event source mappings have no name to scope by (Lambda gives each a
     * UUID): the account's, narrowed by the function they feed where Lambda
     * allows (the `lambda:FunctionArn` condition, {@link invalidatorFunctionCondition}).
     */
    eventSourceMappings: ({ partition, accountId }: ScopeContext) => [`arn:${partition}:lambda:*:${accountId}:event-source-mapping:*`],
    /** `CreateEventSourceMapping` acts on no resource yet: `*`, narrowed by the function it feeds. */
    eventSourceMappingCreation: () => ["*"],
    /** CloudFront names its distributions and policies itself: the account's. */
    cloudFront: ({ partition, accountId }: ScopeContext) =>
        ["distribution", "origin-access-control", "cache-policy", "response-headers-policy"].map((kind) => `arn:${partition}:cloudfront::${accountId}:${kind}/*`),
    alarm: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:cloudwatch:*:${accountId}:alarm:${autoNamed(instance, "alarm")}`],
    /** `DescribeAlarms` lists: it is authorized on every alarm of the region. */
    alarmList: ({ partition, accountId }: ScopeContext) => [`arn:${partition}:cloudwatch:*:${accountId}:alarm:*`],
    dashboard: ({ partition, accountId, project, stack, instance }: ScopeContext) => [
        `arn:${partition}:cloudwatch::${accountId}:dashboard/${dashboardName(project, stack, instance)}`,
    ],
    /**
     * The edge function's log groups (one name, every region), the
     * resizer's, the invalidators', and CloudFront's for the edge function's
     * invalid responses, named after the distribution's ID, which CloudFront
     * assigns: those are scoped to the prefix CloudFront gives them.
     */
    logGroup: ({ partition, accountId, instance }: ScopeContext) => [
        ...(["edgeLogGroup", "resizerLogGroup", "invalidatorLogGroup"] as const).map((role) => `arn:${partition}:logs:*:${accountId}:log-group:${autoNamed(instance, role)}`),
        `arn:${partition}:logs:*:${accountId}:log-group:${CLOUDFRONT_EDGE_LOG_GROUP_PREFIX}*`,
    ],
    /** `DescribeLogGroups` lists by prefix: it is authorized on the account's log groups. */
    logGroupList: ({ partition, accountId }: ScopeContext) => [`arn:${partition}:logs:*:${accountId}:log-group:*`],
    /** Saved Logs Insights queries have no ARN (Service Authorization Reference, CloudWatch Logs: no resource types). */
    queryDefinition: () => ["*"],
    /** Topics and their subscriptions (`<topic ARN>:<id>`). */
    topic: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:sns:*:${accountId}:${autoNamed(instance, "alarmTopic")}`],
    lambdaEdgeServiceRoles: ({ partition, accountId }: ScopeContext) => [
        `arn:${partition}:iam::${accountId}:role/aws-service-role/replicator.lambda.amazonaws.com/AWSServiceRoleForLambdaReplicator`,
        `arn:${partition}:iam::${accountId}:role/aws-service-role/logger.cloudfront.amazonaws.com/AWSServiceRoleForCloudFrontLogger`,
    ],
} as const;

export type ScopeName = keyof typeof SCOPES;

/**
 * The condition that narrows event source mapping actions to the
 * instance's invalidators: the function they feed (AWS Lambda Developer
 * Guide, "Fine-tuning the Resources and Conditions sections of policies":
 * event source mapping actions take the `lambda:FunctionArn` condition).
 */
export function invalidatorFunctionCondition(context: ScopeContext): NonNullable<PolicyStatement["Condition"]> {
    return { ArnLike: { "lambda:FunctionArn": SCOPES.invalidatorFunction(context) } };
}
