/**
 * The IAM policy for the identity that runs `pulumi up`, `preview`,
 * `refresh` and `destroy` on a stack of SecureImageCdn instances: generated,
 * never hand-kept.
 *
 * One table, {@link DEPLOY_PERMISSIONS}, maps every resource type the
 * component registers to the IAM actions Pulumi's AWS provider calls to
 * create, read, update and delete one (the Terraform AWS provider it wraps
 * reads every attribute back after each change, hence the `Get*`/`Describe*`
 * actions), and to the scope those actions are limited to. A test deploys
 * every level and option under Pulumi's mocks and fails when a registered
 * type has no entry, when an entry is for a type nothing registers, or when
 * a resource's ARN falls outside the scope its actions are granted on.
 *
 * Scopes follow Pulumi's auto-naming: a child's physical name is its logical
 * name (`<instance>-bucket`, `<instance>-edge`…) plus a random suffix, so
 * `<instance>-bucket-*` covers the instance's bucket and nothing that is not
 * named after it. CloudFront assigns its own IDs, so its resources are scoped
 * to the account. A stack whose `pulumi:autonaming` config changes the name
 * pattern needs the scopes widened accordingly.
 *
 * Lambda@Edge adds what the CloudFront Developer Guide ("Set up IAM
 * permissions and roles for Lambda@Edge") lists for associating a function:
 * `lambda:GetFunction`, `lambda:EnableReplication*` and
 * `lambda:DisableReplication*` on the function's versions,
 * `iam:CreateServiceLinkedRole` the first time (for the replicator and the
 * CloudFront logger roles), and `iam:PassRole` on the function's own role.
 */
import { EDGE_REGION, MAX_MANAGED_POLICY_CHARS } from "../core/limits";
import { dashboardName } from "./dashboard";
import type { PolicyDocument, PolicyStatement } from "./policies";

/** What the ARN patterns of a scope are built from. */
export interface ScopeContext {
    partition: string;
    accountId: string;
    project: string;
    stack: string;
    /** The SecureImageCdn instance (its logical name, which prefixes its children's). */
    instance: string;
}

/** Where a group of actions may act, as IAM resource ARN patterns. */
const SCOPES = {
    bucket: ({ partition, instance }: ScopeContext) => [`arn:${partition}:s3:::${instance}-bucket-*`],
    /** Objects, for emptying a bucket whose `protectData` is off before deleting it. */
    bucketObjects: ({ partition, instance }: ScopeContext) => [`arn:${partition}:s3:::${instance}-bucket-*/*`],
    table: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:dynamodb:*:${accountId}:table/${instance}-table-*`],
    edgeRole: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:iam::${accountId}:role/${instance}-edge-role-*`],
    /** The function and its numbered versions (`…:function:<name>:<version>`). */
    edgeFunction: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:lambda:${EDGE_REGION}:${accountId}:function:${instance}-edge-*`],
    /** CloudFront names its distributions and policies itself: the account's. */
    cloudFront: ({ partition, accountId }: ScopeContext) =>
        ["distribution", "origin-access-control", "cache-policy", "response-headers-policy"].map((kind) => `arn:${partition}:cloudfront::${accountId}:${kind}/*`),
    alarm: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:cloudwatch:*:${accountId}:alarm:${instance}-alarm-*`],
    /** `DescribeAlarms` lists: it is authorized on every alarm of the region. */
    alarmList: ({ partition, accountId }: ScopeContext) => [`arn:${partition}:cloudwatch:*:${accountId}:alarm:*`],
    dashboard: ({ partition, accountId, project, stack, instance }: ScopeContext) => [
        `arn:${partition}:cloudwatch::${accountId}:dashboard/${dashboardName(project, stack, instance)}`,
    ],
    logGroup: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:logs:*:${accountId}:log-group:${instance}-edge-logs-*`],
    /** `DescribeLogGroups` lists by prefix: it is authorized on the account's log groups. */
    logGroupList: ({ partition, accountId }: ScopeContext) => [`arn:${partition}:logs:*:${accountId}:log-group:*`],
    /** Saved Logs Insights queries have no ARN (Service Authorization Reference, CloudWatch Logs: no resource types). */
    queryDefinition: () => ["*"],
    /** Topics and their subscriptions (`<topic ARN>:<id>`). */
    topic: ({ partition, accountId, instance }: ScopeContext) => [`arn:${partition}:sns:*:${accountId}:${instance}-alarms-*`],
    lambdaEdgeServiceRoles: ({ partition, accountId }: ScopeContext) => [
        `arn:${partition}:iam::${accountId}:role/aws-service-role/replicator.lambda.amazonaws.com/AWSServiceRoleForLambdaReplicator`,
        `arn:${partition}:iam::${accountId}:role/aws-service-role/logger.cloudfront.amazonaws.com/AWSServiceRoleForCloudFrontLogger`,
    ],
} as const;

export type ScopeName = keyof typeof SCOPES;

/** Actions on one scope, with an optional condition. */
export interface Grant {
    scope: ScopeName;
    actions: readonly string[];
    condition?: PolicyStatement["Condition"];
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
            scope: "edgeRole",
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
    "aws:iam/rolePolicy:RolePolicy": [{ scope: "edgeRole", actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"] }],
    "aws:lambda/function:Function": [
        {
            scope: "edgeFunction",
            actions: [
                "lambda:CreateFunction",
                "lambda:GetFunction",
                "lambda:GetFunctionConfiguration",
                "lambda:GetFunctionCodeSigningConfig",
                "lambda:GetRuntimeManagementConfig",
                "lambda:ListVersionsByFunction",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
                "lambda:PublishVersion",
                "lambda:ListTags",
                "lambda:TagResource",
                "lambda:UntagResource",
                // Associating a version with a distribution (CloudFront Developer Guide, Lambda@Edge permissions).
                "lambda:EnableReplication*",
                "lambda:DisableReplication*",
            ],
        },
        // Creating the function hands it its role; only to Lambda.
        { scope: "edgeRole", actions: ["iam:PassRole"], condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
        // The first Lambda@Edge association in an account creates these two roles.
        {
            scope: "lambdaEdgeServiceRoles",
            actions: ["iam:CreateServiceLinkedRole"],
            condition: { StringEquals: { "iam:AWSServiceName": ["replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"] } },
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

/** Types that register no AWS resource: the stack and the component itself. */
export const TYPES_WITHOUT_PERMISSIONS: readonly string[] = ["pulumi:pulumi:Stack", "secure-image-cdn:index:SecureImageCdn"];

export interface DeployPolicyInput {
    partition: string;
    accountId: string;
    project: string;
    stack: string;
    /** The stack's SecureImageCdn instances (their logical names). */
    instances: readonly string[];
    /** Resource types to grant; default: every type in {@link DEPLOY_PERMISSIONS}. */
    types?: readonly string[];
    /**
     * Customer-managed KMS keys of the instances' tables
     * (`tableEncryption: "customer-managed-kms"`): creating a table on one
     * needs `kms:DescribeKey` and `kms:CreateGrant` on it, through DynamoDB
     * (Amazon DynamoDB Developer Guide, "Encryption at rest: How it works").
     */
    kmsKeyArns?: readonly string[];
    /**
     * Instances whose tables have replicas (`replicaRegions`): adding a
     * replica needs `dynamodb:UpdateTable` at home and, in the replica's
     * region, `CreateTable`, `CreateTableReplica` and the item reads and
     * writes DynamoDB backfills it with; removing one, `DeleteTable` and
     * `DeleteTableReplica` (DynamoDB Developer Guide, "DynamoDB global tables
     * security"); the first global table of an account creates the
     * `AWSServiceRoleForDynamoDBReplication` service-linked role.
     */
    replicatedInstances?: readonly string[];
}

/** What a table with replicas adds to the deploy identity's grants on it ({@link DeployPolicyInput.replicatedInstances}). */
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

/**
 * The deploy identity's policy as one document: for each scope (and
 * condition), one statement with the actions of every type that acts there,
 * on the ARNs of every instance. Sorted, so the same input always prints the
 * same document. Throws for a type with no entry.
 *
 * For a stack of more than one instance it is larger than IAM takes in one
 * managed policy; {@link deployPolicies} splits it into documents that fit.
 */
export function deployPolicy(input: DeployPolicyInput): PolicyDocument {
    const types = (input.types ?? Object.keys(DEPLOY_PERMISSIONS)).filter((type) => !TYPES_WITHOUT_PERMISSIONS.includes(type));
    const groups = new Map<string, { scope: ScopeName; condition?: PolicyStatement["Condition"]; actions: Set<string> }>();
    for (const type of types) {
        const grants = DEPLOY_PERMISSIONS[type];
        if (grants === undefined) throw new Error(`no deploy permissions are known for resource type ${type}: add it to DEPLOY_PERMISSIONS`);
        for (const grant of grants) {
            const key = `${grant.scope} ${JSON.stringify(grant.condition ?? null)}`;
            const group = groups.get(key) ?? { scope: grant.scope, condition: grant.condition, actions: new Set<string>() };
            for (const action of grant.actions) group.actions.add(action);
            groups.set(key, group);
        }
    }
    const statements: PolicyStatement[] = [...groups.values()]
        .sort((a, b) => a.scope.localeCompare(b.scope) || JSON.stringify(a.condition ?? null).localeCompare(JSON.stringify(b.condition ?? null)))
        .map((group) => {
            const resources = [...new Set(input.instances.flatMap((instance) => SCOPES[group.scope]({ ...input, instance })))].sort();
            return {
                Sid: sid(group.scope, group.condition !== undefined),
                Effect: "Allow" as const,
                Action: [...group.actions].sort(),
                Resource: resources.length === 1 ? resources[0] : resources,
                ...(group.condition ? { Condition: group.condition } : {}),
            };
        });
    const replicated = [...new Set(input.replicatedInstances ?? [])].sort();
    if (replicated.length > 0) {
        const tables = replicated.flatMap((instance) => SCOPES.table({ ...input, instance }));
        statements.push(
            { Sid: "TableReplicas", Effect: "Allow", Action: [...REPLICA_DEPLOY_ACTIONS], Resource: tables.length === 1 ? tables[0] : tables },
            {
                Sid: "TableReplicationRole",
                Effect: "Allow",
                Action: ["iam:CreateServiceLinkedRole"],
                Resource: `arn:${input.partition}:iam::${input.accountId}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`,
                Condition: { StringEquals: { "iam:AWSServiceName": "replication.dynamodb.amazonaws.com" } },
            },
        );
    }
    const keys = [...new Set(input.kmsKeyArns ?? [])].sort();
    if (keys.length > 0) {
        statements.push({
            Sid: "TableKmsKeys",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:DescribeKey"],
            Resource: keys.length === 1 ? keys[0] : keys,
            Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** `edgeRole` → `EdgeRole`, `EdgeRoleIf` when conditional: statement IDs are alphanumeric and unique. */
function sid(scope: string, conditional: boolean): string {
    return `${scope[0].toUpperCase()}${scope.slice(1)}${conditional ? "If" : ""}`;
}

/** The characters IAM counts in a policy document: all but whitespace. */
export function policySize(doc: PolicyDocument): number {
    return JSON.stringify(doc).replace(/\s/g, "").length;
}

/**
 * A policy split by whole statements into documents of at most `limit`
 * characters ({@link policySize}), packed greedily in the policy's order:
 * each statement goes into the current document, or starts the next one when
 * it would not fit. Always at least one document. Throws, naming the
 * statement, when one statement alone is over the limit.
 */
export function splitPolicy(doc: PolicyDocument, limit: number = MAX_MANAGED_POLICY_CHARS): PolicyDocument[] {
    const documents: PolicyDocument[] = [{ Version: doc.Version, Statement: [] }];
    for (const statement of doc.Statement) {
        const alone = policySize({ Version: doc.Version, Statement: [statement] });
        if (alone > limit) {
            throw new Error(
                `deploy policy statement ${statement.Sid ?? JSON.stringify(statement.Action)} is ${alone} characters on its own, over the ${limit} IAM allows a managed policy: deploy fewer instances per stack, or split its resources by hand`,
            );
        }
        const current = documents[documents.length - 1];
        if (current.Statement.length > 0 && policySize({ Version: doc.Version, Statement: [...current.Statement, statement] }) > limit) {
            documents.push({ Version: doc.Version, Statement: [statement] });
        } else {
            current.Statement.push(statement);
        }
    }
    return documents;
}

/**
 * The deploy identity's policy as customer managed policies: {@link
 * deployPolicy} split into documents IAM accepts (each at most
 * MAX_MANAGED_POLICY_CHARS, 6,144 characters without whitespace), to be
 * created and attached together. One document when it fits, more when not;
 * always a list.
 */
export function deployPolicies(input: DeployPolicyInput): PolicyDocument[] {
    return splitPolicy(deployPolicy(input));
}
