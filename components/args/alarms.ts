/**
 * The instance's alarms (`alarms`): whether there are any, whom they notify
 * (`actions`, or the topics the component creates, subscribed by `email`),
 * which regions get the edge alarms, and their thresholds.
 *
 * CloudWatch alarms notify topics of their own region, so each action is
 * routed to the alarms of the region its topic is in, and one in a region
 * without an alarm is refused. An action may be an Output: all of them are
 * then checked and routed when they resolve, by the same functions, with
 * the same messages. So are they when the home region (where the
 * `ReplicationLatency` and resizer alarms are) is known only during the deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION, isRegionName, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS } from "../../core/limits";
import { EDGE_REGIONS_BY_PRICE_CLASS, edgeRegionsOf } from "../../core/regions";
import type { PriceClass, SecurityLevel } from "../../core/enums";
import type { HomeRegion } from "../home-region";
import { argObject, boolean, fieldList, inputList, integer, isOutputLike, noDuplicates, number, rejectUnknownKeys, requireKnown, stringList } from "./checks";

/** Alarms on the CDN and its edge function. */
export interface CdnAlarmOptions {
    /**
     * Create the alarms at all. With `false`, `actions` and `email` must be empty.
     * @default true
     */
    enabled?: boolean;
    /**
     * SNS topic ARNs notified when an alarm fires (and when it recovers),
     * plain or Outputs (`topic.arn`). CloudWatch alarms notify topics of
     * their own region, so each alarm gets the topics of its region: a topic
     * in us-east-1 for the CloudFront alarm (and the us-east-1 edge alarm),
     * topics in the other `edgeRegions` for their edge alarms. A topic in a
     * region without an alarm is refused (an Output one when it resolves).
     * @default []
     * @example ["arn:aws:sns:us-east-1:123456789012:oncall"]
     */
    actions?: pulumi.Input<string>[];
    /**
     * Email addresses subscribed to the alarm topics the component creates
     * when `actions` is empty: one topic per region with alarms, so each
     * address gets one confirmation mail per region, and receives nothing
     * until it confirms. Not with `actions` (subscribe your own topics).
     * @default []
     * @example ["oncall@example.com"]
     */
    email?: string[];
    /**
     * Regions that get the Lambda@Edge alarms (duration, errors, throttles)
     * and a dashboard row. Edge metrics exist only in the regions where the
     * function ran: by default every region whose regional edge cache serves
     * `priceClass`.
     * @default ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"] (PriceClass_100's regions; another price class defaults to its own)
     * @example ["us-east-1", "eu-west-1", "ap-southeast-1"]
     */
    edgeRegions?: string[];
    /**
     * The CloudFront `5xxErrorRate` (percent of all requests) above which the
     * error alarm fires, averaged over 5 minutes.
     * @default 5
     */
    errorRatePercent?: number;
    /**
     * The average Lambda@Edge duration (milliseconds) above which a duration
     * alarm fires, over 5 minutes.
     * @default 500
     */
    durationMs?: number;
    /**
     * Fewest requests (CloudFront) or invocations (the edge, per region) in
     * a 5-minute period for the error-rate and duration alarms to judge it;
     * a quieter period counts as fine, so a handful of requests cannot set
     * them off. 1 judges every period.
     * @default 100
     * @example 20
     */
    minRequests?: number;
    /**
     * The average replication lag (milliseconds) from the home table to a
     * replica above which that replica's `ReplicationLatency` alarm fires,
     * over 5 minutes (tables with `replicaRegions` only). It bounds how long
     * a revoked hash may still be read from a replica at `required`.
     * @default 10000
     */
    replicationLatencyMs?: number;
}

/** The `alarms` arg. */
export interface AlarmArgs {
    /**
     * CloudWatch alarms: the CloudFront 5xx error rate, and the Lambda@Edge
     * duration, errors and throttles in each of `edgeRegions`, notifying
     * `actions` or the topics the component creates.
     * @default {} (each field at its own default)
     * @example { email: ["oncall@example.com"] }
     */
    alarms?: CdnAlarmOptions;
}

/**
 * The edge regions of the default price class, `PriceClass_100` (North
 * America and Europe): where the edge alarms go unless `alarms.edgeRegions`
 * says otherwise. Another price class defaults to its own regions
 * ({@link EDGE_REGIONS_BY_PRICE_CLASS}).
 */
export const DEFAULT_EDGE_ALARM_REGIONS: readonly string[] = EDGE_REGIONS_BY_PRICE_CLASS.PriceClass_100;

/** The defaults of {@link CdnAlarmOptions}. */
export const ALARM_DEFAULTS = {
    enabled: true,
    actions: [],
    email: [],
    edgeRegions: DEFAULT_EDGE_ALARM_REGIONS,
    errorRatePercent: 5,
    durationMs: 500,
    minRequests: 100,
    replicationLatencyMs: 10000,
} as const;

/** The fields of {@link AlarmArgs}. */
export const ALARM_FIELDS = fieldList<AlarmArgs>()(["alarms"]);

/** The fields of {@link CdnAlarmOptions}. */
export const ALARM_OPTION_FIELDS = fieldList<CdnAlarmOptions>()(["enabled", "actions", "email", "edgeRegions", "errorRatePercent", "durationMs", "minRequests", "replicationLatencyMs"]);

export interface ResolvedAlarms {
    enabled: boolean;
    /** The SNS topic ARNs given as plain strings, checked, by the region they are in. */
    actionsByRegion: Record<string, string[]>;
    /**
     * Every action as given, in order: the plain ones (also in
     * `actionsByRegion`) and the Outputs, which {@link routeAlarmActions}
     * checks and routes when they resolve.
     */
    actions: pulumi.Input<string>[];
    /** Addresses subscribed to the topics the component creates. */
    email: string[];
    /** True when the component creates the alarm topics: alarms on, and no `actions` given. */
    createTopics: boolean;
    /** Regions with the Lambda@Edge alarms (none for `public`). */
    edgeRegions: string[];
    errorRatePercent: number;
    durationMs: number;
    /** Fewest requests (or invocations) in a period for the rate and duration alarms to judge it. */
    minRequests: number;
    /** Threshold of the replicas' `ReplicationLatency` alarms, ms. */
    replicationLatencyMs: number;
    /**
     * The home region, where the `ReplicationLatency` alarms, the resizer's
     * and the home invalidator's alarms go: set when the instance has any of
     * them and alarms are on. An Output when it is the region of the
     * component's AWS provider (home-region.ts).
     */
    homeRegion?: HomeRegion;
    /** The replica regions with an invalidator's alarms (`required` + `origin` with replicas). */
    replicaAlarmRegions: string[];
}

/** What the alarms depend on besides their own arg. */
export interface AlarmContext {
    level: SecurityLevel;
    /** The edge alarm regions default to the price class's. */
    priceClass: PriceClass;
    /** The home region when an alarm is there: the replicas' `ReplicationLatency` alarms, the resizer's, the home invalidator's. */
    homeRegion?: HomeRegion;
    /** The replica regions whose invalidators have alarms there. @default none */
    replicaAlarmRegions?: readonly string[];
}

/** The alarms, every field checked, the plain actions routed to their regions. */
export function resolveAlarms(alarms: CdnAlarmOptions | undefined, { level, priceClass, homeRegion, replicaAlarmRegions = [] }: AlarmContext): ResolvedAlarms {
    const given = argObject(alarms, "alarms");
    rejectUnknownKeys(given, ALARM_OPTION_FIELDS, "alarms.");
    for (const key of ALARM_OPTION_FIELDS) requireKnown(given[key], `alarms.${key}`);
    const defaults = ALARM_DEFAULTS;
    const enabled = boolean(given.enabled ?? defaults.enabled, "alarms.enabled");
    if (level === "public" && given.edgeRegions !== undefined) {
        throw new Error('alarms.edgeRegions does not apply to level "public", which has no edge function');
    }
    // By default, the regions whose regional edge caches serve the price class.
    const edgeRegions = level === "public" ? [] : stringList(given.edgeRegions ?? edgeRegionsOf(priceClass), "alarms.edgeRegions");
    for (const region of edgeRegions) {
        if (!isRegionName(region)) throw new Error(`alarms.edgeRegions must hold AWS region names (got ${JSON.stringify(region)})`);
    }
    noDuplicates(edgeRegions, "alarms.edgeRegions");
    const actions = inputList(given.actions ?? defaults.actions, "alarms.actions");
    if (!enabled && actions.length > 0) {
        throw new Error("alarms.actions does not apply when alarms.enabled is false: there is no alarm to notify from");
    }
    const home = enabled ? homeRegion : undefined;
    const replicas = enabled ? [...replicaAlarmRegions] : [];
    const actionsByRegion = routeAlarmActions(
        actions.filter((action) => !isOutputLike(action)),
        // A home region known only later may be any topic's: its regions are checked when it resolves (alarmActionsIn).
        home === undefined || typeof home === "string" ? alarmRegions({ edgeRegions, homeRegion: home, replicaAlarmRegions: replicas }) : undefined,
    );
    const errorRatePercent = number(given.errorRatePercent ?? defaults.errorRatePercent, "alarms.errorRatePercent", 0, 100);
    if (errorRatePercent === 0) throw new Error("alarms.errorRatePercent must be greater than 0");
    const durationMs = integer(given.durationMs ?? defaults.durationMs, "alarms.durationMs", 1, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS * 1000);
    const minRequests = integer(given.minRequests ?? defaults.minRequests, "alarms.minRequests", 1, 1_000_000);
    const email = stringList(given.email ?? defaults.email, "alarms.email");
    for (const address of email) {
        if (!isEmailAddress(address)) throw new Error(`alarms.email must hold email addresses (got ${JSON.stringify(address)})`);
    }
    noDuplicates(
        email.map((address) => address.toLowerCase()),
        "alarms.email",
    );
    if (email.length > 0 && !enabled) throw new Error("alarms.email does not apply when alarms.enabled is false: there is no alarm to notify from");
    if (email.length > 0 && actions.length > 0) {
        throw new Error("alarms.email subscribes the topics the component creates, and none are created when alarms.actions is given: subscribe the addresses to your own topics");
    }
    const replicationLatencyMs = integer(given.replicationLatencyMs ?? defaults.replicationLatencyMs, "alarms.replicationLatencyMs", 1, 24 * 60 * 60 * 1000);
    return {
        enabled,
        actionsByRegion,
        actions,
        email,
        createTopics: enabled && actions.length === 0,
        edgeRegions,
        errorRatePercent,
        durationMs,
        minRequests,
        replicationLatencyMs,
        ...(home !== undefined ? { homeRegion: home } : {}),
        replicaAlarmRegions: replicas,
    };
}

/**
 * The regions that have an alarm: us-east-1 (CloudFront's), each of
 * `alarms.edgeRegions`, home when an alarm is there (the replicas'
 * `ReplicationLatency` alarms, the resizer's, the home invalidator's) and
 * it is known by name, and each replica region with an invalidator's alarms.
 */
export function alarmRegions(alarms: { edgeRegions: readonly string[]; homeRegion?: HomeRegion; replicaAlarmRegions?: readonly string[] }): string[] {
    const home = typeof alarms.homeRegion === "string" ? [alarms.homeRegion] : [];
    return [...new Set([EDGE_REGION, ...alarms.edgeRegions, ...home, ...(alarms.replicaAlarmRegions ?? [])])];
}

/**
 * Checks alarm actions and sorts them by region: each must be an SNS topic
 * ARN in a region that has an alarm (any region while `regions` is not yet
 * known), and none may be listed twice. Applied to the plain actions up
 * front and to all of them once their Outputs have resolved.
 */
export function routeAlarmActions(actions: readonly unknown[], regions: readonly string[] | undefined): Record<string, string[]> {
    const byRegion: Record<string, string[]> = {};
    const arns: string[] = [];
    for (const action of actions) {
        const match = typeof action === "string" ? /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.exec(action) : null;
        if (!match) throw new Error(`alarms.actions must hold SNS topic ARNs (got ${JSON.stringify(action)})`);
        const arn = action as string;
        const region = match[1];
        if (regions !== undefined && !regions.includes(region)) {
            throw new Error(
                `alarms.actions: topic ${arn} is in ${region}, where this instance has no alarm (alarms are in ${regions.join(", ")}); CloudWatch alarms notify topics of their own region`,
            );
        }
        arns.push(arn);
        (byRegion[region] ??= []).push(arn);
    }
    noDuplicates(arns, "alarms.actions");
    return byRegion;
}

/**
 * The SNS topics the alarms of `region` notify: the plain actions of that
 * region as they are, or, when some actions (or the home region, or
 * `region` itself) are Outputs, all of them checked and routed once they
 * resolve, so a topic still reaches only the alarms of its own region.
 */
export function alarmActionsIn(
    region: pulumi.Input<string>,
    alarms: Pick<ResolvedAlarms, "actions" | "actionsByRegion" | "edgeRegions" | "homeRegion" | "replicaAlarmRegions">,
): pulumi.Input<string[]> {
    const known = (value: unknown): value is string | undefined => value === undefined || typeof value === "string";
    if (typeof region === "string" && known(alarms.homeRegion) && alarms.actions.every((action) => typeof action === "string")) {
        return alarms.actionsByRegion[region] ?? [];
    }
    return pulumi
        .all([region, alarms.homeRegion, pulumi.all([...alarms.actions])])
        .apply(
            ([resolvedRegion, home, resolved]) =>
                routeAlarmActions(resolved, alarmRegions({ edgeRegions: alarms.edgeRegions, homeRegion: home, replicaAlarmRegions: alarms.replicaAlarmRegions }))[resolvedRegion] ?? [],
        );
}

/** An email address as SNS takes one: a local part, `@`, and a domain with a dot; no spaces. */
function isEmailAddress(value: string): boolean {
    return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
