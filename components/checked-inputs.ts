/**
 * The args that may arrive as Outputs (alarm actions, tag values, aliases,
 * the certificate ARN, the table's KMS key ARN), checked when they resolve by the same functions
 * `resolveArgs` applies to plain values, so a bad value fails the
 * deployment with the message a plain one gets up front.
 *
 * Each result is an input of a child resource (an Output whose `apply` only
 * checks and returns values; no resource is ever created inside it), so a
 * failed check fails that child's registration. Plain values pass through
 * as they are: they were checked by `resolveArgs` already.
 */
import * as pulumi from "@pulumi/pulumi";
import { alarmRegions, checkAliasList, checkTagValue, ResolvedAlarms, ResolvedGuardedSettings, routeAlarmActions, validateCertificateArn, validateKmsKeyArn } from "./resolve-args";

/** The tags with each Output value checked when it resolves. */
export function checkedTags(tags: Record<string, pulumi.Input<string>>): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(
        Object.entries(tags).map(([key, value]) => [key, typeof value === "string" ? value : pulumi.output(value).apply((resolved) => checkTagValue(key, resolved))]),
    );
}

/** The aliases once every one has resolved, each checked and none twice. */
export function checkedAliases(aliases: readonly pulumi.Input<string>[]): pulumi.Output<string[]> {
    return pulumi.all([...aliases]).apply((resolved) => checkAliasList(resolved));
}

/** The certificate ARN, checked (us-east-1, ACM) when it resolves. */
export function checkedCertificateArn(arn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(arn).apply(validateCertificateArn);
}

/**
 * The table's customer-managed KMS key, checked when it resolves (a KMS key
 * ARN, and in the home region when that is known); undefined for the other
 * encryptions.
 */
export function checkedTableKmsKeyArn(settings: Pick<ResolvedGuardedSettings, "tableEncryption" | "tableKmsKeyArn" | "homeRegion">): pulumi.Output<string> | undefined {
    if (settings.tableEncryption !== "customer-managed-kms" || settings.tableKmsKeyArn === undefined) return undefined;
    return pulumi.output(settings.tableKmsKeyArn).apply((arn) => validateKmsKeyArn(arn, settings.homeRegion));
}

/**
 * The SNS topics the alarms of `region` notify: the plain actions of that
 * region as they are, or, when some actions are Outputs, all of them
 * checked and routed once they resolve, so a topic still reaches only the
 * alarms of its own region.
 */
export function alarmActionsIn(region: string, alarms: Pick<ResolvedAlarms, "actions" | "actionsByRegion" | "edgeRegions">): pulumi.Input<string[]> {
    if (alarms.actions.every((action) => typeof action === "string")) return alarms.actionsByRegion[region] ?? [];
    const regions = alarmRegions(alarms);
    return pulumi.all([...alarms.actions]).apply((resolved) => routeAlarmActions(resolved, regions)[region] ?? []);
}
