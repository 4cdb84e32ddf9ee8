/**
 * The edge function's logs: how long they are kept (`logRetentionDays`), and
 * the regions that get a log group.
 */
import { LOG_RETENTION_DAYS } from "../../core/limits";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../../core/regions";
import { fieldList } from "./checks";
import type { ResolvedAlarms } from "./alarms";

/** The retention of the edge function's logs. */
export interface LogArgs {
    /**
     * How long the edge function's logs are kept, days (guarded levels
     * only); one of the periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30,
     * 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
     * 2922, 3288 or 3653.
     * @default 30
     * @example 14
     */
    logRetentionDays?: number;
}

/** The defaults of {@link LogArgs}. */
export const LOG_DEFAULTS = { logRetentionDays: 30 } as const;

/** The fields of {@link LogArgs}. */
export const LOG_FIELDS = fieldList<LogArgs>()(["logRetentionDays"]);

/** The fields that mean nothing to a `public` instance (it has no edge function). */
export const LOG_GUARDED_ONLY = ["logRetentionDays"] as const satisfies readonly (keyof LogArgs)[];

/** {@link LogArgs} resolved (guarded levels). */
export interface ResolvedLogs {
    /** Days the edge function's logs are kept. */
    logRetentionDays: number;
}

/** The retention, one of the periods CloudWatch Logs accepts. */
export function resolveLogs(args: LogArgs): ResolvedLogs {
    const logRetentionDays = args.logRetentionDays ?? LOG_DEFAULTS.logRetentionDays;
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        throw new Error(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, the periods CloudWatch Logs accepts (got ${JSON.stringify(logRetentionDays)})`);
    }
    return { logRetentionDays };
}

/**
 * The regions where the edge function may write logs, and so where its log
 * groups are created: every region with a regional edge cache, whatever the
 * price class (CloudFront occasionally serves a request from a location
 * outside the price class, and the function's role may not create a missing
 * log group, so its lines would be lost there), and any region
 * `alarms.edgeRegions` adds. An empty log group costs nothing.
 */
export function edgeLogRegions(settings: { alarms: Pick<ResolvedAlarms, "edgeRegions"> }): string[] {
    return [...new Set([...REGIONAL_EDGE_CACHE_REGIONS, ...settings.alarms.edgeRegions])];
}
