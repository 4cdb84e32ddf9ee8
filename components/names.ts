/**
 * The logical names of an instance's children, in one place. Every builder
 * names its resources with {@link childName}, and the deploy policy
 * (tools/deploy-policy/) scopes the deploy identity to the physical names
 * Pulumi derives from the same names.
 *
 * A child is `<instance>-<role>` (`chat-bucket`), followed by qualifiers
 * when the instance has one per region or per kind (`chat-alarm-5xx`,
 * `chat-edge-logs-eu-west-1`). Pulumi auto-names each physical resource
 * after its logical name plus a random suffix, so `<instance>-<role>-*`
 * covers every child of that role.
 *
 * Two kinds of children carry a physical name that is not their logical
 * one: the edge function's log groups, which share one name in every
 * region (the us-east-1 group's auto-name, `chat-edge-logs-<suffix>`,
 * logs.ts), and CloudFront's own log groups for the function's invalid
 * responses, whose name CloudFront decides ({@link
 * cloudFrontEdgeLogGroupName}).
 */

/** Each role of a child, and the word that follows the instance's name in its logical name. */
export const CHILD_ROLES = {
    bucket: "bucket",
    bucketOwnership: "bucket-ownership",
    bucketPublicAccess: "bucket-public-access",
    bucketEncryption: "bucket-encryption",
    bucketVersioning: "bucket-versioning",
    bucketLifecycle: "bucket-lifecycle",
    bucketPolicy: "bucket-policy",
    table: "table",
    edgeRole: "edge-role",
    edgeFunction: "edge",
    edgeRolePolicy: "edge-policy",
    edgeLogGroup: "edge-logs",
    edgeLogQuery: "edge-query",
    cloudFrontEdgeLogGroup: "cloudfront-edge-logs",
    originAccessControl: "oac",
    cachePolicy: "cache-policy",
    responseHeadersPolicy: "headers-policy",
    distribution: "cdn",
    monitoringSubscription: "metrics",
    dashboard: "dashboard",
    alarm: "alarm",
    alarmTopic: "alarms",
    resizerRole: "resizer-role",
    resizerRolePolicy: "resizer-policy",
    resizerFunction: "resizer",
    resizerLogGroup: "resizer-logs",
    resizerFunctionUrl: "resizer-url",
    resizerPermission: "resizer-invoke",
    resizerOriginAccessControl: "resizer-oac",
    acceptFunction: "formats",
} as const;

/** The role of a child. */
export type ChildRole = keyof typeof CHILD_ROLES;

/** The logical name of an instance's child: `<instance>-<role>[-<qualifier>…]`. */
export function childName(instance: string, role: ChildRole, ...qualifiers: string[]): string {
    return [instance, CHILD_ROLES[role], ...qualifiers].join("-");
}

/**
 * Where CloudFront writes the log of a Lambda@Edge function's invalid
 * responses (validation errors): `/aws/cloudfront/LambdaEdge/<distribution
 * ID>`, in the region where the function ran (CloudFront Developer Guide,
 * "Testing and debugging Lambda@Edge functions", "Troubleshooting invalid
 * Lambda@Edge function responses").
 */
export const CLOUDFRONT_EDGE_LOG_GROUP_PREFIX = "/aws/cloudfront/LambdaEdge/";

/** The name of CloudFront's log group for a distribution's Lambda@Edge validation errors. */
export function cloudFrontEdgeLogGroupName(distributionId: string): string {
    return `${CLOUDFRONT_EDGE_LOG_GROUP_PREFIX}${distributionId}`;
}
