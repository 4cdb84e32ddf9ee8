/**
 * Checks per-instance edge settings before they are captured into code: a
 * mistake here should fail `pulumi preview`, not every request at the edge.
 */
import { parseEndpoint } from "./endpoints";
import { edgeTriggerLimits, isBucketName, isRegionName, isTableName, limitingEdgeEvent } from "../core/limits";
import {
    cacheTtlProblem,
    isWholeNumber,
    lookupTimeoutProblem,
    MAX_SIGNED_URL_TTL_SECONDS,
    maxLookupTimeoutMs,
    memoMaxEntriesProblem,
    memoTtlProblem,
    notFoundTtlProblem,
    serviceNameProblem,
    signedUrlTtlProblem,
} from "../core/bounds";
import type { BoundProblem } from "../core/bounds";
import { SECURED_READS } from "../core/enums";
import { isKnownRegion } from "../core/regions";
import { DELIVERY_MODES, GUARDED_LEVELS } from "../core/enums";
import { edgeEventTypes } from "../core/edge-settings";
import { presetFormatsProblems } from "../core/variants";
import type { EdgeSettings } from "../core/edge-settings";

/** Every problem with the settings, in words; empty when they are usable. */
export function settingsProblems(settings: EdgeSettings): string[] {
    const problems: string[] = [];
    const need = (ok: boolean, message: string) => {
        if (!ok) problems.push(message);
    };
    // The bounds the component and the issuer share are checked by core's one check of each.
    const within = (field: string, problem: BoundProblem | undefined, context = "") => {
        if (problem) problems.push(`${field} ${problem.expected}${context}${problem.reason ? `: ${problem.reason}` : ""}`);
    };
    const guarded = (GUARDED_LEVELS as readonly string[]).includes(settings.level);
    within("service", serviceNameProblem(settings.service));
    need(guarded, `level must be one of ${GUARDED_LEVELS.join(", ")}`);
    need((DELIVERY_MODES as readonly string[]).includes(settings.mode), `mode must be one of ${DELIVERY_MODES.join(", ")}`);
    need(isTableName(settings.tableName), "tableName must be a DynamoDB table name");
    need(isRegionName(settings.tableRegion), "tableRegion must be a region name");
    need(isBucketName(settings.bucket), "bucket must be an S3 bucket name");
    need(isRegionName(settings.bucketRegion), "bucketRegion must be a region name");
    within("signedUrlTtlSeconds", signedUrlTtlProblem(settings.signedUrlTtlSeconds));
    within("defaultTtlSeconds", cacheTtlProblem(settings.defaultTtlSeconds));
    within("maxTtlSeconds", cacheTtlProblem(settings.maxTtlSeconds));
    need(!(settings.defaultTtlSeconds > settings.maxTtlSeconds), "defaultTtlSeconds must not exceed maxTtlSeconds");
    within("notFoundTtlSeconds", notFoundTtlProblem(settings.notFoundTtlSeconds));
    // A lookup must end well inside the timeout limit of the function's tightest trigger;
    // an unknown level is held to the tightest of all (viewer-request).
    const trigger = limitingEdgeEvent(guarded ? edgeEventTypes(settings.level, settings.mode) : ["viewer-request"]);
    const maxLookup = maxLookupTimeoutMs(edgeTriggerLimits(trigger).maxTimeoutSeconds);
    within("lookupTimeoutMs", lookupTimeoutProblem(settings.lookupTimeoutMs, maxLookup), ` for this level (${trigger} trigger)`);
    if (settings.lookupAttemptTimeoutMs !== undefined) {
        need(isWholeNumber(settings.lookupAttemptTimeoutMs, 1, settings.lookupTimeoutMs), "lookupAttemptTimeoutMs must be 1–lookupTimeoutMs");
    }
    within("memoMaxEntries", memoMaxEntriesProblem(settings.memoMaxEntries));
    within("memoTtlSeconds", memoTtlProblem(settings.memoTtlSeconds));
    if (settings.memoNegativeTtlSeconds !== undefined) {
        need(isWholeNumber(settings.memoNegativeTtlSeconds), "memoNegativeTtlSeconds must be a whole number ≥ 0");
    }
    if (settings.redirectSafetyMarginSeconds !== undefined) {
        need(isWholeNumber(settings.redirectSafetyMarginSeconds, 0, MAX_SIGNED_URL_TTL_SECONDS), `redirectSafetyMarginSeconds must be 0–${MAX_SIGNED_URL_TTL_SECONDS}`);
    }
    problems.push(...replicaProblems(settings));
    if (settings.variants !== undefined) {
        problems.push(...presetFormatsProblems(settings.variants, "variants"));
        need(settings.mode === "origin", `variants apply to mode origin only (mode ${String(settings.mode)} hands out presigned URLs of the original)`);
    }
    const { dynamodbReplicas, ...single } = settings.endpoints ?? {};
    const endpoints: [string, unknown][] = Object.entries(single);
    if (dynamodbReplicas !== undefined) {
        for (const [region, url] of Object.entries(dynamodbReplicas)) {
            need((settings.replicaRegions ?? []).includes(region), `endpoints.dynamodbReplicas.${region}: not one of replicaRegions`);
            endpoints.push([`dynamodbReplicas.${region}`, url]);
        }
    }
    for (const [name, url] of endpoints) {
        if (url === undefined) continue;
        try {
            if (typeof url !== "string") throw new Error("must be a URL string");
            parseEndpoint(url);
        } catch (error) {
            problems.push(`endpoints.${name}: ${(error as Error).message}`);
        }
    }
    return problems;
}

/**
 * `replicaRegions` and `securedReads`: regions the read plan can rank (its
 * distance table knows them), no duplicates, never the home region.
 */
function replicaProblems(settings: EdgeSettings): string[] {
    const problems: string[] = [];
    if (settings.securedReads !== undefined) {
        if (!(SECURED_READS as readonly string[]).includes(settings.securedReads)) problems.push(`securedReads must be one of ${SECURED_READS.join(", ")}`);
        else if (settings.level !== "secured") problems.push("securedReads applies to level secured only");
    }
    const regions: unknown = settings.replicaRegions;
    if (regions === undefined) return problems;
    if (!Array.isArray(regions)) return [...problems, "replicaRegions must be a list of region names"];
    if (regions.length > 0 && !isKnownRegion(settings.tableRegion)) problems.push(`replicaRegions need a home region with a known location (tableRegion ${String(settings.tableRegion)})`);
    regions.forEach((region: unknown, index) => {
        if (!isKnownRegion(region)) problems.push(`replicaRegions[${index}] must be a commercial AWS region code (core/regions.ts), got ${JSON.stringify(region)}`);
        else if (region === settings.tableRegion) problems.push(`replicaRegions[${index}] is the home region ${region}: the home table is always read`);
        else if (regions.indexOf(region) !== index) problems.push(`replicaRegions[${index}] repeats ${region}`);
    });
    return problems;
}

/** Throws one error listing every problem, or returns the settings unchanged. */
export function assertEdgeSettings(settings: EdgeSettings): EdgeSettings {
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw new Error(`invalid edge settings for ${String(settings.service)}: ${problems.join("; ")}`);
    return settings;
}
