/**
 * The invalidator in the local stack: the same handler the Lambda function
 * runs (invalidator/handler.ts), on the same events. Each region's
 * invalidator follows that region's local stream (local/dynamo-stream.ts:
 * home's, or a replica's, which carries a removal once it reaches that
 * copy) and gets its records as Lambda hands a stream batch over: the
 * records one write call made, in one event of DynamoDB's stream-record
 * shape. Its CloudFront calls go through invalidator/aws.ts to the local
 * CloudFront API, as the Lambda function's go to CloudFront. Its queue is
 * an SQS stand-in on the stack's clock (local/timers.ts): a message is
 * handed over once its `DelaySeconds` have passed, ten at most per event,
 * a refused one again after the visibility timeout, and after
 * `maxReceiveCount` receives it moves to the dead letters, all by the
 * figures the component deploys (invalidator/deployment.ts).
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord, SQSRecord } from "aws-lambda";
import { EDGE_REGION } from "../core/limits";
import { cloudFrontInvalidation } from "../invalidator/aws";
import { INVALIDATOR_QUEUE } from "../invalidator/deployment";
import { createInvalidatorHandler, InvalidatorEvent } from "../invalidator/handler";
import type { InvalidatorLogLine } from "../invalidator/log";
import type { InvalidatorSettings } from "../invalidator/settings";
import { LOCAL_CREDENTIALS } from "./aws";
import type { LocalStreamRecord, LocalTableStream } from "./dynamo-stream";
import type { Timers } from "./timers";

export interface LocalInvalidatorOptions {
    settings: InvalidatorSettings;
    /** The service's table: the stream carries every table of that DynamoDB. */
    table: string;
    stream: LocalTableStream;
    /** The local CloudFront API. */
    cloudfrontEndpoint: string;
    timers: Timers;
    /** Faults: a handler that threw, a message moved to the dead letters. */
    log: (line: string) => void;
}

export interface LocalInvalidator {
    service: string;
    region: string;
    /** Messages in its queue: waiting out their delay, or their visibility timeout after a refusal. */
    queued(): number;
    /** The bodies of the messages moved to its dead-letter queue. */
    deadLetters: string[];
    /** Its log lines, newest last (the last 1,000). */
    lines: InvalidatorLogLine[];
    /** Resolves once nothing is being handled (messages still waiting for their time do not count). */
    settled(): Promise<void>;
    close(): void;
}

interface QueuedMessage {
    id: string;
    body: string;
    visibleAt: number;
    receives: number;
}

const MAX_LINES = 1000;

export function startLocalInvalidator(options: LocalInvalidatorOptions): LocalInvalidator {
    const { settings, timers } = options;
    const client = new CloudFrontClient({ region: EDGE_REGION, endpoint: options.cloudfrontEndpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const messages: QueuedMessage[] = [];
    const deadLetters: string[] = [];
    const lines: InvalidatorLogLine[] = [];
    let counter = 0;
    let closed = false;
    let cancelWake: (() => void) | undefined;
    let wakeAt = Infinity;
    let chain: Promise<unknown> = Promise.resolve();
    let batch: LocalStreamRecord[] = [];

    const handler = createInvalidatorHandler({
        settings,
        invalidate: cloudFrontInvalidation(client, settings.distributionId),
        async enqueue(body, delaySeconds) {
            messages.push({ id: `${settings.region}-${++counter}`, body, visibleAt: timers.now() + delaySeconds * 1000, receives: 0 });
            schedule();
        },
        now: () => timers.now(),
        log(line) {
            lines.push(line);
            if (lines.length > MAX_LINES) lines.shift();
        },
    });

    /** Runs one invocation after the ones before it, as one shard's batches are. */
    const invoke = (event: InvalidatorEvent) => {
        const run = chain.then(() => handler(event));
        chain = run.catch((error: unknown) => options.log(`invalidator ${settings.service} ${settings.region}: the handler failed: ${error instanceof Error ? error.message : String(error)}`));
        return run;
    };

    /** Wakes the queue when its earliest message becomes visible. */
    function schedule(): void {
        if (closed) return;
        const next = Math.min(...messages.map((message) => message.visibleAt));
        if (next === Infinity || next >= wakeAt) return;
        cancelWake?.();
        wakeAt = next;
        cancelWake = timers.after(Math.max(0, next - timers.now()), () => {
            cancelWake = undefined;
            wakeAt = Infinity;
            void deliver();
        });
    }

    /** Hands the visible messages over, ten at a time, and puts back the refused ones. */
    async function deliver(): Promise<void> {
        while (!closed) {
            const now = timers.now();
            const visible = messages.filter((message) => message.visibleAt <= now).slice(0, INVALIDATOR_QUEUE.batchSize);
            if (visible.length === 0) break;
            for (const message of visible) {
                message.receives += 1;
                message.visibleAt = now + INVALIDATOR_QUEUE.visibilityTimeoutSeconds * 1000;
            }
            let failed: Set<string>;
            try {
                const answer = await invoke({ Records: visible.map((message) => sqsRecord(message, settings.region, now)) });
                failed = new Set(answer.batchItemFailures.map((failure) => failure.itemIdentifier));
            } catch {
                failed = new Set(visible.map((message) => message.id));
            }
            for (const message of visible) {
                const index = messages.indexOf(message);
                if (!failed.has(message.id)) messages.splice(index, 1);
                else if (message.receives >= INVALIDATOR_QUEUE.maxReceiveCount) {
                    messages.splice(index, 1);
                    deadLetters.push(message.body);
                    options.log(`invalidator ${settings.service} ${settings.region}: a message went to the dead letters after ${message.receives} receives`);
                }
            }
        }
        schedule();
    }

    const unsubscribe = options.stream.subscribe((record) => {
        if (closed || record.table !== options.table) return;
        // The records of one write call (they come out together) make one stream batch.
        if (batch.length === 0) queueMicrotask(() => {
            const records = batch;
            batch = [];
            void invoke({ Records: records.map((one) => streamRecord(one, settings.region)) });
        });
        batch.push(record);
    });

    return {
        service: settings.service,
        region: settings.region,
        queued: () => messages.length,
        deadLetters,
        lines,
        async settled() {
            let seen: Promise<unknown>;
            do {
                // A batch still being gathered is handed over in a microtask.
                await Promise.resolve();
                seen = chain;
                await seen;
            } while (seen !== chain || batch.length > 0);
        },
        close() {
            closed = true;
            unsubscribe();
            cancelWake?.();
            client.destroy();
        },
    };
}

/** A local stream record as Lambda hands one over ("DynamoDB Streams and AWS Lambda triggers"). */
export function streamRecord(record: LocalStreamRecord, region: string): DynamoDBRecord {
    return {
        eventID: `${region}-${record.sequence}`,
        eventName: record.eventName,
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: region,
        dynamodb: {
            ApproximateCreationDateTime: Math.floor(record.at / 1000),
            Keys: wireItem(record.keys),
            ...(record.oldImage ? { OldImage: wireItem(record.oldImage) } : {}),
            ...(record.newImage ? { NewImage: wireItem(record.newImage) } : {}),
            SequenceNumber: String(record.sequence).padStart(21, "0"),
            StreamViewType: "NEW_AND_OLD_IMAGES",
        },
        eventSourceARN: `arn:aws:dynamodb:${region}:000000000000:table/${record.table}/stream/local`,
    };
}

function sqsRecord(message: QueuedMessage, region: string, now: number): SQSRecord {
    return {
        messageId: message.id,
        receiptHandle: `${message.id}-${message.receives}`,
        body: message.body,
        attributes: { ApproximateReceiveCount: String(message.receives), SentTimestamp: String(now), SenderId: "local", ApproximateFirstReceiveTimestamp: String(now) },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${region}:000000000000:invalidator-queue`,
        awsRegion: region,
    };
}

/** An item as the stream event carries it: DynamoDB's JSON, as dynalite wrote it. */
function wireItem(item: Record<string, AttributeValue>): Record<string, StreamAttributeValue> {
    return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, wireValue(value)]));
}

function wireValue(value: AttributeValue): StreamAttributeValue {
    if (value.S !== undefined) return { S: value.S };
    if (value.N !== undefined) return { N: value.N };
    if (value.BOOL !== undefined) return { BOOL: value.BOOL };
    if (value.NULL !== undefined) return { NULL: value.NULL };
    if (value.SS !== undefined) return { SS: value.SS };
    if (value.NS !== undefined) return { NS: value.NS };
    if (value.M !== undefined) return { M: wireItem(value.M) };
    if (value.L !== undefined) return { L: value.L.map(wireValue) };
    // Binary and binary sets: the mapping table holds none.
    return { NULL: true };
}
