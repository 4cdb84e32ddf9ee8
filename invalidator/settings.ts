/**
 * The invalidator's settings: one JSON environment variable, written by the
 * component for each region's function (and by the local stack for its
 * in-process one). Nothing secret: the distribution, the queue, the delay
 * and whether the instance serves variants.
 */
import { isServiceName, isWholeNumber } from "../core/bounds";
import { isRegionName, MAX_SQS_DELAY_SECONDS } from "../core/limits";

/** Name of the environment variable that holds the settings as JSON. */
export const INVALIDATOR_SETTINGS_ENV = "INVALIDATOR_SETTINGS";

export interface InvalidatorSettings {
    /** Service name, for log lines. */
    service: string;
    /** The region whose copy of the table this function follows (its stream's), for log lines. */
    region: string;
    /** The distribution whose paths it invalidates. */
    distributionId: string;
    /** URL of its queue: the second invalidations, and the first ones CloudFront refused for now. */
    queueUrl: string;
    /** How long after it sees a removal it invalidates again, seconds (core/revocation.ts `reinvalidationDelay`). */
    reinvalidateAfterSeconds: number;
    /** True when the instance serves image variants: a hash's paths are then the one wildcard path (`hashCachePaths`). */
    variants: boolean;
}

const DISTRIBUTION_ID = /^[A-Z0-9]{1,64}$/;

/** The settings in `text` (the environment variable's value), checked; throws an Error naming the field. */
export function parseInvalidatorSettings(text: string | undefined): InvalidatorSettings {
    if (text === undefined || text === "") throw new Error(`${INVALIDATOR_SETTINGS_ENV} is not set`);
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        throw new Error(`${INVALIDATOR_SETTINGS_ENV} is not JSON`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${INVALIDATOR_SETTINGS_ENV} must be a JSON object`);
    const record = raw as Record<string, unknown>;
    const fail = (field: string, expected: string): never => {
        throw new Error(`${INVALIDATOR_SETTINGS_ENV}: ${field} must be ${expected}`);
    };
    if (!isServiceName(record.service)) fail("service", "a service name");
    if (!isRegionName(record.region)) fail("region", "an AWS region name");
    if (typeof record.distributionId !== "string" || !DISTRIBUTION_ID.test(record.distributionId)) fail("distributionId", "a CloudFront distribution id");
    if (typeof record.queueUrl !== "string" || !/^https?:\/\/\S+$/.test(record.queueUrl)) fail("queueUrl", "an SQS queue URL");
    if (!isWholeNumber(record.reinvalidateAfterSeconds, 1, MAX_SQS_DELAY_SECONDS)) fail("reinvalidateAfterSeconds", `a whole number from 1 to ${MAX_SQS_DELAY_SECONDS}`);
    if (typeof record.variants !== "boolean") fail("variants", "true or false");
    return {
        service: record.service as string,
        region: record.region as string,
        distributionId: record.distributionId as string,
        queueUrl: record.queueUrl as string,
        reinvalidateAfterSeconds: record.reinvalidateAfterSeconds as number,
        variants: record.variants as boolean,
    };
}
