/**
 * Builds a container's clients from the captured settings: the DynamoDB
 * store on a keep-alive transport to the table's region, the memo, and (in
 * redirect mode only) the presigner. Credentials are read from the
 * environment on every use. Anything may be overridden (tests, benchmarks).
 */
import { credentialsFromEnv } from "./credentials";
import type { EdgeDeps } from "./deps";
import { createDynamoStore } from "./dynamo";
import { dynamoEndpoint } from "./endpoints";
import type { EdgeEvent, EdgeResult } from "./events";
import { handleEdgeEvent } from "./handler";
import { createTransport } from "./http-call";
import { createMemo } from "./memo";
import { createPresigner } from "./presign";
import { memoTrustSeconds } from "./revocation";
import type { EdgeSettings } from "./settings";

/** Per-attempt DynamoDB timeout when the settings do not set one: half the lookup budget. */
export function attemptTimeoutMs(settings: Pick<EdgeSettings, "lookupTimeoutMs" | "lookupAttemptTimeoutMs">): number {
    return settings.lookupAttemptTimeoutMs ?? Math.max(1, Math.ceil(settings.lookupTimeoutMs / 2));
}

/** Lifetime of a confirmed miss in the memo when the settings do not set one. */
export function negativeMemoSeconds(settings: Pick<EdgeSettings, "memoTtlSeconds" | "notFoundTtlSeconds" | "memoNegativeTtlSeconds">): number {
    return settings.memoNegativeTtlSeconds ?? Math.min(settings.memoTtlSeconds, settings.notFoundTtlSeconds);
}

export function createEdgeDeps(settings: EdgeSettings, overrides: Partial<Omit<EdgeDeps, "settings">> = {}): EdgeDeps {
    const now = overrides.now ?? (() => Date.now());
    const credentials = overrides.credentials ?? (() => credentialsFromEnv(process.env));
    const store =
        overrides.store ??
        createDynamoStore({
            tableName: settings.tableName,
            region: settings.tableRegion,
            transport: createTransport(dynamoEndpoint(settings)),
            credentials,
            attemptTimeoutMs: attemptTimeoutMs(settings),
            now,
            random: () => Math.random(),
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        });
    const memo =
        "memo" in overrides
            ? overrides.memo
            : settings.memoMaxEntries > 0
              ? createMemo({ maxEntries: settings.memoMaxEntries, ttlSeconds: memoTrustSeconds(settings), negativeTtlSeconds: negativeMemoSeconds(settings) })
              : undefined;
    const presigner = "presigner" in overrides ? overrides.presigner : settings.mode === "redirect" ? createPresigner(settings) : undefined;
    const log = overrides.log ?? ((line: string) => console.log(line));
    return { settings, store, memo, presigner, credentials, now, log };
}

/** The Lambda handler for these settings. */
export function createEdgeHandler(settings: EdgeSettings, overrides: Partial<Omit<EdgeDeps, "settings">> = {}): (event: EdgeEvent) => Promise<EdgeResult> {
    const deps = createEdgeDeps(settings, overrides);
    return (event) => handleEdgeEvent(event, deps);
}
