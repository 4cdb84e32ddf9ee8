/**
 * A local DynamoDB stream: what a table's stream (`NEW_AND_OLD_IMAGES`)
 * would carry, for one local DynamoDB (dynalite has no streams). The
 * DynamoDB's front (dynalite-front.ts) hands it every write call, whoever
 * sends it (the issuer, the replicator, the CLI, a script of any language
 * against the port); it runs the calls one at a time, reads each item the
 * call names before and after it, and gives its listeners one record per
 * item that changed, in the order the changes happened: `INSERT`, `MODIFY`
 * or `REMOVE`, with the old and the new image. The call's answer goes back
 * to its caller once its records are out, so a caller that got its answer
 * knows the stream has the change (in AWS a record appears shortly after
 * the write; "Change data capture for DynamoDB Streams").
 *
 * Reads are not held up: only writes wait for each other. The replicator
 * (replication.ts) follows home's stream, and each replica's DynamoDB has a
 * stream of its own, which carries a removal once it reaches that copy, as a
 * global table's replicas do.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { TABLE_SCHEMA } from "../core/contract";

/** An item as DynamoDB's JSON has it. */
export type Item = Record<string, AttributeValue>;

/** One change of one item. */
export interface LocalStreamRecord {
    /** 1, 2, 3…: the order of the changes in this stream. */
    sequence: number;
    eventName: "INSERT" | "MODIFY" | "REMOVE";
    table: string;
    keys: Item;
    /** The item before the change (`MODIFY`, `REMOVE`). */
    oldImage?: Item;
    /** The item after it (`INSERT`, `MODIFY`). */
    newImage?: Item;
    /** When the change was made, epoch ms. */
    at: number;
}

/** Operations that change items. */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set(["PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems"]);

/** A (table, key) pair a write call names. */
export interface WrittenKey {
    table: string;
    key: Item;
}

/** The (table, key) pairs a write call names: what it may change. */
export function writtenKeys(operation: string, body: unknown): WrittenKey[] {
    if (typeof body !== "object" || body === null) return [];
    const call = body as Record<string, unknown>;
    const keyOf = (item: unknown): Item | undefined => {
        if (typeof item !== "object" || item === null) return undefined;
        const value = (item as Record<string, AttributeValue | undefined>)[TABLE_SCHEMA.hashKey];
        return value ? { [TABLE_SCHEMA.hashKey]: value } : undefined;
    };
    const one = (table: unknown, item: unknown): WrittenKey[] => {
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
            const written: WrittenKey[] = [];
            for (const [table, requests] of Object.entries((call.RequestItems ?? {}) as Record<string, unknown>)) {
                if (!Array.isArray(requests)) continue;
                for (const request of requests as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]) {
                    written.push(...one(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key));
                }
            }
            return written;
        }
        case "TransactWriteItems": {
            const written: WrittenKey[] = [];
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

/** How the stream reaches the DynamoDB it follows. */
export interface StreamAccess<Answer extends { status: number }> {
    /** The write call itself, as its caller sent it. */
    write(): Promise<Answer>;
    /** A consistent read of one item; undefined when there is none (or the table is not there). */
    read(table: string, key: Item): Promise<Item | undefined>;
}

export type StreamListener = (record: LocalStreamRecord) => void;

export class LocalTableStream {
    private readonly listeners = new Set<StreamListener>();
    private chain: Promise<unknown> = Promise.resolve();
    private sequence = 0;

    private readonly now: () => number;
    private readonly onListenerError: (error: unknown) => void;

    /** `now` stamps the records; `onListenerError` hears what a listener threw (the write and the other listeners go on). */
    constructor(options: { now?: () => number; onListenerError?: (error: unknown) => void } = {}) {
        this.now = options.now ?? Date.now;
        this.onListenerError = options.onListenerError ?? (() => undefined);
    }

    /** Calls `listener` with every record from now on, in order; returns the unsubscribe. */
    subscribe(listener: StreamListener): () => void {
        this.listeners.add(listener);
        return () => void this.listeners.delete(listener);
    }

    /** Records given out so far. */
    get recorded(): number {
        return this.sequence;
    }

    /**
     * Runs one write call with every other write waiting, and records what
     * it changed; resolves with the call's own answer (after its records).
     */
    write<Answer extends { status: number }>(operation: string, body: unknown, access: StreamAccess<Answer>): Promise<Answer> {
        const run = this.chain.then(async () => {
            const keys = writtenKeys(operation, body);
            const before = await Promise.all(keys.map((written) => access.read(written.table, written.key)));
            const answer = await access.write();
            if (answer.status !== 200 || keys.length === 0) return answer;
            const after = await Promise.all(keys.map((written) => access.read(written.table, written.key)));
            const at = this.now();
            keys.forEach((written, index) => {
                // A key named twice in one call is one change: the first read before, the last after.
                if (keys.findIndex((other) => other.table === written.table && sameKey(other.key, written.key)) !== index) return;
                const last = keys.map((other, i) => (other.table === written.table && sameKey(other.key, written.key) ? i : -1)).filter((i) => i >= 0).pop() ?? index;
                this.emit(written, before[index], after[last], at);
            });
            return answer;
        });
        this.chain = run.catch(() => undefined);
        return run;
    }

    /** Resolves once no write call is in progress. */
    async idle(): Promise<void> {
        let seen: Promise<unknown>;
        do {
            seen = this.chain;
            await seen;
        } while (seen !== this.chain);
    }

    private emit(written: WrittenKey, oldImage: Item | undefined, newImage: Item | undefined, at: number): void {
        if (oldImage === undefined && newImage === undefined) return;
        if (oldImage !== undefined && newImage !== undefined && JSON.stringify(oldImage) === JSON.stringify(newImage)) return;
        const eventName = oldImage === undefined ? "INSERT" : newImage === undefined ? "REMOVE" : "MODIFY";
        this.sequence += 1;
        const record: LocalStreamRecord = {
            sequence: this.sequence,
            eventName,
            table: written.table,
            keys: written.key,
            ...(oldImage ? { oldImage } : {}),
            ...(newImage ? { newImage } : {}),
            at,
        };
        for (const listener of this.listeners) {
            try {
                listener(record);
            } catch (error) {
                this.onListenerError(error);
            }
        }
    }
}

function sameKey(a: Item, b: Item): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}
