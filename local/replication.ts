/**
 * A local global table: one DynamoDB (dynalite) per replica region beside
 * the home one, and a replicator that copies what is written at home to
 * every replica after a set lag, as DynamoDB global tables do (their
 * `ReplicationLatency`, typically around a second between regions).
 *
 * The replicator is a proxy in front of the home DynamoDB: every call goes
 * through unchanged, and after each successful write (PutItem, DeleteItem,
 * UpdateItem, BatchWriteItem, TransactWriteItems) it notes the keys written.
 * `lagMs` later it reads each key at home (consistently) and puts the item
 * into every replica, or deletes it there if home no longer has it: the
 * replicas converge on home's state, last write wins, as a global table's
 * do. At start, each replica is filled with home's current items (a new
 * replica of a global table is backfilled likewise).
 *
 * The replicas live in memory: they are filled again from home at every
 * start. Writes go to home only (the issuer writes and revokes at home).
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import * as http from "http";
import { TABLE_SCHEMA } from "../core/contract";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "./aws";
import { closeServer, listenOn } from "./net";

export interface ReplicationOptions {
    /** The home DynamoDB every call is forwarded to. */
    homeEndpoint: string;
    /** Replica regions, each getting its own DynamoDB. */
    regions: readonly string[];
    /** Mapping tables to create in each replica. */
    tables: readonly string[];
    /** How long a home write takes to reach the replicas, ms. */
    lagMs: number;
    /** Replication failures (a replica or home unreachable); retried after another lag. */
    log?: (line: string) => void;
}

export interface LocalReplication {
    /** The replicator: the endpoint writers and the home reads go to. */
    homeEndpoint: string;
    /** Each replica region's DynamoDB endpoint. */
    replicaEndpoints: Record<string, string>;
    lagMs: number;
    /** Keys waiting for their lag to pass. */
    pending(): number;
    /** Replicates everything pending now (tests), without waiting for the lag. */
    flush(): Promise<void>;
    close(): Promise<void>;
}

/** Operations that change items. */
const WRITES = new Set(["PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems"]);

/** Most attempts to replicate one key before giving up (and saying so). */
const MAX_ATTEMPTS = 5;

type Key = Record<string, AttributeValue>;

interface Written {
    table: string;
    key: Key;
}

/** The (table, key) pairs a successful write call changed. */
export function writtenKeys(operation: string, body: unknown): Written[] {
    if (typeof body !== "object" || body === null) return [];
    const call = body as Record<string, unknown>;
    const keyOf = (item: unknown): Key | undefined => {
        if (typeof item !== "object" || item === null) return undefined;
        const value = (item as Record<string, AttributeValue | undefined>)[TABLE_SCHEMA.hashKey];
        return value ? { [TABLE_SCHEMA.hashKey]: value } : undefined;
    };
    const one = (table: unknown, item: unknown): Written[] => {
        const key = keyOf(item);
        return typeof table === "string" && key ? [{ table, key }] : [];
    };
    switch (operation) {
        case "PutItem":
            return one(call.TableName, call.Item);
        case "DeleteItem":
        case "UpdateItem":
            return one(call.TableName, call.Key);
        case "BatchWriteItem": {
            const written: Written[] = [];
            for (const [table, requests] of Object.entries((call.RequestItems ?? {}) as Record<string, unknown>)) {
                if (!Array.isArray(requests)) continue;
                for (const request of requests as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]) {
                    written.push(...one(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key));
                }
            }
            return written;
        }
        case "TransactWriteItems": {
            const written: Written[] = [];
            const items = Array.isArray(call.TransactItems) ? (call.TransactItems as Record<string, { TableName?: unknown; Item?: unknown; Key?: unknown } | undefined>[]) : [];
            for (const item of items) {
                const step = item.Put ?? item.Delete ?? item.Update;
                if (step) written.push(...one(step.TableName, step.Item ?? step.Key));
            }
            return written;
        }
        default:
            return [];
    }
}

export async function startLocalReplication(options: ReplicationOptions): Promise<LocalReplication> {
    const replicas = new Map<string, { server: LocalServer; client: DynamoDBClient }>();
    const home = localDynamoClient(options.homeEndpoint);
    const upstream = new URL(options.homeEndpoint);
    const agent = new http.Agent({ keepAlive: true });
    const due: { written: Written; attempt: number; timer: NodeJS.Timeout }[] = [];
    let closed = false;

    async function copy(written: Written): Promise<void> {
        const found = await home.send(new GetItemCommand({ TableName: written.table, Key: written.key, ConsistentRead: true }));
        for (const { client } of replicas.values()) {
            if (found.Item) await client.send(new PutItemCommand({ TableName: written.table, Item: found.Item }));
            else await client.send(new DeleteItemCommand({ TableName: written.table, Key: written.key }));
        }
    }

    function schedule(written: Written, attempt: number): void {
        if (closed) return;
        const entry = {
            written,
            attempt,
            timer: setTimeout(() => {
                due.splice(due.indexOf(entry), 1);
                void run(entry.written, entry.attempt);
            }, options.lagMs),
        };
        due.push(entry);
    }

    async function run(written: Written, attempt: number): Promise<void> {
        try {
            await copy(written);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            if (attempt + 1 < MAX_ATTEMPTS) {
                options.log?.(`replication of a ${written.table} item failed (${reason}); trying again in ${options.lagMs} ms`);
                schedule(written, attempt + 1);
            } else {
                options.log?.(`replication of a ${written.table} item failed ${MAX_ATTEMPTS} times (${reason}); giving up on it`);
            }
        }
    }

    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const body = Buffer.concat(chunks);
            const operation = String(request.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
            const outgoing = http.request(
                { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers, agent },
                (answer) => {
                    response.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(response);
                    if (answer.statusCode === 200 && WRITES.has(operation)) {
                        let parsed: unknown;
                        try {
                            parsed = JSON.parse(body.toString("utf8"));
                        } catch {
                            parsed = undefined;
                        }
                        for (const written of writtenKeys(operation, parsed)) schedule(written, 0);
                    }
                },
            );
            // Home is down: the caller sees its connection cut, as it would with home itself.
            outgoing.on("error", () => response.destroy());
            outgoing.end(body);
        });
    });
    server.on("clientError", (_error, socket) => socket.destroy());

    try {
        for (const region of options.regions) {
            const replica = await startLocalDynamo();
            const client = localDynamoClient(replica.endpoint);
            replicas.set(region, { server: replica, client });
            for (const table of options.tables) await createMappingTable(client, table);
        }
        await backfill(home, [...replicas.values()].map((replica) => replica.client), options.tables);
        const port = await listenOn(server, 0, "DynamoDB replicator");
        return {
            homeEndpoint: `http://127.0.0.1:${port}`,
            replicaEndpoints: Object.fromEntries([...replicas].map(([region, replica]) => [region, replica.server.endpoint])),
            lagMs: options.lagMs,
            pending: () => due.length,
            async flush() {
                const now = due.splice(0);
                for (const entry of now) clearTimeout(entry.timer);
                for (const entry of now) await run(entry.written, entry.attempt);
            },
            async close() {
                closed = true;
                for (const entry of due.splice(0)) clearTimeout(entry.timer);
                await closeServer(server);
                agent.destroy();
                home.destroy();
                for (const { server: replica, client } of replicas.values()) {
                    client.destroy();
                    await replica.close();
                }
            },
        };
    } catch (error) {
        home.destroy();
        for (const { server: replica, client } of replicas.values()) {
            client.destroy();
            await replica.close();
        }
        throw error;
    }
}

/** Copies every item of the tables from home to each replica. */
async function backfill(home: DynamoDBClient, replicas: readonly DynamoDBClient[], tables: readonly string[]): Promise<void> {
    for (const table of tables) {
        let startKey: Key | undefined;
        do {
            const page = await home.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }));
            for (const item of page.Items ?? []) for (const replica of replicas) await replica.send(new PutItemCommand({ TableName: table, Item: item }));
            startKey = page.LastEvaluatedKey;
        } while (startKey);
    }
}
