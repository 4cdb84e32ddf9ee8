/**
 * What deploying each kind of resource takes: one table, keyed by the Pulumi
 * resource type the component registers, of the IAM actions Pulumi's AWS
 * provider calls to create, read, update and delete one (the Terraform AWS
 * provider it wraps reads every attribute back after each change, hence the
 * `Get*`/`Describe*` actions), and of the scope (scopes.ts) they are limited
 * to. A new child type gets its row here: the tests deploy every level and
 * option under Pulumi's mocks and fail, naming the type, when a registered
 * type has no row, when a row is for a type nothing registers, or when a
 * resource's ARN falls outside the scope its actions are granted on.
 *
 * Lambda@Edge adds what the CloudFront Developer Guide ("Set up IAM
 * permissions and roles for Lambda@Edge") lists for associating a function:
 * `lambda:GetFunction`, `lambda:EnableReplication*` and
 * `lambda:DisableReplication*` on the function's versions,
 * `iam:CreateServiceLinkedRole` the first time (for the replicator and the
 * CloudFront logger roles), and `iam:PassRole` on the function's own role.
 *
 * Children of one type may act on different scopes: the functions (the
 * edge's, the resizer's, the invalidators') and their roles share the first
 * grant of their type, on a scope that covers them all; what only one of
 * them needs (publishing and replication for the edge function; deletion
 * for the resizer and the invalidators, which are not kept on destroy, and
 * reserved concurrency for the resizer) is a further grant on its own scope.
 *
 * A grant's condition may depend on the instance (`instanceCondition`):
 * the policy then joins the instances' values under one statement.
 */
import type { PolicyStatement } from "../../components/policies";
import { invalidatorFunctionCondition } from "./scopes";
import type { ScopeContext, ScopeName } from "./scopes";

/** Actions on one scope, with an optional condition. */
export interface Grant {
    scope: ScopeName;
    actions: readonly string[];
    condition?: PolicyStatement["Condition"];
    /** A condition naming the instance's own resources; the statement joins every instance's values. */
    instanceCondition?: (context: ScopeContext) => NonNullable<PolicyStatement["Condition"]>;
}

/**
 * Every resource type the component registers → what deploying, reading and
 * deleting one needs. The first grant of each type acts on the resource
 * itself (the test checks it against each registered resource's ARN); the
 * others act on lists, on the role a function is handed, on objects.
 */
export const DEPLOY_PERMISSIONS: Readonly<Record<string, readonly Grant[]>> = {
    "aws:s3/bucket:Bucket": [
        {
            scope: "bucket",
            actions: [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:GetBucketLocation",
                "s3:GetBucketTagging",
                "s3:PutBucketTagging",
                "s3:GetBucketPolicy",
                "s3:GetBucketAcl",
                "s3:GetBucketCORS",
                "s3:GetBucketWebsite",
                "s3:GetBucketVersioning",
                "s3:GetAccelerateConfiguration",
                "s3:GetBucketRequestPayment",
                "s3:GetBucketLogging",
                "s3:GetLifecycleConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:GetEncryptionConfiguration",
                "s3:GetBucketObjectLockConfiguration",
            ],
        },
        { scope: "bucketObjects", actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"] },
    ],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": [{ scope: "bucket", actions: ["s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls"] }],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": [{ scope: "bucket", actions: ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"] }],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
        { scope: "bucket", actions: ["s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"] },
    ],
    "aws:s3/bucketVersioning:BucketVersioning": [{ scope: "bucket", actions: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"] }],
    // DeleteBucketLifecycle is authorised by s3:PutLifecycleConfiguration (Amazon S3 API Reference, "DeleteBucketLifecycle").
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
        { scope: "bucket", actions: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"] },
    ],
    "aws:s3/bucketPolicy:BucketPolicy": [{ scope: "bucket", actions: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"] }],
    "aws:dynamodb/table:Table": [
        {
            scope: "table",
            actions: [
                "dynamodb:CreateTable",
                "dynamodb:DescribeTable",
                "dynamodb:UpdateTable",
                "dynamodb:DeleteTable",
                "dynamodb:DescribeTimeToLive",
                "dynamodb:UpdateTimeToLive",
                "dynamodb:DescribeContinuousBackups",
                "dynamodb:UpdateContinuousBackups",
                "dynamodb:ListTagsOfResource",
                "dynamodb:TagResource",
                "dynamodb:UntagResource",
            ],
        },
    ],
    "aws:iam/role:Role": [
        {
            scope: "roles",
            actions: [
                "iam:CreateRole",
                "iam:GetRole",
                "iam:UpdateRole",
                // The provider changes a role's description with UpdateRoleDescription, not UpdateRole.
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:DeleteRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
            ],
        },
    ],
    "aws:iam/rolePolicy:RolePolicy": [{ scope: "roles", actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"] }],
    "aws:lambda/function:Function": [
        {
            scope: "functions",
            actions: [
                "lambda:CreateFunction",
                "lambda:GetFunction",
                "lambda:GetFunctionConfiguration",
                "lambda:GetFunctionCodeSigningConfig",
                "lambda:GetRuntimeManagementConfig",
                "lambda:ListVersionsByFunction",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
                "lambda:ListTags",
                "lambda:TagResource",
                "lambda:UntagResource",
            ],
        },
        {
            scope: "edgeFunction",
            actions: [
                "lambda:PublishVersion",
                // Associating a version with a distribution (CloudFront Developer Guide, Lambda@Edge permissions).
                "lambda:EnableReplication*",
                "lambda:DisableReplication*",
            ],
        },
        // The resizer is deleted with the stack (the edge function is kept: skipDestroy), and its concurrency reserved.
        {
            scope: "resizerFunction",
            actions: ["lambda:DeleteFunction", "lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency"],
        },
        // The invalidators go with the stack too.
        { scope: "invalidatorFunction", actions: ["lambda:DeleteFunction"] },
        // Creating a function hands it its role; only to Lambda.
        { scope: "roles", actions: ["iam:PassRole"], condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
        // The first Lambda@Edge association in an account creates these two roles.
        {
            scope: "lambdaEdgeServiceRoles",
            actions: ["iam:CreateServiceLinkedRole"],
            condition: { StringEquals: { "iam:AWSServiceName": ["replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"] } },
        },
    ],
    // The resizer's URL and who may invoke it act on the function (Service Authorization Reference, AWS Lambda).
    "aws:lambda/functionUrl:FunctionUrl": [
        {
            scope: "resizerFunction",
            actions: ["lambda:CreateFunctionUrlConfig", "lambda:GetFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig"],
        },
    ],
    "aws:lambda/permission:Permission": [{ scope: "resizerFunction", actions: ["lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"] }],
    "aws:cloudfront/function:Function": [
        {
            scope: "cloudFrontFunction",
            actions: [
                "cloudfront:CreateFunction",
                "cloudfront:DescribeFunction",
                "cloudfront:GetFunction",
                "cloudfront:UpdateFunction",
                "cloudfront:PublishFunction",
                "cloudfront:DeleteFunction",
                "cloudfront:ListTagsForResource",
                "cloudfront:TagResource",
                "cloudfront:UntagResource",
            ],
        },
    ],
    "aws:cloudfront/originAccessControl:OriginAccessControl": [
        {
            scope: "cloudFront",
            actions: ["cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl"],
        },
    ],
    "aws:cloudfront/cachePolicy:CachePolicy": [
        { scope: "cloudFront", actions: ["cloudfront:CreateCachePolicy", "cloudfront:GetCachePolicy", "cloudfront:UpdateCachePolicy", "cloudfront:DeleteCachePolicy"] },
    ],
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": [
        {
            scope: "cloudFront",
            actions: [
                "cloudfront:CreateResponseHeadersPolicy",
                "cloudfront:GetResponseHeadersPolicy",
                "cloudfront:UpdateResponseHeadersPolicy",
                "cloudfront:DeleteResponseHeadersPolicy",
            ],
        },
    ],
    "aws:cloudfront/distribution:Distribution": [
        {
            scope: "cloudFront",
            actions: [
                "cloudfront:CreateDistribution",
                "cloudfront:GetDistribution",
                "cloudfront:GetDistributionConfig",
                "cloudfront:UpdateDistribution",
                "cloudfront:DeleteDistribution",
                "cloudfront:ListTagsForResource",
                "cloudfront:TagResource",
                "cloudfront:UntagResource",
            ],
        },
    ],
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": [
        { scope: "cloudFront", actions: ["cloudfront:CreateMonitoringSubscription", "cloudfront:GetMonitoringSubscription", "cloudfront:DeleteMonitoringSubscription"] },
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [
        { scope: "alarm", actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource"] },
        { scope: "alarmList", actions: ["cloudwatch:DescribeAlarms"] },
    ],
    "aws:cloudwatch/dashboard:Dashboard": [{ scope: "dashboard", actions: ["cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"] }],
    "aws:cloudwatch/logGroup:LogGroup": [
        {
            scope: "logGroup",
            actions: [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:ListTagsForResource",
                "logs:ListTagsLogGroup",
                "logs:TagResource",
                "logs:TagLogGroup",
                "logs:UntagResource",
                "logs:UntagLogGroup",
            ],
        },
        { scope: "logGroupList", actions: ["logs:DescribeLogGroups"] },
    ],
    "aws:cloudwatch/queryDefinition:QueryDefinition": [
        { scope: "queryDefinition", actions: ["logs:PutQueryDefinition", "logs:DescribeQueryDefinitions", "logs:DeleteQueryDefinition"] },
    ],
    "aws:sqs/queue:Queue": [
        {
            scope: "queues",
            actions: ["sqs:CreateQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue"],
        },
    ],
    "aws:lambda/eventSourceMapping:EventSourceMapping": [
        // Reading and tagging: every mapping of the account's (Lambda names them by UUID only).
        { scope: "eventSourceMappings", actions: ["lambda:GetEventSourceMapping", "lambda:ListTags", "lambda:TagResource", "lambda:UntagResource"] },
        // Changing one: only those that feed the instance's invalidators.
        { scope: "eventSourceMappings", actions: ["lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"], instanceCondition: invalidatorFunctionCondition },
        { scope: "eventSourceMappingCreation", actions: ["lambda:CreateEventSourceMapping"], instanceCondition: invalidatorFunctionCondition },
    ],
    "aws:sns/topic:Topic": [
        {
            scope: "topic",
            actions: ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:ListTagsForResource", "sns:TagResource", "sns:UntagResource"],
        },
    ],
    "aws:sns/topicSubscription:TopicSubscription": [
        {
            scope: "topic",
            actions: ["sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
        },
    ],
};

/** Types that register no AWS resource: the stack, the component itself, and AWS providers a program creates around it. */
export const TYPES_WITHOUT_PERMISSIONS: readonly string[] = ["pulumi:pulumi:Stack", "secure-image-cdn:index:SecureImageCdn", "pulumi:providers:aws"];

/**
 * What a table with replicas adds to the deploy identity's grants on it
 * (`DeployPolicyInput.replicatedInstances`, policy.ts): the replica
 * operations and the item reads and writes DynamoDB backfills a new replica
 * with (Amazon DynamoDB Developer Guide, "Using IAM with global tables",
 * version 2019.11.21); the table's own row grants the rest.
 */
export const REPLICA_DEPLOY_ACTIONS = [
    "dynamodb:BatchWriteItem",
    "dynamodb:CreateTableReplica",
    "dynamodb:DeleteItem",
    "dynamodb:DeleteTableReplica",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
] as const;

