/**
 * Stream records and queue messages as Lambda hands them to the
 * invalidator (shapes of "DynamoDB Streams and AWS Lambda triggers" and
 * "Using Lambda with Amazon SQS"), and the settings of a test instance.
 */
import type { DynamoDBRecord, SQSRecord } from "aws-lambda";
import type { InvalidatorSettings } from "../../invalidator/settings";

export const SETTINGS: InvalidatorSettings = {
    service: "chat",
    region: "eu-west-1",
    distributionId: "ETESTDIST1",
    queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/chat-invalidator-queue-eu-west-1",
    reinvalidateAfterSeconds: 75,
    variants: false,
};

/** Now, in the tests' world: 2025-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2025, 0, 1);

let sequence = 100;

/** A stream record of `eventName` on the item `hash`, with an old image expiring at `expiresAt` (epoch seconds) unless `null`. */
export function streamRecord(
    eventName: "INSERT" | "MODIFY" | "REMOVE",
    hash: string,
    options: { expiresAt?: number | null; userIdentity?: unknown } = {},
): DynamoDBRecord {
    sequence += 1;
    const expiresAt = options.expiresAt === undefined ? NOW_MS / 1000 + 86400 : options.expiresAt;
    const image = { hash: { S: hash }, s3_url: { S: "s3://bucket/uploads/a.png" }, ...(expiresAt === null ? {} : { expires_at: { N: String(expiresAt) } }) };
    return {
        eventID: `event-${sequence}`,
        eventName,
        eventSource: "aws:dynamodb",
        awsRegion: "eu-west-1",
        dynamodb: {
            Keys: { hash: { S: hash } },
            ...(eventName === "INSERT" ? {} : { OldImage: image }),
            ...(eventName === "REMOVE" ? {} : { NewImage: image }),
            SequenceNumber: String(sequence),
            StreamViewType: "NEW_AND_OLD_IMAGES",
        },
        ...(options.userIdentity === undefined ? {} : { userIdentity: options.userIdentity }),
    };
}

/** The identity DynamoDB's TTL deletions carry. */
export const TTL_IDENTITY = { type: "Service", principalId: "dynamodb.amazonaws.com" };

/** A queue message with `body`. */
export function queueRecord(body: string, messageId = `message-${++sequence}`): SQSRecord {
    return {
        messageId,
        receiptHandle: `receipt-${messageId}`,
        body,
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(NOW_MS), SenderId: "AROAEXAMPLE", ApproximateFirstReceiveTimestamp: String(NOW_MS) },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:chat-invalidator-queue-eu-west-1",
        awsRegion: "eu-west-1",
    };
}

/** A hash made of one repeated hex digit, readable in a failure message. */
export function hashOf(digit: string): string {
    return digit.repeat(32);
}
