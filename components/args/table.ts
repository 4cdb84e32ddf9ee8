/**
 * The hash table of a guarded instance and the data it guards: `protectData`
 * (also the bucket's), `noncurrentVersionDays` (how long the bucket keeps a
 * replaced or deleted object's hidden versions), `tableEncryption` with
 * `tableKmsKeyArn`, `replicaRegions` and `replicaRegionsToRemove`. The table
 * lives in the home region (home-region.ts): replicas are never there, and a
 * customer-managed key must be. When the home region is known only during
 * the deployment (the region of an AWS provider given to the component),
 * those two checks run when it resolves, with the same messages.
 *
 * Removing a replica takes two deployments while `protectData` is on:
 * DynamoDB refuses to delete a replica whose deletion protection is on, and
 * Pulumi's AWS provider deletes a replica dropped from `replicas` without
 * turning it off first. So a region leaves `replicaRegions` for
 * `replicaRegionsToRemove`, where it stays a replica with deletion
 * protection off and is no longer read, alarmed on or shown; the next
 * deployment without it deletes it (docs/infrastructure.md, "Removing a
 * replica region").
 */
import * as pulumi from "@pulumi/pulumi";
import { isKmsKeyArn } from "../../core/limits";
import { isKnownRegion } from "../../core/regions";
import { TABLE_ENCRYPTIONS } from "../../core/enums";
import type { SecurityLevel, TableEncryption } from "../../core/enums";
import { regionOfArn } from "../arn";
import type { HomeRegion } from "../home-region";
import { homeRegionSource } from "../home-region";
import { boolean, fieldList, integer, isOutputLike, oneOf, stringList } from "./checks";

/** The table's protection, encryption and replicas. */
export interface TableArgs {
    /**
     * Guard the stateful children: `protect` on the bucket and the table,
     * DynamoDB deletion protection, and no `forceDestroy` on the bucket.
     * Set `false` only for throwaway stacks: `pulumi destroy` then deletes
     * every image and every issued link.
     * @default true
     */
    protectData?: boolean;
    /**
     * Days the bucket keeps an object's earlier versions after it was
     * replaced or deleted (they are hidden but still stored: the bucket is
     * versioned), then S3 removes them, and the delete markers left with no
     * version behind them. Every level; a whole number of days, at least 1
     * (S3 counts from when a version became noncurrent to the next midnight
     * UTC). Erasure (`deleteObject`) removes an object's versions at once;
     * this bounds what anything else leaves behind.
     * @default 30
     * @example 7
     */
    noncurrentVersionDays?: number;
    /**
     * How the hash table is encrypted at rest (guarded levels only).
     * - `aws-owned`: DynamoDB's AWS-owned key, at no charge.
     * - `aws-managed-kms`: the account's `aws/dynamodb` KMS key; AWS KMS bills its requests. Not with replicas.
     * - `customer-managed-kms`: the KMS key in `tableKmsKeyArn`.
     * @default "aws-owned"
     * @example "customer-managed-kms"
     */
    tableEncryption?: TableEncryption;
    /**
     * The KMS key of `tableEncryption: "customer-managed-kms"`, plain or an
     * Output (`key.arn`), in the table's region; its key policy must let
     * DynamoDB use it.
     * @default none
     * @example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
     */
    tableKmsKeyArn?: pulumi.Input<string>;
    /**
     * Regions that hold a replica of the hash table (guarded levels only):
     * the table becomes a DynamoDB global table, and the edge function reads
     * the copy nearest the region it runs in (falling back to the next, home
     * last). The issuer keeps writing at home: the region of the AWS
     * provider given to the component, else the stack's `aws:region`. AWS
     * region codes, none twice, never the home region; with
     * `tableEncryption: "aws-owned"` only (a customer-managed key is
     * regional, and the provider can replace a replica on the AWS-managed
     * key). To remove a region, see `replicaRegionsToRemove`. Each
     * replica gets point-in-time recovery and, with `protectData`, deletion
     * protection. Plain: it decides which resources exist.
     * @default [] (one table, at home)
     * @example ["us-east-1", "ap-southeast-2"]
     */
    replicaRegions?: string[];
    /**
     * Replica regions on their way out (guarded levels only): each stays a
     * replica of the table, with deletion protection off, and the edge no
     * longer reads it (nor is it alarmed on or shown on the dashboard), so
     * that the next `pulumi up`, with the region gone from this list too,
     * deletes it: DynamoDB refuses to delete a replica whose deletion
     * protection is on. A region moves here from `replicaRegions`; never in
     * both, never the home region.
     * @default []
     * @example ["ap-southeast-2"]
     */
    replicaRegionsToRemove?: string[];
}

/** The defaults of {@link TableArgs}. */
export const TABLE_DEFAULTS = { protectData: true, noncurrentVersionDays: 30, tableEncryption: "aws-owned", replicaRegions: [], replicaRegionsToRemove: [] } as const;

/** The fields of {@link TableArgs}. */
export const TABLE_FIELDS = fieldList<TableArgs>()(["protectData", "noncurrentVersionDays", "tableEncryption", "tableKmsKeyArn", "replicaRegions", "replicaRegionsToRemove"]);

/** The fields that mean nothing to a `public` instance (it has no table). */
export const TABLE_GUARDED_ONLY = ["tableEncryption", "tableKmsKeyArn", "replicaRegions", "replicaRegionsToRemove"] as const satisfies readonly (keyof TableArgs)[];

/** The fields that may be an Output themselves (passed straight to AWS). */
export const TABLE_INPUTS = ["tableKmsKeyArn"] as const satisfies readonly (keyof TableArgs)[];

/** What every instance keeps of {@link TableArgs}: the bucket is protected like the table, and keeps hidden versions this long. */
export interface ResolvedProtection {
    protectData: boolean;
    noncurrentVersionDays: number;
}

/** {@link TableArgs} resolved for a guarded instance. */
export interface ResolvedTable extends ResolvedProtection {
    tableEncryption: TableEncryption;
    /** The key of `customer-managed-kms`; a plain one is checked, an Output when it resolves ({@link checkedTableKmsKeyArn}). */
    tableKmsKeyArn?: pulumi.Input<string>;
    /** Regions with a replica of the table that the edge reads (none: one table, at home). */
    replicaRegions: string[];
    /** Regions whose replica is being removed: still replicas, deletion protection off, read by nothing. */
    replicaRegionsToRemove: string[];
    /** The home region, when known: a name, or the provider's region as an Output (home-region.ts); always set when there are replicas. */
    homeRegion?: HomeRegion;
}

/** Where the table is, as far as the resolver knows. */
export interface TableContext {
    level: SecurityLevel;
    /** The home region (the table's); `replicaRegions` may not name it. */
    homeRegion?: HomeRegion;
    /** Refuse `replicaRegions` when the home region is unknown (the component must know where the alarms and the home table are). */
    requireHomeRegion?: boolean;
}

/** `protectData` and `noncurrentVersionDays`, which every level has (they guard the bucket). */
export function resolveProtection(args: Pick<TableArgs, "protectData" | "noncurrentVersionDays">): ResolvedProtection {
    return {
        protectData: boolean(args.protectData ?? TABLE_DEFAULTS.protectData, "protectData"),
        noncurrentVersionDays: integer(args.noncurrentVersionDays ?? TABLE_DEFAULTS.noncurrentVersionDays, "noncurrentVersionDays", 1, Number.MAX_SAFE_INTEGER),
    };
}

/** The replica regions of a guarded instance, checked against home as far as it is known. */
export function resolveReplicaRegions(args: Pick<TableArgs, "replicaRegions">, context: TableContext): string[] {
    const replicaRegions = stringList(args.replicaRegions ?? TABLE_DEFAULTS.replicaRegions, "replicaRegions");
    checkReplicaRegions(replicaRegions, context.homeRegion, context.requireHomeRegion === true);
    return replicaRegions;
}

/**
 * The replica regions being removed, checked like `replicaRegions` (region
 * codes, none twice, never home) and against it: a region is kept or on its
 * way out, not both.
 */
export function resolveReplicaRegionsToRemove(args: Pick<TableArgs, "replicaRegionsToRemove">, replicaRegions: readonly string[], context: TableContext): string[] {
    const leaving = stringList(args.replicaRegionsToRemove ?? TABLE_DEFAULTS.replicaRegionsToRemove, "replicaRegionsToRemove");
    checkReplicaRegions(leaving, context.homeRegion, context.requireHomeRegion === true, "replicaRegionsToRemove");
    leaving.forEach((region, index) => {
        if (replicaRegions.includes(region)) {
            throw new Error(
                `replicaRegionsToRemove[${index}] ${region} is also in replicaRegions: a replica is either kept (replicaRegions) or on its way out (replicaRegionsToRemove), so take it out of replicaRegions`,
            );
        }
    });
    return leaving;
}

/**
 * The table of a guarded instance: its protection, its encryption (a key,
 * and no replicas, for `customer-managed-kms`; no replicas for
 * `aws-managed-kms` either) and its replicas.
 */
export function resolveTable(args: TableArgs, replicaRegions: string[], context: TableContext): ResolvedTable {
    const replicaRegionsToRemove = resolveReplicaRegionsToRemove(args, replicaRegions, context);
    const replicated = replicaRegions.length > 0 || replicaRegionsToRemove.length > 0;
    const replicaField = replicaRegions.length > 0 ? "replicaRegions" : "replicaRegionsToRemove";
    const tableEncryption = oneOf(args.tableEncryption ?? TABLE_DEFAULTS.tableEncryption, TABLE_ENCRYPTIONS, "tableEncryption");
    const tableKmsKeyArn = args.tableKmsKeyArn;
    if (tableEncryption === "customer-managed-kms" && tableKmsKeyArn === undefined) {
        throw new Error('tableEncryption "customer-managed-kms" needs tableKmsKeyArn: the KMS key to encrypt the table with');
    }
    if (tableEncryption !== "customer-managed-kms" && tableKmsKeyArn !== undefined) {
        throw new Error(`tableKmsKeyArn applies only to tableEncryption "customer-managed-kms" (got tableEncryption "${tableEncryption}")`);
    }
    if (tableKmsKeyArn !== undefined && !isOutputLike(tableKmsKeyArn)) {
        // A home region known only later is checked when it resolves (checkedTableKmsKeyArn).
        validateKmsKeyArn(tableKmsKeyArn, typeof context.homeRegion === "string" ? context.homeRegion : undefined);
    }
    if (replicated && tableEncryption === "customer-managed-kms") {
        throw new Error(`${replicaField} does not go with tableEncryption "customer-managed-kms": a KMS key is regional, and each replica would need its own; use "aws-owned"`);
    }
    if (replicated && tableEncryption === "aws-managed-kms") {
        // The provider gives each replica the aws/dynamodb key of its region in its plan, while what it reads
        // back for a replica can lack that key: the difference replaces the replica.
        throw new Error(
            `${replicaField} does not go with tableEncryption "aws-managed-kms": Pulumi's AWS provider plans each replica with its region's aws/dynamodb key ARN, ` +
                'which it does not always read back, and an update can then replace the replica; use "aws-owned" (free) with replicas',
        );
    }
    return {
        ...resolveProtection(args),
        tableEncryption,
        ...(tableKmsKeyArn !== undefined ? { tableKmsKeyArn } : {}),
        replicaRegions,
        replicaRegionsToRemove,
        ...(context.homeRegion !== undefined ? { homeRegion: context.homeRegion } : {}),
    };
}

/**
 * Checks `replicaRegions` (already a list of strings): region codes the
 * edge's distance table knows, none twice, never home. An unknown home
 * region is an error when `requireHome` (the component must know where the
 * home table and its alarms are), else home is not checked (the edge's own
 * settings check catches it when the code is built); a home region that is
 * an Output is checked when it resolves ({@link checkedReplicaRegions}).
 * Throws an error naming the field.
 */
export function checkReplicaRegions(regions: readonly string[], homeRegion: HomeRegion | undefined, requireHome: boolean, field: ReplicaField = "replicaRegions"): void {
    regions.forEach((region, index) => {
        if (!isKnownRegion(region)) {
            throw new Error(`${field}[${index}] must be a commercial AWS region code such as "us-east-1" (got ${JSON.stringify(region)})`);
        }
        if (regions.indexOf(region) !== index) throw new Error(`${field} lists ${region} twice`);
    });
    if (regions.length === 0) return;
    if (homeRegion === undefined) {
        if (!requireHome) return;
        throw new Error(
            `${field} needs the home region: set aws:region in the stack config, or give the component an AWS provider (the table is created in its region, and replicas are checked against it)`,
        );
    }
    if (typeof homeRegion === "string") checkHomeOfReplicas(regions, homeRegion, homeRegionSource(homeRegion), field);
}

/** The two args that list replica regions. */
type ReplicaField = "replicaRegions" | "replicaRegionsToRemove";

/** The home region must be one the edge can rank copies from, and no replica may be there. */
function checkHomeOfReplicas(regions: readonly string[], homeRegion: string, source: string, field: ReplicaField): void {
    if (!isKnownRegion(homeRegion)) {
        throw new Error(`${field}: the home region ${homeRegion} (${source}) is not one the edge can rank copies from (a commercial AWS region)`);
    }
    const home = regions.indexOf(homeRegion);
    if (home >= 0) throw new Error(`${field}[${home}] is the home region ${homeRegion} (${source}), where the table itself lives`);
}

/**
 * The replica regions as the table's input: as they are when home was
 * checked up front, else checked against home when it resolves, so a
 * replica in the provider's region fails the table with the message a plain
 * home gets up front.
 */
export function checkedReplicaRegions(
    settings: Pick<ResolvedTable, "replicaRegions" | "homeRegion">,
    field: ReplicaField = "replicaRegions",
): pulumi.Input<string[]> {
    const { replicaRegions, homeRegion } = settings;
    if (replicaRegions.length === 0 || homeRegion === undefined || typeof homeRegion === "string") return replicaRegions;
    const source = homeRegionSource(homeRegion);
    return pulumi.output(homeRegion).apply((home) => {
        checkHomeOfReplicas(replicaRegions, home, source, field);
        return replicaRegions;
    });
}

/**
 * Checks a table's KMS key ARN and, when the home region is known, that the
 * key is in it: a KMS key is regional and DynamoDB encrypts a table only with
 * a key of the table's own region (it refuses another at CreateTable, in the
 * middle of `pulumi up`). Used on plain strings up front and on Outputs when
 * they resolve ({@link checkedTableKmsKeyArn}).
 */
export function validateKmsKeyArn(arn: unknown, homeRegion?: string, source = "aws:region"): string {
    if (!isKmsKeyArn(arn)) throw new Error(`tableKmsKeyArn must be a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id> (got ${JSON.stringify(arn)})`);
    const keyRegion = regionOfArn(arn);
    if (homeRegion !== undefined && keyRegion !== homeRegion) {
        throw new Error(
            `tableKmsKeyArn is a key in ${keyRegion}, but the table is in ${homeRegion} (${source}): DynamoDB encrypts a table only with a key of its own region (got ${arn})`,
        );
    }
    return arn;
}

/**
 * The table's customer-managed KMS key, checked when it (and the home
 * region, when that is an Output) resolves: a KMS key ARN, in the home
 * region when that is known; undefined for the other encryptions.
 */
export function checkedTableKmsKeyArn(settings: Pick<ResolvedTable, "tableEncryption" | "tableKmsKeyArn" | "homeRegion">): pulumi.Output<string> | undefined {
    if (settings.tableEncryption !== "customer-managed-kms" || settings.tableKmsKeyArn === undefined) return undefined;
    const home = settings.homeRegion;
    const source = home === undefined ? undefined : homeRegionSource(home);
    return pulumi.all([settings.tableKmsKeyArn, home]).apply(([arn, region]) => validateKmsKeyArn(arn, region, source));
}
