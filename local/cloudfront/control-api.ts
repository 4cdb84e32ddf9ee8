/**
 * The local stand-in for the CloudFront API endpoint (cloudfront.amazonaws.com):
 * the invalidation calls the issuer's `revoke` makes through the AWS SDK,
 * plus a JSON view of the emulator's counters for the playground and
 * benchmarks (not an AWS API; under `/local/`).
 *
 *   POST /2020-05-31/distribution/{Id}/invalidation        CreateInvalidation → 201
 *   GET  /2020-05-31/distribution/{Id}/invalidation/{InvId} GetInvalidation → 200
 *   GET  /local/stats                                      counters of every distribution
 *   GET  /local/requests?distribution={Id}&since={seq}     recent request log
 *
 * Invalidations take effect before the answer is sent, so they are reported
 * `Completed` (CloudFront reports `InProgress` until its edges are done).
 * Request signatures are not checked; web pages are kept out by the guard.
 */
import { randomBytes } from "crypto";
import * as http from "http";
import type { Distribution } from "./distribution";
import {
    CloudFrontApiError,
    errorXml,
    Invalidation,
    invalidationXml,
    parseInvalidationBatch,
} from "./invalidation-xml";
import type { DistributionStats } from "./stats";
import { guardFor, PortPolicy } from "../guard";
import { closeServer, listenOn } from "../net";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The CloudFront API's port on the local stack's guard (local/guard.ts): it
 * changes caches and shows the request log (live hash URLs), and only the
 * AWS SDK, the CLI and the stack itself call it, none of which is a web
 * page, so no page of any origin may.
 */
export const CONTROL_API_POLICY: PortPolicy = { name: "the local CloudFront API" };

export interface ControlApiServer {
    /** `http://127.0.0.1:<port>`: the `endpoints.cloudfront` of the issuer's config. */
    endpoint: string;
    port: number;
    close(): Promise<void>;
}

export interface ControlApiOptions {
    distributions: readonly Distribution[];
    port: number;
    now?: () => Date;
}

/** The counters and cache size of each distribution, by id. */
export function statsOf(distributions: readonly Distribution[]): Record<string, DistributionStats> {
    const result: Record<string, DistributionStats> = {};
    for (const distribution of distributions) {
        result[distribution.id] = { ...distribution.stats.counters, cacheEntries: distribution.cache.size, cacheBytes: distribution.cache.sizeBytes };
    }
    return result;
}

export class InvalidationRegistry {
    private readonly byDistribution = new Map<string, Map<string, Invalidation>>();

    constructor(private readonly now: () => Date = () => new Date()) {}

    create(distribution: Distribution, body: string): Invalidation {
        const batch = parseInvalidationBatch(body);
        const existing = this.forDistribution(distribution.id);
        for (const invalidation of existing.values()) {
            if (invalidation.batch.callerReference !== batch.callerReference) continue;
            const same = invalidation.batch.paths.length === batch.paths.length && invalidation.batch.paths.every((p, i) => p === batch.paths[i]);
            if (same) return invalidation;
            throw new CloudFrontApiError("InvalidationBatchAlreadyExists", "An invalidation with this CallerReference and different paths already exists.", 409);
        }
        distribution.invalidate(batch.paths);
        const invalidation: Invalidation = { id: `I${randomBytes(10).toString("hex").toUpperCase()}`, status: "Completed", createTime: this.now(), batch };
        existing.set(invalidation.id, invalidation);
        return invalidation;
    }

    get(distributionId: string, invalidationId: string): Invalidation | undefined {
        return this.byDistribution.get(distributionId)?.get(invalidationId);
    }

    private forDistribution(id: string): Map<string, Invalidation> {
        let map = this.byDistribution.get(id);
        if (!map) this.byDistribution.set(id, (map = new Map()));
        return map;
    }
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                reject(new CloudFrontApiError("MalformedXML", "The request body is too large.", 413));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

export async function startControlApi(options: ControlApiOptions): Promise<ControlApiServer> {
    const registry = new InvalidationRegistry(options.now);
    const byId = new Map(options.distributions.map((distribution) => [distribution.id, distribution]));
    let endpoint = "";

    const sendXml = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": randomBytes(16).toString("hex"), ...headers });
        res.end(body);
    };
    const sendError = (res: http.ServerResponse, error: CloudFrontApiError) => sendXml(res, error.httpStatus, errorXml(error, randomBytes(16).toString("hex")));
    const sendJson = (res: http.ServerResponse, status: number, value: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(JSON.stringify(value));
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const method = req.method ?? "GET";
        if (url.pathname === "/local/stats" && method === "GET") return sendJson(res, 200, { distributions: statsOf(options.distributions) });
        if (url.pathname === "/local/requests" && method === "GET") {
            const distribution = byId.get(url.searchParams.get("distribution") ?? "");
            if (!distribution) return sendJson(res, 404, { error: "unknown distribution" });
            const since = Number(url.searchParams.get("since") ?? "0");
            return sendJson(res, 200, { entries: distribution.stats.entriesSince(Number.isFinite(since) ? since : 0) });
        }
        const match = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation(?:\/([^/]+))?$/.exec(url.pathname);
        if (!match) return sendError(res, new CloudFrontApiError("NotFound", "This local CloudFront API implements CreateInvalidation and GetInvalidation only.", 404));
        const distribution = byId.get(decodeURIComponent(match[1]));
        if (!distribution) return sendError(res, new CloudFrontApiError("NoSuchDistribution", "The specified distribution does not exist.", 404));
        if (match[2] === undefined && method === "POST") {
            const invalidation = registry.create(distribution, await readBody(req));
            return sendXml(res, 201, invalidationXml(invalidation), {
                Location: `${endpoint}/2020-05-31/distribution/${distribution.id}/invalidation/${invalidation.id}`,
            });
        }
        if (match[2] !== undefined && method === "GET") {
            const invalidation = registry.get(distribution.id, decodeURIComponent(match[2]));
            if (!invalidation) return sendError(res, new CloudFrontApiError("NoSuchInvalidation", "The specified invalidation does not exist.", 404));
            return sendXml(res, 200, invalidationXml(invalidation));
        }
        return sendError(res, new CloudFrontApiError("MethodNotAllowed", `${method} is not supported on this path.`, 405));
    };

    const guard = guardFor(CONTROL_API_POLICY, (res, message) => sendError(res, new CloudFrontApiError("AccessDenied", message, 403)));
    const server = http.createServer((req, res) => {
        if (guard(req, res)) return;
        handle(req, res).catch((error: unknown) => {
            if (res.headersSent) return res.destroy();
            if (error instanceof CloudFrontApiError) return sendError(res, error);
            sendError(res, new CloudFrontApiError("InternalError", "The local CloudFront API failed.", 500));
        });
    });
    const port = await listenOn(server, options.port, "CloudFront API (emulator)");
    endpoint = `http://127.0.0.1:${port}`;
    return { endpoint, port, close: () => closeServer(server) };
}
