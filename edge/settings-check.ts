/**
 * Checks per-instance edge settings before they are captured into code: a
 * mistake here should fail `pulumi preview`, not every request at the edge.
 */
import { parseEndpoint } from "./endpoints";
import { MAX_PRESIGN_SECONDS, MAX_SIGNED_URL_TTL_SECONDS } from "./presign";
import type { EdgeSettings } from "./settings";

/** Lambda@Edge timeouts: viewer events 5 s, origin events 30 s. A lookup must end well inside them. */
const MAX_LOOKUP_MS = { secured: 4000, required: 25000 } as const;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function wholeNumber(value: unknown, min: number, max: number): boolean {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Every problem with the settings, in words; empty when they are usable. */
export function settingsProblems(settings: EdgeSettings): string[] {
    const problems: string[] = [];
    const need = (ok: boolean, message: string) => {
        if (!ok) problems.push(message);
    };
    need(typeof settings.service === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(settings.service), "service must be 1–64 letters, digits, '-' or '_'");
    need(settings.level === "required" || settings.level === "secured", "level must be 'required' or 'secured'");
    need(settings.mode === "origin" || settings.mode === "redirect", "mode must be 'origin' or 'redirect'");
    need(typeof settings.tableName === "string" && /^[A-Za-z0-9_.-]{3,255}$/.test(settings.tableName), "tableName must be a DynamoDB table name");
    need(typeof settings.tableRegion === "string" && REGION_PATTERN.test(settings.tableRegion), "tableRegion must be a region name");
    need(typeof settings.bucket === "string" && BUCKET_PATTERN.test(settings.bucket), "bucket must be an S3 bucket name");
    need(typeof settings.bucketRegion === "string" && REGION_PATTERN.test(settings.bucketRegion), "bucketRegion must be a region name");
    need(wholeNumber(settings.signedUrlTtlSeconds, 1, MAX_SIGNED_URL_TTL_SECONDS), `signedUrlTtlSeconds must be 1–${MAX_SIGNED_URL_TTL_SECONDS}`);
    need(wholeNumber(settings.defaultTtlSeconds, 0, Number.MAX_SAFE_INTEGER), "defaultTtlSeconds must be a whole number ≥ 0");
    need(wholeNumber(settings.maxTtlSeconds, 0, Number.MAX_SAFE_INTEGER), "maxTtlSeconds must be a whole number ≥ 0");
    need(!(settings.defaultTtlSeconds > settings.maxTtlSeconds), "defaultTtlSeconds must not exceed maxTtlSeconds");
    need(wholeNumber(settings.notFoundTtlSeconds, 0, Number.MAX_SAFE_INTEGER), "notFoundTtlSeconds must be a whole number ≥ 0");
    const maxLookup = MAX_LOOKUP_MS[settings.level] ?? MAX_LOOKUP_MS.secured;
    need(wholeNumber(settings.lookupTimeoutMs, 1, maxLookup), `lookupTimeoutMs must be 1–${maxLookup} for this level`);
    if (settings.lookupAttemptTimeoutMs !== undefined) {
        need(wholeNumber(settings.lookupAttemptTimeoutMs, 1, settings.lookupTimeoutMs), "lookupAttemptTimeoutMs must be 1–lookupTimeoutMs");
    }
    need(wholeNumber(settings.memoMaxEntries, 0, 1_000_000), "memoMaxEntries must be 0–1000000");
    need(wholeNumber(settings.memoTtlSeconds, 0, Number.MAX_SAFE_INTEGER), "memoTtlSeconds must be a whole number ≥ 0");
    if (settings.memoNegativeTtlSeconds !== undefined) {
        need(wholeNumber(settings.memoNegativeTtlSeconds, 0, Number.MAX_SAFE_INTEGER), "memoNegativeTtlSeconds must be a whole number ≥ 0");
    }
    if (settings.redirectSafetyMarginSeconds !== undefined) {
        need(wholeNumber(settings.redirectSafetyMarginSeconds, 0, MAX_PRESIGN_SECONDS), "redirectSafetyMarginSeconds must be 0–604800");
    }
    for (const [name, url] of Object.entries(settings.endpoints ?? {})) {
        if (url === undefined) continue;
        try {
            parseEndpoint(url);
        } catch (error) {
            problems.push(`endpoints.${name}: ${(error as Error).message}`);
        }
    }
    return problems;
}

/** Throws one error listing every problem, or returns the settings unchanged. */
export function assertEdgeSettings(settings: EdgeSettings): EdgeSettings {
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw new Error(`invalid edge settings for ${String(settings.service)}: ${problems.join("; ")}`);
    return settings;
}
