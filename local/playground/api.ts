/**
 * The playground's JSON API: thin calls into the issuing library (upload,
 * revoke, inspect) and the emulator's request log, per service.
 *
 *   GET  /api/services                          the services, their CDN base URL and sample
 *   POST /api/services/{name}/upload            body: the image bytes → UploadResult
 *   POST /api/services/{name}/revoke            body: {"hash": "…"}   → Revocation
 *   GET  /api/services/{name}/inspect?hash=…    → Inspection
 *   GET  /api/services/{name}/requests?since=N  → { entries: RequestLogEntry[] }
 *   GET  /api/stats                             counters of every distribution
 *   GET  /api/services/{name}/metrics           → ServiceMetrics: what the CloudWatch dashboard shows
 *
 * Issuer errors come back as `{ code, message }` with a 4xx/5xx status.
 */
import type * as http from "http";
import { isIssuerError, IssuerError } from "../../issuer/errors";
import { statsOf } from "../cloudfront/control-api";
import type { Distribution } from "../cloudfront/distribution";
import type { OperationsView, TableReads, TableReadStats } from "../cloudfront/stats";
import type { LocalIssuer } from "../issuers";

export interface PlaygroundService {
    name: string;
    level: string;
    /** Absent for `public`, which has no delivery mode. */
    mode?: string;
    cdnBaseUrl: string;
    sampleUrl?: string;
    /** How long a warm edge function may keep serving a revoked hash from its memo (edge.memoTtlSeconds); 0 for public. */
    memoTtlSeconds: number;
    local: LocalIssuer;
    distribution: Distribution;
}

/**
 * One service's figures as the deployed dashboard shows them
 * (components/dashboard.ts): CloudFront's requests, cache hit rate and error
 * rates, the edge function's invocations, errors and duration, and the
 * mapping table's reads, for the emulated CDN since the stack started.
 */
export interface ServiceMetrics extends OperationsView {
    service: string;
    distributionId: string;
    /** The mapping table's reads; absent for `public`, which has no table. */
    dynamodb?: TableReads & { tableName: string };
}

export interface ApiResponse {
    status: number;
    body: unknown;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
    INVALID_INPUT: 400,
    REFUSED_CONTENT: 415,
    NOT_FOUND: 404,
    EXPIRED: 410,
    CONFLICT: 409,
    THROTTLED: 503,
    UPSTREAM: 502,
    CONFIG: 400,
};

function issuerFailure(error: IssuerError): ApiResponse {
    return { status: STATUS_BY_CODE[error.code] ?? 500, body: error.toJSON() };
}

function failure(status: number, code: string, message: string): ApiResponse {
    return { status, body: { code, message } };
}

export interface ApiRequest {
    method: string;
    url: URL;
    /** Reads the request body, refusing more than `maxBytes`. */
    body(maxBytes: number): Promise<Buffer>;
}

/** Slack over a service's upload limit before the body is cut off (the issuer refuses anything over the limit itself). */
const UPLOAD_SLACK_BYTES = 1024;

export class PlaygroundApi {
    private readonly byName: Map<string, PlaygroundService>;

    constructor(
        private readonly services: readonly PlaygroundService[],
        private readonly tableReads?: TableReadStats,
    ) {
        this.byName = new Map(services.map((service) => [service.name, service]));
    }

    async handle(request: ApiRequest): Promise<ApiResponse> {
        try {
            return await this.route(request);
        } catch (error) {
            if (isIssuerError(error)) return issuerFailure(error);
            if (error instanceof BodyTooLargeError) return failure(413, "TOO_LARGE", error.message);
            // The caller went away mid-body: nothing was done, and the answer reaches no one.
            if (error instanceof RequestAbortedError) return failure(400, "ABORTED", error.message);
            throw error;
        }
    }

    private async route({ method, url, body }: ApiRequest): Promise<ApiResponse> {
        const path = url.pathname;
        if (path === "/api/services" && method === "GET") {
            return {
                status: 200,
                body: {
                    services: this.services.map((service) => ({
                        name: service.name,
                        level: service.level,
                        mode: service.mode,
                        cdnBaseUrl: service.cdnBaseUrl,
                        distributionId: service.distribution.id,
                        sampleUrl: service.sampleUrl,
                        memoTtlSeconds: service.memoTtlSeconds,
                        maxUploadBytes: service.local.config.maxUploadBytes,
                    })),
                },
            };
        }
        if (path === "/api/stats" && method === "GET") return { status: 200, body: { distributions: statsOf(this.services.map((service) => service.distribution)) } };

        const match = /^\/api\/services\/([a-z0-9-]+)\/(upload|revoke|inspect|requests|metrics)$/.exec(path);
        if (!match) return failure(404, "NOT_FOUND", `no API at ${method} ${path}`);
        const service = this.byName.get(match[1]);
        if (!service) return failure(404, "NOT_FOUND", `no service "${match[1]}" in this stack (it has ${[...this.byName.keys()].join(", ")})`);
        const action = match[2];
        const expected = action === "upload" || action === "revoke" ? "POST" : "GET";
        if (method !== expected) return failure(405, "METHOD_NOT_ALLOWED", `${action} takes ${expected}`);

        switch (action) {
            case "upload": {
                const bytes = await body(service.local.config.maxUploadBytes + UPLOAD_SLACK_BYTES);
                return { status: 201, body: await service.local.issuer.upload(new Uint8Array(bytes)) };
            }
            case "revoke": {
                const raw = await body(4096);
                let hash: unknown;
                try {
                    hash = (JSON.parse(raw.toString("utf8")) as { hash?: unknown }).hash;
                } catch {
                    return failure(400, "INVALID_INPUT", 'revoke takes a JSON body {"hash": "<32 hex characters>"}');
                }
                if (typeof hash !== "string") return failure(400, "INVALID_INPUT", 'revoke takes a JSON body {"hash": "<32 hex characters>"}');
                return { status: 200, body: await service.local.issuer.revoke(hash) };
            }
            case "inspect":
                return { status: 200, body: await service.local.issuer.inspect(url.searchParams.get("hash") ?? "") };
            case "metrics":
                return { status: 200, body: this.metrics(service) };
            default: {
                const since = Number(url.searchParams.get("since") ?? "0");
                return { status: 200, body: { entries: service.distribution.stats.entriesSince(Number.isFinite(since) ? since : 0) } };
            }
        }
    }

    private metrics(service: PlaygroundService): ServiceMetrics {
        const tableName = service.local.config.tableName;
        return {
            service: service.name,
            distributionId: service.distribution.id,
            ...service.distribution.stats.operations(),
            ...(tableName !== undefined && this.tableReads ? { dynamodb: { tableName, ...this.tableReads.of(tableName) } } : {}),
        };
    }
}

export class BodyTooLargeError extends Error {
    constructor(maxBytes: number) {
        super(`the request body is larger than ${maxBytes} bytes`);
        this.name = "BodyTooLargeError";
    }
}

/** The client closed the connection before its request body was complete. */
export class RequestAbortedError extends Error {
    constructor() {
        super("the request was aborted before its body was complete");
        this.name = "RequestAbortedError";
    }
}

/** Reads a request body up to `maxBytes`; more is a {@link BodyTooLargeError}, a body cut short a {@link RequestAbortedError}. */
export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        req.on("data", (chunk: Buffer) => {
            if (done) return;
            size += chunk.length;
            if (size > maxBytes) {
                done = true;
                req.resume();
                reject(new BodyTooLargeError(maxBytes));
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => {
            if (!done) resolve(Buffer.concat(chunks));
        });
        req.on("error", () => {
            if (!done) reject(new RequestAbortedError());
        });
    });
}
