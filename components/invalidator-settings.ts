/**
 * The settings an instance hands each of its invalidators: resolved args
 * plus where that copy of the table and the distribution are. Used by the
 * component (inside an apply, once the IDs are known) and by the local
 * stack, so that both derive the delay and the paths the same way.
 */
import { reinvalidationDelay } from "../core/revocation";
import type { InvalidatorSettings } from "../invalidator/settings";
import { hasVariants, ResolvedGuardedSettings } from "./resolve-args";

/** Where one invalidator is and what it acts on. */
export interface InvalidatorPlacement {
    /** The region of the copy of the table it follows. */
    region: string;
    distributionId: string;
    queueUrl: string;
}

/** How long after a removal an instance's invalidators invalidate again, seconds. */
export function reinvalidateAfterSecondsFor(settings: ResolvedGuardedSettings): number {
    return reinvalidationDelay({ edgeTimeoutSeconds: settings.edge.timeoutSeconds }).totalSeconds;
}

/** One invalidator's settings for resolved args at a placement. */
export function invalidatorSettingsFor(settings: ResolvedGuardedSettings, placement: InvalidatorPlacement): InvalidatorSettings {
    return {
        service: settings.service,
        region: placement.region,
        distributionId: placement.distributionId,
        queueUrl: placement.queueUrl,
        reinvalidateAfterSeconds: reinvalidateAfterSecondsFor(settings),
        // With variants, a hash's paths are the one wildcard (every preset and format); without, the exact path.
        variants: hasVariants(settings),
    };
}
