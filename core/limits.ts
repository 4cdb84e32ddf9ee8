/**
 * AWS's limits and name formats that the product depends on, each with the
 * AWS documentation page it comes from. Plain data and functions: no Pulumi,
 * no AWS SDK. Our own bounds are in bounds.ts; the enums in enums.ts; which
 * regions run the edge for a price class in regions.ts.
 */
import type { EdgeEventType } from "./edge-settings";

// ---------------------------------------------------------------------------
// AWS: CloudFront and Lambda@Edge
// ---------------------------------------------------------------------------

/**
 * The region CloudFront's global parts live in: Lambda@Edge functions must
 * be created there (CloudFront Developer Guide, "Restrictions on
 * Lambda@Edge", Lambda Region), CloudFront reads ACM certificates only from
 * there ("Requirements for using SSL/TLS certificates with CloudFront"),
 * publishes its metrics there ("Monitor CloudFront metrics with Amazon
 * CloudWatch"), and its API is signed for it (AWS General Reference,
 * "Amazon CloudFront endpoints and quotas").
 */
export const EDGE_REGION = "us-east-1";

/**
 * The name under which Lambda@Edge replicas of a function log and report
 * metrics in whichever region they ran: the function's name prefixed with
 * the region it was created in, `us-east-1.<name>` (CloudFront Developer
 * Guide, "Edge function logs").
 */
export function edgeReplicaName(functionName: string): string {
    return `${EDGE_REGION}.${functionName}`;
}

/**
 * Function timeout limits, seconds: 5 for viewer request and response
 * triggers, 30 for origin request and response triggers (CloudFront
 * Developer Guide, "Quotas", section "Quotas on Lambda@Edge").
 */
export const VIEWER_TRIGGER_MAX_TIMEOUT_SECONDS = 5;
export const ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS = 30;

/**
 * Function memory: exactly 128 MB for viewer triggers ("Quotas on
 * Lambda@Edge"); origin triggers take Lambda's own range, 128 MB to
 * 10,240 MB (AWS Lambda Developer Guide, "Lambda quotas").
 */
export const VIEWER_TRIGGER_MEMORY_MB = 128;
export const LAMBDA_MIN_MEMORY_MB = 128;
export const ORIGIN_TRIGGER_MAX_MEMORY_MB = 10240;

/** Most memory a regional Lambda function may have, MB (AWS Lambda Developer Guide, "Lambda quotas": 10,240 MB). */
export const LAMBDA_MAX_MEMORY_MB = 10240;

/**
 * How long CloudFront waits for a custom origin (the resizer's function
 * URL) to answer, seconds: the origin's response timeout, which the
 * component sets to CloudFront's default (CloudFront Developer Guide,
 * "Response timeout").
 */
export const CUSTOM_ORIGIN_RESPONSE_TIMEOUT_SECONDS = 30;

/**
 * Largest response a function may generate, headers and body: 40 KB for
 * viewer triggers, 1 MB for origin triggers ("Quotas on Lambda@Edge").
 */
export const VIEWER_TRIGGER_MAX_GENERATED_RESPONSE_BYTES = 40 * 1024;
export const ORIGIN_TRIGGER_MAX_GENERATED_RESPONSE_BYTES = 1024 * 1024;

/** What Lambda@Edge allows a function associated with one event type. */
export interface EdgeTriggerLimits {
    maxTimeoutSeconds: number;
    minMemoryMb: number;
    maxMemoryMb: number;
    maxGeneratedResponseBytes: number;
}

/** The limits of a function associated with `eventType`: viewer events have the tighter ones. */
export function edgeTriggerLimits(eventType: EdgeEventType): EdgeTriggerLimits {
    return eventType.startsWith("viewer-")
        ? {
              maxTimeoutSeconds: VIEWER_TRIGGER_MAX_TIMEOUT_SECONDS,
              minMemoryMb: VIEWER_TRIGGER_MEMORY_MB,
              maxMemoryMb: VIEWER_TRIGGER_MEMORY_MB,
              maxGeneratedResponseBytes: VIEWER_TRIGGER_MAX_GENERATED_RESPONSE_BYTES,
          }
        : {
              maxTimeoutSeconds: ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS,
              minMemoryMb: LAMBDA_MIN_MEMORY_MB,
              maxMemoryMb: ORIGIN_TRIGGER_MAX_MEMORY_MB,
              maxGeneratedResponseBytes: ORIGIN_TRIGGER_MAX_GENERATED_RESPONSE_BYTES,
          };
}

/**
 * The event whose limits bind a function that serves all of `eventTypes`
 * (one function, one timeout and one memory size): the first one with the
 * shortest timeout.
 */
export function limitingEdgeEvent(eventTypes: readonly EdgeEventType[]): EdgeEventType {
    if (eventTypes.length === 0) throw new Error("an edge function serves at least one event type");
    return eventTypes.reduce((tightest, eventType) =>
        edgeTriggerLimits(eventType).maxTimeoutSeconds < edgeTriggerLimits(tightest).maxTimeoutSeconds ? eventType : tightest,
    );
}

/**
 * Individual paths that may be in progress in invalidations of one
 * distribution at a time, and so in one invalidation at most (CloudFront
 * Developer Guide, "Concurrent invalidation request maximum").
 */
export const MAX_INVALIDATION_PATHS = 3000;

/**
 * Longest delay of one SQS message (`DelaySeconds` of SendMessage): 900 s,
 * fifteen minutes (Amazon SQS Developer Guide, "Amazon SQS standard queue
 * quotas", Delay queue). The invalidator's second invalidation waits in its
 * queue for this long at most.
 */
export const MAX_SQS_DELAY_SECONDS = 900;

/**
 * Wildcard paths (ending in `*`) that may be in progress in invalidations of
 * one distribution at a time, counted apart from the individual paths
 * (CloudFront Developer Guide, "Concurrent invalidation request maximum").
 * Past it CloudFront answers `TooManyInvalidationsInProgress`.
 */
export const MAX_WILDCARD_INVALIDATION_PATHS = 15;

/**
 * Objects (keys or key versions) one S3 DeleteObjects request may name
 * (Amazon S3 API Reference, "DeleteObjects": "up to 1,000 keys"); also the
 * most versions one ListObjectVersions page returns ("ListObjectVersions",
 * `max-keys`).
 */
export const MAX_DELETE_OBJECTS_KEYS = 1000;

// ---------------------------------------------------------------------------
// AWS: S3, DynamoDB, regions, tags
// ---------------------------------------------------------------------------

/**
 * Longest validity of a SigV4 presigned URL, seconds (7 days): the largest
 * `X-Amz-Expires` S3 accepts (Amazon S3 API Reference, "Authenticating
 * Requests: Using Query Parameters (AWS Signature Version 4)").
 */
export const MAX_PRESIGNED_URL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Largest object one PUT or POST may upload: 5 GiB (Amazon S3 User Guide,
 * "Uploading objects"; larger objects need a multipart upload).
 */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;

/** Longest object key, UTF-8 bytes (Amazon S3 User Guide, "Naming Amazon S3 objects"). */
export const MAX_OBJECT_KEY_BYTES = 1024;

/**
 * A general purpose bucket name: 3–63 lowercase letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no two adjacent dots
 * (Amazon S3 User Guide, "General purpose bucket naming rules").
 */
export function isBucketName(name: unknown): name is string {
    return typeof name === "string" && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes("..");
}

/**
 * A DynamoDB table name: 3–255 of `a-z A-Z 0-9 _ - .` (Amazon DynamoDB
 * Developer Guide, "Supported data types and naming rules in Amazon
 * DynamoDB").
 */
export function isTableName(name: unknown): name is string {
    return typeof name === "string" && /^[A-Za-z0-9_.-]{3,255}$/.test(name);
}

/**
 * An AWS region code such as `eu-west-1`, `us-gov-west-1` or
 * `us-isob-east-1`: a two-letter area, an optional partition part, a
 * direction and a number (AWS General Reference, "AWS Regions").
 */
export function isRegionName(name: unknown): name is string {
    return typeof name === "string" && /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/.test(name);
}

/**
 * Tags: at most 50 per resource, keys of 1–128 characters that do not
 * start with the reserved `aws:`, values of at most 256 characters (AWS
 * General Reference, "Tagging AWS resources", tag naming limits and
 * requirements).
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const RESERVED_TAG_PREFIX = "aws:";

// ---------------------------------------------------------------------------
// AWS: IAM
// ---------------------------------------------------------------------------

/**
 * Longest customer managed policy document: 6,144 characters, whitespace
 * not counted (IAM User Guide, "IAM and AWS STS quotas", IAM and STS
 * character limits; inline policies have other limits, counted over all
 * of an identity's inline policies together). The deploy policy is split
 * into documents of at most this size (tools/deploy-policy/policy.ts).
 */
export const MAX_MANAGED_POLICY_CHARS = 6144;

/**
 * The retention periods CloudWatch Logs accepts for a log group, days
 * (Amazon CloudWatch Logs API Reference, `PutRetentionPolicy`,
 * `retentionInDays`; "never expire" is left out on purpose).
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * A KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`), the
 * form a DynamoDB table's `kmsKeyArn` takes (AWS KMS Developer Guide, "Key
 * identifiers").
 */
export function isKmsKeyArn(value: unknown): value is string {
    return typeof value === "string" && /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(value);
}
