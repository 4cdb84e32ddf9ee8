/**
 * The instance's alarms (a CloudFront 5xx error rate, a Lambda@Edge
 * duration per region), placed where their metrics live:
 * - CloudFront's `5xxErrorRate` exists only in us-east-1 (dimension
 *   `Region=Global`);
 * - Lambda@Edge publishes `AWS/Lambda` metrics in each region where a
 *   replica ran, under the function name prefixed with `us-east-1.`, so
 *   there is one duration alarm per configured region.
 * Every alarm treats missing data as fine: no traffic is not an outage.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION, edgeReplicaName } from "../edge/limits";
import { alarmActionsIn } from "./checked-inputs";
import type { ResolvedCdnSettings } from "./resolve-args";

/** Alarm period of both alarms, seconds. */
export const ALARM_PERIOD_SECONDS = 300;

export interface CdnAlarms {
    errorRate: aws.cloudwatch.MetricAlarm;
    /** Duration alarms by region (none for `public`). */
    edgeDuration: { [region: string]: aws.cloudwatch.MetricAlarm };
}

export interface AlarmTargets {
    distribution: aws.cloudfront.Distribution;
    /** The edge function (unqualified); absent for `public`. */
    fn?: aws.lambda.Function;
}

/** Creates the alarms, or nothing when they are disabled. */
export function createAlarms(name: string, settings: ResolvedCdnSettings, { distribution, fn }: AlarmTargets, parent: pulumi.Resource): CdnAlarms | undefined {
    const { alarms } = settings;
    if (!alarms.enabled) return undefined;

    /** What both alarms share: an average over one period above a threshold, notifying the topics of their own region. */
    const averageAbove = (region: string, threshold: number) => {
        const actions = alarmActionsIn(region, alarms);
        return {
            region,
            statistic: "Average",
            period: ALARM_PERIOD_SECONDS,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold,
            treatMissingData: "notBreaching",
            alarmActions: actions,
            okActions: actions,
            tags: settings.tags,
        };
    };

    const errorRate = new aws.cloudwatch.MetricAlarm(
        `${name}-5xx-alarm`,
        {
            ...averageAbove(EDGE_REGION, alarms.errorRatePercent),
            alarmDescription: `${settings.service} images: more than ${alarms.errorRatePercent}% of CloudFront responses are 5xx`,
            namespace: "AWS/CloudFront",
            metricName: "5xxErrorRate",
            dimensions: { DistributionId: distribution.id, Region: "Global" },
        },
        { parent },
    );

    const edgeDuration: { [region: string]: aws.cloudwatch.MetricAlarm } = {};
    if (fn !== undefined) {
        for (const region of alarms.edgeRegions) {
            edgeDuration[region] = new aws.cloudwatch.MetricAlarm(
                `${name}-edge-duration-${region}`,
                {
                    ...averageAbove(region, alarms.durationMs),
                    alarmDescription: `${settings.service} images: Lambda@Edge takes more than ${alarms.durationMs} ms on average in ${region}`,
                    namespace: "AWS/Lambda",
                    metricName: "Duration",
                    dimensions: { FunctionName: fn.name.apply(edgeReplicaName) },
                },
                { parent },
            );
        }
    }
    return { errorRate, edgeDuration };
}
