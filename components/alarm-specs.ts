/**
 * What each alarm of an instance watches, as plain data: the metric (or the
 * metric math), the threshold, the period and what missing data means. The
 * resources are made from these in alarms.ts; the specs are tested alone.
 *
 * Where the metrics live decides where the alarms go:
 * - CloudFront publishes `AWS/CloudFront` metrics (dimension `Region=Global`)
 *   only in us-east-1 (CloudFront Developer Guide, "Monitor CloudFront metrics
 *   with Amazon CloudWatch"), so the error-rate alarm is there, and so is the
 *   alarm on the Lambda@Edge failures CloudFront itself counts for the
 *   distribution, in every region at once: `LambdaExecutionError` (no
 *   response from the function), `LambdaValidationError` (a response
 *   CloudFront refuses: a 502 while Lambda's own `Errors` stays at 0, so no
 *   Lambda alarm sees it) and `LambdaLimitExceededErrors` (throttled), each
 *   a count (`Sum`). The CloudFront Developer Guide describes the three
 *   failures ("Testing and debugging Lambda@Edge functions") and shows them
 *   on the distribution's "Lambda@Edge errors" graphs, which are default
 *   metrics, free and without the additional metrics; it does not list
 *   their CloudWatch names, which are the ones the CloudFront console's
 *   error-rate graph reads (its "5xx errors from Lambda functions");
 * - a Lambda@Edge replica reports `AWS/Lambda` metrics in the region where it
 *   ran, as `FunctionName=us-east-1.<name>` ("Edge function logs"), so each
 *   edge region gets its own duration, errors and throttles alarms;
 * - a global table reports `ReplicationLatency` (`AWS/DynamoDB`, dimensions
 *   `TableName` and `ReceivingRegion`) for every source and destination
 *   region pair, in the source region (DynamoDB Developer Guide, "Monitoring
 *   global tables"); writes happen at home only, so each replica region gets
 *   one alarm, in the home region, on the lag towards it;
 * - each invalidator (components/invalidator.ts) is a regional Lambda
 *   function: its `AWS/Lambda` metrics (`Errors`, `Throttles`, and
 *   `IteratorAge` for its stream source, "Working with Lambda function
 *   metrics") and its dead-letter queue's `AWS/SQS` metrics ("Available
 *   CloudWatch metrics for Amazon SQS") are in its own region, so its four
 *   alarms are there.
 * - the resizer (variants) is a regional function in the home region and
 *   reports `AWS/Lambda` metrics there under its own name: its errors,
 *   throttles (past its reserved concurrency, viewers get 429s) and
 *   duration alarms are there.
 *
 * Rates and averages over a handful of requests say little: one failed
 * request out of ten is a 10 % error rate, one cold start in a quiet region
 * can average 600 ms. So the error-rate and duration alarms judge a period
 * only when it saw at least `minRequests` requests (CloudFront) or
 * invocations (the edge, per region), with CloudWatch metric math:
 * `IF(requests >= minRequests, rate, 0)`. The thresholds themselves (5 %,
 * 500 ms over 300 s) stay exactly as stated; a quiet period counts as fine.
 * A floor on the sample, rather than "M of N periods", keeps detection to one
 * 5-minute period when traffic is real; the errors and throttles alarms have
 * no floor, since a single function error or throttle is already news.
 *
 * Missing data is never an outage here: CloudFront publishes nothing for a
 * distribution nobody requests, and Lambda publishes nothing in a region
 * where no replica ran. Every alarm therefore treats missing data as
 * `notBreaching`, so it returns to OK when traffic stops instead of staying
 * in ALARM (`ignore` would keep the last state) or paging about silence
 * (`breaching`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../core/limits";

/** Period of every alarm, seconds (300 s: 5-minute periods). */
export const ALARM_PERIOD_SECONDS = 300;

export type AlarmKind =
    | "error-rate"
    | "cloudfront-edge-errors"
    | "edge-duration"
    | "edge-errors"
    | "edge-throttles"
    | "replication-latency"
    | "resizer-duration"
    | "resizer-errors"
    | "resizer-throttles"
    | "invalidator-errors"
    | "invalidator-throttles"
    | "invalidator-iterator-age"
    | "invalidator-dead-letters";

/**
 * How far behind its stream an invalidator may fall before its alarm fires,
 * ms (`IteratorAge`, the age of the last record it read): 30 s. It runs
 * about a second behind (Lambda polls the stream four times a second; its
 * batching window is a second); every second more is a second more before a
 * revoked hash's first invalidation, and on the bound of its second.
 */
export const INVALIDATOR_ITERATOR_AGE_MS = 30_000;

/** CloudFront's counts of Lambda@Edge failures for a distribution (`AWS/CloudFront`, `Sum`), by query ID. */
export const CLOUDFRONT_EDGE_ERROR_METRICS = {
    execution: "LambdaExecutionError",
    validation: "LambdaValidationError",
    limit: "LambdaLimitExceededErrors",
} as const;

/** A CloudWatch metric, as `metricQueries[].metric` takes it. */
export interface AlarmMetric {
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    period: number;
    stat: string;
}

/** One entry of an alarm's `metricQueries`: a metric, or an expression over the others. */
export interface AlarmQuery {
    id: string;
    metric?: AlarmMetric;
    expression?: string;
    label?: string;
    returnData: boolean;
}

export interface AlarmSpec {
    kind: AlarmKind;
    /** An invalidator's alarm: the copy of the table it follows (`home`, or a replica's region). */
    copy?: string;
    /** Where the alarm is: a region name, or for the home region's alarms (`ReplicationLatency`, the resizer's) the home region, an Output when it is an AWS provider's. */
    region: pulumi.Input<string>;
    /** Appended to `<instance>-alarm-` to name the resource. */
    suffix: string;
    description: string;
    queries: AlarmQuery[];
    comparisonOperator: "GreaterThanThreshold";
    threshold: number;
    evaluationPeriods: number;
    treatMissingData: "notBreaching";
}

export interface AlarmSpecInput {
    service: string;
    distributionId: pulumi.Input<string>;
    /** `us-east-1.<function name>`; absent for `public`, which has no edge alarms. */
    replicaName?: pulumi.Input<string>;
    edgeRegions: readonly string[];
    errorRatePercent: number;
    durationMs: number;
    minRequests: number;
    /** The table's replicas, when it has any: one `ReplicationLatency` alarm each, in the home region. */
    replication?: { tableName: pulumi.Input<string>; homeRegion: pulumi.Input<string>; replicaRegions: readonly string[]; latencyMs: number };
    /** The resizer, with variants: its name, the home region, and its timeout (the duration alarm fires at half of it). */
    resizer?: { functionName: pulumi.Input<string>; homeRegion: pulumi.Input<string>; timeoutSeconds: number };
    /** The invalidators (`required` + `origin`): four alarms each, in its region. */
    invalidators?: InvalidatorAlarmTarget[];
}

/** What an invalidator's alarms watch. */
export interface InvalidatorAlarmTarget {
    /** `home`, or the replica's region. */
    copy: string;
    region: pulumi.Input<string>;
    functionName: pulumi.Input<string>;
    deadLetterQueueName: pulumi.Input<string>;
}

/**
 * Every alarm of an instance: the CloudFront error rate in us-east-1, for a
 * guarded level CloudFront's Lambda@Edge failures there too, then three per
 * edge region, then one per replica region, and three for the resizer.
 */
export function alarmSpecs(input: AlarmSpecInput): AlarmSpec[] {
    const specs = [errorRateAlarm(input)];
    if (input.replicaName !== undefined) {
        specs.push(cloudFrontEdgeErrorsAlarm(input));
        for (const region of input.edgeRegions) specs.push(...edgeAlarms(input, input.replicaName, region));
    }
    if (input.replication) {
        for (const region of input.replication.replicaRegions) specs.push(replicationAlarm(input.service, input.replication, region));
    }
    if (input.resizer) specs.push(...resizerAlarms(input, input.resizer));
    for (const target of input.invalidators ?? []) specs.push(...invalidatorAlarms(input.service, target));
    return specs;
}

/** The resizer's duration alarm fires when its average is past this share of its timeout: variants close to being cut off. */
export const RESIZER_DURATION_SHARE_OF_TIMEOUT = 0.5;

/**
 * The resizer's alarms, in the home region. Errors (a function error or a
 * timeout: the handler itself never throws, so one is news) and throttles
 * (requests past the reserved concurrency, answered 429) on any; duration
 * when its average over the period passes half the timeout, judged with at
 * least `minRequests` invocations like the edge's.
 */
function resizerAlarms(input: AlarmSpecInput, resizer: NonNullable<AlarmSpecInput["resizer"]>): AlarmSpec[] {
    const metric = (metricName: string, stat: string): AlarmMetric => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: resizer.functionName },
        period: ALARM_PERIOD_SECONDS,
        stat,
    });
    const minutes = ALARM_PERIOD_SECONDS / 60;
    const thresholdMs = Math.round(resizer.timeoutSeconds * 1000 * RESIZER_DURATION_SHARE_OF_TIMEOUT);
    const count = (kind: AlarmKind, metricName: string, what: string): AlarmSpec => ({
        kind,
        region: resizer.homeRegion,
        suffix: kind,
        description: `${input.service} images: the variants resizer had ${what} (any, over ${minutes} minutes)`,
        queries: [{ id: "count", metric: metric(metricName, "Sum"), returnData: true }],
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    });
    return [
        {
            kind: "resizer-duration",
            region: resizer.homeRegion,
            suffix: "resizer-duration",
            description: `${input.service} images: the variants resizer takes more than ${thresholdMs} ms on average (half its timeout) over ${minutes} minutes (judged when there were at least ${input.minRequests} invocations)`,
            queries: gated(
                { id: "invocations", metric: metric("Invocations", "Sum"), returnData: false },
                { id: "duration", metric: metric("Duration", "Average"), returnData: false },
                input.minRequests,
                "average duration (ms)",
            ),
            comparisonOperator: "GreaterThanThreshold",
            threshold: thresholdMs,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        },
        count("resizer-errors", "Errors", "function errors (timeouts, out of memory)"),
        count("resizer-throttles", "Throttles", "throttled invocations (past its reserved concurrency: viewers got 429)"),
    ];
}

/**
 * An invalidator's alarms: any error or throttle (a refused invalidation is
 * not an error: it goes back to the queue), its stream falling behind, and
 * anything in its dead-letter queue (an invalidation given up on after the
 * queue's tries, or a stream batch the stream let go). An idle dead-letter
 * queue publishes nothing (SQS publishes no metrics for a queue inactive
 * for six hours until it is active again): missing data is fine there too.
 */
function invalidatorAlarms(service: string, target: InvalidatorAlarmTarget): AlarmSpec[] {
    const minutes = ALARM_PERIOD_SECONDS / 60;
    const where = target.copy === "home" ? "the home region" : target.copy;
    const lambda = (metricName: string, stat: string): AlarmMetric => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: target.functionName },
        period: ALARM_PERIOD_SECONDS,
        stat,
    });
    const alarm = (kind: AlarmKind, description: string, metric: AlarmMetric, threshold: number): AlarmSpec => ({
        kind,
        copy: target.copy,
        region: target.region,
        suffix: `${kind}-${target.copy}`,
        description,
        queries: [{ id: "value", metric, returnData: true }],
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    });
    return [
        alarm("invalidator-errors", `${service} images: the invalidator in ${where} failed (any error over ${minutes} minutes): removed hashes may not be invalidated`, lambda("Errors", "Sum"), 0),
        alarm("invalidator-throttles", `${service} images: the invalidator in ${where} was throttled (any, over ${minutes} minutes)`, lambda("Throttles", "Sum"), 0),
        alarm(
            "invalidator-iterator-age",
            `${service} images: the invalidator in ${where} is more than ${INVALIDATOR_ITERATOR_AGE_MS / 1000} s behind its table's stream: revocations take that much longer`,
            lambda("IteratorAge", "Maximum"),
            INVALIDATOR_ITERATOR_AGE_MS,
        ),
        alarm(
            "invalidator-dead-letters",
            `${service} images: the invalidator in ${where} gave up on an invalidation (its dead-letter queue holds messages): redrive them`,
            { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: target.deadLetterQueueName }, period: ALARM_PERIOD_SECONDS, stat: "Maximum" },
            0,
        ),
    ];
}

/**
 * The lag of writes from home to one replica region, averaged over the
 * period: what a revoked hash may still be read from that replica for (at
 * `required`). No writes, no metric: missing data is fine.
 */
function replicationAlarm(service: string, replication: NonNullable<AlarmSpecInput["replication"]>, receivingRegion: string): AlarmSpec {
    return {
        kind: "replication-latency",
        region: replication.homeRegion,
        suffix: `replication-latency-${receivingRegion}`,
        description: `${service} images: writes take more than ${replication.latencyMs} ms on average to reach the table's replica in ${receivingRegion} over ${ALARM_PERIOD_SECONDS / 60} minutes (a revoked hash stays readable there that long)`,
        queries: [
            {
                id: "lag",
                metric: {
                    namespace: "AWS/DynamoDB",
                    metricName: "ReplicationLatency",
                    dimensions: { TableName: replication.tableName, ReceivingRegion: receivingRegion },
                    period: ALARM_PERIOD_SECONDS,
                    stat: "Average",
                },
                returnData: true,
            },
        ],
        comparisonOperator: "GreaterThanThreshold",
        threshold: replication.latencyMs,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    };
}

function errorRateAlarm(input: AlarmSpecInput): AlarmSpec {
    const dimensions = { DistributionId: input.distributionId, Region: "Global" };
    return {
        kind: "error-rate",
        region: EDGE_REGION,
        suffix: "5xx",
        description: `${input.service} images: more than ${input.errorRatePercent}% of CloudFront responses are 5xx over ${ALARM_PERIOD_SECONDS / 60} minutes (judged when there were at least ${input.minRequests} requests)`,
        queries: gated(
            { id: "requests", metric: { namespace: "AWS/CloudFront", metricName: "Requests", dimensions, period: ALARM_PERIOD_SECONDS, stat: "Sum" }, returnData: false },
            { id: "rate", metric: { namespace: "AWS/CloudFront", metricName: "5xxErrorRate", dimensions, period: ALARM_PERIOD_SECONDS, stat: "Average" }, returnData: false },
            input.minRequests,
            "5xx error rate (%)",
        ),
        comparisonOperator: "GreaterThanThreshold",
        threshold: input.errorRatePercent,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    };
}

/**
 * Any Lambda@Edge failure CloudFront counted for the distribution in the
 * period, whatever region it happened in. The three counts are published
 * only for periods with failures of that kind, so each is filled with 0
 * before they are added: one kind alone still alarms.
 */
function cloudFrontEdgeErrorsAlarm(input: AlarmSpecInput): AlarmSpec {
    const dimensions = { DistributionId: input.distributionId, Region: "Global" };
    const ids = Object.keys(CLOUDFRONT_EDGE_ERROR_METRICS) as (keyof typeof CLOUDFRONT_EDGE_ERROR_METRICS)[];
    return {
        kind: "cloudfront-edge-errors",
        region: EDGE_REGION,
        suffix: "cloudfront-edge-errors",
        description: `${input.service} images: CloudFront counted Lambda@Edge failures (execution errors, invalid function responses, throttles) over ${ALARM_PERIOD_SECONDS / 60} minutes, in any region`,
        queries: [
            ...ids.map((id): AlarmQuery => ({
                id,
                metric: { namespace: "AWS/CloudFront", metricName: CLOUDFRONT_EDGE_ERROR_METRICS[id], dimensions, period: ALARM_PERIOD_SECONDS, stat: "Sum" },
                returnData: false,
            })),
            { id: "failures", expression: ids.map((id) => `FILL(${id}, 0)`).join(" + "), label: "Lambda@Edge failures seen by CloudFront", returnData: true },
        ],
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    };
}

function edgeAlarms(input: AlarmSpecInput, replicaName: pulumi.Input<string>, region: string): AlarmSpec[] {
    const metric = (metricName: string, stat: string): AlarmMetric => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: replicaName },
        period: ALARM_PERIOD_SECONDS,
        stat,
    });
    const minutes = ALARM_PERIOD_SECONDS / 60;
    const count = (kind: AlarmKind, metricName: string, what: string): AlarmSpec => ({
        kind,
        region,
        suffix: `${kind}-${region}`,
        description: `${input.service} images: Lambda@Edge ${what} in ${region} (any, over ${minutes} minutes)`,
        queries: [{ id: "count", metric: metric(metricName, "Sum"), returnData: true }],
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
    });
    return [
        {
            kind: "edge-duration",
            region,
            suffix: `edge-duration-${region}`,
            description: `${input.service} images: Lambda@Edge takes more than ${input.durationMs} ms on average in ${region} over ${minutes} minutes (judged when there were at least ${input.minRequests} invocations)`,
            queries: gated(
                { id: "invocations", metric: metric("Invocations", "Sum"), returnData: false },
                { id: "duration", metric: metric("Duration", "Average"), returnData: false },
                input.minRequests,
                "average duration (ms)",
            ),
            comparisonOperator: "GreaterThanThreshold",
            threshold: input.durationMs,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        },
        count("edge-errors", "Errors", "function errors (exceptions, timeouts)"),
        count("edge-throttles", "Throttles", "throttled invocations"),
    ];
}

/** `value` where `sample` reached `minimum` in the period, 0 elsewhere. */
function gated(sample: AlarmQuery, value: AlarmQuery, minimum: number, label: string): AlarmQuery[] {
    return [sample, value, { id: "judged", expression: `IF(${sample.id} >= ${minimum}, ${value.id}, 0)`, label: `${label}, when ${sample.id} >= ${minimum}`, returnData: true }];
}
