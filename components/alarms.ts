/**
 * The instance's alarms, made from alarm-specs.ts (what each watches, where,
 * and why missing data is fine), and where they send their notifications:
 * the `alarms.actions` of their own region (CloudWatch alarms notify topics
 * of their own region), or, with no actions given, the topic the component
 * creates in each region that has alarms (topics.ts).
 *
 * Nothing is left silent without a word: `pulumi preview` and `up` warn on
 * the instance when the created topics have no subscriber configured
 * (`alarms.email` empty), and when given actions leave the alarms of a
 * region without any topic.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { edgeReplicaName } from "../core/limits";
import { AlarmSpec, alarmSpecs } from "./alarm-specs";
import { alarmActionsIn, alarmRegions, routeAlarmActions } from "./args/alarms";
import { hasVariants, isGuarded, ResolvedCdnSettings } from "./resolve-args";
import { childName } from "./names";
import { AlarmTopics, createAlarmTopics } from "./topics";
import { HOME_COPY } from "./invalidator";
import type { Invalidator } from "./invalidator";

export interface CdnAlarms {
    /** Every alarm, in the order of {@link alarmSpecs}. */
    all: aws.cloudwatch.MetricAlarm[];
    errorRate: aws.cloudwatch.MetricAlarm;
    /** CloudFront's count of Lambda@Edge failures (us-east-1); absent for `public`. */
    cloudFrontEdgeErrors?: aws.cloudwatch.MetricAlarm;
    /** The edge alarms by region (none for `public`). */
    edgeDuration: { [region: string]: aws.cloudwatch.MetricAlarm };
    edgeErrors: { [region: string]: aws.cloudwatch.MetricAlarm };
    edgeThrottles: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The `ReplicationLatency` alarms, by replica region (all of them in the home region); empty without replicas. */
    replicationLatency: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The resizer's alarms (home region), with variants. */
    resizerDuration?: aws.cloudwatch.MetricAlarm;
    resizerErrors?: aws.cloudwatch.MetricAlarm;
    resizerThrottles?: aws.cloudwatch.MetricAlarm;
    /** The invalidators' alarms, by kind, then by copy (`home`, or a replica's region); empty without invalidators. */
    invalidators: Record<InvalidatorAlarmKind, { [copy: string]: aws.cloudwatch.MetricAlarm }>;
    /** The topics the component created (none when `alarms.actions` is given). */
    topics: AlarmTopics;
}

export interface AlarmTargets {
    distribution: aws.cloudfront.Distribution;
    /** The edge function (unqualified); absent for `public`. */
    fn?: aws.lambda.Function;
    /** The mapping table; absent for `public`. */
    table?: aws.dynamodb.Table;
    /** The resizer function, with variants. */
    resizer?: aws.lambda.Function;
    /** The invalidators, by copy; absent but for `required` + `origin`. */
    invalidators?: Record<string, Invalidator>;
}

/** The kinds of an invalidator's alarms. */
export const INVALIDATOR_ALARM_KINDS = ["invalidator-errors", "invalidator-throttles", "invalidator-iterator-age", "invalidator-dead-letters"] as const;
export type InvalidatorAlarmKind = (typeof INVALIDATOR_ALARM_KINDS)[number];

/** Creates the topics (when needed) and the alarms, or nothing when alarms are disabled. */
export function createAlarms(name: string, settings: ResolvedCdnSettings, { distribution, fn, table, resizer, invalidators }: AlarmTargets, parent: pulumi.Resource): CdnAlarms | undefined {
    const { alarms } = settings;
    if (!alarms.enabled) return undefined;

    const specs = alarmSpecs({
        service: settings.service,
        distributionId: distribution.id,
        replicaName: fn?.name.apply(edgeReplicaName),
        edgeRegions: alarms.edgeRegions,
        errorRatePercent: alarms.errorRatePercent,
        durationMs: alarms.durationMs,
        minRequests: alarms.minRequests,
        replication:
            table && alarms.homeRegion !== undefined && isGuarded(settings) && settings.replicaRegions.length > 0
                ? { tableName: table.name, homeRegion: alarms.homeRegion, replicaRegions: settings.replicaRegions, latencyMs: alarms.replicationLatencyMs }
                : undefined,
        resizer:
            resizer && alarms.homeRegion !== undefined && hasVariants(settings)
                ? { functionName: resizer.name, homeRegion: alarms.homeRegion, timeoutSeconds: settings.resizer.timeoutSeconds }
                : undefined,
        // Home's alarms go where its invalidator is: the home region by name when known, else the table's.
        invalidators: Object.entries(invalidators ?? {}).map(([copy, invalidator]) => ({
            copy,
            region: copy === HOME_COPY ? (alarms.homeRegion ?? invalidator.region) : invalidator.region,
            functionName: invalidator.fn.name,
            deadLetterQueueName: invalidator.deadLetters.name,
        })),
    });
    // The regions named when the program runs; the home region of an AWS provider is known only later.
    const regions = [...new Set(specs.flatMap((spec) => (typeof spec.region === "string" ? [spec.region] : [])))];
    const topics = alarms.createTopics
        ? createAlarmTopics(name, { service: settings.service, regions, emails: alarms.email, tags: settings.tags }, parent)
        : { topics: {}, subscriptions: {} };
    warnAboutSilence(settings, regions, parent);

    const actionsIn = (region: pulumi.Input<string>): pulumi.Input<string[]> => {
        if (!alarms.createTopics) return alarmActionsIn(region, alarms);
        return typeof region === "string" ? topics.topics[region].arn.apply((arn) => [arn]) : topicIn(region, topics.topics, regions);
    };
    const created = specs.map((spec) => alarmFrom(name, spec, actionsIn(spec.region), settings.tags, parent));
    const byKind = (kind: AlarmSpec["kind"]) =>
        Object.fromEntries(specs.flatMap((spec, i) => (spec.kind === kind ? [[namedRegion(spec), created[i]] as const] : [])));
    return {
        all: created,
        errorRate: created[0],
        cloudFrontEdgeErrors: created.find((_, i) => specs[i].kind === "cloudfront-edge-errors"),
        edgeDuration: byKind("edge-duration"),
        edgeErrors: byKind("edge-errors"),
        edgeThrottles: byKind("edge-throttles"),
        // All in the home region: keyed by the replica region each one watches.
        replicationLatency: Object.fromEntries(
            specs.flatMap((spec, i) => (spec.kind === "replication-latency" ? [[spec.suffix.slice("replication-latency-".length), created[i]] as const] : [])),
        ),
        invalidators: Object.fromEntries(
            INVALIDATOR_ALARM_KINDS.map((kind) => [kind, Object.fromEntries(specs.flatMap((spec, i) => (spec.kind === kind && spec.copy !== undefined ? [[spec.copy, created[i]] as const] : [])))]),
        ) as CdnAlarms["invalidators"],
        ...resizerAlarmsOf(specs, created),
        topics,
    };
}

/** The resizer's three alarms by kind, when it has them. */
function resizerAlarmsOf(specs: AlarmSpec[], created: aws.cloudwatch.MetricAlarm[]): Pick<CdnAlarms, "resizerDuration" | "resizerErrors" | "resizerThrottles"> {
    const of = (kind: AlarmSpec["kind"]) => created[specs.findIndex((spec) => spec.kind === kind)];
    if (!specs.some((spec) => spec.kind === "resizer-duration")) return {};
    return { resizerDuration: of("resizer-duration"), resizerErrors: of("resizer-errors"), resizerThrottles: of("resizer-throttles") };
}

/** The region of an edge alarm, always named (only the home region may be an Output). */
function namedRegion(spec: AlarmSpec): string {
    if (typeof spec.region !== "string") throw new Error(`the ${spec.kind} alarm's region is not known when the program runs`);
    return spec.region;
}

/**
 * The topic the instance made in a region known only during the deployment
 * (the home region of an AWS provider, where the home invalidator's, the resizer's and the `ReplicationLatency`
 * alarms are): topics are made when the program runs, so it must be one of
 * their regions, or the alarms fail, saying what to do.
 */
function topicIn(region: pulumi.Input<string>, topics: Record<string, aws.sns.Topic>, regions: readonly string[]): pulumi.Output<string[]> {
    const arns = pulumi.all(Object.fromEntries(Object.entries(topics).map(([topicRegion, topic]) => [topicRegion, topic.arn])));
    return pulumi.all([region, arns]).apply(([home, byRegion]) => {
        const arn = byRegion[home];
        if (arn === undefined) {
            throw new Error(
                `alarms: the home region's alarms (the invalidator's, the resizer's, and with replicas the ReplicationLatency ones) are in ${home} (the region of the component's AWS provider), where this instance has no alarm topic ` +
                    `(it makes them when the program runs, in ${regions.join(", ")}): add ${home} to alarms.edgeRegions, or give alarms.actions with a topic in ${home}`,
            );
        }
        return [arn];
    });
}

function alarmFrom(name: string, spec: AlarmSpec, actions: pulumi.Input<string[]>, tags: ResolvedCdnSettings["tags"], parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        childName(name, "alarm", spec.suffix),
        {
            region: spec.region,
            alarmDescription: spec.description,
            metricQueries: spec.queries,
            comparisonOperator: spec.comparisonOperator,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods,
            treatMissingData: spec.treatMissingData,
            alarmActions: actions,
            okActions: actions,
            tags,
        },
        { parent },
    );
}

/**
 * Warns (on the instance, at preview and up) when alarms would tell nobody:
 * created topics without an address, or given actions that leave a region's
 * alarms without a topic (checked once Output actions resolve).
 */
function warnAboutSilence(settings: ResolvedCdnSettings, regions: readonly string[], parent: pulumi.Resource): void {
    const { alarms } = settings;
    if (alarms.createTopics) {
        if (alarms.email.length === 0) {
            pulumi.log.warn(
                `${settings.service}: the alarms notify the SNS topics this instance creates (${regions.join(", ")}), and no subscription is configured: ` +
                    "set alarms.email, or subscribe to the alarmTopics outputs, or the alarms tell nobody",
                parent,
            );
        }
        return;
    }
    const warnFor = (byRegion: Record<string, string[]>, alarmed: readonly string[]) => {
        const silent = alarmed.filter((region) => (byRegion[region] ?? []).length === 0);
        if (silent.length > 0) {
            pulumi.log.warn(`${settings.service}: no alarms.actions topic is in ${silent.join(", ")}, so the alarms there notify nobody (alarms notify topics of their own region)`, parent);
        }
    };
    const home = alarms.homeRegion;
    if (alarms.actions.every((action) => typeof action === "string") && (home === undefined || typeof home === "string")) {
        warnFor(alarms.actionsByRegion, regions);
        return;
    }
    pulumi.all([home, pulumi.all([...alarms.actions])]).apply(([resolvedHome, resolved]) => {
        const allRegions = alarmRegions({ edgeRegions: alarms.edgeRegions, homeRegion: resolvedHome, replicaAlarmRegions: alarms.replicaAlarmRegions });
        let byRegion: Record<string, string[]>;
        try {
            byRegion = routeAlarmActions(resolved, allRegions);
        } catch {
            // A bad action fails the alarms' own inputs, with its message; nothing to warn about here.
            return;
        }
        warnFor(byRegion, allRegions);
    });
}
