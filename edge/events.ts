/**
 * The CloudFront event shapes the edge function receives and returns, and
 * small helpers for their multi-value header maps (`{ "name": [{ key, value }] }`,
 * lowercase names). No logic about images lives here.
 */
import type {
    CloudFrontHeaders,
    CloudFrontRequest,
    CloudFrontRequestEvent,
    CloudFrontResponse,
    CloudFrontResponseEvent,
    CloudFrontResultResponse,
} from "aws-lambda";

/** Any event one of the instance's associations can deliver. */
export type EdgeEvent = CloudFrontRequestEvent | CloudFrontResponseEvent;

/** What the handler answers: a (possibly rewritten) request, a generated response, or an updated origin response. */
export type EdgeResult = CloudFrontRequest | CloudFrontResultResponse | CloudFrontResponse;

/** The parts of one event record the handler reads, checked for shape. */
export interface EventParts {
    eventType: string;
    request?: CloudFrontRequest;
    response?: CloudFrontResponse;
}

/**
 * The event type, request and response of the first record, or `undefined`
 * when the event is not shaped like a CloudFront event at all.
 */
export function eventParts(event: unknown): EventParts | undefined {
    const records = isObject(event) ? event.Records : undefined;
    const first = Array.isArray(records) ? records[0] : undefined;
    const cf = isObject(first) ? first.cf : undefined;
    if (!isObject(cf)) return undefined;
    const config = cf.config;
    const eventType = isObject(config) && typeof config.eventType === "string" ? config.eventType : "";
    return {
        eventType,
        request: isRequest(cf.request) ? cf.request : undefined,
        response: isResponse(cf.response) ? cf.response : undefined,
    };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null;
}

function isRequest(value: unknown): value is CloudFrontRequest {
    return isObject(value) && typeof value.uri === "string" && typeof value.method === "string" && isObject(value.headers);
}

function isResponse(value: unknown): value is CloudFrontResponse {
    return isObject(value) && typeof value.status === "string" && isObject(value.headers);
}

/** The first value of a header, or `undefined`. */
export function headerValue(headers: CloudFrontHeaders | undefined, name: string): string | undefined {
    const entries = headers?.[name.toLowerCase()];
    const first = Array.isArray(entries) ? entries[0] : undefined;
    return first && typeof first.value === "string" ? first.value : undefined;
}

/** All values of a header joined by commas (how repeated list headers combine). */
export function joinedHeader(headers: CloudFrontHeaders | undefined, name: string): string | undefined {
    const entries = headers?.[name.toLowerCase()];
    if (!Array.isArray(entries) || entries.length === 0) return undefined;
    return entries.map((entry) => entry.value).join(", ");
}

/** Replaces every value of a header with one value. `key` is the header's display name. */
export function setHeader(headers: CloudFrontHeaders, key: string, value: string): void {
    headers[key.toLowerCase()] = [{ key, value }];
}
