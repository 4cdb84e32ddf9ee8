/**
 * Replicas of the hash table (`replicaRegions`): the table becomes a
 * DynamoDB global table (the current version, 2019.11.21: `replicas` on the
 * table itself, which needs its stream on, new and old images), each replica
 * with point-in-time recovery, deletion protection as `protectData` says and
 * the table's tags. The issuer keeps writing at home; the edge function
 * reads the copy nearest the region it runs in (core/read-plan.ts), so its
 * role may read the table in each replica region.
 *
 * Plain functions of plain values, tested without Pulumi.
 */
import * as pulumi from "@pulumi/pulumi";
import { isKnownRegion } from "../core/regions";

/** What a replicated table needs on the table itself (DynamoDB Developer Guide, "Global tables": streams with new and old images). */
export const GLOBAL_TABLE_STREAM = { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" } as const;

export interface TableReplicaInput {
    regionName: string;
    pointInTimeRecovery: boolean;
    deletionProtectionEnabled: boolean;
    propagateTags: boolean;
}

/**
 * The `replicas` of the table: one per region, each with point-in-time
 * recovery, deletion protection when the data is protected, and the
 * table's tags. Encryption follows the table's: DynamoDB's AWS-owned key, or
 * the `aws/dynamodb` key of each replica's own region (a customer-managed
 * key is regional, so resolve-args refuses it with replicas).
 */
export function tableReplicas(regions: readonly string[], options: { protectData: boolean }): TableReplicaInput[] {
    return regions.map((regionName) => ({ regionName, pointInTimeRecovery: true, deletionProtectionEnabled: options.protectData, propagateTags: true }));
}

/** The ARN of the same table in another region (a replica's ARN differs from home's in the region only). */
export function tableArnIn(tableArn: string, region: string): string {
    const parts = tableArn.split(":");
    if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== "dynamodb" || !parts[5].startsWith("table/")) throw new Error(`not a DynamoDB table ARN: ${tableArn}`);
    parts[3] = region;
    return parts.join(":");
}

/**
 * The home region the replicas are checked against: the stack's `aws:region`
 * (the provider the table is created with). Undefined when the stack sets
 * none.
 */
export function configuredHomeRegion(): string | undefined {
    return new pulumi.Config("aws").get("region");
}

/**
 * Checks `replicaRegions` (already a list of strings): region codes the
 * edge's distance table knows, none twice, never home. An unknown home
 * region is an error when `requireHome` (the component must know where the
 * home table and its alarms are), else home is not checked (the edge's own
 * settings check catches it when the code is built). Throws an error
 * naming the field.
 */
export function checkReplicaRegions(regions: readonly string[], homeRegion: string | undefined, requireHome: boolean): void {
    regions.forEach((region, index) => {
        if (!isKnownRegion(region)) {
            throw new Error(`replicaRegions[${index}] must be a commercial AWS region code such as "us-east-1" (got ${JSON.stringify(region)})`);
        }
        if (regions.indexOf(region) !== index) throw new Error(`replicaRegions lists ${region} twice`);
    });
    if (regions.length === 0) return;
    if (homeRegion === undefined) {
        if (!requireHome) return;
        throw new Error("replicaRegions needs the home region: set aws:region in the stack config (the table is created there, and replicas are checked against it)");
    }
    if (!isKnownRegion(homeRegion)) {
        throw new Error(`replicaRegions: the home region ${homeRegion} (aws:region) is not one the edge can rank copies from (a commercial AWS region)`);
    }
    const home = regions.indexOf(homeRegion);
    if (home >= 0) throw new Error(`replicaRegions[${home}] is the home region ${homeRegion} (aws:region), where the table itself lives`);
}
