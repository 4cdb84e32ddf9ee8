/**
 * Starts and stops the whole local stack for a stack config: DynamoDB and S3
 * (real local implementations, data kept in the data folder), one CloudFront
 * emulator per service running the deployed edge code, the CloudFront API
 * for invalidations, the invalidators of the `required` + `origin` services
 * (one per copy of the table, following its local stream), the playground,
 * one sample image per service, and the state file the CLI reads. Used by
 * `npm start` (main.ts) and by tests.
 *
 * Start-up order matters: every fixed port is checked before anything is
 * touched (a taken port costs nothing), and if any step fails, whatever did
 * start is stopped again before the error is passed on.
 */
import { invalidatorSettingsFor } from "../components/invalidator-settings";
import { deliveryModeOf, hasVariants, isGuarded } from "../components/resolve-args";
import { DEFAULT_REPLICATION_LAG_MS } from "./cli-args";
import type { EdgeSettings } from "../core/edge-settings";
import { LOCAL_REGION, createMappingTable, localDynamoClient, restartable, RestartableServer, startLocalDynamo, startLocalS3, useLocalEdgeCredentials } from "./aws";
import type { EdgeCacheOptions } from "./cloudfront/cache";
import { startControlApi } from "./cloudfront/control-api";
import { TableReadStats } from "./cloudfront/stats";
import type { EdgeHandler } from "./cloudfront/edge-runner";
import { dynaliteFault } from "./dynalite-front";
import { dataLayout, DataLayout, prepareDataDir, wipeDataDir } from "./data-dir";
import { closeLocalIssuer, createLocalIssuer, LocalIssuer, localIssuerConfig } from "./issuers";
import { localOrigins } from "./guard";
import { assertPortFree } from "./net";
import { PlaygroundApi, PlaygroundService } from "./playground/api";
import { startPlayground } from "./playground/server";
import { LocalEndpoints, localEdgeSettings, LocalServicePlan, planLocalServices } from "./plan";
import { cdnPort, checkPortPlan, fixedPorts, PortPlan } from "./ports";
import { seedSample } from "./seed";
import { hasInvalidator, readsReplicas } from "../core/revocation";
import { LocalTableStream } from "./dynamo-stream";
import { LocalInvalidator, startLocalInvalidator } from "./invalidator";
import { LocalReplication, startLocalReplication } from "./replication";
import { realTimers, Timers } from "./timers";
import { ServiceCdn, startServiceCdn } from "./service-cdn";
import type { StackConfig } from "./stack-config";
import { assertNotRunning, LocalStackState, removeState, writeState } from "./state-file";

export interface LocalStackOptions {
    stackConfig: StackConfig;
    dataDir: string;
    /** Remove the data folder's contents first. */
    fresh: boolean;
    ports: PortPlan;
    /** Seed one sample image per service. @default true */
    seed?: boolean;
    /** Progress lines. */
    progress: (line: string) => void;
    /** Faults and function failures while running. */
    log: (line: string) => void;
    /** Changes to how the stack is put together, for tests; `npm start` uses none. */
    hooks?: LocalStackHooks;
    /**
     * Replicate the tables of the guarded services whose stack config names
     * no `replicaRegions` to these regions, `lagMs` behind home (a local
     * global table: one DynamoDB per region; local/replication.ts). Services
     * that name their own get those, with this lag (1,000 ms by default).
     * @default no replicas beyond the config's
     */
    replication?: { regions: string[]; lagMs: number };
    /**
     * The region each CDN emulator's edge function runs in (its
     * `AWS_REGION`), by service name; `"*"` for every other service.
     * @default the stack's region
     */
    edgeRegions?: Record<string, string>;
    /**
     * The clock and timers of the stack's background work: the replication
     * lag and retries, the invalidators' delayed and retried invalidations.
     * @default the real ones
     */
    timers?: Timers;
}

/**
 * What a test may change about the stack it starts. Everything else (the
 * servers, the deployed edge code, the distributions, the CloudFront API,
 * the issuers, the playground, the state file) is put together as for
 * `npm start`.
 */
export interface LocalStackHooks {
    /**
     * The services to run, given the ones planned from the stack config
     * (e.g. a second instance of a service in another delivery mode).
     */
    plans?: (planned: LocalServicePlan[]) => LocalServicePlan[];
    /**
     * The DynamoDB and S3 endpoints the edge functions call (and the
     * distributions fetch from), given the local servers' (e.g. a
     * fault-injecting proxy in front of DynamoDB). The issuers keep calling
     * the servers directly. Whatever the hook starts is the caller's to stop.
     */
    edgeEndpoints?: (servers: LocalEndpoints) => LocalEndpoints | Promise<LocalEndpoints>;
    /**
     * A handler to run in-process instead of a service's deployed edge code
     * (e.g. one whose memo a test reads), given the settings the deployed code
     * would capture; `undefined` keeps the deployed code.
     */
    edgeHandler?: (plan: LocalServicePlan, settings: EdgeSettings) => EdgeHandler | undefined;
    /** Bounds of every distribution's edge cache. @default the emulator's defaults */
    edgeCache?: EdgeCacheOptions;
}

export interface RunningService {
    name: string;
    plan: LocalServicePlan;
    cdn: ServiceCdn;
    local: LocalIssuer;
    sampleUrl?: string;
}

export interface LocalStack {
    state: LocalStackState;
    layout: DataLayout;
    services: RunningService[];
    /** The local AWS servers, for tests that stop them (fault injection). */
    servers: { dynamo: RestartableServer; s3: RestartableServer };
    /** The replicas and their replicator, when the tables are replicated. */
    replication?: LocalReplication;
    /** The stream of the home DynamoDB: every change of an item, whoever made it. */
    stream: LocalTableStream;
    /** The invalidators of the `required` + `origin` services: one per copy of each one's table. */
    invalidators: LocalInvalidator[];
    /** Milliseconds from the call to the playground being up. */
    startupMs: number;
    /** Reads of each table the local DynamoDB served (the dashboard's DynamoDB figures). */
    tableReads: TableReadStats;
    close(): Promise<void>;
}

export type { RestartableServer } from "./aws";

type Closer = () => Promise<void> | void;


export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
    const started = Date.now();
    const timers = options.timers ?? realTimers;
    const { progress } = options;
    const planned = planLocalServices(options.stackConfig.services);
    const plans = options.hooks?.plans?.(planned) ?? planned;
    const region = options.stackConfig.region ?? LOCAL_REGION;
    const layout = dataLayout(options.dataDir);

    checkPortPlan(options.ports, plans.length);
    assertNotRunning(layout.state);
    for (const { port, what } of fixedPorts(options.ports, plans.length)) await assertPortFree(port, what);

    const closers: Closer[] = [];
    const closeAll = async () => {
        for (const close of closers.reverse()) {
            try {
                await close();
            } catch (error) {
                options.log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
            }
        }
        closers.length = 0;
    };

    try {
        if (options.fresh) {
            progress(`removing the local data in ${layout.root} (--fresh)`);
            wipeDataDir(layout);
        }
        prepareDataDir(layout);
        closers.push(useLocalEdgeCredentials());

        progress("starting DynamoDB (dynalite) and S3 (s3rver)");
        const buckets = plans.map((plan) => plan.bucket);
        // Counts the table reads the playground's operations view shows (restarts keep counting).
        const tableReads = new TableReadStats();
        // Home's stream, which the replicator and the invalidators follow (restarts keep it).
        const stream = new LocalTableStream({ now: () => timers.now(), onListenerError: (error) => options.log(`stream of DynamoDB: a listener failed: ${error instanceof Error ? error.message : String(error)}`) });
        const startDynamo = (port: number) =>
            startLocalDynamo({
                port,
                dataDir: layout.dynamo,
                observe: (operation, body) => tableReads.record(operation, body),
                onFault: dynaliteFault(options.log, "DynamoDB"),
                stream,
            });
        // The playground's page may use the local S3 as an application's page uses its bucket; its port is known once it listens.
        const playgroundOrigins: string[] = [];
        const startS3 = (port: number) => startLocalS3({ port, dataDir: layout.s3, buckets, trustedOrigins: () => playgroundOrigins });
        const [firstDynamo, firstS3] = await Promise.all([startDynamo(options.ports.dynamodb), startS3(options.ports.s3)]);
        const dynamo = restartable(firstDynamo, startDynamo);
        const s3 = restartable(firstS3, startS3);
        closers.push(() => dynamo.close(), () => s3.close());

        const dynamoClient = localDynamoClient(dynamo.endpoint);
        try {
            for (const plan of plans) if (plan.tableName) await createMappingTable(dynamoClient, plan.tableName);
        } finally {
            dynamoClient.destroy();
        }

        let replication: LocalReplication | undefined;
        // Every region some service's table is replicated to: from the stack config, and from --replicas.
        const replicaRegions = [
            ...new Set([...(options.replication?.regions ?? []), ...plans.flatMap((plan) => (isGuarded(plan.settings) ? plan.settings.replicaRegions : []))]),
        ];
        if (replicaRegions.length > 0) {
            const regions = replicaRegions;
            const lagMs = options.replication?.lagMs ?? DEFAULT_REPLICATION_LAG_MS;
            progress(`replicating the tables to ${regions.join(", ")} (one DynamoDB each, ${lagMs} ms behind home)`);
            const started = await startLocalReplication({
                home: { endpoint: dynamo.endpoint, stream },
                regions,
                tables: plans.flatMap((plan) => (plan.tableName ? [plan.tableName] : [])),
                lagMs,
                log: options.log,
                timers,
            });
            replication = started;
            closers.push(() => started.close());
        }

        progress(`building the edge code and starting ${plans.length} CDN emulator${plans.length === 1 ? "" : "s"}`);
        // Writers and the home reads go to home itself: the replicator follows its stream.
        const homeDynamo = dynamo.endpoint;
        const endpoints: LocalEndpoints = replication
            ? { dynamodb: homeDynamo, s3: s3.endpoint, dynamodbReplicas: replication.replicaEndpoints, defaultReplicaRegions: options.replication?.regions ?? [] }
            : { dynamodb: homeDynamo, s3: s3.endpoint };
        const edgeEndpoints = (await options.hooks?.edgeEndpoints?.(endpoints)) ?? endpoints;
        const inProcess = (plan: LocalServicePlan) => {
            const settings = options.hooks?.edgeHandler && localEdgeSettings(plan, region, edgeEndpoints);
            return settings ? options.hooks?.edgeHandler?.(plan, settings) : undefined;
        };
        // Built side by side: the bundler runs in its own process, so two cores both work.
        const launched = await Promise.allSettled(
            plans.map((plan, index) =>
                startServiceCdn({
                    plan,
                    region,
                    endpoints: edgeEndpoints,
                    port: cdnPort(options.ports, index),
                    log: options.log,
                    edgeHandler: inProcess(plan),
                    cache: options.hooks?.edgeCache,
                    // The resizer's failures are faults; its other lines are its logs' business.
                    resizerLog: (line) => {
                        if (line.status >= 500) options.log(`[resizer ${plan.name}] ${JSON.stringify(line)}`);
                    },
                    edgeRegion: options.edgeRegions?.[plan.name] ?? options.edgeRegions?.["*"] ?? (replication ? region : undefined),
                }),
            ),
        );
        const cdns: ServiceCdn[] = [];
        for (const result of launched) {
            if (result.status === "fulfilled") {
                closers.push(() => result.value.close());
                cdns.push(result.value);
            }
        }
        const failed = launched.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failed) throw failed.reason;
        const controlApi = await startControlApi({ distributions: cdns.map((cdn) => cdn.distribution), port: options.ports.cloudfrontApi });
        closers.push(() => controlApi.close());

        const issuerEndpoints = { dynamodb: homeDynamo, s3: s3.endpoint, cloudfront: controlApi.endpoint };
        const invalidators: LocalInvalidator[] = [];
        closers.push(() => invalidators.forEach((invalidator) => invalidator.close()));
        const services: RunningService[] = cdns.map((cdn) => {
            const config = localIssuerConfig(cdn.plan, region, cdn.server.baseUrl, issuerEndpoints);
            // Replicas from --replicas are not in the plan's settings: the edge settings say whether it reads them.
            const edgeSettings = localEdgeSettings(cdn.plan, region, endpoints);
            if (edgeSettings && readsReplicas(edgeSettings)) config.replicaReads = true;
            if (isGuarded(cdn.plan.settings) && hasInvalidator(cdn.plan.settings) && cdn.plan.tableName) {
                // One per copy of the table the edge may read: home's, and each replica's once a removal reaches it.
                const guarded = cdn.plan.settings;
                for (const copy of [region, ...(edgeSettings?.replicaRegions ?? [])]) {
                    const copyStream = copy === region ? stream : replication?.streams[copy];
                    if (!copyStream) continue;
                    invalidators.push(
                        startLocalInvalidator({
                            settings: invalidatorSettingsFor(guarded, {
                                region: copy,
                                distributionId: cdn.plan.distributionId,
                                queueUrl: `local://invalidator-queue/${cdn.plan.name}/${copy}`,
                            }),
                            table: cdn.plan.tableName,
                            stream: copyStream,
                            cloudfrontEndpoint: controlApi.endpoint,
                            timers,
                            log: options.log,
                        }),
                    );
                }
            }
            const local = createLocalIssuer(config);
            closers.push(() => closeLocalIssuer(local));
            return { name: cdn.plan.name, plan: cdn.plan, cdn, local };
        });
        if (invalidators.length > 0) {
            const names = [...new Set(invalidators.map((invalidator) => invalidator.service))];
            progress(`invalidating removed hashes from the tables' streams for ${names.join(", ")} (${invalidators.length} invalidator${invalidators.length === 1 ? "" : "s"})`);
        }

        if (options.seed ?? true) {
            progress("seeding one sample image per service");
            for (const service of services) service.sampleUrl = (await seedSample(service.local)).url;
        }

        const playgroundServices: PlaygroundService[] = services.map((service) => ({
            name: service.name,
            level: service.plan.settings.level,
            mode: deliveryModeOf(service.plan.settings),
            cdnBaseUrl: service.cdn.server.baseUrl,
            sampleUrl: service.sampleUrl,
            memoTtlSeconds: service.plan.settings.level === "public" ? 0 : service.plan.settings.edge.memoTtlSeconds,
            local: service.local,
            distribution: service.cdn.distribution,
            ...(hasVariants(service.plan.settings) ? { variants: service.plan.settings.variants } : {}),
        }));
        const playground = await startPlayground({
            api: new PlaygroundApi(playgroundServices, tableReads),
            port: options.ports.playground,
            imageOrigins: [...services.map((service) => service.cdn.server.baseUrl), s3.endpoint],
            log: options.log,
        });
        closers.push(() => playground.close());
        playgroundOrigins.push(...localOrigins(playground.port));

        const state: LocalStackState = {
            pid: process.pid,
            startedAt: new Date(started).toISOString(),
            playgroundUrl: playground.url,
            endpoints: { dynamodb: homeDynamo, s3: s3.endpoint, cloudfront: controlApi.endpoint },
            listening: [
                { part: "playground", url: playground.url.replace(/\/$/, "") },
                { part: "CloudFront API", url: controlApi.endpoint },
                { part: "DynamoDB", url: dynamo.endpoint },
                ...(replication ? Object.entries(replication.replicaEndpoints).map(([region, url]) => ({ part: `DynamoDB ${region}`, url })) : []),
                { part: "S3", url: s3.endpoint },
                ...services.map((service) => ({ part: `CDN ${service.name}`, url: service.cdn.server.baseUrl })),
            ],
            services: Object.fromEntries(
                playgroundServices.map((service) => [
                    service.name,
                    {
                        issuer: service.local.config,
                        cdnBaseUrl: service.cdnBaseUrl,
                        level: service.level,
                        mode: service.mode,
                        ...(service.sampleUrl ? { sampleUrl: service.sampleUrl } : {}),
                    },
                ]),
            ),
        };
        writeState(layout.state, state);
        closers.push(() => removeState(layout.state));

        let closing: Promise<void> | undefined;
        return {
            state,
            layout,
            services,
            servers: { dynamo, s3 },
            ...(replication ? { replication } : {}),
            stream,
            invalidators,
            startupMs: Date.now() - started,
            tableReads,
            close: () => (closing ??= closeAll()),
        };
    } catch (error) {
        await closeAll();
        throw error;
    }
}
