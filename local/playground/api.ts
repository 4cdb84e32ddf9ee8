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
 *   GET  /api/services/{name}/variants?hash=…   → { presets: PresetView[] }: each preset of a hash and its URL
 *   POST /api/services/{name}/invalidate        body: {"hash": "…"} → drops its variants from the CDN cache,
 *                                               so the next views are answered by the resizer's stored copies
 *
 * Issuer errors come back as `{ code, message }` with a 4xx/5xx status.
 */
import type * as http from "http";
import { isIssuerError, IssuerError } from "../../issuer/errors";
import { statsOf } from "../cloudfront/control-api";
import type { Distribution } from "../cloudfront/distribution";
import type { OperationsView, TableReads, TableReadStats } from "../cloudfront/stats";
import type { LocalIssuer } from "../issuers";
import { isHash } from "../../core/contract";
import { cdnVariantUrl } from "../../core/variants";
import type { VariantCatalogue } from "../../core/variants";

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
    /** The service's variants, when it has some. */
    variants?: VariantCatalogue;
}

/** One preset of an upload, as the page shows it. */
export interface PresetView {
    name: string;
    /** `<cdn>/images/<hash>/<preset>`: the format is negotiated from the browser's `Accept`. */
    url: string;
    width: number;
    height: number;
    fit: string;
    formats: string[];
    eager: boolean;
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
                        variants: Object.keys(service.variants ?? {}),
                    })),
                },
            };
        }
        if (path === "/api/stats" && method === "GET") return { status: 200, body: { distributions: statsOf(this.services.map((service) => service.distribution)) } };

        const match = /^\/api\/services\/([a-z0-9-]+)\/(upload|revoke|inspect|requests|metrics|variants|invalidate)$/.exec(path);
        if (!match) return failure(404, "NOT_FOUND", `no API at ${method} ${path}`);
        const service = this.byName.get(match[1]);
        if (!service) return failure(404, "NOT_FOUND", `no service "${match[1]}" in this stack (it has ${[...this.byName.keys()].join(", ")})`);
        const action = match[2];
        const expected = action === "upload" || action === "revoke" || action === "invalidate" ? "POST" : "GET";
        if (method !== expected) return failure(405, "METHOD_NOT_ALLOWED", `${action} takes ${expected}`);

        switch (action) {
            case "upload": {
                const bytes = await body(service.local.config.maxUploadBytes + UPLOAD_SLACK_BYTES);
                return { status: 201, body: await service.local.issuer.upload(new Uint8Array(bytes)) };
            }
            case "revoke": {
                const hash = await hashIn(body, action);
                if (typeof hash !== "string") return hash;
                return { status: 200, body: await service.local.issuer.revoke(hash) };
            }
            case "invalidate": {
                const hash = await hashIn(body, action);
                if (typeof hash !== "string") return hash;
                if (!isHash(hash)) return failure(400, "INVALID_INPUT", "not a hash (32 lowercase hex characters)");
                // As a CloudFront invalidation of its variants' paths (the original stays cached).
                return { status: 200, body: { removed: service.distribution.invalidate([`/images/${hash}/*`]) } };
            }
            case "variants": {
                const hash = url.searchParams.get("hash") ?? "";
                if (!isHash(hash)) return failure(400, "INVALID_INPUT", "variants takes ?hash=<32 lowercase hex characters>");
                return { status: 200, body: { presets: presetViews(service, hash) } };
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

/** The hash of a JSON body `{"hash": "…"}`, or the 400 that says what was expected. */
async function hashIn(body: ApiRequest["body"], action: string): Promise<string | ApiResponse> {
    const raw = await body(4096);
    let hash: unknown;
    try {
        hash = (JSON.parse(raw.toString("utf8")) as { hash?: unknown }).hash;
    } catch {
        hash = undefined;
    }
    return typeof hash === "string" ? hash : failure(400, "INVALID_INPUT", `${action} takes a JSON body {"hash": "<32 hex characters>"}`);
}

/** Each preset of a hash: its negotiated URL and what it is. */
function presetViews(service: PlaygroundService, hash: string): PresetView[] {
    return Object.entries(service.variants ?? {}).map(([name, preset]) => ({
        name,
        url: cdnVariantUrl(service.cdnBaseUrl, hash, name),
        width: preset.width,
        height: preset.height,
        fit: preset.fit,
        formats: [...preset.formats],
        eager: preset.eager,
    }));
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
