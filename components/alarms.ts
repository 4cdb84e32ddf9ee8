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
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { edgeReplicaName } from "../core/limits";
import { AlarmSpec, alarmSpecs } from "./alarm-specs";
import { alarmActionsIn } from "./checked-inputs";
import { alarmRegions, isGuarded, ResolvedCdnSettings, routeAlarmActions } from "./resolve-args";
import { AlarmTopics, createAlarmTopics } from "./topics";

export interface CdnAlarms {
    /** Every alarm, in the order of {@link alarmSpecs}. */
    all: aws.cloudwatch.MetricAlarm[];
    errorRate: aws.cloudwatch.MetricAlarm;
    /** The edge alarms by region (none for `public`). */
    edgeDuration: { [region: string]: aws.cloudwatch.MetricAlarm };
    edgeErrors: { [region: string]: aws.cloudwatch.MetricAlarm };
    edgeThrottles: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The `ReplicationLatency` alarms, by replica region (all of them in the home region); empty without replicas. */
    replicationLatency: { [region: string]: aws.cloudwatch.MetricAlarm };
    /** The topics the component created (none when `alarms.actions` is given). */
    topics: AlarmTopics;
}

export interface AlarmTargets {
    distribution: aws.cloudfront.Distribution;
    /** The edge function (unqualified); absent for `public`. */
    fn?: aws.lambda.Function;
    /** The mapping table; absent for `public`. */
    table?: aws.dynamodb.Table;
}

/** Creates the topics (when needed) and the alarms, or nothing when alarms are disabled. */
export function createAlarms(name: string, settings: ResolvedCdnSettings, { distribution, fn, table }: AlarmTargets, parent: pulumi.Resource): CdnAlarms | undefined {
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
            table && alarms.replicationRegion !== undefined && isGuarded(settings) && settings.replicaRegions.length > 0
                ? { tableName: table.name, homeRegion: alarms.replicationRegion, replicaRegions: settings.replicaRegions, latencyMs: alarms.replicationLatencyMs }
                : undefined,
    });
    const regions = [...new Set(specs.map((spec) => spec.region))];
    const topics = alarms.createTopics
        ? createAlarmTopics(name, { service: settings.service, regions, emails: alarms.email, tags: settings.tags }, parent)
        : { topics: {}, subscriptions: {} };
    warnAboutSilence(settings, regions, parent);

    const actionsIn = (region: string): pulumi.Input<string[]> => {
        const topic = topics.topics[region];
        return topic ? topic.arn.apply((arn) => [arn]) : alarmActionsIn(region, alarms);
    };
    const created = specs.map((spec) => alarmFrom(name, spec, actionsIn(spec.region), settings.tags, parent));
    const byKind = (kind: AlarmSpec["kind"]) =>
        Object.fromEntries(specs.flatMap((spec, i) => (spec.kind === kind ? [[spec.region, created[i]] as const] : [])));
    return {
        all: created,
        errorRate: created[0],
        edgeDuration: byKind("edge-duration"),
        edgeErrors: byKind("edge-errors"),
        edgeThrottles: byKind("edge-throttles"),
        // All in the home region: keyed by the replica region each one watches.
        replicationLatency: Object.fromEntries(
            specs.flatMap((spec, i) => (spec.kind === "replication-latency" ? [[spec.suffix.slice("replication-latency-".length), created[i]] as const] : [])),
        ),
        topics,
    };
}

function alarmFrom(name: string, spec: AlarmSpec, actions: pulumi.Input<string[]>, tags: ResolvedCdnSettings["tags"], parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        `${name}-alarm-${spec.suffix}`,
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
    const warnFor = (byRegion: Record<string, string[]>) => {
        const silent = regions.filter((region) => (byRegion[region] ?? []).length === 0);
        if (silent.length > 0) {
            pulumi.log.warn(`${settings.service}: no alarms.actions topic is in ${silent.join(", ")}, so the alarms there notify nobody (alarms notify topics of their own region)`, parent);
        }
    };
    if (alarms.actions.every((action) => typeof action === "string")) {
        warnFor(alarms.actionsByRegion);
        return;
    }
    pulumi.all([...alarms.actions]).apply((resolved) => {
        let byRegion: Record<string, string[]>;
        try {
            byRegion = routeAlarmActions(resolved, alarmRegions(alarms));
        } catch {
            // A bad action fails the alarms' own inputs, with its message; nothing to warn about here.
            return;
        }
        warnFor(byRegion);
    });
}
