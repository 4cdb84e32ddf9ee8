/**
 * Builds a container's clients from the captured settings: a DynamoDB store
 * on a keep-alive transport for the home table and for each replica the
 * read plan picks for the region this container runs in (`AWS_REGION`,
 * which Lambda sets in every region), the memo, and (in redirect mode
 * only) the presigner. Credentials are read from the environment on every
 * use. Anything may be overridden (tests, benchmarks).
 */
import { credentialsFromEnv } from "./credentials";
import type { EdgeDeps } from "./deps";
import { createDynamoStore, MappingStore } from "./dynamo";
import { dynamoEndpoint } from "./endpoints";
import type { EdgeEvent, EdgeResult } from "./events";
import { handleEdgeEvent } from "./handler";
import { createTransport } from "./http-call";
import { createMemo } from "./memo";
import { createPresigner } from "./presign";
import { readPlan } from "../core/read-plan";
import { memoTrustSeconds } from "../core/revocation";
import type { EdgeSettings } from "../core/edge-settings";

/** Per-attempt DynamoDB timeout when the settings do not set one: half the lookup budget. */
export function attemptTimeoutMs(settings: Pick<EdgeSettings, "lookupTimeoutMs" | "lookupAttemptTimeoutMs">): number {
    return settings.lookupAttemptTimeoutMs ?? Math.max(1, Math.ceil(settings.lookupTimeoutMs / 2));
}

/** Lifetime of a confirmed miss in the memo when the settings do not set one. */
export function negativeMemoSeconds(settings: Pick<EdgeSettings, "memoTtlSeconds" | "notFoundTtlSeconds" | "memoNegativeTtlSeconds">): number {
    return settings.memoNegativeTtlSeconds ?? Math.min(settings.memoTtlSeconds, settings.notFoundTtlSeconds);
}

/**
 * The region this container runs in, as Lambda reports it (`AWS_REGION`;
 * Lambda@Edge sets it to the region of the replica that runs). Read once
 * per container: it never changes under a running one.
 */
export function executionRegionFromEnv(env: Record<string, string | undefined>): string | undefined {
    const region = env.AWS_REGION;
    return region && region.length <= 32 ? region : undefined;
}

export interface EdgeDepsOverrides extends Partial<Omit<EdgeDeps, "settings">> {
    /** The region the container runs in. @default `AWS_REGION` */
    executionRegion?: string;
    /** Builds the store for one copy of the table. @default a DynamoDB store on that region's endpoint */
    storeFor?: (region: string, home: boolean) => MappingStore;
}

export function createEdgeDeps(settings: EdgeSettings, overrides: EdgeDepsOverrides = {}): EdgeDeps {
    const now = overrides.now ?? (() => Date.now());
    const credentials = overrides.credentials ?? (() => credentialsFromEnv(process.env));
    const storeFor =
        overrides.storeFor ??
        ((region: string, home: boolean) =>
            createDynamoStore({
                tableName: settings.tableName,
                region,
                transport: createTransport(dynamoEndpoint(settings, region)),
                credentials,
                attemptTimeoutMs: attemptTimeoutMs(settings),
                maxAttempts: home ? undefined : 1,
                now,
                random: () => Math.random(),
                sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            }));
    const store = overrides.store ?? storeFor(settings.tableRegion, true);
    const executionRegion = "executionRegion" in overrides ? overrides.executionRegion : executionRegionFromEnv(process.env);
    const plan = readPlan(settings, executionRegion);
    const replicated =
        "replicated" in overrides
            ? overrides.replicated
            : (settings.replicaRegions ?? []).length > 0
              ? { homeRegion: settings.tableRegion, replicas: plan.replicas.map((region) => ({ region, store: storeFor(region, false) })) }
              : undefined;
    const memo =
        "memo" in overrides
            ? overrides.memo
            : settings.memoMaxEntries > 0
              ? createMemo({ maxEntries: settings.memoMaxEntries, ttlSeconds: memoTrustSeconds(settings), negativeTtlSeconds: negativeMemoSeconds(settings) })
              : undefined;
    const presigner = "presigner" in overrides ? overrides.presigner : settings.mode === "redirect" ? createPresigner(settings) : undefined;
    const log = overrides.log ?? ((line: string) => console.log(line));
    return { settings, store, replicated, homeConsistentOnly: overrides.homeConsistentOnly ?? plan.homeConsistentOnly, memo, presigner, credentials, now, log };
}

/** The Lambda handler for these settings. */
export function createEdgeHandler(settings: EdgeSettings, overrides: EdgeDepsOverrides = {}): (event: EdgeEvent) => Promise<EdgeResult> {
    const deps = createEdgeDeps(settings, overrides);
    return (event) => handleEdgeEvent(event, deps);
}
