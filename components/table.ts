/**
 * The hash → object table of a guarded instance, laid out by the shared
 * TABLE_SCHEMA: keyed by hash, an index from `s3_url` back to its hashes,
 * TTL on `ttl`, on-demand, point-in-time recovery, deletion protection.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { TABLE_SCHEMA } from "../edge/contract";
import type { ResolvedGuardedSettings } from "./resolve-args";

/** Declares the mapping table as a Pulumi resource of the instance. */
export function createMappingTableResource(name: string, settings: ResolvedGuardedSettings, parent: pulumi.Resource): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        `${name}-table`,
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
            // DynamoDB's AWS-owned key: `enabled: false` selects it explicitly (also
            // switching back a table on a KMS key), and it costs nothing, where a
            // KMS key is billed per request (components/args.ts, tableEncryption).
            serverSideEncryption: { enabled: false },
            deletionProtectionEnabled: settings.protectData,
            tags: settings.tags,
        },
        { parent, protect: settings.protectData },
    );
}
