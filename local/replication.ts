/**
 * A local global table: one DynamoDB (dynalite) per replica region beside
 * the home one, and a replicator that copies what is written at home to
 * every replica after a set lag, as DynamoDB global tables do (their
 * `ReplicationLatency`, typically around a second between regions).
 *
 * The replicator follows home's stream (dynamo-stream.ts): every change of
 * an item at home, whoever made it (the issuer, the CLI, a script against
 * the DynamoDB port), in the order it happened. Each replica has its own
 * queue of the changed keys: `lagMs` after a change, the replica's worker
 * reads the key at home (consistently) and puts the item into that replica,
 * or deletes it there if home no longer has it, so every replica converges
 * on home's state, last write wins, as a global table's do. A replica that
 * cannot be reached keeps its queue and tries its oldest key again after a
 * backoff that doubles from {@link RETRY_BASE_MS} up to
 * {@link RETRY_MAX_MS}, for as long as the stack runs; the other replicas go
 * on without it, and once it answers again it works through what it missed
 * in the order it was written. At start, each replica is filled with home's
 * current items (a new replica of a global table is backfilled likewise).
 *
 * Each replica's DynamoDB has a stream of its own ({@link
 * LocalReplication.streams}), which records a change once it reaches that
 * copy: what the invalidator of that region follows.
 *
 * The replicas keep their data in temporary folders, so a test can stop one
 * and start it again with its data; they are filled again from home at every
 * start and removed on close. Writes go to home only (the issuer writes and
 * revokes at home).
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createMappingTable, localDynamoClient, restartable, RestartableServer, startLocalDynamo } from "./aws";
import { dynaliteFault } from "./dynalite-front";
import { LocalTableStream } from "./dynamo-stream";
import type { WrittenKey } from "./dynamo-stream";
import { realTimers, Timers } from "./timers";

export interface ReplicationOptions {
    /** The home DynamoDB: where the replicas are filled from, and its stream, which the replicator follows. */
    home: { endpoint: string; stream: LocalTableStream };
    /** Replica regions, each getting its own DynamoDB. */
    regions: readonly string[];
    /** Mapping tables to create in each replica. */
    tables: readonly string[];
    /** How long a home write takes to reach the replicas, ms. */
    lagMs: number;
    /** A replica that starts failing (and how it fails), and when it catches up again. */
    log?: (line: string) => void;
    /** The clock and timers the lag and the retries run on. @default the real ones */
    timers?: Timers;
    /** Sees every request a replica's DynamoDB answers, by region (tests that check what arrives, and in what order). */
    observeReplica?: (region: string, operation: string, body: unknown) => void;
}

export interface LocalReplication {
    /** Each replica region's DynamoDB endpoint. */
    replicaEndpoints: Record<string, string>;
    /** Each replica region's DynamoDB, which a test may stop and start again (its data kept). */
    replicas: Record<string, RestartableServer>;
    /** Each replica region's stream: the changes that have reached that copy. */
    streams: Record<string, LocalTableStream>;
    lagMs: number;
    /** Writes not yet in a replica: that region's queue, or the longest queue. */
    pending(region?: string): number;
    /** Replicates everything queued now (tests), without waiting for the lag or a backoff; a replica that fails keeps its queue. */
    flush(): Promise<void>;
    /** Resolves once no replica is in the middle of copying (tests that move the clock, then look). */
    settled(): Promise<void>;
    close(): Promise<void>;
}

/** First wait before a failed copy is tried again, ms; each further failure doubles it. */
export const RETRY_BASE_MS = 200;

/** Longest wait between two tries, ms: a replica that comes back is caught up within this. */
export const RETRY_MAX_MS = 10_000;

/** The wait before try `failures + 1` of a replica's oldest key: doubling from RETRY_BASE_MS, capped at RETRY_MAX_MS. */
export function retryDelayMs(failures: number): number {
    return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

type Key = Record<string, AttributeValue>;

interface QueuedWrite {
    written: WrittenKey;
    /** When the lag has passed, epoch ms. */
    dueAt: number;
}

/**
 * One replica's queue and the worker that drains it, oldest first. A failed
 * copy stays at the front (the order is kept) and is tried again after
 * {@link retryDelayMs}; nothing here waits on another replica.
 */
class ReplicaQueue {
    private readonly entries: QueuedWrite[] = [];
    private failures = 0;
    private retryAt = 0;
    private cancelWake?: () => void;
    private working?: Promise<void>;
    private closed = false;

    constructor(
        readonly region: string,
        private readonly copy: (written: WrittenKey) => Promise<void>,
        private readonly timers: Timers,
        private readonly log: (line: string) => void,
    ) {}

    get length(): number {
        return this.entries.length;
    }

    push(written: WrittenKey, dueAt: number): void {
        if (this.closed) return;
        this.entries.push({ written, dueAt });
        this.schedule();
    }

    /** Copies everything queued now, lag and backoff ignored, stopping at the first failure. */
    async flush(): Promise<void> {
        await this.working;
        this.cancelWake?.();
        this.cancelWake = undefined;
        await this.start(true);
    }

    /** Resolves when no copy is under way. */
    async idle(): Promise<void> {
        while (this.working) await this.working;
    }

    close(): void {
        this.closed = true;
        this.cancelWake?.();
        this.cancelWake = undefined;
    }

    /** Runs the worker now if the oldest write is due, else wakes it when it will be. */
    private schedule(): void {
        if (this.closed || this.working || this.cancelWake || this.entries.length === 0) return;
        const wait = Math.max(this.entries[0].dueAt, this.retryAt) - this.timers.now();
        if (wait <= 0) {
            void this.start(false);
            return;
        }
        this.cancelWake = this.timers.after(wait, () => {
            this.cancelWake = undefined;
            this.schedule();
        });
    }

    private start(force: boolean): Promise<void> {
        if (this.working) return this.working;
        const run = this.drain(force).finally(() => {
            this.working = undefined;
            this.schedule();
        });
        this.working = run;
        return run;
    }

    private async drain(force: boolean): Promise<void> {
        while (!this.closed && this.entries.length > 0 && (force || (this.entries[0].dueAt <= this.timers.now() && this.retryAt <= this.timers.now()))) {
            const head = this.entries[0];
            try {
                await this.copy(head.written);
            } catch (error) {
                this.failures += 1;
                const delay = retryDelayMs(this.failures);
                this.retryAt = this.timers.now() + delay;
                if (this.failures === 1) {
                    const reason = error instanceof Error ? error.message : String(error);
                    this.log(`replication to ${this.region} failed (${reason}); ${this.entries.length} write(s) wait for it, tried again with a backoff from ${RETRY_BASE_MS} ms up to ${RETRY_MAX_MS} ms; the other regions go on`);
                }
                return;
            }
            this.entries.shift();
            if (this.failures > 0) this.log(`replication to ${this.region} works again after ${this.failures} failed tr${this.failures === 1 ? "y" : "ies"}; catching up in write order`);
            this.failures = 0;
            this.retryAt = 0;
        }
    }
}

export async function startLocalReplication(options: ReplicationOptions): Promise<LocalReplication> {
    const timers = options.timers ?? realTimers;
    const log = options.log ?? (() => undefined);
    const replicas = new Map<string, { server: RestartableServer; client: DynamoDBClient; queue: ReplicaQueue; stream: LocalTableStream }>();
    const folders: string[] = [];
    // One attempt per call: the queues retry with their own backoff.
    const home = localDynamoClient(options.home.endpoint, { maxAttempts: 1 });

    /** Puts home's current item for the key into one replica, or deletes it there when home has none. */
    async function copyTo(client: DynamoDBClient, written: WrittenKey): Promise<void> {
        const found = await home.send(new GetItemCommand({ TableName: written.table, Key: written.key, ConsistentRead: true }));
        if (found.Item) await client.send(new PutItemCommand({ TableName: written.table, Item: found.Item }));
        else await client.send(new DeleteItemCommand({ TableName: written.table, Key: written.key }));
    }

    // Every change at home, in order, whoever made it: each replica gets it after the lag.
    const unsubscribe = options.home.stream.subscribe((record) => {
        const dueAt = timers.now() + options.lagMs;
        for (const { queue } of replicas.values()) queue.push({ table: record.table, key: record.keys }, dueAt);
    });

    const closeReplicas = async () => {
        unsubscribe();
        for (const { server: replica, client, queue } of replicas.values()) {
            queue.close();
            client.destroy();
            await replica.close();
        }
        for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    };

    try {
        for (const region of options.regions) {
            const folder = fs.mkdtempSync(path.join(os.tmpdir(), `sic-replica-${region}-`));
            folders.push(folder);
            // The replica's stream outlives its restarts, as its data does.
            const stream = new LocalTableStream({ now: () => timers.now(), onListenerError: (error) => log(`stream of DynamoDB ${region}: a listener failed: ${describe(error)}`) });
            const startReplica = (port: number) =>
                startLocalDynamo({
                    port,
                    dataDir: folder,
                    onFault: dynaliteFault(log, `DynamoDB ${region}`),
                    stream,
                    ...(options.observeReplica ? { observe: (operation, body) => options.observeReplica?.(region, operation, body) } : {}),
                });
            const replica = restartable(await startReplica(0), startReplica);
            const client = localDynamoClient(replica.endpoint, { maxAttempts: 1 });
            const queue = new ReplicaQueue(region, (written) => copyTo(client, written), timers, log);
            replicas.set(region, { server: replica, client, queue, stream });
            for (const table of options.tables) await createMappingTable(client, table);
        }
        await backfill(home, [...replicas.values()].map((replica) => replica.client), options.tables);
        const queues = () => [...replicas.values()].map((replica) => replica.queue);
        return {
            replicaEndpoints: Object.fromEntries([...replicas].map(([region, replica]) => [region, replica.server.endpoint])),
            replicas: Object.fromEntries([...replicas].map(([region, replica]) => [region, replica.server])),
            streams: Object.fromEntries([...replicas].map(([region, replica]) => [region, replica.stream])),
            lagMs: options.lagMs,
            pending: (region) => (region === undefined ? Math.max(0, ...queues().map((queue) => queue.length)) : (replicas.get(region)?.queue.length ?? 0)),
            async flush() {
                await Promise.all(queues().map((queue) => queue.flush()));
            },
            async settled() {
                await Promise.all(queues().map((queue) => queue.idle()));
            },
            async close() {
                unsubscribe();
                for (const queue of queues()) queue.close();
                await Promise.all(queues().map((queue) => queue.idle()));
                home.destroy();
                await closeReplicas();
            },
        };
    } catch (error) {
        home.destroy();
        await closeReplicas();
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

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
