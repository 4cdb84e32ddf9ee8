/**
 * The emulator's edge cache: entries keyed as the cache policy says (the
 * path only: no query string, headers or cookies), each with the lifetime
 * {@link cacheLifetimeSeconds} gave it. Pure: the clock is passed in.
 *
 * - `lookup` gives a live entry (a hit, with its `Age`) or says it is absent;
 *   an entry whose lifetime has ended is dropped then ("Manage how long
 *   content stays in the cache (expiration)": CloudFront would revalidate it
 *   with the origin; the emulator fetches it again, see distribution.ts).
 * - `invalidate` follows CreateInvalidation's path rules: an exact path, or a
 *   prefix when the path ends in `*`.
 * - Bounded in entries and bytes; the least recently used entry goes first,
 *   so memory stays flat under load (CloudFront too may evict a file that is
 *   seldom requested before it expires: "Manage how long content stays in
 *   the cache (expiration)").
 */
import type { HeaderList } from "./headers";

/** A response as the cache keeps it (no per-request headers such as `X-Cache` or `Age`). */
export interface StoredResponse {
    status: number;
    statusDescription: string;
    headers: HeaderList;
    body: Buffer;
}

export interface CacheEntry {
    key: string;
    response: StoredResponse;
    /** Where the entry's life starts, epoch milliseconds: the distribution passes when it asked for the response (a few milliseconds before it was stored). */
    storedAtMs: number;
    /** Lifetime from `storedAtMs`, seconds. */
    ttlSeconds: number;
    /** True when an origin-request function generated the response. */
    generated: boolean;
}

export type CacheLookup = { state: "fresh"; entry: CacheEntry; ageSeconds: number } | { state: "absent" };

export interface EdgeCacheOptions {
    /** Most entries kept. @default 10000 */
    maxEntries?: number;
    /** Most body bytes kept. @default 256 MiB */
    maxBytes?: number;
}

/** The cache key of a request: its path, exactly as received (CloudFront does not decode it). */
export function cacheKeyOf(uri: string): string {
    return uri;
}

export class EdgeCache {
    private readonly held = new Map<string, CacheEntry>();
    private bytes = 0;
    private readonly maxEntries: number;
    private readonly maxBytes: number;

    constructor(options: EdgeCacheOptions = {}) {
        this.maxEntries = options.maxEntries ?? 10_000;
        this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    }

    /** Number of entries held (an expired one counts until a lookup or eviction drops it). */
    get size(): number {
        return this.held.size;
    }

    /** Body bytes held. */
    get sizeBytes(): number {
        return this.bytes;
    }

    lookup(key: string, nowMs: number): CacheLookup {
        const entry = this.held.get(key);
        if (!entry) return { state: "absent" };
        const ageMs = Math.max(0, nowMs - entry.storedAtMs);
        if (ageMs >= entry.ttlSeconds * 1000) {
            this.remove(key);
            return { state: "absent" };
        }
        // Most recently used goes last.
        this.held.delete(key);
        this.held.set(key, entry);
        return { state: "fresh", entry, ageSeconds: Math.floor(ageMs / 1000) };
    }

    /** Stores (or replaces) the response for `key`. A lifetime must be more than 0 seconds. */
    store(key: string, response: StoredResponse, ttlSeconds: number, nowMs: number, generated: boolean): CacheEntry {
        if (!(ttlSeconds > 0)) throw new Error(`cache lifetime must be more than 0 seconds, got ${ttlSeconds}`);
        this.remove(key);
        const entry: CacheEntry = { key, response, storedAtMs: nowMs, ttlSeconds, generated };
        this.held.set(key, entry);
        this.bytes += response.body.length;
        this.evict();
        return entry;
    }

    /** Every entry held (an expired one included until a lookup or eviction drops it), as copies. */
    entries(): Pick<CacheEntry, "key" | "storedAtMs" | "ttlSeconds" | "generated">[] {
        return [...this.held.values()].map(({ key, storedAtMs, ttlSeconds, generated }) => ({ key, storedAtMs, ttlSeconds, generated }));
    }

    /** Removes `key`; true when it was there. */
    remove(key: string): boolean {
        const entry = this.held.get(key);
        if (!entry) return false;
        this.held.delete(key);
        this.bytes -= entry.response.body.length;
        return true;
    }

    /**
     * Removes the entries an invalidation names: each path matches a key
     * exactly, or every key starting with it when it ends in `*`.
     * Returns how many entries went.
     */
    invalidate(paths: readonly string[]): number {
        let removed = 0;
        for (const key of [...this.held.keys()]) {
            if (paths.some((path) => invalidationMatches(path, key)) && this.remove(key)) removed += 1;
        }
        return removed;
    }

    private evict(): void {
        while (this.held.size > this.maxEntries || (this.bytes > this.maxBytes && this.held.size > 0)) {
            const oldest = this.held.keys().next().value as string;
            this.remove(oldest);
        }
    }
}

/** True when invalidation path `path` covers cache key `key`. */
export function invalidationMatches(path: string, key: string): boolean {
    if (path.endsWith("*")) return key.startsWith(path.slice(0, -1));
    return key === path;
}
