/**
 * IAM policy documents of the component, as plain functions of ARNs and
 * names: the edge function's trust and permissions, the resizer's, and the
 * bucket policy. Pure, so least privilege is tested without Pulumi.
 */
import { regionOfArn } from "./arn";
import { tableArnIn } from "./replicas";
import type { DeliveryMode } from "../core/enums";
import { DERIVED_PREFIX } from "../core/variants";
import { stagingPrefix } from "../issuer/staging";

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { Service: string | string[] } | { AWS: string | string[] };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Services that assume an edge function's role: Lambda itself and its edge replicas. */
export const EDGE_TRUSTED_SERVICES = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] as const;

/** Trust policy of the edge function's role. */
export function edgeTrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "LambdaAndEdgeReplicas",
                Effect: "Allow",
                Principal: { Service: [...EDGE_TRUSTED_SERVICES] },
                Action: "sts:AssumeRole",
            },
        ],
    };
}

export interface EdgeFunctionPolicyInput {
    mode: DeliveryMode;
    /** ARN of this instance's table. */
    tableArn: string;
    /** Regions with a replica of the table, which the function may read too. @default none */
    replicaRegions?: readonly string[];
    /** The table's customer-managed KMS key (`tableEncryption: "customer-managed-kms"`), which reads decrypt with. @default none */
    tableKmsKeyArn?: string;
    /** ARN of this instance's bucket. */
    bucketArn: string;
    /** AWS partition, e.g. "aws". */
    partition: string;
    accountId: string;
    /** The function's log group (the same name in every region it runs in). */
    logGroupName: string;
}

/**
 * The log group of an edge function: replicas log to it in whichever region
 * they ran, so the region is a wildcard and the name is exact.
 */
export function edgeLogGroupArns(partition: string, accountId: string, logGroupName: string): { group: string; streams: string } {
    const group = `arn:${partition}:logs:*:${accountId}:log-group:${logGroupName}`;
    return { group, streams: `${group}:*` };
}

/**
 * Permissions of the edge function: read one item of this instance's table,
 * at home and in each replica region (the edge looks hashes up by key and
 * never queries the index), and, for a table on a customer-managed key, use
 * that key as DynamoDB reads decrypt with it: `kms:Decrypt` and
 * `kms:DescribeKey`, the key use AWS CDK's `grantReadData` gives a reader of
 * such a table, only through DynamoDB in the table's region
 * (AWS KMS Developer Guide, "AWS KMS condition keys", `kms:ViaService`); read this
 * bucket's objects only when it presigns redirects (in origin mode CloudFront
 * reads through OAC), and write to its own log group. It may not create log
 * groups: the component creates them, with a retention period, in every
 * region the function may run in (logs.ts).
 */
export function edgeFunctionPolicy(input: EdgeFunctionPolicyInput): PolicyDocument {
    const logs = edgeLogGroupArns(input.partition, input.accountId, input.logGroupName);
    const statements: PolicyStatement[] = [
        {
            Sid: "LookUpHashes",
            Effect: "Allow",
            Action: "dynamodb:GetItem",
            Resource: input.replicaRegions && input.replicaRegions.length > 0 ? [input.tableArn, ...input.replicaRegions.map((region) => tableArnIn(input.tableArn, region))] : input.tableArn,
        },
        { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: logs.streams },
    ];
    if (input.tableKmsKeyArn !== undefined) {
        statements.splice(1, 0, {
            Sid: "DecryptTableKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: input.tableKmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `dynamodb.${regionOfArn(input.tableArn)}.amazonaws.com` } },
        });
    }
    if (input.mode === "redirect") {
        statements.splice(1, 0, { Sid: "PresignObjectReads", Effect: "Allow", Action: "s3:GetObject", Resource: `${input.bucketArn}/*` });
    }
    return { Version: "2012-10-17", Statement: statements };
}

export interface BucketPolicyInput {
    bucketArn: string;
    /** The one distribution allowed to read (through its OAC). */
    distributionArn: string;
    /** The instance's `uploadPrefix`: what upload forms write under it (its staging prefix) is never served. */
    uploadPrefix: string;
}

/** The CloudFront service principal an OAC reads as. */
export const CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com";

/**
 * An S3 key prefix as it goes into a policy's Resource ARN: IAM reads `*`
 * and `?` there as wildcards, so those (and `$`, which starts a policy
 * variable) are written as the fixed policy variables `${*}`, `${?}` and
 * `${$}` (IAM User Guide, "IAM policy elements: Variables and tags",
 * special characters).
 */
export function literalInArn(text: string): string {
    return text.replace(/[*?$]/g, (char) => `\${${char}}`);
}

/**
 * The bucket policy: CloudFront may read objects only on behalf of this
 * instance's distribution, never under the staging prefix
 * (`<uploadPrefix>incoming/`, issuer/staging.ts), where upload forms write
 * bytes nobody has checked yet, and any request over plain HTTP is refused.
 * The staging deny names no distribution: no CloudFront distribution may
 * read there, and an explicit Deny wins over any Allow (IAM User Guide,
 * "Policy evaluation logic"), so a `public` service, which serves objects by
 * key, cannot serve an unconfirmed upload either.
 */
export function bucketAccessPolicy(input: BucketPolicyInput): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CloudFrontReadsThroughOac",
                Effect: "Allow",
                Principal: { Service: CLOUDFRONT_SERVICE },
                Action: "s3:GetObject",
                Resource: `${input.bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": input.distributionArn } },
            },
            {
                Sid: "NeverServeUnconfirmedUploads",
                Effect: "Deny",
                Principal: { Service: CLOUDFRONT_SERVICE },
                Action: "s3:GetObject",
                Resource: `${input.bucketArn}/${literalInArn(stagingPrefix({ uploadPrefix: input.uploadPrefix }))}*`,
            },
            {
                Sid: "DenyPlainHttp",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [input.bucketArn, `${input.bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** The one service that assumes the resizer's role: Lambda (a regional function; no edge replicas). */
export const RESIZER_TRUSTED_SERVICE = "lambda.amazonaws.com";

/** Trust policy of the resizer function's role. */
export function resizerTrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Lambda", Effect: "Allow", Principal: { Service: RESIZER_TRUSTED_SERVICE }, Action: "sts:AssumeRole" }],
    };
}

export interface ResizerFunctionPolicyInput {
    /** ARN of this instance's bucket. */
    bucketArn: string;
    /** The instance's `uploadPrefix`: originals are read under it, never under its staging prefix. */
    uploadPrefix: string;
    partition: string;
    accountId: string;
    /** The region of the function (and of its log group). */
    region: string;
    /** The function's log group. */
    logGroupName: string;
}

/**
 * Permissions of the resizer: read originals under the upload prefix (never
 * under its staging prefix, where upload forms write bytes nobody has
 * checked; an explicit Deny wins over the Allow, IAM User Guide, "Policy
 * evaluation logic") and stored variants under `derived/`, write variants
 * under `derived/` only, and write to its own log group (it may not create
 * log groups: the component creates it with a retention period).
 *
 * `s3:ListBucket` on the bucket itself is what makes S3 answer a missing key
 * with 404 rather than 403 (Amazon S3 API Reference, GetObject,
 * Permissions); without it every variant's first request, which looks for
 * a stored copy that is not there yet, would be a failure. It carries no
 * `s3:prefix` condition: the check S3 makes for GetObject has no prefix in
 * its request context, so such a condition would turn every missing key
 * back into a 403. Listing shows key names (random for uploads), never
 * their bytes.
 */
export function resizerFunctionPolicy(input: ResizerFunctionPolicyInput): PolicyDocument {
    const objects = (prefix: string) => `${input.bucketArn}/${literalInArn(prefix)}*`;
    const group = `arn:${input.partition}:logs:${input.region}:${input.accountId}:log-group:${input.logGroupName}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadOriginalsAndVariants", Effect: "Allow", Action: "s3:GetObject", Resource: [objects(input.uploadPrefix), objects(DERIVED_PREFIX)] },
            { Sid: "NeverReadUnconfirmedUploads", Effect: "Deny", Action: "s3:GetObject", Resource: objects(stagingPrefix({ uploadPrefix: input.uploadPrefix })) },
            { Sid: "StoreVariants", Effect: "Allow", Action: "s3:PutObject", Resource: objects(DERIVED_PREFIX) },
            { Sid: "MissingKeyIsNotFound", Effect: "Allow", Action: "s3:ListBucket", Resource: input.bucketArn },
            { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group}:*` },
        ],
    };
}

/** The service that assumes the invalidator's role: Lambda. */
export const INVALIDATOR_TRUSTED_SERVICE = "lambda.amazonaws.com";

/** Trust policy of an invalidator's role. */
export function invalidatorTrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Lambda", Effect: "Allow", Principal: { Service: INVALIDATOR_TRUSTED_SERVICE }, Action: "sts:AssumeRole" }],
    };
}

export interface InvalidatorPolicyInput {
    /** The region of the function, and of the copy of the table it follows. */
    region: string;
    /** The distribution it invalidates. */
    distributionArn: string;
    /** The home table's ARN (the copy in `region` differs in its region only). */
    tableArn: string;
    /** The table's customer-managed key, when it has one (home only: replicas cannot). @default none */
    tableKmsKeyArn?: string;
    /** Its queue (second invalidations, retries). */
    queueArn: string;
    /** Its dead-letter queue (the stream source's failure destination). */
    deadLetterArn: string;
    /** Its log group's ARN. */
    logGroupArn: string;
}

/**
 * Permissions of one region's invalidator, and nothing else: invalidate
 * this distribution (`cloudfront:CreateInvalidation`, on its ARN); read this
 * table's stream in its region (the four stream actions of "IAM policy to
 * allow an AWS Lambda function to access DynamoDB stream records", DynamoDB
 * Developer Guide, on `<table>/stream/*`), and decrypt it with a
 * customer-managed table key through DynamoDB there (a stream is encrypted
 * with its table's key: "Usage notes for encryption at rest"); send,
 * receive and delete on its own queue (what Lambda's SQS source needs:
 * "Using Lambda with Amazon SQS", execution role); send to its dead-letter
 * queue (the stream source's failure destination); write its own log group.
 */
export function invalidatorPolicy(input: InvalidatorPolicyInput): PolicyDocument {
    const table = tableArnIn(input.tableArn, input.region);
    const statements: PolicyStatement[] = [
        { Sid: "InvalidateThisDistribution", Effect: "Allow", Action: "cloudfront:CreateInvalidation", Resource: input.distributionArn },
        {
            Sid: "ReadThisTableStream",
            Effect: "Allow",
            Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
            Resource: `${table}/stream/*`,
        },
        {
            Sid: "UseItsQueue",
            Effect: "Allow",
            Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage"],
            Resource: input.queueArn,
        },
        { Sid: "DeadLetterFailedBatches", Effect: "Allow", Action: "sqs:SendMessage", Resource: input.deadLetterArn },
        { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${input.logGroupArn}:*` },
    ];
    if (input.tableKmsKeyArn !== undefined && regionOfArn(input.tableArn) === input.region) {
        statements.splice(2, 0, {
            Sid: "DecryptTableStream",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: input.tableKmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `dynamodb.${input.region}.amazonaws.com` } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}
