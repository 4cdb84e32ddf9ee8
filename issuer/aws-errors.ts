/**
 * Turns an error from an AWS SDK call into one of the library's typed errors,
 * with a message written here. The SDK has already retried throttling and
 * transient failures with backoff (standard retry mode) by the time an error
 * arrives, so a throttling error here means "gave up after retries".
 */
import { THROTTLING_ERRORS as DYNAMODB_THROTTLING_ERRORS } from "../core/dynamo-errors";
import { ConfigError, IssuerError, ThrottledError, UpstreamError } from "./errors";

/**
 * Names the SDK's retry logic treats as throttling: DynamoDB's (the same
 * list the edge retries on) and other services', plus CloudFront's
 * invalidation limit.
 */
const THROTTLING_NAMES = new Set([
    ...Object.keys(DYNAMODB_THROTTLING_ERRORS),
    "BandwidthLimitExceeded",
    "PriorRequestNotComplete",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ThrottledException",
    "Throttling",
    "TooManyRequestsException",
    "TooManyInvalidationsInProgress",
]);

/** Resource-missing errors: the configuration names something that is not there. */
const MISSING_RESOURCE_NAMES = new Set(["ResourceNotFoundException", "NoSuchBucket", "NoSuchDistribution"]);

const ACCESS_DENIED_NAMES = new Set(["AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "InvalidAccessKeyId", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException"]);

/** Socket-level failures: the endpoint could not be reached at all. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

interface SdkErrorShape {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
}

/**
 * The library error for a failed AWS call. `operation` says what was being
 * done, in words a user understands (e.g. "DynamoDB PutItem on table chat-map");
 * `resource` names the configured thing a missing-resource error is about.
 */
export function toIssuerError(error: unknown, operation: string, resource?: string): IssuerError {
    if (error instanceof IssuerError) return error;
    const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
    const name = typeof shape.name === "string" ? shape.name : "";
    const code = typeof shape.code === "string" ? shape.code : "";
    const status = typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : undefined;

    if (THROTTLING_NAMES.has(name) || status === 429 || shape.$retryable?.throttling === true) {
        return new ThrottledError(`${operation}: AWS is throttling requests and retries with backoff did not get through; try again later`, error);
    }
    if (MISSING_RESOURCE_NAMES.has(name)) {
        return new ConfigError(`${operation}: ${resource ?? "the configured resource"} does not exist (check the service's configuration and region)`, error);
    }
    if (ACCESS_DENIED_NAMES.has(name) || status === 403) {
        return new UpstreamError(`${operation}: access denied (the credentials in use lack permission, or are invalid or expired)`, error);
    }
    if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || name === "TimeoutError" || name === "RequestTimeout") {
        return new UpstreamError(`${operation}: the service could not be reached (${code || name}); is it running and is the endpoint right?`, error);
    }
    if (status !== undefined && status >= 500) {
        return new UpstreamError(`${operation}: the service answered with a server error (HTTP ${status}) after retries`, error);
    }
    const label = /^[A-Za-z][A-Za-z0-9.]{0,80}$/.test(name) ? name : "unknown error";
    return new UpstreamError(`${operation}: failed (${label})`, error);
}

/** True when a conditional DynamoDB write was refused because its condition did not hold. */
export function isConditionalCheckFailure(error: unknown): boolean {
    return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ConditionalCheckFailedException";
}
