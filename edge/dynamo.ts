/**
 * The edge's one DynamoDB call, GetItem, as a signed JSON POST.
 *
 * Why not `@aws-sdk/client-dynamodb`: loading it costs about 100 ms per cold
 * start on this machine (`node -e "require('@aws-sdk/client-dynamodb')"`
 * against `node -e 0`), and the bundled SDK clients weigh hundreds of KB,
 * against the cold-start goal the benchmarks check (bench/cold-start.ts):
 * ≤ 40 ms above bare Node and ≤ 150 KB zipped.
 * The edge needs one operation, so it sends it itself: SigV4 from `aws4`
 * (small, well kept, caches signing keys), `node:https` with keep-alive, a
 * per-attempt timeout inside an overall budget, and at most one jittered
 * retry for throttling, 5xx and network failures.
 */
import { sign } from "aws4";
import type { AwsCredentials } from "./credentials";
import { classifyGetItem, DynamoFailure } from "../core/dynamo-errors";
import type { CallFailure, HttpTransport } from "./http-call";
import { EDGE_ATTRIBUTES } from "../core/item";
import { TABLE_SCHEMA } from "../core/contract";

/** Why a read failed. */
export type StoreFailure = CallFailure | DynamoFailure | "no_credentials";

/** One read of one hash: the wire item (or `undefined` for no item), or a failure. */
export type StoreRead =
    | { ok: true; item: unknown; attempts: number }
    | { ok: false; failure: StoreFailure; attempts: number; errorType?: string };

/** Reads mapping items by hash. `deadlineMs` is on the same clock as the handler's `now()`. */
export interface MappingStore {
    read(hash: string, consistent: boolean, deadlineMs: number): Promise<StoreRead>;
}

export interface DynamoStoreOptions {
    tableName: string;
    region: string;
    transport: HttpTransport;
    /** Called per read: credentials are never kept. */
    credentials: () => AwsCredentials | undefined;
    attemptTimeoutMs: number;
    /**
     * Attempts per read, at most {@link MAX_ATTEMPTS}. A replica gets one:
     * the next copy is a better second try than the same one again.
     * @default MAX_ATTEMPTS
     */
    maxAttempts?: number;
    now: () => number;
    random: () => number;
    sleep: (ms: number) => Promise<void>;
}

/** At most this many attempts per read (one retry). */
export const MAX_ATTEMPTS = 2;

/** An attempt with less time than this left is not started. */
const MIN_ATTEMPT_MS = 5;

/** The largest answer a projected GetItem can legitimately produce, with room to spare. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** The GetItem request body: the key, only the attributes the edge reads, and the read mode. */
export function getItemBody(tableName: string, hash: string, consistent: boolean): string {
    return JSON.stringify({
        TableName: tableName,
        Key: { [TABLE_SCHEMA.hashKey]: { S: hash } },
        ProjectionExpression: "#u, #e",
        ExpressionAttributeNames: { "#u": EDGE_ATTRIBUTES.s3Url, "#e": EDGE_ATTRIBUTES.expiresAt },
        ConsistentRead: consistent,
    });
}

/** Pause before the retry: 10–50 ms, jittered so throttled containers do not retry in step. */
export function retryPauseMs(random: number): number {
    return 10 + Math.floor(Math.min(Math.max(random, 0), 1) * 40);
}

export function createDynamoStore(options: DynamoStoreOptions): MappingStore {
    const { transport } = options;
    const maxAttempts = Math.max(1, Math.min(MAX_ATTEMPTS, options.maxAttempts ?? MAX_ATTEMPTS));

    async function attempt(body: string, credentials: AwsCredentials, timeoutMs: number) {
        const signed = sign(
            {
                service: "dynamodb",
                region: options.region,
                method: "POST",
                path: "/",
                host: transport.host,
                headers: {
                    Host: transport.host,
                    "Content-Type": "application/x-amz-json-1.0",
                    "X-Amz-Target": "DynamoDB_20120810.GetItem",
                },
                body,
            },
            credentials,
        );
        const headers: Record<string, string | number> = {};
        const signedHeaders = signed.headers ?? {};
        for (const name of Object.keys(signedHeaders)) {
            const value = signedHeaders[name];
            if (typeof value === "string" || typeof value === "number") headers[name] = value;
        }
        const result = await transport.send({ method: "POST", path: "/", headers, body, timeoutMs, maxResponseBytes: MAX_RESPONSE_BYTES });
        if (!result.ok) return { ok: false as const, failure: result.failure as StoreFailure, retryable: result.failure !== "too_large", errorType: undefined };
        return classifyGetItem(result.status, result.body);
    }

    return {
        async read(hash, consistent, deadlineMs) {
            const credentials = options.credentials();
            if (!credentials) return { ok: false, failure: "no_credentials", attempts: 0 };
            const body = getItemBody(options.tableName, hash, consistent);
            let attempts = 0;
            let failure: StoreFailure = "timeout";
            let errorType: string | undefined;
            while (attempts < maxAttempts) {
                const left = deadlineMs - options.now();
                if (left < MIN_ATTEMPT_MS) break;
                attempts += 1;
                const answer = await attempt(body, credentials, Math.min(options.attemptTimeoutMs, left));
                if (answer.ok) return { ok: true, item: answer.item, attempts };
                failure = answer.failure;
                errorType = answer.errorType;
                if (!answer.retryable || attempts >= maxAttempts) break;
                const pause = retryPauseMs(options.random());
                if (deadlineMs - options.now() - pause < MIN_ATTEMPT_MS) break;
                await options.sleep(pause);
            }
            return errorType === undefined ? { ok: false, failure, attempts } : { ok: false, failure, attempts, errorType };
        },
    };
}
