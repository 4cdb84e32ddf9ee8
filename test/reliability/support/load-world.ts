/**
 * The local stack wired for load runs, with its in-memory caches observable
 * and bounded small enough that a run pushes them to their limits:
 *
 * - discussion (required + origin) and regulatory (secured + origin) run
 *   the deployed edge code (`loadServiceEdge`, the bundle `npm start` runs);
 * - chat (required + redirect) runs the same edge modules in-process with
 *   a memo this file holds, so its size can be read (a bundle keeps its memo
 *   inside its closure);
 * - every distribution gets an edge cache with `cacheEntries` as its bound.
 *
 * Each service gets `images` uploaded images; `nextRequest` picks a service
 * and either one of its hash URLs or a hash never issued (which fills the
 * caches and the memo with misses), with the check its answer must pass.
 */
import { randomBytes } from "crypto";
import { createMappingTable, localDynamoClient, LocalServer, LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamo, startLocalS3 } from "../../../local/aws";
import { EdgeCache } from "../../../local/cloudfront/cache";
import { Distribution } from "../../../local/cloudfront/distribution";
import { edgeFunction, EdgeFunction } from "../../../local/cloudfront/edge-runner";
import { bucketOrigin } from "../../../local/cloudfront/origin";
import { CdnServer, startCdnServer } from "../../../local/cloudfront/server";
import { StatsRecorder } from "../../../local/cloudfront/stats";
import { closeLocalIssuer, createLocalIssuer, LocalIssuer, localIssuerConfig } from "../../../local/issuers";
import { localEdgeSettings, LocalServicePlan, planLocalServices } from "../../../local/plan";
import { loadServiceEdge } from "../../../local/service-cdn";
import { createMemo, Memo } from "../../../edge/memo";
import { createEdgeHandler, negativeMemoSeconds } from "../../../edge/runtime";
import { checkerPng } from "../../../local/png";
import { useLocalEdgeCredentials } from "../../../local/aws";
import type { LoadRequest } from "./load";

export interface LoadService {
    name: string;
    mode: "origin" | "redirect";
    port: number;
    distribution: Distribution;
    /** The memo, when the edge runs in-process. */
    memo?: Memo;
    memoBound?: number;
    images: { hash: string; bytes: Buffer }[];
}

export interface LoadWorld {
    services: LoadService[];
    cacheBound: number;
    s3Endpoint: string;
    /** Function failures and emulator faults. */
    faults: string[];
    nextRequest(): LoadRequest;
    close(): Promise<void>;
}

export interface LoadWorldOptions {
    imagesPerService: number;
    cacheEntries: number;
    memoEntries: number;
    /** Share of requests for hashes never issued. */
    missShare: number;
    /** Share of redirects whose presigned URL is followed and its bytes checked. */
    followShare: number;
}

const NOT_FOUND_BODY = "Not Found\n";

async function startDistribution(plan: LocalServicePlan, edge: EdgeFunction, stats: StatsRecorder, cache: EdgeCache, s3: string, faults: string[]) {
    let distribution: Distribution | undefined;
    const server: CdnServer = await startCdnServer(
        {
            handle: (request) => {
                if (!distribution) throw new Error("distribution not ready");
                return distribution.handle(request);
            },
        },
        0,
        `load CDN for ${plan.name}`,
        (error) => faults.push(`${plan.name}: ${error instanceof Error ? error.message : String(error)}`),
    );
    distribution = new Distribution({
        id: plan.distributionId,
        domainName: new URL(server.baseUrl).host,
        bucket: plan.bucket,
        region: LOCAL_REGION,
        origin: bucketOrigin({ endpoint: s3, bucket: plan.bucket, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
        ttls: plan.ttls,
        errorCachingTtls: plan.errorCachingTtls,
        responseHeaders: plan.responseHeaders,
        edge,
        stats,
        cache,
        log: (line) => faults.push(line),
    });
    return { server, distribution };
}

export async function startLoadWorld(options: LoadWorldOptions): Promise<LoadWorld> {
    const restoreCredentials = useLocalEdgeCredentials();
    const plans = planLocalServices({
        services: ["discussion", "chat", "regulatory"],
        overrides: { chat: { mode: "redirect", edge: { memoMaxEntries: options.memoEntries } } },
    });
    const faults: string[] = [];
    const closers: (() => Promise<void> | void)[] = [restoreCredentials];
    const close = async () => {
        for (const closer of closers.reverse()) await closer();
    };
    try {
        const dynamo: LocalServer = await startLocalDynamo();
        closers.push(() => dynamo.close());
        const s3: LocalServer = await startLocalS3({ buckets: plans.map((plan) => plan.bucket) });
        closers.push(() => s3.close());
        const admin = localDynamoClient(dynamo.endpoint);
        for (const plan of plans) if (plan.tableName) await createMappingTable(admin, plan.tableName);
        admin.destroy();

        const endpoints = { dynamodb: dynamo.endpoint, s3: s3.endpoint };
        const services: LoadService[] = [];
        for (const [index, plan] of plans.entries()) {
            const settings = localEdgeSettings(plan, LOCAL_REGION, endpoints);
            if (!settings) throw new Error(`${plan.name} is not guarded`);
            const stats = new StatsRecorder();
            let edge: EdgeFunction;
            let memo: Memo | undefined;
            if (plan.name === "chat") {
                memo = createMemo({ maxEntries: settings.memoMaxEntries, ttlSeconds: settings.memoTtlSeconds, negativeTtlSeconds: negativeMemoSeconds(settings) });
                const handler = createEdgeHandler(settings, { memo, log: () => undefined });
                edge = edgeFunction(handler, plan.edgeEvents, stats);
            } else {
                const loaded = await loadServiceEdge(plan, LOCAL_REGION, endpoints, stats);
                if (!loaded.edge) throw new Error(`${plan.name}: no edge code`);
                edge = loaded.edge;
            }
            const { server, distribution } = await startDistribution(plan, edge, stats, new EdgeCache({ maxEntries: options.cacheEntries }), s3.endpoint, faults);
            closers.push(() => server.close());
            const local: LocalIssuer = createLocalIssuer(localIssuerConfig(plan, LOCAL_REGION, server.baseUrl, { ...endpoints, cloudfront: "http://127.0.0.1:9" }));
            closers.push(() => closeLocalIssuer(local));
            const images: { hash: string; bytes: Buffer }[] = [];
            for (let i = 0; i < options.imagesPerService; i++) {
                const bytes = checkerPng({ width: 8, height: 8, square: 2, colors: [[index * 60, i % 256, 90], [255, 255, 255]] });
                const uploaded = await local.issuer.upload(bytes);
                images.push({ hash: uploaded.hash ?? "", bytes });
            }
            services.push({
                name: plan.name,
                mode: settings.mode,
                port: server.port,
                distribution,
                memo,
                memoBound: memo ? settings.memoMaxEntries : undefined,
                images,
            });
        }

        const bucketOf = new Map(plans.map((plan) => [plan.name, plan.bucket]));
        const nextRequest = (): LoadRequest => {
            const service = services[Math.floor(Math.random() * services.length)];
            if (Math.random() < options.missShare) {
                return {
                    port: service.port,
                    path: `/images/${randomBytes(16).toString("hex")}`,
                    check: (status, _headers, body) => (status === 404 && body.toString() === NOT_FOUND_BODY ? undefined : `expected 404 for a hash never issued, got ${status}`),
                };
            }
            const image = service.images[Math.floor(Math.random() * service.images.length)];
            const follow = Math.random() < options.followShare;
            return {
                port: service.port,
                path: `/images/${image.hash}`,
                async check(status, headers, body) {
                    if (service.mode === "origin") return status === 200 && body.equals(image.bytes) ? undefined : `expected the image, got ${status} (${body.length} bytes)`;
                    const location = headers.location ?? "";
                    if (status !== 302 || !location.startsWith(`${s3.endpoint}/${bucketOf.get(service.name)}/uploads/`) || !location.includes("X-Amz-Signature=")) {
                        return `expected a 302 to a presigned URL, got ${status} ${location.slice(0, 80)}`;
                    }
                    if (!follow) return undefined;
                    const fetched = Buffer.from(await (await fetch(location)).arrayBuffer());
                    return fetched.equals(image.bytes) ? undefined : "the presigned URL did not give the image";
                },
            };
        };
        return { services, cacheBound: options.cacheEntries, s3Endpoint: s3.endpoint, faults, nextRequest, close };
    } catch (error) {
        await close();
        throw error;
    }
}
