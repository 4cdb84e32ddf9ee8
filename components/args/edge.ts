/**
 * The edge function's knobs (`edge`): its timeout and memory within the
 * limits of the CloudFront events it serves, its lookup budget, its
 * in-memory lookup cache, and where `secured` lookups read. The bounds the
 * edge checks again when its code is built are core's (core/bounds.ts), and
 * so is the memo's default per level, which the issuer also assumes.
 */
import { DEFAULT_EDGE_TIMEOUT_SECONDS, DEFAULT_MEMO_TTL_SECONDS, lookupTimeoutProblem, maxLookupTimeoutMs, memoMaxEntriesProblem, memoTtlProblem } from "../../core/bounds";
import { edgeEventTypes } from "../../core/edge-settings";
import { SECURED_READS } from "../../core/enums";
import type { DeliveryMode, GuardedLevel, SecuredReads } from "../../core/enums";
import { edgeTriggerLimits, LAMBDA_MIN_MEMORY_MB, limitingEdgeEvent, ORIGIN_TRIGGER_MAX_MEMORY_MB } from "../../core/limits";
import { argObject, checked, fieldList, integer, oneOf, rejectUnknownKeys, requireKnown } from "./checks";

/** Knobs of the edge function; the defaults suit both guarded levels. */
export interface CdnEdgeOptions {
    /**
     * Function timeout, seconds. A viewer-request trigger (`secured`) may not
     * exceed 5; origin triggers (`required`) may not exceed 30.
     * @default 5
     */
    timeoutSeconds?: number;
    /**
     * Function memory, MB. Viewer-request triggers (`secured`) require exactly 128.
     * @default 128
     * @example 256
     */
    memorySizeMb?: number;
    /**
     * Time budget of one DynamoDB lookup, retries included, milliseconds.
     * Must leave at least 1 s of `timeoutSeconds`; 100 to 25000.
     * @default 3000
     */
    lookupTimeoutMs?: number;
    /**
     * Entries a warm function instance keeps in its in-memory lookup cache
     * (about 0.4 KB each: 10,000 take ~4 MB of the function's 128 MB).
     * On the benchmark's Zipf trace over 10,000 hashes, 10,000 entries (and
     * 5,000) answered every repeat lookup but those of hashes that had
     * expired (docs/BENCHMARKS.md, "Reads spared by the memo").
     * @default 10000
     */
    memoMaxEntries?: number;
    /**
     * How long a looked-up mapping may be reused from that cache, seconds
     * (never past the hash's own expiry). It delays the effect of revoking a
     * hash by at most this long. `secured` defaults to 0 so that a revoked
     * hash stops working on the very next request.
     * @default 60 for `required`, 0 for `secured`
     */
    memoTtlSeconds?: number;
    /**
     * `secured` only, with `replicaRegions`: where lookups read.
     * - `home`: the home table, one consistent read, wherever the function
     *   runs: a revoked hash stops working on the very next request.
     * - `nearest`: the nearest copy, like `required`: faster far from home,
     *   but a revoked hash may still be served until the delete has been
     *   replicated (the replication lag, typically under a second).
     * @default "home"
     */
    securedReads?: SecuredReads;
}

/** The `edge` arg. */
export interface EdgeArgs {
    /**
     * Edge function knobs (guarded levels only).
     * @default {} (each field at its own default)
     * @example { timeoutSeconds: 10, memorySizeMb: 256 }
     */
    edge?: CdnEdgeOptions;
}

/** The defaults of {@link CdnEdgeOptions}. */
export const EDGE_DEFAULTS = {
    timeoutSeconds: DEFAULT_EDGE_TIMEOUT_SECONDS,
    memorySizeMb: 128,
    lookupTimeoutMs: 3000,
    memoMaxEntries: 10000,
    memoTtlSeconds: DEFAULT_MEMO_TTL_SECONDS,
    securedReads: "home",
} as const;

/** The fields of {@link EdgeArgs}. */
export const EDGE_FIELDS = fieldList<EdgeArgs>()(["edge"]);

/** The fields that mean nothing to a `public` instance (it has no edge function). */
export const EDGE_GUARDED_ONLY = ["edge"] as const satisfies readonly (keyof EdgeArgs)[];

/** The fields of {@link CdnEdgeOptions}. */
export const EDGE_OPTION_FIELDS = fieldList<CdnEdgeOptions>()(["timeoutSeconds", "memorySizeMb", "lookupTimeoutMs", "memoMaxEntries", "memoTtlSeconds", "securedReads"]);

export interface ResolvedEdge {
    timeoutSeconds: number;
    memorySizeMb: number;
    lookupTimeoutMs: number;
    memoMaxEntries: number;
    memoTtlSeconds: number;
    /** Where `secured` lookups read (`home` for `required`, where it means nothing). */
    securedReads: SecuredReads;
}

/** The edge knobs of a guarded instance, within the limits of the tightest event its function serves. */
export function resolveEdge(edge: CdnEdgeOptions | undefined, level: GuardedLevel, mode: DeliveryMode): ResolvedEdge {
    const given = argObject(edge, "edge");
    rejectUnknownKeys(given, EDGE_OPTION_FIELDS, "edge.");
    for (const key of EDGE_OPTION_FIELDS) requireKnown(given[key], `edge.${key}`);
    const defaults = EDGE_DEFAULTS;
    // One function serves all of the instance's events, so the tightest event's limits bind it.
    const trigger = limitingEdgeEvent(edgeEventTypes(level, mode));
    const limits = edgeTriggerLimits(trigger);
    const timeoutSeconds = integer(given.timeoutSeconds ?? defaults.timeoutSeconds, "edge.timeoutSeconds", 1, Number.MAX_SAFE_INTEGER);
    if (timeoutSeconds > limits.maxTimeoutSeconds) {
        throw new Error(`edge.timeoutSeconds must be at most ${limits.maxTimeoutSeconds} for level "${level}" (${trigger} trigger limit; got ${timeoutSeconds})`);
    }
    const memorySizeMb = integer(given.memorySizeMb ?? defaults.memorySizeMb, "edge.memorySizeMb", LAMBDA_MIN_MEMORY_MB, ORIGIN_TRIGGER_MAX_MEMORY_MB);
    if (memorySizeMb < limits.minMemoryMb || memorySizeMb > limits.maxMemoryMb) {
        const allowed = limits.minMemoryMb === limits.maxMemoryMb ? `${limits.minMemoryMb}` : `${limits.minMemoryMb} to ${limits.maxMemoryMb}`;
        throw new Error(`edge.memorySizeMb must be ${allowed} for level "${level}" (${trigger} trigger limit; got ${memorySizeMb})`);
    }
    const lookupTimeoutMs = given.lookupTimeoutMs ?? defaults.lookupTimeoutMs;
    checked(lookupTimeoutMs, "edge.lookupTimeoutMs", lookupTimeoutProblem(lookupTimeoutMs));
    if (lookupTimeoutMs > maxLookupTimeoutMs(timeoutSeconds)) {
        throw new Error(
            `edge.lookupTimeoutMs (${lookupTimeoutMs}) must leave at least 1 s of edge.timeoutSeconds (${timeoutSeconds} s) for the rest of the request`,
        );
    }
    const memoMaxEntries = given.memoMaxEntries ?? defaults.memoMaxEntries;
    checked(memoMaxEntries, "edge.memoMaxEntries", memoMaxEntriesProblem(memoMaxEntries));
    const memoTtlSeconds = given.memoTtlSeconds ?? defaults.memoTtlSeconds[level];
    checked(memoTtlSeconds, "edge.memoTtlSeconds", memoTtlProblem(memoTtlSeconds));
    if (level !== "secured" && given.securedReads !== undefined) {
        throw new Error(`edge.securedReads applies only to level "secured" (level "${level}" reads the nearest copy)`);
    }
    const securedReads = oneOf(given.securedReads ?? defaults.securedReads, SECURED_READS, "edge.securedReads");
    return { timeoutSeconds, memorySizeMb, lookupTimeoutMs, memoMaxEntries, memoTtlSeconds, securedReads };
}
