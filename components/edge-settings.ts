/**
 * The settings captured into an instance's edge function: resolved args plus
 * where the table and bucket actually are. Pure, so the tests and the local
 * stack build exactly what the component deploys.
 */
import type { EdgeSettings } from "../core/edge-settings";
import type { ResolvedGuardedSettings } from "./resolve-args";
import { presetFormats } from "../core/variants";

/** Where an instance's table and bucket live (known once they are created). */
export type EdgePlacement = Pick<EdgeSettings, "tableName" | "tableRegion" | "bucket" | "bucketRegion">;

/**
 * The edge function's settings for a guarded instance. Nothing secret goes
 * in: credentials come from the function's role at run time, and endpoints
 * stay unset so the AWS SDK talks to AWS.
 */
export function edgeSettingsFor(settings: ResolvedGuardedSettings, placement: EdgePlacement): EdgeSettings {
    for (const field of ["tableName", "tableRegion", "bucket", "bucketRegion"] as const) {
        if (typeof placement[field] !== "string" || placement[field].length === 0) {
            throw new Error(`edge settings need ${field} (got ${JSON.stringify(placement[field])})`);
        }
    }
    return {
        service: settings.service,
        level: settings.level,
        mode: settings.mode,
        tableName: placement.tableName,
        tableRegion: placement.tableRegion,
        bucket: placement.bucket,
        bucketRegion: placement.bucketRegion,
        signedUrlTtlSeconds: settings.signedUrlTtlSeconds,
        defaultTtlSeconds: settings.defaultTtlSeconds,
        maxTtlSeconds: settings.maxTtlSeconds,
        notFoundTtlSeconds: settings.notFoundTtlSeconds,
        lookupTimeoutMs: settings.edge.lookupTimeoutMs,
        memoMaxEntries: settings.edge.memoMaxEntries,
        memoTtlSeconds: settings.edge.memoTtlSeconds,
        ...(settings.replicaRegions.length > 0 ? { replicaRegions: [...settings.replicaRegions] } : {}),
        ...(settings.level === "secured" && settings.edge.securedReads !== "home" ? { securedReads: settings.edge.securedReads } : {}),
        // The gate knows each preset's name and formats; sizes and qualities are the resizer's.
        ...(settings.variants !== undefined ? { variants: presetFormats(settings.variants) } : {}),
    };
}
