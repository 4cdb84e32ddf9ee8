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
    // The invalidator's children, one of each per copy of the table: short words and the region's
    // code (regionCode), so that a function's and a role's name fit Lambda's and IAM's 64 characters
    // with the longest service name (40) and Pulumi's 8-character suffix.
    invalidator: "inv",
    invalidatorRole: "inv-role",
    invalidatorRolePolicy: "inv-policy",
    invalidatorLogGroup: "inv-logs",
    invalidatorQueue: "inv-queue",
    invalidatorDeadLetters: "inv-dlq",
    invalidatorStreamSource: "inv-stream",
    invalidatorQueueSource: "inv-source",
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

/** Direction words of region names and their letters in a region's code. */
const DIRECTIONS: Readonly<Record<string, string>> = {
    north: "n",
    south: "s",
    east: "e",
    west: "w",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
};

/**
 * A region's short code for child names whose length AWS limits:
 * `eu-west-1` → `euw1`, `ap-southeast-2` → `apse2`, `us-gov-west-1` →
 * `usgw1` (the area, a letter for a partition part, the direction's
 * letters, the number).
 */
export function regionCode(region: string): string {
    const parts = region.split("-");
    const number = parts.pop() ?? "";
    const direction = parts.pop() ?? "";
    const [area, ...partition] = parts;
    const letters = DIRECTIONS[direction];
    if (area === undefined || letters === undefined || !/^\d+$/.test(number)) throw new Error(`not a region name: ${region}`);
    return `${area}${partition.map((part) => (part.startsWith("iso") ? `i${part.slice(3)}` : part.slice(0, 1))).join("")}${letters}${number}`;
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
