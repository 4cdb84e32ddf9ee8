/**
 * Runs a CloudFront Function (runtime `cloudfront-js-2.0`) on viewer
 * requests, as CloudFront does for a behavior it is associated with: the
 * function's source, exactly the code the component publishes, evaluated in
 * an empty `vm` context (no `require`, no Node globals: what the runtime
 * lacks fails here too), its `handler` called with the event shape of
 * "CloudFront Functions event structure" (headers as `{ name: { value,
 * multiValue } }`, lowercase names; query string and cookies as objects).
 * What it returns is read back: the URI and the headers. A function that
 * throws, or returns anything but a request, is CloudFront's 503
 * (FunctionExecutionError).
 */
import type { CloudFrontHeaders, CloudFrontRequest } from "aws-lambda";
import * as vm from "vm";

/** A loaded viewer-request CloudFront Function. */
export interface ViewerFunction {
    /** The request as the function left it; throws {@link FunctionExecutionError} when it failed. */
    run(request: CloudFrontRequest, identity: { distributionId: string; distributionDomainName: string }): CloudFrontRequest;
}

/** The function threw or returned something CloudFront cannot use. */
export class FunctionExecutionError extends Error {
    constructor(message: string, cause?: unknown) {
        super(message, { cause });
        this.name = "FunctionExecutionError";
    }
}

interface FunctionHeader {
    value: string;
    multiValue?: { value: string }[];
}

interface FunctionRequest {
    method: string;
    uri: string;
    querystring: Record<string, { value: string }>;
    headers: Record<string, FunctionHeader>;
    cookies: Record<string, { value: string }>;
}

/** Compiles `source` (which must define `handler`) in a context of its own. */
export function loadViewerFunction(source: string, name = "viewer-function.js"): ViewerFunction {
    const context = vm.createContext({});
    const handler = vm.runInContext(`${source}\n;typeof handler === "function" ? handler : undefined`, context, { filename: name }) as ((event: unknown) => unknown) | undefined;
    if (handler === undefined) throw new Error(`${name} defines no handler function`);
    return {
        run(request, identity) {
            const event = {
                version: "1.0",
                context: { ...identity, eventType: "viewer-request", requestId: "local" },
                viewer: { ip: request.clientIp },
                request: functionRequest(request),
            };
            let result: unknown;
            try {
                result = handler(event);
            } catch (error) {
                // An error made in the function's own context is not an Error of this one: read its message.
                const message = typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string" ? (error as { message: string }).message : String(error);
                throw new FunctionExecutionError(`viewer-request function threw: ${message}`, error);
            }
            const returned = result as Partial<FunctionRequest> | null;
            if (returned === null || typeof returned !== "object" || typeof returned.uri !== "string" || !returned.uri.startsWith("/") || typeof returned.headers !== "object") {
                throw new FunctionExecutionError("viewer-request function returned no request");
            }
            return { ...request, uri: returned.uri, headers: lambdaHeaders(returned.headers as Record<string, FunctionHeader>, request.headers) };
        },
    };
}

/** A Lambda@Edge-shaped request as CloudFront Functions see it. */
function functionRequest(request: CloudFrontRequest): FunctionRequest {
    const headers: Record<string, FunctionHeader> = {};
    for (const [name, values] of Object.entries(request.headers)) {
        if (values.length === 0) continue;
        headers[name] = values.length === 1 ? { value: values[0].value } : { value: values[0].value, multiValue: values.map((entry) => ({ value: entry.value })) };
    }
    const querystring: Record<string, { value: string }> = {};
    for (const pair of request.querystring ? request.querystring.split("&") : []) {
        const [key, value = ""] = pair.split("=");
        querystring[key] = { value };
    }
    return { method: request.method, uri: request.uri, querystring, headers, cookies: {} };
}

/** Headers as a function left them, back in the Lambda@Edge shape; unchanged ones keep their display names. */
function lambdaHeaders(headers: Record<string, FunctionHeader>, before: CloudFrontHeaders): CloudFrontHeaders {
    const map: CloudFrontHeaders = {};
    for (const [name, header] of Object.entries(headers)) {
        const lower = name.toLowerCase();
        const values = header.multiValue && header.multiValue.length > 0 ? header.multiValue.map((entry) => entry.value) : [header.value];
        const original = before[lower] ?? [];
        const unchanged = original.length === values.length && original.every((entry, i) => entry.value === values[i]);
        map[lower] = unchanged ? original : values.map((value) => ({ key: name, value }));
    }
    return map;
}
