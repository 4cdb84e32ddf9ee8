/**
 * Lambda@Edge events as CloudFront builds them, and the checks CloudFront
 * applies to what a function returns. Pure: no I/O.
 *
 * Event shapes follow the developer guide's "Lambda@Edge event structure":
 * `Records[0].cf.config` = { distributionDomainName, distributionId,
 * eventType, requestId }; `request` = { clientIp, headers (multi-value map),
 * method, querystring, uri } plus `origin.s3` on origin events; `response`
 * = { status, statusDescription, headers } on origin-response.
 */
import type {
    CloudFrontHeaders,
    CloudFrontRequest,
    CloudFrontRequestEvent,
    CloudFrontResponse,
    CloudFrontResponseEvent,
    CloudFrontResultResponse,
    CloudFrontS3Origin,
} from "aws-lambda";
import { edgeTriggerLimits } from "../../core/limits";
import type { EdgeEventType } from "../../core/edge-settings";

export interface DistributionIdentity {
    distributionId: string;
    distributionDomainName: string;
}

export function requestEvent(
    identity: DistributionIdentity,
    eventType: "viewer-request" | "origin-request",
    requestId: string,
    request: CloudFrontRequest,
): CloudFrontRequestEvent {
    return { Records: [{ cf: { config: { ...identity, eventType, requestId }, request } }] };
}

export function responseEvent(
    identity: DistributionIdentity,
    requestId: string,
    request: CloudFrontRequest,
    response: CloudFrontResponse,
): CloudFrontResponseEvent {
    const { body: _body, ...withoutBody } = request;
    void _body;
    return { Records: [{ cf: { config: { ...identity, eventType: "origin-response", requestId }, request: withoutBody, response } }] };
}

/** The `origin.s3` block of an origin event for a bucket reached through OAC. */
export function s3Origin(bucket: string, region: string): CloudFrontS3Origin {
    return { authMethod: "none", customHeaders: {}, domainName: `${bucket}.s3.${region}.amazonaws.com`, path: "" };
}

/** A function result that is a generated response rather than a (possibly modified) request. */
export function isGeneratedResponse(result: CloudFrontRequest | CloudFrontResultResponse): result is CloudFrontResultResponse {
    return typeof (result as CloudFrontResultResponse).status === "string" || typeof (result as { status?: unknown }).status === "number";
}

/** Thrown when a function's result fails CloudFront's validation (CloudFront answers 502). */
export class EdgeValidationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EdgeValidationError";
    }
}

/** Headers no function may see or set (CloudFront answers 502 when one is added). */
const DISALLOWED_EXACT = new Set([
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "trailer",
    "upgrade",
    "x-accel-buffering",
    "x-accel-charset",
    "x-accel-limit-rate",
    "x-accel-redirect",
    "x-amzn-auth",
    "x-amzn-cf-billing",
    "x-amzn-cf-id",
    "x-amzn-cf-xff",
    "x-amzn-errortype",
    "x-amzn-fle-profile",
    "x-amzn-header-count",
    "x-amzn-header-order",
    "x-amzn-lambda-integration-tag",
    "x-amzn-requestid",
    "x-cache",
    "x-forwarded-proto",
    "x-real-ip",
]);
const DISALLOWED_PREFIXES = ["x-amz-cf-", "x-edge-"];

/** True for a header CloudFront neither shows a function nor lets one add. */
export function isDisallowedHeader(name: string): boolean {
    return DISALLOWED_EXACT.has(name) || DISALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Headers a function may read but not add, change or remove, per event. */
export const READ_ONLY_HEADERS: Readonly<Record<EdgeEventType, readonly string[]>> = {
    "viewer-request": ["content-length", "host", "transfer-encoding", "via"],
    "origin-request": [
        "accept-encoding",
        "content-length",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "range",
        "transfer-encoding",
        "via",
    ],
    "origin-response": ["transfer-encoding", "via"],
};

/** Headers a generated response may not carry. */
const GENERATED_RESPONSE_FORBIDDEN = ["content-length", "transfer-encoding", "via"];

function checkHeaderMap(headers: unknown, what: string): CloudFrontHeaders {
    if (headers === undefined) return {};
    if (headers === null || typeof headers !== "object" || Array.isArray(headers)) throw new EdgeValidationError(`${what}: headers is not an object`);
    for (const [name, values] of Object.entries(headers as Record<string, unknown>)) {
        if (name !== name.toLowerCase()) throw new EdgeValidationError(`${what}: header name "${name}" is not lowercase`);
        if (!Array.isArray(values)) throw new EdgeValidationError(`${what}: header "${name}" is not an array`);
        for (const entry of values as unknown[]) {
            const value = (entry as { value?: unknown } | null)?.value;
            if (typeof value !== "string") throw new EdgeValidationError(`${what}: header "${name}" has a non-string value`);
            const key = (entry as { key?: unknown }).key;
            if (key !== undefined && (typeof key !== "string" || key.toLowerCase() !== name)) {
                throw new EdgeValidationError(`${what}: header "${name}" has a key that does not match its name`);
            }
        }
        if (isDisallowedHeader(name)) throw new EdgeValidationError(`${what}: the function set the disallowed header "${name}"`);
    }
    return headers as CloudFrontHeaders;
}

function sameValues(a: CloudFrontHeaders[string] | undefined, b: CloudFrontHeaders[string] | undefined): boolean {
    const left = (a ?? []).map((entry) => entry.value);
    const right = (b ?? []).map((entry) => entry.value);
    return left.length === right.length && left.every((value, i) => value === right[i]);
}

function checkReadOnly(eventType: EdgeEventType, before: CloudFrontHeaders, after: CloudFrontHeaders, what: string): void {
    for (const name of READ_ONLY_HEADERS[eventType]) {
        if (!sameValues(before[name], after[name])) {
            throw new EdgeValidationError(`${what}: the function tried to add, delete or change the read-only header "${name}"`);
        }
    }
}

function checkStatus(status: unknown, what: string): number {
    const text = typeof status === "number" ? String(status) : status;
    if (typeof text !== "string" || !/^\d{3}$/.test(text)) throw new EdgeValidationError(`${what}: status must be a three-digit string`);
    const code = Number(text);
    if (code < 200 || code > 599) throw new EdgeValidationError(`${what}: status ${code} is outside 200-599`);
    return code;
}

/** A generated response's body as bytes, checked against the event's size limit. */
export function generatedBody(eventType: EdgeEventType, response: CloudFrontResultResponse): Buffer {
    const what = `${eventType} generated response`;
    if (response.body === undefined) return Buffer.alloc(0);
    if (typeof response.body !== "string") throw new EdgeValidationError(`${what}: body must be a string`);
    const encoding = response.bodyEncoding ?? "text";
    if (encoding !== "text" && encoding !== "base64") throw new EdgeValidationError(`${what}: bodyEncoding must be "text" or "base64"`);
    if (encoding === "base64" && !/^[A-Za-z0-9+/]*={0,2}$/.test(response.body)) throw new EdgeValidationError(`${what}: body is not valid base64`);
    const body = Buffer.from(response.body, encoding === "base64" ? "base64" : "utf8");
    const limit = edgeTriggerLimits(eventType).maxGeneratedResponseBytes;
    if (body.length > limit) throw new EdgeValidationError(`${what}: body of ${body.length} bytes exceeds the ${limit}-byte limit`);
    return body;
}

/** Checks a response a request function generated; returns its status code. */
export function validateGeneratedResponse(eventType: "viewer-request" | "origin-request", response: CloudFrontResultResponse): number {
    const what = `${eventType} generated response`;
    const status = checkStatus(response.status, what);
    const headers = checkHeaderMap(response.headers, what);
    for (const name of GENERATED_RESPONSE_FORBIDDEN) {
        if (headers[name]) throw new EdgeValidationError(`${what}: the function set the read-only header "${name}"`);
    }
    generatedBody(eventType, response);
    return status;
}

/** Checks a request a request function returned against the one it was given. */
export function validateRequestResult(eventType: "viewer-request" | "origin-request", before: CloudFrontRequest, after: CloudFrontRequest): void {
    const what = `${eventType} result`;
    if (typeof after.uri !== "string" || !after.uri.startsWith("/")) throw new EdgeValidationError(`${what}: uri must be a string starting with "/"`);
    if (typeof after.querystring !== "string") throw new EdgeValidationError(`${what}: querystring must be a string`);
    if (after.method !== before.method) throw new EdgeValidationError(`${what}: the method is read-only`);
    if (after.clientIp !== before.clientIp) throw new EdgeValidationError(`${what}: clientIp is read-only`);
    const headers = checkHeaderMap(after.headers, what);
    checkReadOnly(eventType, before.headers, headers, what);
}

/** Checks an origin-response function's result against the response it was given; returns the status code. */
export function validateResponseResult(before: CloudFrontResponse, after: CloudFrontResultResponse): number {
    const what = "origin-response result";
    const status = checkStatus(after.status, what);
    const headers = checkHeaderMap(after.headers, what);
    checkReadOnly("origin-response", before.headers, headers, what);
    if (after.body !== undefined) generatedBody("origin-response", after);
    return status;
}
