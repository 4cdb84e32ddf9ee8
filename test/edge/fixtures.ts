/**
 * Shared test material for the edge: settings, CloudFront events shaped like
 * the documented ones (multi-value header maps with key/value, querystring,
 * clientIp, config.distributionId/eventType, origin.s3), an in-process store
 * that records its reads, a fixed clock and a log collector.
 *
 * The event builders and the list of headers a function may not set are
 * kept apart from the local emulator's (local/cloudfront/events.ts) on
 * purpose: they are written from the CloudFront Developer Guide ("Lambda@Edge
 * event structure", "Restrictions on all edge functions") as an independent
 * oracle, so a mistake in the emulator cannot hide the same mistake in the
 * handler.
 */
import { expect } from "chai";
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResponseEvent, CloudFrontResultResponse } from "aws-lambda";
import type { EdgeSettings } from "../../core/edge-settings";
import type { MappingStore, StoreRead } from "../../edge/dynamo";
import type { EdgeDeps } from "../../edge/deps";
import { createEdgeDeps } from "../../edge/runtime";
import { ManualClock, manualClock } from "../support/clock";

export const HASH = "0123456789abcdef0123456789abcdef";
export const OTHER_HASH = "fedcba9876543210fedcba9876543210";
export const BUCKET = "chat-images-bucket";
export const KEY = "users/42/holiday photo (1).jpg";
/** 2030-01-01T00:00:00Z */
export const NOW_MS = Date.UTC(2030, 0, 1);
export const NOW_S = NOW_MS / 1000;
export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

export function settings(overrides: Partial<EdgeSettings> = {}): EdgeSettings {
    return {
        service: "chat",
        level: "required",
        mode: "origin",
        tableName: "chat-image-mappings",
        tableRegion: "eu-west-1",
        bucket: BUCKET,
        bucketRegion: "eu-west-1",
        signedUrlTtlSeconds: 300,
        defaultTtlSeconds: 86400,
        maxTtlSeconds: 2592000,
        notFoundTtlSeconds: 10,
        lookupTimeoutMs: 3000,
        memoMaxEntries: 100,
        memoTtlSeconds: 60,
        ...overrides,
    };
}

/** A mapping item as DynamoDB sends it on the wire (only S and N attributes). */
export function wireItem(fields: Record<string, string | number>): Record<string, { S: string } | { N: string }> {
    const item: Record<string, { S: string } | { N: string }> = {};
    for (const [name, value] of Object.entries(fields)) item[name] = typeof value === "number" ? { N: String(value) } : { S: value };
    return item;
}

export function goodItem(expiresAt: number = NOW_S + 3600, key: string = KEY, bucket: string = BUCKET) {
    return wireItem({ s3_url: `s3://${bucket}/${key}`, expires_at: expiresAt });
}

function headerMap(headers: Record<string, string>): CloudFrontHeaders {
    const map: CloudFrontHeaders = {};
    for (const [key, value] of Object.entries(headers)) map[key.toLowerCase()] = [...(map[key.toLowerCase()] ?? []), { key, value }];
    return map;
}

export interface RequestShape {
    uri?: string;
    method?: string;
    querystring?: string;
    headers?: Record<string, string>;
}

export function cfRequest(shape: RequestShape = {}): CloudFrontRequest {
    return {
        clientIp: "203.0.113.178",
        method: shape.method ?? "GET",
        uri: shape.uri ?? `/images/${HASH}`,
        querystring: shape.querystring ?? "",
        headers: headerMap({ Host: `${BUCKET}.s3.eu-west-1.amazonaws.com`, "User-Agent": "Amazon CloudFront", ...(shape.headers ?? {}) }),
        origin: {
            s3: {
                authMethod: "none",
                customHeaders: {},
                domainName: `${BUCKET}.s3.eu-west-1.amazonaws.com`,
                path: "",
            },
        },
    };
}

export function requestEvent(eventType: "viewer-request" | "origin-request", shape: RequestShape = {}): CloudFrontRequestEvent {
    const request = cfRequest(shape);
    if (eventType === "viewer-request") delete request.origin;
    return {
        Records: [
            {
                cf: {
                    config: { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType, requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
                    request,
                },
            },
        ],
    };
}

export function responseEvent(
    eventType: "origin-response" | "viewer-response",
    status: string,
    responseHeaders: Record<string, string> = {},
    requestHeaders: Record<string, string> = {},
): CloudFrontResponseEvent {
    const request = cfRequest({ uri: "/users/42/holiday%20photo%20%281%29.jpg", headers: requestHeaders });
    return {
        Records: [
            {
                cf: {
                    config: { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType, requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
                    request,
                    response: {
                        status,
                        statusDescription: status === "200" ? "OK" : "Origin says so",
                        headers: headerMap({
                            "X-Amz-Request-Id": "5RYKX4ZZ0AW7D3N3",
                            "X-Amz-Id-2": "8rA2D9Jtdg1Z9d5e7s9T7b3wJ1aQ==",
                            "Content-Type": status === "200" ? "image/jpeg" : "application/xml",
                            "Content-Length": "243",
                            ...responseHeaders,
                        }),
                    },
                },
            },
        ],
    };
}

/** One recorded read of the stub store. */
export interface StoreCall {
    hash: string;
    consistent: boolean;
    deadlineMs: number;
}

/**
 * An in-process store for pure-logic tests. `answer` decides each read;
 * by default every read finds nothing.
 */
export function stubStore(answer: (call: StoreCall) => StoreRead | Promise<StoreRead> = () => ({ ok: true, item: undefined, attempts: 1 })) {
    const calls: StoreCall[] = [];
    const store: MappingStore = {
        async read(hash, consistent, deadlineMs) {
            const call = { hash, consistent, deadlineMs };
            calls.push(call);
            return answer(call);
        },
    };
    return { store, calls };
}

/** A store that knows some items, answering eventually consistent and consistent reads alike. */
export function itemsStore(items: Record<string, unknown>) {
    return stubStore(({ hash }) => ({ ok: true, item: items[hash], attempts: 1 }));
}

/** A clock standing at `start` (by default {@link NOW_MS}) until the test moves it. */
export function fixedClock(start: number = NOW_MS): ManualClock {
    return manualClock(start);
}

export interface TestDeps extends EdgeDeps {
    lines: Record<string, unknown>[];
}

/** Handler dependencies around a stub store: fixed clock, fixed credentials, collected log lines. */
export function testDeps(store: MappingStore, options: { settings?: EdgeSettings; clock?: ManualClock; credentials?: EdgeDeps["credentials"] } = {}): TestDeps {
    const lines: Record<string, unknown>[] = [];
    const deps = createEdgeDeps(options.settings ?? settings(), {
        store,
        now: (options.clock ?? fixedClock()).now,
        credentials: options.credentials ?? (() => CREDENTIALS),
        log: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    return { ...deps, lines };
}

/**
 * Headers a function may never add or change (CloudFront's disallowed and
 * read-only lists, "Restrictions on all edge functions"). Written out here on
 * purpose, as an oracle independent of the emulator's own list
 * (local/cloudfront/events.ts).
 */
export const FORBIDDEN_HEADERS = [
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
    "content-length",
    "host",
    "transfer-encoding",
    "via",
];

/** Checks what CloudFront validates on a generated response, and that it reveals nothing. */
export function expectValidGenerated(result: unknown, secrets: string[] = [HASH, BUCKET, KEY, "users/42"]): CloudFrontResultResponse {
    expect(result).to.be.an("object").that.has.property("status");
    const response = result as CloudFrontResultResponse;
    expect(response.status).to.be.a("string").and.match(/^[2-5]\d\d$/);
    const headers = response.headers ?? {};
    for (const [name, values] of Object.entries(headers)) {
        expect(name, "header map keys are lowercase").to.equal(name.toLowerCase());
        expect(FORBIDDEN_HEADERS, `header ${name} may not be set`).not.to.include(name);
        expect(name, `header ${name} may not be set`).to.not.match(/^(x-amz-cf-|x-edge-)/);
        for (const entry of values) {
            expect(entry.key?.toLowerCase()).to.equal(name);
            expect(entry.value).to.be.a("string");
        }
    }
    const body = response.body ?? "";
    expect(Buffer.byteLength(body)).to.be.below(40 * 1024);
    const visible = body + JSON.stringify(Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "location")));
    for (const secret of secrets) expect(visible, "a generated answer reveals nothing").not.to.include(secret);
    return response;
}

export function header(result: unknown, name: string): string | undefined {
    const headers = (result as { headers?: CloudFrontHeaders }).headers ?? {};
    return headers[name]?.[0]?.value;
}
