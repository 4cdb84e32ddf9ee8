/**
 * One hash lookup: memo first, then the copies of the table in the read
 * plan's order (core/read-plan.ts):
 * - each replica nearer than home gets one eventually consistent read, within
 *   its share of the budget; one that fails (timeout, network error,
 *   throttling, any error) hands over to the next copy, home last;
 * - a replica that finds the mapping answers; one that finds nothing (or a
 *   bad item) is not believed: the hash may not have replicated yet, so home
 *   confirms with a consistent read;
 * - home: an eventually consistent read, and anything that would become a
 *   404 confirmed with a consistent read (or a consistent read only, when
 *   the plan says so), so a hash issued a moment ago is served at once.
 * Expiry is checked here on every lookup, wherever the item was read
 * (DynamoDB TTL deletes lazily). A failed read is "unavailable" (503),
 * never a miss.
 */
import type { BadItemReason, EdgeMapping } from "../core/item";
import { checkItem, decodeItem } from "../core/item";
import type { Memo } from "./memo";
import type { MappingStore, StoreFailure } from "./dynamo";
import { replicaDeadlineMs } from "../core/read-plan";

/** One copy of the table and the store that reads it. */
export interface CopyStore {
    region: string;
    store: MappingStore;
}

/** How a replicated table is read; absent for a table without replicas. */
export interface ReplicatedReads {
    /** Region of the home table. */
    homeRegion: string;
    /** Replicas read before home, nearest first (may be empty). */
    replicas: CopyStore[];
}

export interface LookupDeps {
    /** The home table. */
    store: MappingStore;
    /** Replicas and where home is; outcomes then name the copy that answered. */
    replicated?: ReplicatedReads;
    /** Read home with one consistent read, never an eventually consistent one first. */
    homeConsistentOnly?: boolean;
    memo?: Memo;
    bucket: string;
    lookupTimeoutMs: number;
    now: () => number;
}

interface LookupStats {
    /** Answered from the memo, without a read. */
    memoHit: boolean;
    /** DynamoDB requests sent (retries, other copies and the confirming read included). */
    attempts: number;
    /** The region of the copy whose answer decided the outcome (replicated tables only; not for a memo hit). */
    copy?: string;
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

    async function read(store: MappingStore, consistent: boolean, until: number): Promise<ReadResult> {
        const result = await store.read(hash, consistent, until);
        attempts += result.attempts;
        if (!result.ok) return { kind: "failed", failure: result.failure, errorType: result.errorType };
        if (result.item === undefined) return { kind: "absent" };
        const decoded = decodeItem(result.item);
        const checked = decoded ? checkItem(decoded, deps.bucket) : { ok: false as const, reason: "missing_fields" as const };
        return checked.ok ? { kind: "found", mapping: checked.mapping } : { kind: "absent", badItem: checked.reason };
    }

    let result: ReadResult | undefined;
    let copy = deps.replicated?.homeRegion;
    let confirmAtHome = deps.homeConsistentOnly === true;
    const replicas = deps.replicated?.replicas ?? [];
    for (let index = 0; index < replicas.length && !result; index += 1) {
        const answer = await read(replicas[index].store, false, started + replicaDeadlineMs(deps.lookupTimeoutMs, index, replicas.length));
        if (answer.kind === "found") {
            result = answer;
            copy = replicas[index].region;
        } else if (answer.kind === "absent") {
            // Not replicated yet, or gone: only home can tell.
            confirmAtHome = true;
            break;
        }
    }
    if (!result) {
        const home = deps.store;
        result = confirmAtHome ? await read(home, true, deadline) : await read(home, false, deadline);
        if (result.kind === "absent" && !confirmAtHome) result = await read(home, true, deadline);
    }
    const from = deps.replicated ? { copy } : {};

    const now = deps.now();
    switch (result.kind) {
        case "failed":
            return { kind: "unavailable", failure: result.failure, errorType: result.errorType, memoHit: false, attempts, ...from };
        case "absent":
            deps.memo?.rememberMiss(hash, now);
            return { kind: "missing", badItem: result.badItem, memoHit: false, attempts, ...from };
        case "found":
            if (!isLive(result.mapping, now)) {
                deps.memo?.rememberExpired(hash, result.mapping, now);
                return { kind: "expired", mapping: result.mapping, memoHit: false, attempts, ...from };
            }
            // The table answered for some moment after `started`: counting the memo window and
            // a URL's life from `started` never stretches either past what that answer covers.
            deps.memo?.remember(hash, result.mapping, started);
            return { kind: "valid", mapping: result.mapping, cacheUntil: result.mapping.expiresAt, vouchedAtMs: started, memoHit: false, attempts, ...from };
    }
}
