/**
 * What the handler works with: the captured settings and the clients the
 * factory built once per container. Tests and benchmarks pass their own
 * (an in-process store, a fixed clock, a log collector).
 */
import type { AwsCredentials } from "./credentials";
import type { MappingStore } from "./dynamo";
import type { ReplicatedReads } from "./lookup";
import type { Memo } from "./memo";
import type { Presigner } from "./presign";
import type { EdgeSettings } from "../core/edge-settings";

export interface EdgeDeps {
    settings: EdgeSettings;
    /** The home table. */
    store: MappingStore;
    /** The replicas this container reads before home, when the table has replicas. */
    replicated?: ReplicatedReads;
    /** Home is read with one consistent read (`secured` reading home). */
    homeConsistentOnly?: boolean;
    /** In-memory lookup memo; none when `memoMaxEntries` is 0. */
    memo?: Memo;
    /** Present in redirect mode only. */
    presigner?: Presigner;
    /** Read per use, from the environment Lambda sets. */
    credentials: () => AwsCredentials | undefined;
    /** Epoch milliseconds. */
    now: () => number;
    /** Receives one JSON line per invocation. */
    log: (line: string) => void;
}
