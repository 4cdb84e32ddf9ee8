/**
 * Every limit and name format the product depends on, stated once.
 *
 * - AWS limits, each with the AWS documentation page it comes from;
 * - our own bounds and the component's defaults.
 *
 * No Pulumi, no AWS SDK, no imports at run time: the component, the edge
 * handler and its settings check, the issuing library and its CLI, and the
 * local stack all read their numbers from here. A constant that only one
 * module uses for its own tuning (a retry pause, a batch size) stays in
 * that module.
 */
import type { EdgeEventType } from "./settings";

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
 * CloudFront price classes: which edge locations serve a distribution
 * (CloudFront Developer Guide, "Choose the price class for a CloudFront
 * distribution").
 */
export const PriceClass = {
    /** North America, Europe and Israel. */
    PriceClass100: "PriceClass_100",
    /** PriceClass_100 plus most of Asia, the Middle East and Africa (not South America or Australia). */
    PriceClass200: "PriceClass_200",
    /** Every edge location. */
    PriceClassAll: "PriceClass_All",
} as const;
export type PriceClass = (typeof PriceClass)[keyof typeof PriceClass];

/** Every price class, cheapest first. */
export const PRICE_CLASSES: readonly PriceClass[] = Object.values(PriceClass);

/**
 * The regions where Lambda@Edge runs, logs and reports metrics for a
 * distribution of each price class: those of the regional edge caches that
 * serve the price class's geographic regions. A replica runs in the region
 * of the regional edge cache nearest the edge location that took the request
 * (CloudFront Developer Guide, "Edge function logs": log streams are created
 * "in the AWS Regions where the functions are invoked"), and each price class
 * serves these geographic regions (CloudFront Developer Guide, "Choose the
 * price class for a CloudFront distribution"):
 *
 * - `PriceClass_100`: North America (us-east-1, us-east-2, us-west-1,
 *   us-west-2) and Europe and Israel (eu-central-1, eu-west-1, eu-west-2);
 * - `PriceClass_200`: those, plus South Africa, Kenya and the Middle East,
 *   Japan, Hong Kong, Indonesia, the Philippines, Singapore, South Korea,
 *   Taiwan, Thailand and India, whose regional edge caches are in
 *   ap-south-1, ap-northeast-1, ap-northeast-2 and ap-southeast-1 — but not
 *   South America or Australia and New Zealand;
 * - `PriceClass_All`: every regional edge cache, adding sa-east-1 (South
 *   America) and ap-southeast-2 (Australia and New Zealand).
 *
 * AWS publishes where its regional edge caches are (the CloudFront key
 * features page, "Global edge network") but not as region codes, so this is
 * the one place to update when it grows. The same guide notes that CloudFront
 * occasionally serves a request from a location outside the price class, so a
 * function can now and then run elsewhere too.
 */
export const EDGE_REGIONS_BY_PRICE_CLASS: Readonly<Record<PriceClass, readonly string[]>> = {
    PriceClass_100: ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"],
    PriceClass_200: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
    ],
    PriceClass_All: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1",
    ],
};

/**
 * Every region with a regional edge cache: where an edge function may run
 * whatever the price class, since CloudFront now and then serves a request
 * from a location outside it.
 */
export const REGIONAL_EDGE_CACHE_REGIONS: readonly string[] = EDGE_REGIONS_BY_PRICE_CLASS.PriceClass_All;

/** The regions where an edge function of a distribution of this price class may run (see {@link EDGE_REGIONS_BY_PRICE_CLASS}). */
export function edgeRegionsOf(priceClass: PriceClass): readonly string[] {
    return EDGE_REGIONS_BY_PRICE_CLASS[priceClass];
}

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
 * into documents of at most this size (components/deploy-policy.ts).
 */
export const MAX_MANAGED_POLICY_CHARS = 6144;

// ---------------------------------------------------------------------------
// Our own bounds
// ---------------------------------------------------------------------------

/**
 * Service (and instance) names: lowercase letters, digits and single inner
 * hyphens, starting with a letter, at most 40 characters. Children append a
 * suffix to the name and must still fit AWS name limits (IAM role names: 64
 * characters; S3 bucket names: lowercase).
 */
export function isServiceName(name: unknown): name is string {
    return typeof name === "string" && /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(name) && !name.includes("--");
}

/** The service name rule in words, for error messages. */
export const SERVICE_NAME_RULE = "1-40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen";

/**
 * Longest life the edge gives a presigned URL (`signedUrlTtlSeconds`): 600 s.
 *
 * The edge signs with its role's temporary credentials, and a presigned URL
 * stops working when the credentials that signed it expire, whatever its
 * `X-Amz-Expires` says (Amazon S3 User Guide, "Sharing objects with
 * presigned URLs": with IAM role credentials "the presigned URL expires when
 * the role session expires, even if you specify a longer expiration time").
 * AWS does not publish how long Lambda's execution-role credentials last
 * ("Services that assume a role, such as the AWS Lambda execution role,
 * don't necessarily comply with the role's session duration settings", AWS
 * Knowledge Center, "Why is my presigned URL for an Amazon S3 bucket
 * expiring before the expiration time that I specified?"); the shortest role
 * session AWS STS issues at all is 15 minutes (AWS STS API Reference,
 * AssumeRole, `DurationSeconds` minimum 900). 600 s stays two thirds inside
 * that; a 302 a browser keeps goes 30 s before its URL. The edge cannot see
 * when its credentials expire, so this keeps the window in which they could
 * cut a URL short small.
 */
export const MAX_SIGNED_URL_TTL_SECONDS = 600;

/** Shortest and longest lifetime of a hash, seconds (one minute; one year). */
export const MIN_HASH_TTL_SECONDS = 60;
export const MAX_HASH_TTL_SECONDS = 365 * 24 * 60 * 60;

/** Most user tags an instance takes: AWS allows 50 per resource and the component adds its own. */
export const MAX_USER_TAGS = 40;

/** Longest a 404 may be cached, seconds. */
export const MAX_NOT_FOUND_TTL_SECONDS = 3600;

/** Shortest and longest time budget of one edge lookup, retries included, milliseconds. */
export const MIN_LOOKUP_TIMEOUT_MS = 100;
export const MAX_LOOKUP_TIMEOUT_MS = 25000;

/** Time a lookup must leave of the function's timeout for the rest of the request, milliseconds. */
export const LOOKUP_RESERVE_MS = 1000;

/** Largest and longest-lived in-memory lookup cache of a warm edge function. */
export const MAX_MEMO_ENTRIES = 100000;
export const MAX_MEMO_TTL_SECONDS = 3600;

/**
 * The longest lookup budget a function with this timeout can have: its
 * timeout less {@link LOOKUP_RESERVE_MS}, and never above
 * {@link MAX_LOOKUP_TIMEOUT_MS}.
 */
export function maxLookupTimeoutMs(timeoutSeconds: number): number {
    return Math.min(MAX_LOOKUP_TIMEOUT_MS, timeoutSeconds * 1000 - LOOKUP_RESERVE_MS);
}

/** A whole number from `min` to `max` (both included), safe as a JavaScript integer. */
export function isWholeNumber(value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

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

// ---------------------------------------------------------------------------
// Our own defaults
// ---------------------------------------------------------------------------

/** How the mapping table is encrypted at rest. */
export const TableEncryption = {
    /** DynamoDB's AWS-owned key: no KMS key in the account, no KMS charge. */
    AwsOwned: "aws-owned",
    /** The account's AWS-managed DynamoDB key (`aws/dynamodb`): key use is visible in CloudTrail; AWS KMS bills its requests. */
    AwsManagedKms: "aws-managed-kms",
    /** A customer-managed KMS key (`tableKmsKeyArn`): you control its policy and rotation; AWS KMS bills the key and its requests. */
    CustomerManagedKms: "customer-managed-kms",
} as const;
export type TableEncryption = (typeof TableEncryption)[keyof typeof TableEncryption];

/** Every table encryption, in declaration order. */
export const TABLE_ENCRYPTIONS: readonly TableEncryption[] = Object.values(TableEncryption);

/**
 * The edge regions of the default price class, `PriceClass_100` (North
 * America and Europe): where the edge alarms go unless `alarms.edgeRegions`
 * says otherwise. Another price class defaults to its own regions
 * ({@link EDGE_REGIONS_BY_PRICE_CLASS}).
 */
export const DEFAULT_EDGE_ALARM_REGIONS: readonly string[] = EDGE_REGIONS_BY_PRICE_CLASS.PriceClass_100;

/**
 * The default of every optional `SecureImageCdn` arg (components/args.ts).
 * `edge.memoTtlSeconds` depends on the level. The JSDoc `@default` tags and
 * the documentation's args table state the same values; a test keeps the
 * three in agreement.
 */
export const CDN_DEFAULTS = {
    level: "required",
    mode: "origin",
    /** 30 days. */
    hashTtlSeconds: 30 * 24 * 60 * 60,
    signedUrlTtlSeconds: 300,
    minTtlSeconds: 0,
    /** 1 day. */
    defaultTtlSeconds: 86400,
    /** 30 days. */
    maxTtlSeconds: 2592000,
    notFoundTtlSeconds: 10,
    aliases: [],
    priceClass: "PriceClass_100",
    tags: {},
    protectData: true,
    alarms: { enabled: true, actions: [], email: [], edgeRegions: DEFAULT_EDGE_ALARM_REGIONS, errorRatePercent: 5, durationMs: 500, minRequests: 100, replicationLatencyMs: 10000 },
    additionalMetrics: true,
    logRetentionDays: 30,
    tableEncryption: "aws-owned",
    replicaRegions: [],
    uploadPrefix: "uploads/",
    /** 10 MiB. */
    maxUploadBytes: 10 * 1024 * 1024,
    edge: { timeoutSeconds: 5, memorySizeMb: 128, lookupTimeoutMs: 3000, memoMaxEntries: 10000, memoTtlSeconds: { required: 60, secured: 0 }, securedReads: "home" },
} as const;
