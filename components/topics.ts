/**
 * Somewhere for alarms to go: when the instance is given no alarm actions,
 * one SNS topic per region that has alarms (CloudWatch alarms notify topics
 * of their own region), each subscribed by the `alarms.email` addresses.
 * SNS sends each address one confirmation mail per topic, so per region;
 * nothing is delivered to an address until it confirms.
 *
 * Topics are not encrypted: CloudWatch cannot publish to a topic encrypted
 * with the AWS-managed SNS key, and alarm notifications carry only alarm
 * names, states and reasons.
 */
import * as aws from "./aws";
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { childName } from "./names";

export interface AlarmTopicsInput {
    service: string;
    /** Regions with alarms. */
    regions: readonly string[];
    /** Addresses subscribed to every topic. */
    emails: readonly string[];
    tags: Record<string, pulumi.Input<string>>;
}

export interface AlarmTopics {
    /** The topic of each region. */
    topics: Record<string, aws.sns.Topic>;
    /** The email subscriptions of each region. */
    subscriptions: Record<string, aws.sns.TopicSubscription[]>;
}

/** Creates a topic per region and subscribes the addresses to each. */
export function createAlarmTopics(name: string, input: AlarmTopicsInput, parent: pulumi.Resource): AlarmTopics {
    const topics: Record<string, aws.sns.Topic> = {};
    const subscriptions: Record<string, aws.sns.TopicSubscription[]> = {};
    for (const region of input.regions) {
        const topic = new aws.sns.Topic(
            childName(name, "alarmTopic", region),
            { region, displayName: `${input.service} image CDN alarms (${region})`.slice(0, 100), tags: input.tags },
            { parent },
        );
        topics[region] = topic;
        subscriptions[region] = input.emails.map(
            (email) =>
                new aws.sns.TopicSubscription(
                    // Named after the address, so adding or removing one leaves the others' subscriptions alone.
                    childName(name, "alarmTopic", region, "email", addressKey(email)),
                    { region, topic: topic.arn, protocol: "email", endpoint: email },
                    { parent },
                ),
        );
    }
    return { topics, subscriptions };
}

/** A short, stable key for an address (it never appears in resource names itself). */
export function addressKey(email: string): string {
    return createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 10);
}
