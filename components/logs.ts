/**
 * The edge function's logs: a log group, with a retention period, in every
 * region where the function may run, and the saved Logs Insights queries
 * over them (log-queries.ts).
 *
 * Lambda@Edge honours a custom log group set in the function's logging
 * configuration, under the same name in every region it runs in (CloudFront
 * Developer Guide, "Edge function logs": "If you specify a custom log group
 * name … Lambda@Edge won't add the Region prefix. The log group name remains
 * the same across all other Regions where the function is invoked"). So the
 * group is auto-named once, in us-east-1, after the role alone
 * (`chat-edge-logs-<suffix>`: it is the same group in every region, so its
 * name carries none), and every other region's group takes that name; the
 * function is pointed at it, and its role may write there but not create
 * log groups: nothing logs to a group without a retention period.
 *
 * CloudFront writes a second log of its own: the function's invalid
 * responses (validation errors, each a 502 with Lambda's `Errors` at 0),
 * to `/aws/cloudfront/LambdaEdge/<distribution ID>` in the region where the
 * function ran (CloudFront Developer Guide, "Testing and debugging
 * Lambda@Edge functions"), creating the group itself, without a retention
 * period, when it first needs it. The component creates that group too, in
 * every region where the function may run, with the same retention period,
 * right after the distribution exists (its name needs the distribution's
 * ID): CloudFront then finds it and writes there.
 *
 * On `pulumi destroy`, the distribution goes first (it depends on the log
 * groups), so no replica runs any more when the log groups and their logs
 * are deleted with the stack. The function itself is kept (`skipDestroy`):
 * it can no longer run, and writes nothing. Logs needed after a destroy must
 * be exported before it.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../core/limits";
import { edgeLogQueries, logQueryName } from "./log-queries";
import { childName, cloudFrontEdgeLogGroupName } from "./names";

export interface EdgeLogsInput {
    /** Regions where the function may run (us-east-1 among them). */
    regions: readonly string[];
    retentionDays: number;
    tags: Record<string, pulumi.Input<string>>;
}

export interface EdgeLogs {
    /** The log group name, the same in every region. */
    groupName: pulumi.Output<string>;
    /** The log group of each region. */
    groups: Record<string, aws.cloudwatch.LogGroup>;
    /** The saved queries of each region. */
    queries: Record<string, aws.cloudwatch.QueryDefinition[]>;
}

/** Creates the log groups and the saved queries. */
export function createEdgeLogs(name: string, input: EdgeLogsInput, parent: pulumi.Resource): EdgeLogs {
    const regions = [EDGE_REGION, ...input.regions.filter((region) => region !== EDGE_REGION)];
    const groups: Record<string, aws.cloudwatch.LogGroup> = {};
    // us-east-1's group is auto-named after the role alone (unique per stack and instance); the others take its name.
    const primary = new aws.cloudwatch.LogGroup(
        childName(name, "edgeLogGroup"),
        { region: EDGE_REGION, retentionInDays: input.retentionDays, tags: input.tags },
        { parent },
    );
    groups[EDGE_REGION] = primary;
    for (const region of regions.slice(1)) {
        groups[region] = new aws.cloudwatch.LogGroup(
            childName(name, "edgeLogGroup", region),
            { region, name: primary.name, retentionInDays: input.retentionDays, tags: input.tags },
            { parent },
        );
    }

    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const queries: Record<string, aws.cloudwatch.QueryDefinition[]> = {};
    for (const region of regions) {
        queries[region] = edgeLogQueries().map(
            (query) =>
                new aws.cloudwatch.QueryDefinition(
                    childName(name, "edgeLogQuery", query.key, region),
                    { region, name: logQueryName(project, stack, name, query), queryString: query.queryString, logGroupNames: [groups[region].name] },
                    { parent },
                ),
        );
    }
    return { groupName: primary.name, groups, queries };
}

export interface CloudFrontEdgeLogsInput {
    /** The distribution whose Lambda@Edge validation errors CloudFront logs. */
    distributionId: pulumi.Input<string>;
    /** Regions where the function may run (where CloudFront writes those logs). */
    regions: readonly string[];
    retentionDays: number;
    tags: Record<string, pulumi.Input<string>>;
}

/**
 * CloudFront's log groups for the function's invalid responses, one per
 * region where it may run, each with the retention period (a group that
 * CloudFront creates itself keeps its logs forever).
 */
export function createCloudFrontEdgeLogs(name: string, input: CloudFrontEdgeLogsInput, parent: pulumi.Resource): Record<string, aws.cloudwatch.LogGroup> {
    const groupName = pulumi.output(input.distributionId).apply(cloudFrontEdgeLogGroupName);
    return Object.fromEntries(
        input.regions.map((region) => [
            region,
            new aws.cloudwatch.LogGroup(
                childName(name, "cloudFrontEdgeLogGroup", region),
                { region, name: groupName, retentionInDays: input.retentionDays, tags: input.tags },
                { parent },
            ),
        ]),
    );
}
