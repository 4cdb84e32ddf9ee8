/**
 * One hash lookup: memo first, then an eventually consistent read; anything
 * that would become a 404 (no item, or a bad item) is confirmed with a
 * consistent read first, so a hash issued a moment ago is served at once.
 * Expiry is checked here on every lookup (DynamoDB TTL deletes lazily).
 * A failed read is "unavailable" (503), never a miss.
 */
import type { BadItemReason, EdgeMapping } from "./item";
import { checkItem, decodeItem } from "./item";
import type { Memo } from "./memo";
import type { MappingStore, StoreFailure } from "./dynamo";

export interface LookupDeps {
    store: MappingStore;
    memo?: Memo;
    bucket: string;
    lookupTimeoutMs: number;
    now: () => number;
}

interface LookupStats {
    /** Answered from the memo, without a read. */
    memoHit: boolean;
    /** DynamoDB requests sent (retries and the confirming read included). */
    attempts: number;
}

export type LookupOutcome = LookupStats &
    (
        | {
              kind: "valid";
              mapping: EdgeMapping;
              /**
               * Latest moment (epoch seconds) a response built from this lookup
               * may stay cached: `expires_at` after a table read; for a memo hit,
               * no later than when the memo would have read the table again, so
               * a revocation is never undone by a warm container's memory.
               */
              cacheUntil: number;
              /**
               * When the table vouched for the mapping (epoch ms): when this
               * lookup's read started, or for a memo hit when the read that
               * filled the memo started.
               */
              vouchedAtMs: number;
          }
        | { kind: "expired"; mapping: EdgeMapping }
        | { kind: "missing"; badItem?: BadItemReason }
        | { kind: "unavailable"; failure: StoreFailure; errorType?: string }
    );

/** True while `nowMs` is before `expires_at` (epoch seconds): at `expires_at` itself the hash is expired. */
export function isLive(mapping: EdgeMapping, nowMs: number): boolean {
    return nowMs < mapping.expiresAt * 1000;
}

type ReadResult =
    | { kind: "found"; mapping: EdgeMapping }
    | { kind: "absent"; badItem?: BadItemReason }
    | { kind: "failed"; failure: StoreFailure; errorType?: string };

export async function lookupHash(hash: string, deps: LookupDeps): Promise<LookupOutcome> {
    const started = deps.now();
    const remembered = deps.memo?.get(hash, started);
    if (remembered) {
        if (!remembered.found) return { kind: "missing", memoHit: true, attempts: 0 };
        // A remembered live mapping is dropped at expires_at; an expired one is kept (its 403 is final).
        if (!isLive(remembered.mapping, started)) return { kind: "expired", mapping: remembered.mapping, memoHit: true, attempts: 0 };
        const cacheUntil = Math.min(remembered.mapping.expiresAt, Math.floor(remembered.trustedUntilMs / 1000));
        return { kind: "valid", mapping: remembered.mapping, cacheUntil, vouchedAtMs: remembered.readAtMs, memoHit: true, attempts: 0 };
    }
    const deadline = started + deps.lookupTimeoutMs;
    let attempts = 0;

    async function read(consistent: boolean): Promise<ReadResult> {
        const result = await deps.store.read(hash, consistent, deadline);
        attempts += result.attempts;
        if (!result.ok) return { kind: "failed", failure: result.failure, errorType: result.errorType };
        if (result.item === undefined) return { kind: "absent" };
        const decoded = decodeItem(result.item);
        const checked = decoded ? checkItem(decoded, deps.bucket) : { ok: false as const, reason: "missing_fields" as const };
        return checked.ok ? { kind: "found", mapping: checked.mapping } : { kind: "absent", badItem: checked.reason };
    }

    let result = await read(false);
    if (result.kind === "absent") result = await read(true);

    const now = deps.now();
    switch (result.kind) {
        case "failed":
            return { kind: "unavailable", failure: result.failure, errorType: result.errorType, memoHit: false, attempts };
        case "absent":
            deps.memo?.rememberMiss(hash, now);
            return { kind: "missing", badItem: result.badItem, memoHit: false, attempts };
        case "found":
            if (!isLive(result.mapping, now)) {
                deps.memo?.rememberExpired(hash, result.mapping, now);
                return { kind: "expired", mapping: result.mapping, memoHit: false, attempts };
            }
            // The table answered for some moment after `started`: counting the memo window and
            // a URL's life from `started` never stretches either past what that answer covers.
            deps.memo?.remember(hash, result.mapping, started);
            return { kind: "valid", mapping: result.mapping, cacheUntil: result.mapping.expiresAt, vouchedAtMs: started, memoHit: false, attempts };
    }
}
