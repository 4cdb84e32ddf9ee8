/**
 * From {@link SecureImageCdnArgs} to the settings of one instance: each arg
 * group (components/args/) applies its defaults and checks its fields, with
 * an error that names the field; this file composes them, and holds the
 * rules that span groups. Pure: no resources, no Outputs awaited, so the
 * local stack and the tests get exactly the settings a real deployment
 * would use.
 */
import type { GuardedLevel } from "../core/enums";
import type { DeliveryMode } from "../core/enums";
import { ARG_KEYS, GUARDED_ONLY_ARGS, INPUT_ARGS } from "./args";
import type { SecureImageCdnArgs } from "./args";
import { resolveAlarms } from "./args/alarms";
import type { ResolvedAlarms } from "./args/alarms";
import { resolveCache } from "./args/cache";
import type { ResolvedCache } from "./args/cache";
import { isOutputLike, rejectUnknownKeys, requireKnown } from "./args/checks";
import { resolveGuardedDelivery, resolveLevel, resolvePublicDelivery } from "./args/delivery";
import type { ResolvedDelivery, ResolvedGuardedDelivery } from "./args/delivery";
import { resolveDistribution } from "./args/distribution";
import type { ResolvedDistribution } from "./args/distribution";
import { resolveEdge } from "./args/edge";
import type { ResolvedEdge } from "./args/edge";
import { resolveLogs } from "./args/logs";
import type { ResolvedLogs } from "./args/logs";
import { resolveServiceName, resolveTags } from "./args/service";
import type { ResolvedService } from "./args/service";
import { resolveProtection, resolveReplicaRegions, resolveTable } from "./args/table";
import type { ResolvedProtection, ResolvedTable } from "./args/table";
import { resolveUpload } from "./args/upload";
import type { ResolvedUpload } from "./args/upload";
import type { HomeRegion } from "./home-region";
import { hasInvalidator } from "../core/revocation";

/** What every instance has. */
interface ResolvedCommon extends ResolvedService, ResolvedDelivery, ResolvedCache, ResolvedDistribution, ResolvedProtection, ResolvedUpload {
    alarms: ResolvedAlarms;
}

/** A `public` instance: no table, no edge function, no delivery mode. */
export interface ResolvedPublicSettings extends ResolvedCommon {
    level: "public";
}

/** A `required` or `secured` instance. */
export interface ResolvedGuardedSettings extends ResolvedCommon, ResolvedGuardedDelivery, ResolvedLogs, ResolvedTable {
    level: GuardedLevel;
    edge: ResolvedEdge;
}

/** Fully defaulted, validated settings of one instance. */
export type ResolvedCdnSettings = ResolvedPublicSettings | ResolvedGuardedSettings;

/** True for the levels that run an edge function and keep a table. */
export function isGuarded(settings: ResolvedCdnSettings): settings is ResolvedGuardedSettings {
    return settings.level !== "public";
}

/** The delivery mode of a guarded instance; `undefined` for `public`, which serves objects by key. */
export function deliveryModeOf(settings: ResolvedCdnSettings): DeliveryMode | undefined {
    return isGuarded(settings) ? settings.mode : undefined;
}

/** Where the instance is being deployed, when the caller knows (the component: its provider's region, or the stack's `aws:region`). */
export interface ResolveContext {
    /**
     * The home region (the table's); `replicaRegions` may not name it. A
     * name is checked against up front; an Output (an AWS provider's region,
     * home-region.ts) when it resolves.
     */
    homeRegion?: HomeRegion;
    /** Refuse `replicaRegions` when the home region is unknown (the component must know where the alarms and the home table are). */
    requireHomeRegion?: boolean;
}

/**
 * Applies the defaults and checks every field and every combination. Throws
 * an Error whose message names the offending field(s).
 */
export function resolveArgs(args: SecureImageCdnArgs, context: ResolveContext = {}): ResolvedCdnSettings {
    if (typeof args !== "object" || args === null || Array.isArray(args) || isOutputLike(args)) {
        throw new Error("SecureImageCdn args must be an object with at least `service`");
    }
    rejectUnknownKeys(args, ARG_KEYS, "");
    for (const key of ARG_KEYS) {
        // The ARNs passed straight to AWS may be Outputs, checked when they resolve.
        if (!(INPUT_ARGS as readonly string[]).includes(key)) requireKnown(args[key], key);
    }
    const service = resolveServiceName(args);
    const level = resolveLevel(args);
    if (level === "public") {
        const guardedOnly = GUARDED_ONLY_ARGS.filter((key) => args[key] !== undefined);
        if (guardedOnly.length > 0) {
            throw new Error(`${guardedOnly.join(", ")} ${guardedOnly.length === 1 ? "does" : "do"} not apply to level "public", which serves objects by key without hashes or an edge function`);
        }
    }
    const cache = resolveCache(args, level);
    const distribution = resolveDistribution(args);
    const replicaRegions = level === "public" ? [] : resolveReplicaRegions(args, { level, ...context });
    const delivery = level === "public" ? undefined : resolveGuardedDelivery(args);
    // The invalidators' alarms are in the home region and each replica region.
    const invalidator = delivery !== undefined && hasInvalidator({ level, mode: delivery.mode });
    const common = {
        service,
        tags: resolveTags(args, service),
        ...cache,
        ...distribution,
        ...resolveProtection(args),
        ...resolveUpload(args),
        // The replicas' ReplicationLatency alarms and the home invalidator's are in the home region.
        alarms: resolveAlarms(args.alarms, {
            level,
            priceClass: distribution.priceClass,
            homeRegion: replicaRegions.length > 0 || invalidator ? context.homeRegion : undefined,
            replicaAlarmRegions: invalidator ? replicaRegions : [],
        }),
    };
    if (level === "public") return { ...common, ...resolvePublicDelivery(args), level };
    if (delivery === undefined) throw new Error(`level "${level}" has a delivery mode`);

    const logs = resolveLogs(args);
    const table = resolveTable(args, replicaRegions, { level, ...context });
    const edge = resolveEdge(args.edge, level, delivery.mode);
    if (args.edge?.securedReads !== undefined && replicaRegions.length === 0) {
        throw new Error("edge.securedReads applies only with replicaRegions: without replicas every lookup reads home");
    }
    return { ...common, ...delivery, ...logs, ...table, level, edge };
}
