/**
 * The request trace the edge and CDN benchmarks replay: a fixed set of
 * issued hashes, some already expired and some expiring while the trace
 * runs, requested with Zipf-distributed popularity (the r-th most popular
 * hash gets a share ∝ 1 / r^s). Everything comes from a seeded PRNG, so every
 * run replays the same trace. Items are written to the table as the issuer
 * writes them (core/contract.ts's item schema), 25 per BatchWriteItem.
 */
import { BatchWriteItemCommand, DynamoDBClient, WriteRequest } from "@aws-sdk/client-dynamodb";
import { formatS3Url, ImageMapping } from "../../core/contract";
import { seededRandom } from "../stats";

/** Zipf exponent of the trace: the usual fit for web object popularity is close to 1. */
export const ZIPF_EXPONENT = 1;
/** Share of hashes already expired when the trace starts. */
export const EXPIRED_SHARE = 0.05;
/** Share of hashes whose expiry falls while the trace runs. */
export const EXPIRING_SHARE = 0.02;

export type ItemKind = "live" | "expired" | "expiring";

export interface TraceItem {
    hash: string;
    key: string;
    kind: ItemKind;
    /** Epoch seconds; set by {@link scheduleExpiry}. */
    expiresAt: number;
}

export interface Trace {
    items: TraceItem[];
    /** Index into `items` of each request, in order. */
    requests: number[];
}

function randomHash(random: () => number): string {
    let hash = "";
    for (let i = 0; i < 4; i++) hash += Math.floor(random() * 2 ** 32).toString(16).padStart(8, "0");
    return hash;
}

/** Indices 0..n-1 drawn with P(rank r) ∝ 1 / (r+1)^s, by inverse transform over the cumulative weights. */
function zipfRanks(n: number, count: number, exponent: number, random: () => number): number[] {
    const cumulative = new Float64Array(n);
    let total = 0;
    for (let r = 0; r < n; r++) {
        total += 1 / Math.pow(r + 1, exponent);
        cumulative[r] = total;
    }
    const ranks: number[] = [];
    for (let i = 0; i < count; i++) {
        const target = random() * total;
        let low = 0;
        let high = n - 1;
        while (low < high) {
            const mid = (low + high) >> 1;
            if (cumulative[mid] < target) low = mid + 1;
            else high = mid;
        }
        ranks.push(low);
    }
    return ranks;
}

/** A trace of `requests` requests over `hashes` issued hashes. Expiry times are set later. */
export function makeTrace(hashes: number, requests: number, seed: number): Trace {
    const random = seededRandom(seed);
    const items: TraceItem[] = [];
    for (let i = 0; i < hashes; i++) {
        const draw = random();
        const kind: ItemKind = draw < EXPIRED_SHARE ? "expired" : draw < EXPIRED_SHARE + EXPIRING_SHARE ? "expiring" : "live";
        const hash = randomHash(random);
        items.push({ hash, key: `photos/${i}/${hash.slice(0, 8)}.jpg`, kind, expiresAt: 0 });
    }
    // Popularity rank r belongs to a random item, so popularity and expiry are unrelated.
    const byRank = items.map((_, i) => i);
    for (let i = byRank.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [byRank[i], byRank[j]] = [byRank[j], byRank[i]];
    }
    return { items, requests: zipfRanks(hashes, requests, ZIPF_EXPONENT, random).map((rank) => byRank[rank]) };
}

/**
 * Sets every item's expiry: live ones 1–30 days after `nowS`, expired ones
 * 1 minute to 1 day before it, expiring ones spread over
 * [`windowStartS`, `windowStartS + windowSeconds`].
 */
export function scheduleExpiry(trace: Trace, nowS: number, windowStartS: number, windowSeconds: number, seed: number): void {
    const random = seededRandom(seed ^ 0x5eed);
    for (const item of trace.items) {
        const draw = random();
        if (item.kind === "live") item.expiresAt = nowS + 86400 + Math.floor(draw * 29 * 86400);
        else if (item.kind === "expired") item.expiresAt = nowS - 60 - Math.floor(draw * 86340);
        else item.expiresAt = windowStartS + Math.floor(draw * Math.max(1, windowSeconds));
    }
}

export function mappingOf(item: TraceItem, bucket: string): ImageMapping {
    return { hash: item.hash, s3_url: formatS3Url(bucket, item.key), created_at: item.expiresAt - 30 * 86400, expires_at: item.expiresAt, ttl: item.expiresAt };
}

/** Writes items as mapping items, 25 per BatchWriteItem, a few batches at a time. Returns items per second. */
export async function writeItems(client: DynamoDBClient, tableName: string, items: readonly TraceItem[], bucket: string): Promise<number> {
    const started = Date.now();
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += 25) {
        batches.push(
            items.slice(i, i + 25).map((item) => {
                const m = mappingOf(item, bucket);
                return {
                    PutRequest: {
                        Item: {
                            hash: { S: m.hash },
                            s3_url: { S: m.s3_url },
                            created_at: { N: String(m.created_at) },
                            expires_at: { N: String(m.expires_at) },
                            ttl: { N: String(m.ttl) },
                        },
                    },
                };
            }),
        );
    }
    await writeBatches(client, tableName, batches);
    return items.length / Math.max(0.001, (Date.now() - started) / 1000);
}

/** Sends write batches, four at a time, until nothing is left unprocessed. */
export async function writeBatches(client: DynamoDBClient, tableName: string, batches: WriteRequest[][]): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < batches.length) {
            let pending: WriteRequest[] = batches[next++];
            for (let attempt = 0; pending.length > 0; attempt++) {
                if (attempt > 20) throw new Error("BatchWriteItem kept leaving items unprocessed");
                const output = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
                pending = output.UnprocessedItems?.[tableName] ?? [];
            }
        }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
}
