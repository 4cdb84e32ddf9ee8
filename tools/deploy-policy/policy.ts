/**
 * The IAM policy for the identity that runs `pulumi up`, `preview`,
 * `refresh` and `destroy` on a stack of SecureImageCdn instances: generated,
 * never hand-kept, from the table of what each resource type takes
 * (permissions.ts) and where (scopes.ts), as one document or as the managed
 * policies IAM accepts. `npm run deploy-policy` (tools/deploy-policy.ts)
 * prints it for a stack.
 */
import { MAX_MANAGED_POLICY_CHARS } from "../../core/limits";
import type { PolicyDocument, PolicyStatement } from "../../components/policies";
import { DEPLOY_PERMISSIONS, REPLICA_DEPLOY_ACTIONS, TYPES_WITHOUT_PERMISSIONS } from "./permissions";
import type { Grant } from "./permissions";
import { SCOPES } from "./scopes";
import type { ScopeName } from "./scopes";

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
     * `DeleteTableReplica` (Amazon DynamoDB Developer Guide, "Using IAM with
     * global tables", version 2019.11.21); the first global table of an
     * account creates the
     * `AWSServiceRoleForDynamoDBReplication` service-linked role.
     */
    replicatedInstances?: readonly string[];
}

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
    const groups = new Map<string, { scope: ScopeName; condition?: PolicyStatement["Condition"]; instanceCondition?: Grant["instanceCondition"]; actions: Set<string> }>();
    for (const type of types) {
        const grants = DEPLOY_PERMISSIONS[type];
        if (grants === undefined) throw new Error(`no deploy permissions are known for resource type ${type}: add it to DEPLOY_PERMISSIONS`);
        for (const grant of grants) {
            const key = `${grant.scope} ${JSON.stringify(grant.condition ?? null)} ${grant.instanceCondition ? "per-instance" : ""}`;
            const group = groups.get(key) ?? { scope: grant.scope, condition: grant.condition, instanceCondition: grant.instanceCondition, actions: new Set<string>() };
            for (const action of grant.actions) group.actions.add(action);
            groups.set(key, group);
        }
    }
    const statements: PolicyStatement[] = [...groups.values()]
        .map((group) => {
            const condition = group.instanceCondition
                ? joinConditions(input.instances.map((instance) => (group.instanceCondition as NonNullable<Grant["instanceCondition"]>)({ ...input, instance })))
                : group.condition;
            return { ...group, condition };
        })
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

/**
 * Conditions of the same operators and keys joined: each key's values of
 * every instance, in one sorted list (any of them satisfies it).
 */
function joinConditions(conditions: NonNullable<PolicyStatement["Condition"]>[]): NonNullable<PolicyStatement["Condition"]> {
    const joined: Record<string, Record<string, Set<string>>> = {};
    for (const condition of conditions) {
        for (const [operator, keys] of Object.entries(condition)) {
            for (const [key, value] of Object.entries(keys)) {
                const values = ((joined[operator] ??= {})[key] ??= new Set<string>());
                for (const one of Array.isArray(value) ? value : [value]) values.add(one);
            }
        }
    }
    return Object.fromEntries(
        Object.entries(joined).map(([operator, keys]) => [
            operator,
            Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, values.size === 1 ? [...values][0] : [...values].sort()])),
        ]),
    );
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
