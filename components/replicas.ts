/**
 * Replicas of the hash table (`replicaRegions`): the table becomes a
 * DynamoDB global table (the current version, 2019.11.21: `replicas` on the
 * table itself, which needs its stream on, new and old images), each replica
 * with point-in-time recovery, deletion protection as `protectData` says and
 * the table's tags. The issuer keeps writing at home; the edge function
 * reads the copy nearest the region it runs in (core/read-plan.ts), so its
 * role may read the table in each replica region.
 *
 * Plain functions of plain values, tested without Pulumi; the arg and its
 * checks are in args/table.ts.
 */

/**
 * The table's stream, with new and old images: what a replicated table
 * needs on the table itself (DynamoDB Developer Guide, "Global tables"),
 * and what the invalidators read (components/invalidator.ts). On for every
 * guarded table: a stream costs nothing while nothing but Lambda reads it
 * ("Evaluate your DynamoDB streams usage"), and a table that gets replicas
 * later then changes nothing but its replicas (a view type cannot be
 * changed without turning the stream off first).
 */
export const TABLE_STREAM = { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" } as const;

export interface TableReplicaInput {
    regionName: string;
    pointInTimeRecovery: boolean;
    deletionProtectionEnabled: boolean;
    propagateTags: boolean;
}

/**
 * The `replicas` of the table: one per region, each with point-in-time
 * recovery, deletion protection when the data is protected, and the
 * table's tags; then one per region being removed (`leaving`), the same but
 * with deletion protection off, so that the next deployment, which drops
 * it, may delete it (DynamoDB refuses to delete a protected replica, and
 * the provider does not lift the protection before deleting). Encryption
 * follows the table's: DynamoDB's AWS-owned key (args/table.ts refuses the
 * KMS encryptions with replicas).
 */
export function tableReplicas(regions: readonly string[], options: { protectData: boolean; leaving?: readonly string[] }): TableReplicaInput[] {
    const replica = (regionName: string, deletionProtectionEnabled: boolean): TableReplicaInput => ({ regionName, pointInTimeRecovery: true, deletionProtectionEnabled, propagateTags: true });
    return [...regions.map((region) => replica(region, options.protectData)), ...(options.leaving ?? []).map((region) => replica(region, false))];
}

/** The ARN of the same table in another region (a replica's ARN differs from home's in the region only). */
export function tableArnIn(tableArn: string, region: string): string {
    const parts = tableArn.split(":");
    if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== "dynamodb" || !parts[5].startsWith("table/")) throw new Error(`not a DynamoDB table ARN: ${tableArn}`);
    parts[3] = region;
    return parts.join(":");
}
