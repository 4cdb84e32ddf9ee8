/**
 * The local stack (`startLocalStack`, as `npm start` assembles it) wired for
 * load runs, with its in-memory caches observable and bounded small enough
 * that a run pushes them to their limits:
 *
 * - discussion (required + origin) and regulatory (secured + origin) run
 *   the deployed edge code (the bundle `npm start` runs);
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
import { createMemo, Memo } from "../../../edge/memo";
import { createEdgeHandler, negativeMemoSeconds } from "../../../edge/runtime";
import type { Distribution } from "../../../local/cloudfront/distribution";
import { checkerPng } from "../../../local/png";
import type { LocalStack } from "../../../local/stack";
import { startTestStack } from "../../support/local-stack";
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

/** The service whose edge runs in-process, with a memo the world can size. */
const IN_PROCESS = "chat";

export async function startLoadWorld(options: LoadWorldOptions): Promise<LoadWorld> {
    const faults: string[] = [];
    const memos = new Map<string, { memo: Memo; bound: number }>();
    let stack: LocalStack | undefined;
    const close = async () => {
        await stack?.close();
    };
    try {
        stack = await startTestStack({
            services: {
                services: ["discussion", "chat", "regulatory"],
                overrides: { chat: { mode: "redirect", edge: { memoMaxEntries: options.memoEntries } } },
            },
            log: (line) => faults.push(line),
            hooks: {
                edgeCache: { maxEntries: options.cacheEntries },
                edgeHandler: (plan, settings) => {
                    if (plan.name !== IN_PROCESS) return undefined;
                    const memo = createMemo({ maxEntries: settings.memoMaxEntries, ttlSeconds: settings.memoTtlSeconds, negativeTtlSeconds: negativeMemoSeconds(settings) });
                    memos.set(plan.name, { memo, bound: settings.memoMaxEntries });
                    return createEdgeHandler(settings, { memo, log: () => undefined });
                },
            },
        });
        const s3Endpoint = stack.state.endpoints.s3;
        const services: LoadService[] = [];
        for (const [index, { plan, cdn, local }] of stack.services.entries()) {
            const mode = plan.settings.level === "public" ? "origin" : plan.settings.mode;
            const images: { hash: string; bytes: Buffer }[] = [];
            for (let i = 0; i < options.imagesPerService; i++) {
                const bytes = checkerPng({ width: 8, height: 8, square: 2, colors: [[index * 60, i % 256, 90], [255, 255, 255]] });
                const uploaded = await local.issuer.upload(bytes);
                images.push({ hash: uploaded.hash ?? "", bytes });
            }
            const inProcess = memos.get(plan.name);
            services.push({ name: plan.name, mode, port: cdn.server.port, distribution: cdn.distribution, memo: inProcess?.memo, memoBound: inProcess?.bound, images });
        }
        const plans = stack.services.map((service) => service.plan);

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
                    if (status !== 302 || !location.startsWith(`${s3Endpoint}/${bucketOf.get(service.name)}/uploads/`) || !location.includes("X-Amz-Signature=")) {
                        return `expected a 302 to a presigned URL, got ${status} ${location.slice(0, 80)}`;
                    }
                    if (!follow) return undefined;
                    const fetched = Buffer.from(await (await fetch(location)).arrayBuffer());
                    return fetched.equals(image.bytes) ? undefined : "the presigned URL did not give the image";
                },
            };
        };
        return { services, cacheBound: options.cacheEntries, s3Endpoint, faults, nextRequest, close };
    } catch (error) {
        await close();
        throw error;
    }
}
