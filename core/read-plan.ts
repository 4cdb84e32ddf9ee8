/**
 * Which copies of the table a container reads, in which order. Worked out
 * once per container (cold start) from the captured settings and the region
 * the function runs in, which Lambda sets in `AWS_REGION` in every region a
 * Lambda@Edge replica runs (a reserved variable: custom environment
 * variables are not allowed at the edge).
 *
 * - The home table (`tableRegion`) is the authority: the issuer writes and
 *   revokes there, and only a consistent read there confirms a miss.
 * - `required` (and `secured` with `securedReads: "nearest"`): the replicas
 *   nearer than home, nearest first (the one in the function's own region,
 *   if any, leads), then home. A replica farther than home is never read:
 *   home is nearer and answers for sure.
 * - `secured` by default: home only, one consistent read, so a revoked hash
 *   stops working on the very next request wherever the viewer is. With
 *   `securedReads: "nearest"` and no replica to read (none configured, none
 *   nearer than home, or an unknown region), the same.
 * - An unknown or missing execution region: home only.
 */
import { isKnownRegion, regionDistanceKm } from "./regions";
import type { EdgeSettings } from "./edge-settings";

export interface ReadPlan {
    /** Replica regions read before home, nearest first. */
    replicas: string[];
    /** Home is read with one consistent read (no eventually consistent read first). */
    homeConsistentOnly: boolean;
}

export function readPlan(
    settings: Pick<EdgeSettings, "level" | "tableRegion" | "replicaRegions" | "securedReads">,
    executionRegion: string | undefined,
): ReadPlan {
    const secured = settings.level === "secured";
    if (secured && (settings.securedReads ?? "home") === "home") return { replicas: [], homeConsistentOnly: true };
    const nearer = replicasNearerThanHome(settings, executionRegion);
    // `secured` with `securedReads: "nearest"` and no replica to read: home alone, read as `secured`
    // reads it (its bound is then "at once", with no replication lag to add).
    return { replicas: nearer, homeConsistentOnly: secured && nearer.length === 0 };
}

/** The replicas nearer than home, nearest first; none when either region's location is unknown. */
function replicasNearerThanHome(settings: Pick<EdgeSettings, "tableRegion" | "replicaRegions">, executionRegion: string | undefined): string[] {
    const replicas = settings.replicaRegions ?? [];
    if (replicas.length === 0 || !isKnownRegion(executionRegion) || !isKnownRegion(settings.tableRegion)) return [];
    const toHome = regionDistanceKm(executionRegion, settings.tableRegion);
    return replicas
        .filter(isKnownRegion)
        .map((region) => ({ region, km: regionDistanceKm(executionRegion, region) }))
        .filter((copy) => copy.km < toHome)
        .sort((a, b) => a.km - b.km || (a.region < b.region ? -1 : 1))
        .map((copy) => copy.region);
}

/**
 * The lookup budget's split: replica `index` (0-based, of `count` read
 * before home) must be done by this many milliseconds into the lookup.
 * The replicas share the first half of the budget (a copy left unused
 * passes its time on to the next), so home always has at least the second
 * half: a dead or hanging replica never leaves home without a real attempt.
 */
export function replicaDeadlineMs(lookupTimeoutMs: number, index: number, count: number): number {
    return Math.floor(((lookupTimeoutMs / 2) * (index + 1)) / count);
}
