/**
 * What one resizer function is configured with, captured by the component
 * at deployment: the bucket, the upload prefix originals must be under, the
 * preset catalogue and the cache lifetimes. Delivered as JSON in one
 * environment variable (a regional function, unlike Lambda@Edge, has them)
 * and checked before anything is served.
 */
import { isBucketName, isRegionName } from "../core/limits";
import { isUploadPrefix } from "../core/contract";
import { isWholeNumber } from "../core/bounds";
import { DERIVED_PREFIX, variantCatalogueProblems, VariantCatalogue } from "../core/variants";
import { DEFAULT_LIMIT_INPUT_PIXELS, MAX_LIMIT_INPUT_PIXELS } from "./limits";

/** The environment variable that holds the settings as JSON. */
export const RESIZER_SETTINGS_ENV = "RESIZER_SETTINGS";

/**
 * Total size of a function's environment variables, bytes (AWS Lambda
 * Developer Guide, "Lambda quotas": 4 KB).
 */
export const MAX_LAMBDA_ENVIRONMENT_BYTES = 4 * 1024;

/** Longest a made variant may be cached, seconds (a year): the edge bounds it by the hash's life anyway. */
export const MAX_VARIANT_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** Longest a refusal (422, 404) may be cached, seconds. */
export const MAX_ERROR_MAX_AGE_SECONDS = 3600;

export interface ResizerSettings {
    /** Service name, for log lines. */
    service: string;
    /** The instance's bucket: originals are read from it and variants stored in it. */
    bucket: string;
    /** The bucket's region. */
    region: string;
    /** Originals must be under it (and not under its `incoming/` staging folder). */
    uploadPrefix: string;
    /** The closed preset catalogue. */
    presets: VariantCatalogue;
    /** `Cache-Control: max-age` of a variant; the edge bounds it by the hash's life. @default 2592000 (30 days) */
    variantMaxAgeSeconds: number;
    /** `Cache-Control: max-age` of a refusal (a corrupt or hostile original: 422; a missing one: 404). @default 60 */
    errorMaxAgeSeconds: number;
    /** Originals with more pixels than this are refused before decoding. @default 100000000 */
    limitInputPixels: number;
    /** Originals larger than this are refused before reading, bytes: the service's upload limit. */
    maxOriginalBytes: number;
    /** Local stack and tests only: an S3 endpoint to use instead of AWS's (path-style). */
    endpoints?: { s3?: string };
}

/** The defaults of the optional settings. */
export const RESIZER_DEFAULTS = {
    variantMaxAgeSeconds: 30 * 24 * 60 * 60,
    errorMaxAgeSeconds: 60,
    limitInputPixels: DEFAULT_LIMIT_INPUT_PIXELS,
} as const;

const FIELDS = ["service", "bucket", "region", "uploadPrefix", "presets", "variantMaxAgeSeconds", "errorMaxAgeSeconds", "limitInputPixels", "maxOriginalBytes", "endpoints"];

/** Everything wrong with a settings object, each message naming the field; empty when valid. */
export function resizerSettingsProblems(value: unknown): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return ["resizer settings must be an object"];
    const settings = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(settings)) if (!FIELDS.includes(key)) problems.push(`${key} is not a resizer setting`);
    if (typeof settings.service !== "string" || settings.service.length === 0) problems.push("service must be a non-empty string");
    if (!isBucketName(settings.bucket)) problems.push("bucket must be an S3 bucket name");
    if (!isRegionName(settings.region)) problems.push("region must be an AWS region name");
    if (!isUploadPrefix(settings.uploadPrefix)) problems.push("uploadPrefix must be a relative key prefix ending in '/'");
    else if (settings.uploadPrefix.startsWith(DERIVED_PREFIX) || DERIVED_PREFIX.startsWith(settings.uploadPrefix)) {
        problems.push(`uploadPrefix must not overlap '${DERIVED_PREFIX}', where variants are stored`);
    }
    problems.push(...variantCatalogueProblems(settings.presets, "presets"));
    if (!isWholeNumber(settings.variantMaxAgeSeconds, 0, MAX_VARIANT_MAX_AGE_SECONDS)) {
        problems.push(`variantMaxAgeSeconds must be an integer from 0 to ${MAX_VARIANT_MAX_AGE_SECONDS}`);
    }
    if (!isWholeNumber(settings.errorMaxAgeSeconds, 0, MAX_ERROR_MAX_AGE_SECONDS)) problems.push(`errorMaxAgeSeconds must be an integer from 0 to ${MAX_ERROR_MAX_AGE_SECONDS}`);
    if (!isWholeNumber(settings.limitInputPixels, 1, MAX_LIMIT_INPUT_PIXELS)) problems.push(`limitInputPixels must be an integer from 1 to ${MAX_LIMIT_INPUT_PIXELS}`);
    if (!isWholeNumber(settings.maxOriginalBytes, 1)) problems.push("maxOriginalBytes must be a positive integer");
    if (settings.endpoints !== undefined) {
        const endpoints = settings.endpoints as Record<string, unknown> | null;
        if (typeof endpoints !== "object" || endpoints === null || Object.keys(endpoints).some((k) => k !== "s3") || (endpoints.s3 !== undefined && typeof endpoints.s3 !== "string")) {
            problems.push("endpoints may only hold s3, a URL");
        }
    }
    return problems;
}

/** The settings as the environment variable's value: refused when invalid or over Lambda's 4 KB for all variables. */
export function resizerEnvironment(settings: ResizerSettings): Record<string, string> {
    const problems = resizerSettingsProblems(settings);
    if (problems.length > 0) throw new Error(`invalid resizer settings: ${problems.join("; ")}`);
    const value = JSON.stringify(settings);
    const bytes = Buffer.byteLength(RESIZER_SETTINGS_ENV + value, "utf8");
    if (bytes > MAX_LAMBDA_ENVIRONMENT_BYTES) {
        throw new Error(`the resizer settings take ${bytes} bytes of environment, over Lambda's ${MAX_LAMBDA_ENVIRONMENT_BYTES}: use fewer or shorter preset names`);
    }
    return { [RESIZER_SETTINGS_ENV]: value };
}

/** Reads and checks the settings from the environment variable's value. */
export function parseResizerSettings(json: string | undefined): ResizerSettings {
    if (json === undefined) throw new Error(`${RESIZER_SETTINGS_ENV} is not set`);
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch {
        throw new Error(`${RESIZER_SETTINGS_ENV} is not JSON`);
    }
    const problems = resizerSettingsProblems(value);
    if (problems.length > 0) throw new Error(`invalid ${RESIZER_SETTINGS_ENV}: ${problems.join("; ")}`);
    return value as ResizerSettings;
}
