/**
 * What a DynamoDB answer means for the edge. Errors arrive as JSON
 * `{"__type": "com.amazonaws.dynamodb.v20120810#<Name>", "message": ...}`;
 * throttling and server-side errors are worth one retry, everything else
 * (missing table, denied access, bad request, bad credentials) is not.
 * Either way the edge answers 503: a failed read never becomes a 404.
 */

/** DynamoDB error names that mean "too many requests right now". */
export const THROTTLING_ERRORS: Readonly<Record<string, true>> = {
    ProvisionedThroughputExceededException: true,
    ThrottlingException: true,
    RequestLimitExceeded: true,
    LimitExceededException: true,
};

/** Error names DynamoDB sends with a 5xx (also retried by status alone). */
const SERVER_ERRORS: Readonly<Record<string, true>> = {
    InternalServerError: true,
    ServiceUnavailable: true,
};

export type DynamoFailure = "throttled" | "server_error" | "rejected" | "bad_response";

export type DynamoAnswer =
    | { ok: true; item: unknown }
    | { ok: false; failure: DynamoFailure; retryable: boolean; errorType?: string };

/** The error name in a `__type` (the part after `#`), if the body has one. */
export function errorTypeOf(body: unknown): string | undefined {
    if (typeof body !== "object" || body === null) return undefined;
    const type = (body as { __type?: unknown }).__type;
    if (typeof type !== "string") return undefined;
    const name = type.slice(type.lastIndexOf("#") + 1);
    return /^[A-Za-z0-9_.]{1,100}$/.test(name) ? name : undefined;
}

/** Classifies one GetItem HTTP answer. */
export function classifyGetItem(status: number, text: string): DynamoAnswer {
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        body = undefined;
    }
    if (status === 200) {
        if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, failure: "bad_response", retryable: true };
        return { ok: true, item: (body as { Item?: unknown }).Item };
    }
    const errorType = errorTypeOf(body);
    if (status >= 500 || (errorType !== undefined && SERVER_ERRORS[errorType] === true)) {
        return { ok: false, failure: "server_error", retryable: true, errorType };
    }
    if (errorType !== undefined && THROTTLING_ERRORS[errorType] === true) return { ok: false, failure: "throttled", retryable: true, errorType };
    return { ok: false, failure: "rejected", retryable: false, errorType };
}
