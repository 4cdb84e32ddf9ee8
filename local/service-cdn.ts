/**
 * One service's CDN in the local stack: the edge function built exactly as
 * the component deploys it (`buildEdgeCode` on the same settings, only the
 * endpoints pointed at the local DynamoDB and S3), a {@link Distribution}
 * with the service's cache policy, error caching and response headers, its
 * private bucket as origin, and the HTTP server in front. With variants, the
 * `/images/*\/*` behavior too: the resizer's deployed module as its origin
 * (function-url-origin.ts), with the settings the component gives it (only
 * S3 pointed at the local one), and at `required` the published
 * CloudFront Function's source run on viewer-request (viewer-function.ts).
 */
import { buildEdgeCode } from "../components/edge-code";
import { LOCAL_CREDENTIALS } from "./aws";
import { EdgeCache, EdgeCacheOptions } from "./cloudfront/cache";
import { Distribution } from "./cloudfront/distribution";
import { edgeFunction, EdgeFunction, EdgeHandler, loadEdgeModule } from "./cloudfront/edge-runner";
import { policyCheckedOrigin } from "./cloudfront/bucket-policy";
import { bucketOrigin } from "./cloudfront/origin";
import { CdnServer, startCdnServer } from "./cloudfront/server";
import { StatsRecorder } from "./cloudfront/stats";
import { localBucketArn, LocalEndpoints, localEdgeSettings, LocalServicePlan } from "./plan";
import { CacheBehavior } from "./cloudfront/distribution";
import { functionUrlOrigin, FunctionUrlOrigin, loadResizerModule } from "./cloudfront/function-url-origin";
import { loadViewerFunction } from "./cloudfront/viewer-function";
import { hasVariants } from "../components/resolve-args";
import { resizerSettingsFor } from "../components/resizer-settings";
import { VARIANT_PATH_PATTERN } from "../core/variants";
import { acceptFunctionSource } from "../edge/accept-function";
import { resizerEnvironment } from "../resizer/settings";
import type { ResizerLogLine } from "../resizer/log";

export interface ServiceCdn {
    plan: LocalServicePlan;
    distribution: Distribution;
    server: CdnServer;
    /** The region its edge function runs in (`AWS_REGION`), when one was chosen. */
    edgeRegion?: string;
    /** Size of the deployed edge module text, bytes (0 for `public`, or when an in-process handler runs instead). */
    edgeCodeBytes: number;
    /** The resizer's function URL origin, with variants (tests call it directly: only the gate's paths are served). */
    resizer?: FunctionUrlOrigin;
    /** Stops the server and removes the edge module file it wrote. */
    close(): Promise<void>;
}

export interface ServiceCdnOptions {
    plan: LocalServicePlan;
    region: string;
    endpoints: LocalEndpoints;
    port: number;
    /** Function failures and emulator faults. */
    log: (line: string) => void;
    /** Runs this handler in-process instead of the deployed edge code (tests that read its memo). */
    edgeHandler?: EdgeHandler;
    /** Bounds of the distribution's edge cache. @default the emulator's defaults */
    cache?: EdgeCacheOptions;
    /** The region the edge function runs in (its `AWS_REGION`), which picks the copy of a replicated table it reads. @default unset */
    edgeRegion?: string;
    /** Receives the resizer's log lines (its CloudWatch Logs stand-in). @default none */
    resizerLog?: (line: ResizerLogLine) => void;
}

/**
 * The variants' cache behavior of a service with variants: the resizer as
 * its origin, the format negotiated on viewer-request first at `required`.
 */
export async function variantBehavior(plan: LocalServicePlan, region: string, s3Endpoint: string, log?: (line: ResizerLogLine) => void): Promise<CacheBehavior | undefined> {
    if (!hasVariants(plan.settings)) return undefined;
    const settings = plan.settings;
    const module = await loadResizerModule();
    const environment = resizerEnvironment({ ...resizerSettingsFor(settings, { bucket: plan.bucket, region }), endpoints: { s3: s3Endpoint } });
    const host = `${plan.distributionId.toLowerCase()}-resizer.lambda-url.${region}.on.aws`;
    const origin = functionUrlOrigin(host, (resizerLog) => module.handlerFromEnvironment(environment, resizerLog), log);
    return {
        pathPattern: VARIANT_PATH_PATTERN,
        origin,
        originEvent: {
            custom: { customHeaders: {}, domainName: host, keepaliveTimeout: 5, path: "", port: 443, protocol: "https", readTimeout: 30, sslProtocols: ["TLSv1.2"] },
        },
        originHost: host,
        ...(settings.level === "required" ? { viewerFunction: loadViewerFunction(acceptFunctionSource(settings.variants), `${plan.name}-formats.js`) } : {}),
    };
}

/** Builds and loads the service's edge module (if it has one). */
export async function loadServiceEdge(
    plan: LocalServicePlan,
    region: string,
    endpoints: LocalEndpoints,
    stats: StatsRecorder,
    edgeRegion?: string,
): Promise<{ edge?: EdgeFunction; bytes: number; dispose: () => void }> {
    const settings = localEdgeSettings(plan, region, endpoints);
    if (!settings) return { bytes: 0, dispose: () => undefined };
    const code = await buildEdgeCode(settings);
    const loaded =
        edgeRegion === undefined ? loadEdgeModule(code, `local-${plan.name}`) : loadEdgeModule(code, `local-${plan.name}-${edgeRegion}`, undefined, edgeRegion);
    return { edge: edgeFunction(loaded.handler, plan.edgeEvents, stats), bytes: Buffer.byteLength(code), dispose: loaded.dispose };
}

export async function startServiceCdn(options: ServiceCdnOptions): Promise<ServiceCdn> {
    const { plan, region, endpoints } = options;
    const stats = new StatsRecorder();
    const { edge, bytes, dispose } = options.edgeHandler
        ? { edge: edgeFunction(options.edgeHandler, plan.edgeEvents, stats), bytes: 0, dispose: () => undefined }
        : await loadServiceEdge(plan, region, endpoints, stats, options.edgeRegion);
    let variants: CacheBehavior | undefined;
    try {
        variants = await variantBehavior(plan, region, endpoints.s3, options.resizerLog);
    } catch (error) {
        dispose();
        throw error;
    }
    let distribution: Distribution | undefined;
    let server: CdnServer;
    try {
        server = await startCdnServer(
            {
                // The distribution needs its domain name, known once the port is bound.
                handle: (request) => {
                    if (!distribution) throw new Error("distribution not ready");
                    return distribution.handle(request);
                },
            },
            options.port,
            `CDN for ${plan.name} (CloudFront emulator)`,
            (error) => options.log(`[${plan.distributionId}] emulator fault: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
        );
    } catch (error) {
        dispose();
        throw error;
    }
    distribution = new Distribution({
        id: plan.distributionId,
        domainName: new URL(server.baseUrl).host,
        bucket: plan.bucket,
        region,
        // What the deployed bucket policy refuses CloudFront (the staging prefix), the local origin refuses too.
        origin: policyCheckedOrigin(bucketOrigin({ endpoint: endpoints.s3, bucket: plan.bucket, region, credentials: LOCAL_CREDENTIALS }), {
            policy: plan.bucketPolicy,
            bucketArn: localBucketArn(plan.bucket),
            distributionArn: plan.distributionArn,
        }),
        ttls: plan.ttls,
        errorCachingTtls: plan.errorCachingTtls,
        responseHeaders: plan.responseHeaders,
        edge,
        ...(variants ? { behaviors: [variants] } : {}),
        stats,
        cache: new EdgeCache(options.cache),
        log: options.log,
    });
    return {
        plan,
        distribution,
        server,
        edgeCodeBytes: bytes,
        ...(variants ? { resizer: variants.origin as FunctionUrlOrigin } : {}),
        ...(options.edgeRegion === undefined ? {} : { edgeRegion: options.edgeRegion }),
        close: async () => {
            await server.close();
            dispose();
        },
    };
}
