/**
 * The warm-path benchmark's edge module: the same handler the component
 * deploys (edge/runtime.ts `createEdgeHandler`), one per delivery mode, with
 * the DynamoDB store on the in-process transport and log lines built but not
 * written (the console is the environment's cost, not the handler's). It is
 * serialized and bundled like the deployed code (edge-build.ts), and also
 * called directly to compare with the plain TypeScript modules.
 */
import { credentialsFromEnv } from "../../edge/credentials";
import { createDynamoStore } from "../../edge/dynamo";
import type { EdgeEvent, EdgeResult } from "../../edge/events";
import { createPresigner } from "../../edge/presign";
import { attemptTimeoutMs, createEdgeHandler } from "../../edge/runtime";
import type { EdgeSettings } from "../../core/edge-settings";
import type { AwsCredentials } from "../../edge/credentials";
import { inProcessTransport } from "./in-process-dynamo";

export type BenchHandler = (event: EdgeEvent) => Promise<EdgeResult>;

/** What the benchmark module exports. */
export interface BenchEdge {
    origin: BenchHandler;
    redirect: BenchHandler;
    /** The redirect mode's presigner, per URL. */
    presign(key: string, expiresInSeconds: number, nowMs: number, credentials: AwsCredentials): string;
}

export function benchEdgeFactory(origin: EdgeSettings, redirect: EdgeSettings): () => BenchEdge {
    return () => {
        const handlerFor = (settings: EdgeSettings): BenchHandler => {
            const credentials = () => credentialsFromEnv(process.env);
            const store = createDynamoStore({
                tableName: settings.tableName,
                region: settings.tableRegion,
                transport: inProcessTransport(settings.bucket),
                credentials,
                attemptTimeoutMs: attemptTimeoutMs(settings),
                now: () => Date.now(),
                random: () => Math.random(),
                sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            });
            return createEdgeHandler(settings, { store, credentials, log: () => undefined });
        };
        const presigner = createPresigner(redirect);
        return {
            origin: handlerFor(origin),
            redirect: handlerFor(redirect),
            presign: (key, expiresInSeconds, nowMs, credentials) => presigner.presign(key, expiresInSeconds, nowMs, credentials),
        };
    };
}
