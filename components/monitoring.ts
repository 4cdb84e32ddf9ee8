/**
 * What an operator looks at: CloudFront's additional metrics for the
 * distribution (cache hit rate among them; a monitoring subscription, off by
 * default in CloudFront and billed per metric) and the instance's CloudWatch
 * dashboard (dashboard.ts), whose console URL is an output.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../core/limits";
import { dashboardBody, dashboardName, dashboardUrl } from "./dashboard";
import { childName } from "./names";

/** Turns on CloudFront's additional metrics for the distribution. */
export function createMonitoringSubscription(name: string, distribution: aws.cloudfront.Distribution, parent: pulumi.Resource): aws.cloudfront.MonitoringSubscription {
    return new aws.cloudfront.MonitoringSubscription(
        childName(name, "monitoringSubscription"),
        {
            distributionId: distribution.id,
            monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } },
        },
        { parent },
    );
}

export interface DashboardInputs {
    service: string;
    level: string;
    distribution: aws.cloudfront.Distribution;
    additionalMetrics: boolean;
    /** The edge function and the regions whose rows the dashboard shows; absent for `public`. */
    edge?: { fn: aws.lambda.Function; regions: readonly string[] };
    table?: aws.dynamodb.Table;
    /** Regions with a replica of the table. @default none */
    replicaRegions?: readonly string[];
    /** The variants' resizer and its reserved concurrency; absent without variants. */
    resizer?: { fn: aws.lambda.Function; reservedConcurrency: number };
    /** The invalidators, by copy (`home`, or a replica's region). @default none */
    invalidators?: { copy: string; region: pulumi.Input<string>; functionName: pulumi.Input<string>; deadLetterQueueName: pulumi.Input<string> }[];
    alarms: aws.cloudwatch.MetricAlarm[];
}

export interface CdnDashboard {
    dashboard: aws.cloudwatch.Dashboard;
    /** The CloudWatch console URL that opens it. */
    url: pulumi.Output<string>;
}

/** Creates the instance's dashboard (in us-east-1, with CloudFront's metrics; dashboards are global). */
export function createDashboard(name: string, inputs: DashboardInputs, parent: pulumi.Resource): CdnDashboard {
    const dashboardNameText = dashboardName(pulumi.getProject(), pulumi.getStack(), name);
    const body = pulumi
        .all([
            inputs.distribution.id,
            inputs.edge ? inputs.edge.fn.name : pulumi.output(undefined),
            inputs.table ? pulumi.all([inputs.table.name, inputs.table.region]) : pulumi.output(undefined),
            pulumi.all(inputs.alarms.map((alarm) => alarm.arn)),
            inputs.resizer ? pulumi.all([inputs.resizer.fn.name, inputs.resizer.fn.region]) : pulumi.output(undefined),
            pulumi.all((inputs.invalidators ?? []).map((invalidator) => pulumi.all([invalidator.copy, invalidator.region, invalidator.functionName, invalidator.deadLetterQueueName]))),
        ])
        .apply(([distributionId, functionName, table, alarmArns, resizer, invalidators]) =>
            JSON.stringify(
                dashboardBody({
                    service: inputs.service,
                    level: inputs.level,
                    distributionId,
                    additionalMetrics: inputs.additionalMetrics,
                    edge: functionName !== undefined && inputs.edge ? { functionName, regions: inputs.edge.regions } : undefined,
                    table: table ? { name: table[0], region: table[1], ...(inputs.replicaRegions?.length ? { replicaRegions: inputs.replicaRegions } : {}) } : undefined,
                    ...(resizer && inputs.resizer ? { resizer: { functionName: resizer[0], region: resizer[1], reservedConcurrency: inputs.resizer.reservedConcurrency } } : {}),
                    alarmArns,
                    invalidators: invalidators.map(([copy, region, invalidatorName, deadLetterQueueName]) => ({ copy, region, functionName: invalidatorName, deadLetterQueueName })),
                }),
            ),
        );
    const dashboard = new aws.cloudwatch.Dashboard(childName(name, "dashboard"), { region: EDGE_REGION, dashboardName: dashboardNameText, dashboardBody: body }, { parent });
    // The partition (for the console's host) is the distribution ARN's second field: no provider call needed.
    const url = pulumi
        .all([inputs.distribution.arn, dashboard.dashboardName])
        .apply(([distributionArn, dashboardNameValue]) => dashboardUrl(distributionArn.split(":")[1], dashboardNameValue));
    return { dashboard, url };
}
