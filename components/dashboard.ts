/**
 * The body of an instance's CloudWatch dashboard, as a plain function of
 * names and IDs, so what it shows is tested without Pulumi. It shows what
 * an operator watches, each metric where AWS publishes it:
 *
 * - CloudFront (`AWS/CloudFront`, `Region=Global`, us-east-1 only): requests,
 *   cache hit rate (an additional metric: it needs the distribution's
 *   monitoring subscription), 4xx and 5xx error rates, and with an edge
 *   function the Lambda@Edge failures CloudFront counts (execution errors,
 *   invalid responses, throttles: alarm-specs.ts);
 * - Lambda@Edge (`AWS/Lambda`, `FunctionName=us-east-1.<name>`, in each region
 *   where replicas ran): invocations, duration p50 and p99, errors and
 *   throttles, one row per region, every widget titled with its region;
 * - DynamoDB (`AWS/DynamoDB`, the table's region): consumed read capacity and
 *   throttled reads; with replicas, the same for each replica in its own
 *   region (the edge's reads there), and the replication lag towards each
 *   (`ReplicationLatency`, published in the home region);
 * - the variants' resizer (`AWS/Lambda`, its own name, the home region):
 *   invocations, duration p50 and p99, errors and throttles, and concurrent
 *   executions against its reserved concurrency;
 * - the invalidators (`required` + `origin`, `AWS/Lambda` and `AWS/SQS` in
 *   each one's region): invocations, errors and throttles, how far behind
 *   its table's stream it is (`IteratorAge`), and what its dead-letter
 *   queue holds, one row per copy of the table;
 * - the state of the instance's alarms, per region.
 *
 * Widget layout and properties follow the CloudWatch API Reference,
 * "Dashboard body structure and syntax".
 */
import { EDGE_REGION, edgeReplicaName } from "../core/limits";
import { CLOUDFRONT_EDGE_ERROR_METRICS } from "./alarm-specs";
import { regionOfArn } from "./arn";

/** Period of every graph, seconds: the alarms' period, so a graph shows what an alarm judged. */
export const DASHBOARD_PERIOD_SECONDS = 300;

/**
 * Most alarm ARNs one alarm status widget takes (CloudWatch API Reference,
 * "Dashboard body structure and syntax", alarm widget `alarms`: 1 to 100).
 */
export const MAX_ALARMS_PER_WIDGET = 100;

/** Width of the dashboard grid (the same reference: 24 columns). */
const GRID_COLUMNS = 24;

export interface DashboardInput {
    service: string;
    level: string;
    /** The CloudFront distribution's ID. */
    distributionId: string;
    /** Whether the distribution's additional metrics (cache hit rate) are on. */
    additionalMetrics: boolean;
    /** The edge function and the regions to show it in; absent for `public`. */
    edge?: { functionName: string; regions: readonly string[] };
    /** The mapping table (and its replica regions, if any); absent for `public`. */
    table?: { name: string; region: string; replicaRegions?: readonly string[] };
    /** The variants' resizer function and its region; absent without variants. */
    resizer?: { functionName: string; region: string; reservedConcurrency: number };
    /** ARNs of the instance's alarms (their region is read from the ARN). */
    alarmArns: readonly string[];
    /** The invalidators, by copy of the table; absent but for `required` + `origin`. */
    invalidators?: readonly DashboardInvalidator[];
}

/** What an invalidator's row shows. */
export interface DashboardInvalidator {
    /** `home`, or the replica's region. */
    copy: string;
    region: string;
    functionName: string;
    deadLetterQueueName: string;
}

/** One metric line of a graph: namespace, name, dimension pairs, then rendering options. */
type MetricLine = [...string[], { stat: string; label: string }];

export interface MetricWidget {
    type: "metric";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: {
        title: string;
        region: string;
        view: "timeSeries";
        period: number;
        metrics: MetricLine[];
        yAxis?: { left: { min: number; max?: number; label?: string } };
    };
}

export interface TextWidget {
    type: "text";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { markdown: string };
}

export interface AlarmWidget {
    type: "alarm";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { title: string; alarms: string[] };
}

export type DashboardWidget = MetricWidget | TextWidget | AlarmWidget;

export interface DashboardBody {
    /** The graphs' default range when the dashboard opens. */
    start: string;
    periodOverride: "inherit";
    widgets: DashboardWidget[];
}

/** A widget before it is placed on the grid. */
type Unplaced<W extends DashboardWidget> = Omit<W, "x" | "y">;

/** The dashboard body for one instance (serialize with `JSON.stringify`). */
export function dashboardBody(input: DashboardInput): DashboardBody {
    const rows: Unplaced<DashboardWidget>[][] = [
        [header(input)],
        cloudFrontRow(input),
        ...(input.edge ? input.edge.regions.map((region) => edgeRow(input.edge!.functionName, region)) : []),
        ...(input.table ? [tableRow(input.table), ...replicaRows(input.table)] : []),
        ...(input.resizer ? [resizerRow(input.resizer)] : []),
        ...(input.invalidators ?? []).map(invalidatorRow),
        alarmRow(input.alarmArns),
    ];
    return { start: "-PT6H", periodOverride: "inherit", widgets: place(rows.filter((row) => row.length > 0)) };
}

/**
 * A dashboard name for the instance: unique per project, stack and instance
 * (dashboards are named by their owner, not auto-named), made of the
 * characters CloudWatch allows (letters, digits, `-`, `_`; at most 255:
 * CloudWatch API Reference, `PutDashboard`, `DashboardName`).
 */
export function dashboardName(project: string, stack: string, instance: string): string {
    const name = [project, stack, instance].map((part) => part.replace(/[^A-Za-z0-9_-]/g, "-")).join("-");
    return name.length <= 255 ? name : name.slice(0, 255);
}

/** Console host of each AWS partition. */
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
    aws: "console.aws.amazon.com",
    "aws-us-gov": "console.amazonaws-us-gov.com",
    "aws-cn": "console.amazonaws.cn",
};

/** The CloudWatch console URL that opens a dashboard (the console region is the CloudFront metrics' region). */
export function dashboardUrl(partition: string, name: string): string {
    const host = CONSOLE_HOSTS[partition];
    if (host === undefined) throw new Error(`no known console for partition ${partition}`);
    return `https://${host}/cloudwatch/home?region=${EDGE_REGION}#dashboards/dashboard/${encodeURIComponent(name)}`;
}

function header(input: DashboardInput): Unplaced<TextWidget> {
    const lines = [
        `## ${input.service} images (${input.level})`,
        `CloudFront distribution \`${input.distributionId}\`: its metrics live in ${EDGE_REGION}.`,
        input.edge
            ? `Lambda@Edge \`${edgeReplicaName(input.edge.functionName)}\` reports in the region where each request ran: one row per region (${input.edge.regions.join(", ")}).`
            : "No edge function (public level: objects are served by key).",
        input.table ? `Mapping table \`${input.table.name}\` in ${input.table.region}${replicaNote(input.table)}.` : "",
        input.resizer ? `Variants resizer \`${input.resizer.functionName}\` in ${input.resizer.region}, at most ${input.resizer.reservedConcurrency} at once.` : "",
        `Graphs are ${DASHBOARD_PERIOD_SECONDS / 60}-minute periods, like the alarms.`,
    ];
    return { type: "text", width: GRID_COLUMNS, height: 3, properties: { markdown: lines.filter((line) => line !== "").join("\n\n") } };
}

function cloudFrontRow(input: DashboardInput): Unplaced<DashboardWidget>[] {
    const metric = (name: string, stat: string, label: string): MetricLine => [
        "AWS/CloudFront",
        name,
        "DistributionId",
        input.distributionId,
        "Region",
        "Global",
        { stat, label },
    ];
    const percent = { left: { min: 0, max: 100, label: "%" } };
    const widgets: Unplaced<DashboardWidget>[] = [
        graph(`Requests — CloudFront (${EDGE_REGION})`, EDGE_REGION, [metric("Requests", "Sum", "requests")]),
        input.additionalMetrics
            ? graph(`Cache hit rate — CloudFront (${EDGE_REGION})`, EDGE_REGION, [metric("CacheHitRate", "Average", "cache hit rate %")], percent)
            : {
                  type: "text",
                  width: 6,
                  height: 6,
                  properties: { markdown: "### Cache hit rate\n\nOff: CloudFront's additional metrics are turned off for this instance (`additionalMetrics: false`)." },
              },
        graph(`4xx error rate — CloudFront (${EDGE_REGION})`, EDGE_REGION, [metric("4xxErrorRate", "Average", "4xx %")], percent),
        graph(`5xx error rate — CloudFront (${EDGE_REGION})`, EDGE_REGION, [metric("5xxErrorRate", "Average", "5xx %")], percent),
    ];
    if (input.edge) {
        const { execution, validation, limit } = CLOUDFRONT_EDGE_ERROR_METRICS;
        widgets.push(
            graph(`Lambda@Edge failures — CloudFront (${EDGE_REGION})`, EDGE_REGION, [
                metric(execution, "Sum", "execution errors"),
                metric(validation, "Sum", "invalid function responses"),
                metric(limit, "Sum", "throttles"),
            ]),
        );
    }
    return widgets;
}

function edgeRow(functionName: string, region: string): Unplaced<MetricWidget>[] {
    const metric = (name: string, stat: string, label: string): MetricLine => ["AWS/Lambda", name, "FunctionName", edgeReplicaName(functionName), { stat, label }];
    return [
        graph(`Edge invocations — ${region}`, region, [metric("Invocations", "Sum", "invocations")]),
        graph(`Edge duration p50 / p99 (ms) — ${region}`, region, [metric("Duration", "p50", "p50"), metric("Duration", "p99", "p99")]),
        graph(`Edge errors and throttles — ${region}`, region, [metric("Errors", "Sum", "errors"), metric("Throttles", "Sum", "throttles")]),
    ].map((widget) => ({ ...widget, width: 8 }));
}

/** The resizer's row: what it runs, how long, how it fails, and how close it is to its reserved concurrency. */
function resizerRow(resizer: { functionName: string; region: string; reservedConcurrency: number }): Unplaced<MetricWidget>[] {
    const metric = (name: string, stat: string, label: string): MetricLine => ["AWS/Lambda", name, "FunctionName", resizer.functionName, { stat, label }];
    return [
        graph(`Resizer invocations — ${resizer.region}`, resizer.region, [metric("Invocations", "Sum", "invocations")]),
        graph(`Resizer duration p50 / p99 (ms) — ${resizer.region}`, resizer.region, [metric("Duration", "p50", "p50"), metric("Duration", "p99", "p99")]),
        graph(`Resizer errors and throttles — ${resizer.region}`, resizer.region, [metric("Errors", "Sum", "errors"), metric("Throttles", "Sum", "throttles (429 to viewers)")]),
        graph(`Resizer concurrent executions (reserved: ${resizer.reservedConcurrency}) — ${resizer.region}`, resizer.region, [metric("ConcurrentExecutions", "Maximum", "concurrent executions")], {
            left: { min: 0, max: resizer.reservedConcurrency },
        }),
    ];
}

function tableRow(table: { name: string; region: string }): Unplaced<MetricWidget>[] {
    return [
        graph(`DynamoDB consumed read capacity — ${table.region}`, table.region, [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", table.name, { stat: "Sum", label: "read capacity units" }],
        ]),
        graph(`DynamoDB throttled reads — ${table.region}`, table.region, [
            ["AWS/DynamoDB", "ThrottledRequests", "TableName", table.name, "Operation", "GetItem", { stat: "Sum", label: "throttled GetItem (edge lookups)" }],
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", table.name, { stat: "Sum", label: "read throttle events" }],
        ]),
    ].map((widget) => ({ ...widget, width: 12 }));
}

function replicaNote(table: { replicaRegions?: readonly string[] }): string {
    const replicas = table.replicaRegions ?? [];
    return replicas.length > 0 ? `, replicated to ${replicas.join(", ")} (the edge reads the nearest copy)` : "";
}

/** With replicas: each replica's reads in its region, and the lag towards each, in the home region. */
function replicaRows(table: { name: string; region: string; replicaRegions?: readonly string[] }): Unplaced<MetricWidget>[][] {
    const replicas = table.replicaRegions ?? [];
    if (replicas.length === 0) return [];
    const lag = graph(
        `DynamoDB replication lag (ms) from ${table.region}`,
        table.region,
        replicas.map((region): MetricLine => ["AWS/DynamoDB", "ReplicationLatency", "TableName", table.name, "ReceivingRegion", region, { stat: "Average", label: `to ${region}` }]),
    );
    const reads = replicas.map((region) =>
        graph(`DynamoDB reads of the replica — ${region}`, region, [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", table.name, { stat: "Sum", label: "read capacity units" }],
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", table.name, { stat: "Sum", label: "read throttle events" }],
        ]),
    );
    const widths = 24 / Math.min(3, replicas.length + 1);
    const widgets = [lag, ...reads].map((widget) => ({ ...widget, width: widths }));
    const rows: Unplaced<MetricWidget>[][] = [];
    for (let i = 0; i < widgets.length; i += 3) rows.push(widgets.slice(i, i + 3));
    return rows;
}

/** An invalidator's row: its invocations, errors and throttles, its lag behind the stream, its dead letters. */
function invalidatorRow(invalidator: DashboardInvalidator): Unplaced<MetricWidget>[] {
    const where = invalidator.copy === "home" ? `home, ${invalidator.region}` : invalidator.region;
    const metric = (name: string, stat: string, label: string): MetricLine => ["AWS/Lambda", name, "FunctionName", invalidator.functionName, { stat, label }];
    return [
        graph(`Invalidator invocations — ${where}`, invalidator.region, [metric("Invocations", "Sum", "invocations")]),
        graph(`Invalidator errors and throttles — ${where}`, invalidator.region, [metric("Errors", "Sum", "errors"), metric("Throttles", "Sum", "throttles")]),
        graph(`Invalidator behind its stream (ms) — ${where}`, invalidator.region, [metric("IteratorAge", "Maximum", "iterator age")]),
        graph(`Invalidator dead letters — ${where}`, invalidator.region, [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", invalidator.deadLetterQueueName, { stat: "Maximum", label: "messages given up on" }],
        ]),
    ];
}

/** One alarm status widget per region (in the order regions first appear), at most 100 alarms each. */
function alarmRow(alarmArns: readonly string[]): Unplaced<AlarmWidget>[] {
    const byRegion = new Map<string, string[]>();
    for (const arn of alarmArns) {
        const region = regionOfArn(arn);
        byRegion.set(region, [...(byRegion.get(region) ?? []), arn]);
    }
    const widgets: Unplaced<AlarmWidget>[] = [];
    for (const [region, arns] of byRegion) {
        for (let start = 0; start < arns.length; start += MAX_ALARMS_PER_WIDGET) {
            widgets.push({ type: "alarm", width: 8, height: 3, properties: { title: `Alarms — ${region}`, alarms: arns.slice(start, start + MAX_ALARMS_PER_WIDGET) } });
        }
    }
    return widgets;
}

function graph(title: string, region: string, metrics: MetricLine[], yAxis?: MetricWidget["properties"]["yAxis"]): Unplaced<MetricWidget> {
    return {
        type: "metric",
        width: 6,
        height: 6,
        properties: { title, region, view: "timeSeries", period: DASHBOARD_PERIOD_SECONDS, metrics, ...(yAxis ? { yAxis } : {}) },
    };
}

/** Places rows top to bottom, each row's widgets left to right, wrapping at the grid's width. */
function place(rows: Unplaced<DashboardWidget>[][]): DashboardWidget[] {
    const placed: DashboardWidget[] = [];
    let y = 0;
    for (const row of rows) {
        let x = 0;
        let rowHeight = 0;
        for (const widget of row) {
            if (x + widget.width > GRID_COLUMNS) {
                y += rowHeight;
                x = 0;
                rowHeight = 0;
            }
            placed.push({ ...widget, x, y } as DashboardWidget);
            x += widget.width;
            rowHeight = Math.max(rowHeight, widget.height);
        }
        y += rowHeight;
    }
    return placed;
}
