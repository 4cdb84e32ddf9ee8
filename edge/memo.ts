/**
 * In-memory memo of recent lookups in a warm container. Bounded in entries
 * (least recently used goes first) and in lifetime; a positive entry never
 * outlives its hash's `expires_at`, a negative one is only stored after a
 * consistent read confirmed the miss and lives briefly. Errors are never
 * stored. Built per container by the factory: no module-level state.
 */
import type { EdgeMapping } from "../core/item";

/**
 * A remembered lookup. A found entry carries `trustedUntilMs`, the moment the
 * container would have read the table again: anything built from the entry
 * may be cached only until then, so a hash revoked meanwhile (its mapping
 * deleted and its path invalidated) cannot be re-cached from stale memory.
 * `readAtMs` is when the table vouched for the mapping: a presigned URL built
 * from the entry lives no longer than one built at that moment would.
 */
export type MemoEntry = { found: true; mapping: EdgeMapping; readAtMs: number; trustedUntilMs: number } | { found: false };

/**
 * Until when (epoch ms) a table read made at `readAtMs` may be relied on:
 * `trustSeconds` after it (the memo's lifetime, see memoTrustSeconds in
 * revocation.ts), never past the hash's `expires_at` (epoch seconds).
 */
export function trustedUntilMs(readAtMs: number, expiresAt: number, trustSeconds: number): number {
    return Math.min(readAtMs + trustSeconds * 1000, expiresAt * 1000);
}

export interface Memo {
    /** The live entry for a hash, or `undefined`. */
    get(hash: string, nowMs: number): MemoEntry | undefined;
    /** Stores a found mapping until min(now + ttl, expires_at). */
    remember(hash: string, mapping: EdgeMapping, nowMs: number): void;
    /**
     * Stores an expired mapping for the memo's lifetime: a hash never comes
     * back to life (the issuer never extends one), so its 403 is final.
     */
    rememberExpired(hash: string, mapping: EdgeMapping, nowMs: number): void;
    /** Stores a confirmed miss for the negative lifetime. */
    rememberMiss(hash: string, nowMs: number): void;
    /** Entries held now (for tests and the benchmarks). */
    size(): number;
}

export interface MemoLimits {
    maxEntries: number;
    ttlSeconds: number;
    negativeTtlSeconds: number;
}

interface Slot {
    entry: MemoEntry;
    untilMs: number;
}

export function createMemo(limits: MemoLimits): Memo {
    const slots = new Map<string, Slot>();
    const enabled = limits.maxEntries > 0;

    function put(hash: string, entry: MemoEntry, untilMs: number, nowMs: number): void {
        if (!enabled || untilMs <= nowMs) return;
        slots.delete(hash);
        while (slots.size >= limits.maxEntries) {
            const oldest = slots.keys().next();
            if (oldest.done) break;
            slots.delete(oldest.value);
        }
        slots.set(hash, { entry, untilMs });
    }

    return {
        get(hash, nowMs) {
            const slot = slots.get(hash);
            if (!slot) return undefined;
            slots.delete(hash);
            if (slot.untilMs <= nowMs) return undefined;
            slots.set(hash, slot); // most recently used goes last
            return slot.entry;
        },
        remember(hash, mapping, nowMs) {
            const untilMs = trustedUntilMs(nowMs, mapping.expiresAt, limits.ttlSeconds);
            put(hash, { found: true, mapping, readAtMs: nowMs, trustedUntilMs: untilMs }, untilMs, nowMs);
        },
        rememberExpired(hash, mapping, nowMs) {
            const untilMs = nowMs + limits.ttlSeconds * 1000;
            put(hash, { found: true, mapping, readAtMs: nowMs, trustedUntilMs: untilMs }, untilMs, nowMs);
        },
        rememberMiss(hash, nowMs) {
            put(hash, { found: false }, nowMs + limits.negativeTtlSeconds * 1000, nowMs);
        },
        size: () => slots.size,
    };
}
