/**
 * The hash → object table of a guarded instance, laid out by the shared
 * TABLE_SCHEMA: keyed by hash, an index from `s3_url` back to its hashes,
 * TTL on `ttl`, on-demand, point-in-time recovery, deletion protection,
 * its stream on (new and old images: what a global table needs and what
 * the invalidators read); with `replicaRegions` (and
 * `replicaRegionsToRemove`), a global table with those replicas
 * (replicas.ts).
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { TABLE_SCHEMA } from "../core/contract";
import { childName } from "./names";
import { TABLE_STREAM, tableReplicas } from "./replicas";
import type { TableReplicaInput } from "./replicas";
import type { ResolvedGuardedSettings } from "./resolve-args";
import { checkedReplicaRegions, checkedTableKmsKeyArn } from "./args/table";

/** Declares the mapping table as a Pulumi resource of the instance. */
export function createMappingTableResource(name: string, settings: ResolvedGuardedSettings, parent: pulumi.Resource): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        childName(name, "table"),
        {
            billingMode: "PAY_PER_REQUEST",
            hashKey: TABLE_SCHEMA.hashKey,
            // Only key attributes (of the table and its index) are declared.
            attributes: [
                { name: TABLE_SCHEMA.hashKey, type: "S" },
                { name: TABLE_SCHEMA.s3UrlAttribute, type: "S" },
            ],
            globalSecondaryIndexes: [
                {
                    name: TABLE_SCHEMA.s3UrlIndex,
                    keySchemas: [{ attributeName: TABLE_SCHEMA.s3UrlAttribute, keyType: "HASH" }],
                    projectionType: "INCLUDE",
                    nonKeyAttributes: [...TABLE_SCHEMA.s3UrlIndexAttributes],
                },
            ],
            ttl: { attributeName: TABLE_SCHEMA.ttlAttribute, enabled: true },
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: tableEncryption(settings),
            deletionProtectionEnabled: settings.protectData,
            // On for every guarded table, so that adding replicas later changes nothing but the replicas.
            ...TABLE_STREAM,
            ...(settings.replicaRegions.length > 0 || settings.replicaRegionsToRemove.length > 0 ? { replicas: replicasOf(settings) } : {}),
            tags: settings.tags,
        },
        { parent, protect: settings.protectData },
    );
}

/**
 * The table's `serverSideEncryption`. `enabled: false` is DynamoDB's
 * AWS-owned key (pulumi-aws, `TableServerSideEncryption`), set explicitly so
 * that a table moved off KMS really goes back to it; `enabled: true` without
 * a key ARN is the account's AWS-managed `aws/dynamodb` key.
 */
export function tableEncryption(settings: Pick<ResolvedGuardedSettings, "tableEncryption" | "tableKmsKeyArn" | "homeRegion">): aws.types.input.dynamodb.TableServerSideEncryption {
    switch (settings.tableEncryption) {
        case "aws-owned":
            return { enabled: false };
        case "aws-managed-kms":
            return { enabled: true };
        case "customer-managed-kms":
            const kmsKeyArn = checkedTableKmsKeyArn(settings);
            if (kmsKeyArn === undefined) throw new Error('tableEncryption "customer-managed-kms" needs tableKmsKeyArn');
            return { enabled: true, kmsKeyArn };
    }
}

/**
 * The table's replicas: one per replica region, and one per region being
 * removed (deletion protection off), each list checked against the home
 * region when that resolves later (an AWS provider's).
 */
function replicasOf(settings: Pick<ResolvedGuardedSettings, "replicaRegions" | "replicaRegionsToRemove" | "homeRegion" | "protectData">): pulumi.Input<TableReplicaInput[]> {
    const kept = checkedReplicaRegions(settings);
    const leaving = checkedReplicaRegions({ replicaRegions: settings.replicaRegionsToRemove, homeRegion: settings.homeRegion }, "replicaRegionsToRemove");
    const replicas = (keptRegions: string[], leavingRegions: string[]) => tableReplicas(keptRegions, { protectData: settings.protectData, leaving: leavingRegions });
    return Array.isArray(kept) && Array.isArray(leaving) ? replicas(kept, leaving) : pulumi.all([kept, leaving]).apply(([k, l]) => replicas(k, l));
}
