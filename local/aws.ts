/**
 * Real local AWS implementations on loopback: `dynalite` (DynamoDB) and
 * `s3rver` (S3). Used by the local stack, the tests and the benchmarks, so all
 * three exercise the same servers the same way. Tables are created from the
 * same schema the component deploys (core/contract.ts TABLE_SCHEMA).
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "net";
import type { IncomingMessage, Server, ServerResponse } from "http";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TABLE_SCHEMA } from "../core/contract";
import { LOCAL_ENDPOINT_CREDENTIALS } from "../issuer/clients";
import { dynamoPolicy, dynamoRefusal, frontDynalite } from "./dynalite-front";
import type { LocalTableStream } from "./dynamo-stream";
import { guardFor } from "./guard";
import { s3Policy, s3Refusal } from "./s3-front";
import { assertPortFree, closeServer, listenOn } from "./net";
import { LocalS3Store } from "./s3-store";

// Neither package ships type declarations; these are the parts used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server = require("dynalite");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver: new (options: Record<string, unknown>) => {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    store: unknown;
    context: { store: unknown };
    /** Koa's middleware list, composed when the server starts listening. */
    middleware: ((ctx: { req: IncomingMessage; res: ServerResponse; respond?: boolean }, next: () => Promise<void>) => unknown)[];
} = require("s3rver");

/** Region the local stack pretends to be in; any valid region name works locally. */
export const LOCAL_REGION = "us-east-1";

/**
 * Dummy credentials for the local servers. Neither checks them, but the
 * signing code paths (SDK and edge) need something to sign with. The same
 * values the issuing library uses for overridden endpoints.
 */
export const LOCAL_CREDENTIALS = LOCAL_ENDPOINT_CREDENTIALS;

/**
 * The edge code signs its DynamoDB and S3 requests with the credentials
 * Lambda puts in the environment; locally those are the dummy credentials
 * above, which the local servers accept (they check no signature). Returns
 * the undo (the stack and the tests run the edge inside their own process).
 */
export function useLocalEdgeCredentials(): () => void {
    return useEnv({ AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: undefined });
}

/**
 * Sets (or, for `undefined`, removes) environment variables of this process
 * and returns the undo, which puts back what was there.
 */
export function useEnv(values: Record<string, string | undefined>): () => void {
    const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
    for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    return () => {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}

export interface LocalServer {
    /** `http://127.0.0.1:<port>` */
    endpoint: string;
    port: number;
    close(): Promise<void>;
}

/** A local server that a test may stop and start again (same port, same data) while the stack runs. */
export interface RestartableServer extends LocalServer {
    /** Stops the server; its data stays in the data folder. Callers see refused connections. */
    stop(): Promise<void>;
    /** Starts it again on its port with its data; nothing happens if it is running. */
    start(): Promise<void>;
}

/** A started server that can be stopped and started again on the same port. */
export function restartable(first: LocalServer, startAgain: (port: number) => Promise<LocalServer>): RestartableServer {
    let running: LocalServer | undefined = first;
    const stop = async () => {
        const server = running;
        running = undefined;
        await server?.close();
    };
    return {
        endpoint: first.endpoint,
        port: first.port,
        stop,
        async start() {
            running ??= await startAgain(first.port);
        },
        close: stop,
    };
}

export interface LocalDynamoOptions {
    /** Port to listen on; 0 picks a free one. @default 0 */
    port?: number;
    /** LevelDB folder for data that survives a restart; in memory when unset. */
    dataDir?: string;
    /**
     * Sees every request dynalite answers: its operation (`GetItem`,
     * `Query`…, from `X-Amz-Target`) and its parsed JSON body. For counting
     * (the playground's DynamoDB reads); it cannot change the request.
     */
    observe?: (operation: string, body: unknown) => void;
    /** What dynalite throws while handling a request (the caller gets a 500; local/dynalite-front.ts). */
    onFault?: (error: unknown) => void;
    /** The DynamoDB's stream (local/dynamo-stream.ts), kept across restarts by the caller: every write goes through it. */
    stream?: LocalTableStream;
}

/**
 * Starts dynalite on 127.0.0.1, behind its front (local/dynalite-front.ts:
 * no web page gets through the guard, only complete requests reach it,
 * nothing it throws on one escapes, and with a stream every write is
 * recorded in it).
 * Rejects with a clear error when the port is taken.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalServer> {
    if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.dataDir });
    frontDynalite(server, { observe: options.observe, onFault: options.onFault, screen: guardFor(dynamoPolicy(), dynamoRefusal), stream: options.stream });
    const port = await listenOn(server, options.port ?? 0, "DynamoDB (dynalite)");
    return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        close: () => closeServer(server),
    };
}

export interface LocalS3Options {
    /** Port to listen on; 0 picks a free one. @default 0 */
    port?: number;
    /** Folder for the objects; a fresh temporary folder when unset (removed on close). */
    dataDir?: string;
    /** Buckets to create at start. */
    buckets?: string[];
    /** Origins whose web pages may use this S3 (the playground's), asked at each request (local/s3-front.ts). @default none */
    trustedOrigins?: () => readonly string[];
}

/**
 * Starts s3rver on 127.0.0.1 with the given buckets, behind the guard
 * (local/s3-front.ts). Rejects with a clear error when the port is taken.
 */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalServer> {
    const temporary = options.dataDir === undefined;
    const directory = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sic-s3-"));
    fs.mkdirSync(directory, { recursive: true });
    const s3 = new S3rver({
        port: options.port ?? 0,
        address: "127.0.0.1",
        directory,
        silent: true,
        configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
    });
    // Long keys, odd segments and failed writes answered rather than crashing the process (s3-store.ts).
    s3.store = s3.context.store = new LocalS3Store(directory);
    // The guard runs before anything of s3rver's, its logger included (s3-front.ts).
    const guard = guardFor(s3Policy(options.trustedOrigins), s3Refusal);
    s3.middleware.unshift((ctx, next) => {
        if (!guard(ctx.req, ctx.res)) return next();
        ctx.respond = false;
        return undefined;
    });
    // s3rver emits a listen failure as an unhandled 'error' event (a crash),
    // so a fixed port is checked first.
    if (options.port) await assertPortFree(options.port, "S3 (s3rver)");
    const address = await s3.run();
    return {
        endpoint: `http://127.0.0.1:${address.port}`,
        port: address.port,
        close: async () => {
            await s3.close();
            if (temporary) fs.rmSync(directory, { recursive: true, force: true });
        },
    };
}

/** A DynamoDB client for a local endpoint; `maxAttempts` 1 for a caller that retries on its own terms. */
export function localDynamoClient(endpoint: string, options: { maxAttempts?: number } = {}): DynamoDBClient {
    return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...options });
}

/**
 * Creates a mappings table with the component's schema: `hash` key and the
 * `s3_url` index. dynalite has no TTL API; the edge and the issuer check
 * `expires_at` themselves, so nothing depends on TTL deletion.
 * An existing table is left as it is. Returns once the table is ACTIVE:
 * dynalite marks a new table ACTIVE a moment after CreateTable answers (even
 * with `createTableMs: 0`), and a write before that is ResourceNotFound.
 */
export async function createMappingTable(client: DynamoDBClient, tableName: string): Promise<void> {
    try {
        await client.send(
            new CreateTableCommand({
                TableName: tableName,
                BillingMode: "PAY_PER_REQUEST",
                AttributeDefinitions: [
                    { AttributeName: TABLE_SCHEMA.hashKey, AttributeType: "S" },
                    { AttributeName: TABLE_SCHEMA.s3UrlAttribute, AttributeType: "S" },
                ],
                KeySchema: [{ AttributeName: TABLE_SCHEMA.hashKey, KeyType: "HASH" }],
                GlobalSecondaryIndexes: [
                    {
                        IndexName: TABLE_SCHEMA.s3UrlIndex,
                        KeySchema: [{ AttributeName: TABLE_SCHEMA.s3UrlAttribute, KeyType: "HASH" }],
                        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...TABLE_SCHEMA.s3UrlIndexAttributes] },
                    },
                ],
            }),
        );
    } catch (error) {
        if ((error as { name?: string }).name !== "ResourceInUseException") throw error;
    }
    await waitForActiveTable(client, tableName);
}

/** Polls DescribeTable until the table is ACTIVE (at most `timeoutMs`). */
async function waitForActiveTable(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === "ACTIVE") return;
        if (Date.now() > deadline) throw new Error(`table ${tableName} is still ${Table?.TableStatus ?? "unknown"} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}
