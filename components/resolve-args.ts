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
import { resolveResizer } from "./args/resizer";
import type { ResolvedResizer } from "./args/resizer";
import { resolveVariants } from "./args/variants";
import { DERIVED_PREFIX } from "../core/variants";
import type { VariantCatalogue } from "../core/variants";
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
    /** The image variants' catalogue; absent without variants (origin mode only). */
    variants?: VariantCatalogue;
    /** The resizer function's knobs; present exactly when `variants` is. */
    resizer?: ResolvedResizer;
}

/** The variants of an instance with some (a guarded one in origin mode), its catalogue and resizer known. */
export type ResolvedVariantSettings = ResolvedGuardedSettings & { variants: VariantCatalogue; resizer: ResolvedResizer };

/** True for an instance with image variants. */
export function hasVariants(settings: ResolvedCdnSettings): settings is ResolvedVariantSettings {
    return isGuarded(settings) && settings.variants !== undefined && settings.resizer !== undefined;
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
    /** Refuse `replicaRegions` and `variants` when the home region is unknown (the component must know where the alarms and the home table are). */
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
    // The mode decides whether variants may be had; both are the guarded levels' (public refused them above).
    const delivery = level === "public" ? undefined : resolveGuardedDelivery(args);
    const variants = delivery === undefined ? undefined : resolveVariants(args, { level, mode: delivery.mode });
    const resizer = level === "public" ? undefined : resolveResizer(args.resizer, variants !== undefined);
    if (variants !== undefined && context.requireHomeRegion === true && context.homeRegion === undefined) {
        throw new Error("variants need the home region, where the resizer and its alarms go: set aws:region, or give the component an AWS provider");
    }
    const upload = resolveUpload(args);
    if (variants !== undefined && (upload.uploadPrefix.startsWith(DERIVED_PREFIX) || DERIVED_PREFIX.startsWith(upload.uploadPrefix))) {
        throw new Error(`uploadPrefix ("${upload.uploadPrefix}") must not overlap "${DERIVED_PREFIX}" with variants: the resizer stores them there and reads originals only under the upload prefix`);
    }
    // The invalidators' alarms are in the home region and each replica region.
    const invalidator = delivery !== undefined && hasInvalidator({ level, mode: delivery.mode });
    const common = {
        service,
        tags: resolveTags(args, service),
        ...cache,
        ...distribution,
        ...resolveProtection(args),
        ...upload,
        // The replicas' ReplicationLatency alarms, the resizer's and the home invalidator's are in the home region.
        alarms: resolveAlarms(args.alarms, {
            level,
            priceClass: distribution.priceClass,
            homeRegion: replicaRegions.length > 0 || variants !== undefined || invalidator ? context.homeRegion : undefined,
            replicaAlarmRegions: invalidator ? replicaRegions : [],
        }),
    };
    if (level === "public") return { ...common, ...resolvePublicDelivery(args), level };
    if (delivery === undefined) throw new Error(`level "${level}" has a delivery`);

    const logs = resolveLogs(args);
    const table = resolveTable(args, replicaRegions, { level, ...context });
    const edge = resolveEdge(args.edge, level, delivery.mode);
    if (args.edge?.securedReads !== undefined && replicaRegions.length === 0) {
        throw new Error("edge.securedReads applies only with replicaRegions: without replicas every lookup reads home");
    }
    return { ...common, ...delivery, ...logs, ...table, level, edge, ...(variants !== undefined && resizer !== undefined ? { variants, resizer } : {}) };
}
