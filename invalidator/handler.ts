/**
 * The invalidator: one function, two event sources (CloudFront Developer
 * Guide and DynamoDB Developer Guide pages named in docs/operations.md).
 *
 * From its table's stream (one region's copy of the table): the removed
 * mappings of the batch (removals.ts) are invalidated at once, in one
 * invalidation, and queued to be invalidated again `reinvalidateAfterSeconds`
 * later (the message's `DelaySeconds`): by then every copy that a read made
 * before the delete reached this copy of the table can put in CloudFront's
 * cache is there, and goes. If CloudFront refuses the first invalidation
 * (`TooManyInvalidationsInProgress`, throttling, an outage), it is queued
 * too, to be tried again from the queue. If queueing fails, the invocation
 * fails and Lambda retries the batch (bisecting it), so no removal is lost
 * while the stream holds it.
 *
 * From its queue: the messages of the batch (each a stream batch's hashes)
 * are invalidated together, in invalidations of at most 3,000 exact paths
 * (15 wildcard ones with variants: `maxPathsPerInvalidation`); a
 * message whose invalidation CloudFront refused is reported as a batch item
 * failure, so SQS hands it out again after its visibility timeout, and after
 * the queue's `maxReceiveCount` tries moves it to the dead-letter queue,
 * whose alarm says so. A message that is not one of ours goes there too.
 *
 * Pure: CloudFront and SQS are the functions in {@link InvalidatorDeps}
 * (invalidator/aws.ts in Lambda; the local stack gives its own queue).
 * Caller references are derived from what the batch holds, so a retried
 * batch makes no second invalidation where the first one was accepted
 * (CloudFront returns the one it has for a reference and paths it knows:
 * API Reference, `CreateInvalidation`, `CallerReference`).
 */
import { createHash } from "crypto";
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { hashCachePaths, maxPathsPerInvalidation } from "../core/revocation";
import type { InvalidatorLogLine } from "./log";
import { messageBodies, parseMessageBody } from "./messages";
import type { InvalidationStep } from "./messages";
import { removalOf } from "./removals";
import type { SkipReason } from "./removals";
import type { InvalidatorSettings } from "./settings";

export interface InvalidatorDeps {
    settings: InvalidatorSettings;
    /** CreateInvalidation on the settings' distribution; resolves with the invalidation's id. */
    invalidate(paths: readonly string[], callerReference: string): Promise<string>;
    /** SendMessage to the settings' queue, delivered after `delaySeconds`. */
    enqueue(body: string, delaySeconds: number): Promise<void>;
    now(): number;
    log(line: InvalidatorLogLine): void;
}

export type InvalidatorEvent = DynamoDBStreamEvent | SQSEvent;

export type InvalidatorHandler = (event: InvalidatorEvent) => Promise<SQSBatchResponse>;

/** True for a batch from an SQS queue; a stream batch is everything else the function is given. */
export function isQueueEvent(event: InvalidatorEvent): event is SQSEvent {
    return event.Records.length > 0 && (event.Records[0] as { eventSource?: string }).eventSource === "aws:sqs";
}

export function createInvalidatorHandler(deps: InvalidatorDeps): InvalidatorHandler {
    const { settings } = deps;
    const line = (fields: Omit<InvalidatorLogLine, "service" | "region">): InvalidatorLogLine => ({ service: settings.service, region: settings.region, ...fields });
    const pathsOf = (hashes: readonly string[]) => hashes.flatMap((hash) => hashCachePaths(hash, { variants: settings.variants }));
    // Every hash has the same kind of paths, so one limit holds for all (15 wildcard or 3,000 exact paths).
    const limit = maxPathsPerInvalidation(pathsOf(["0".repeat(32)]));

    /** Invalidations for `hashes`, at most `limit` paths each; the ids. */
    async function invalidateAll(hashes: readonly string[], reference: string): Promise<string[]> {
        const ids: string[] = [];
        const chunks = pathChunks(pathsOf(hashes), limit);
        for (const [index, chunk] of chunks.entries()) ids.push(await deps.invalidate(chunk, `${reference}-${index}`));
        return ids;
    }

    async function enqueueAll(step: InvalidationStep, hashes: readonly string[], delaySeconds: number): Promise<void> {
        for (const body of messageBodies(step, hashes)) await deps.enqueue(body, delaySeconds);
    }

    async function fromStream(records: readonly DynamoDBRecord[]): Promise<SQSBatchResponse> {
        const now = deps.now();
        const skipped: Partial<Record<SkipReason, number>> = {};
        const hashes: string[] = [];
        for (const record of records) {
            const decision = removalOf(record, now);
            if (decision.kind === "skip") skipped[decision.reason] = (skipped[decision.reason] ?? 0) + 1;
            else if (!hashes.includes(decision.hash)) hashes.push(decision.hash);
        }
        if (hashes.length === 0) {
            deps.log(line({ source: "stream", records: records.length, hashes: 0, skipped, outcome: "nothing" }));
            return { batchItemFailures: [] };
        }
        const reference = callerReference("now", records.map((record) => record.eventID ?? record.dynamodb?.SequenceNumber ?? ""));
        let invalidations: string[] | undefined;
        let error: string | undefined;
        try {
            invalidations = await invalidateAll(hashes, reference);
        } catch (failure) {
            error = errorName(failure);
        }
        // Queueing failures throw: Lambda retries the batch, and the stream still holds it.
        await enqueueAll("again", hashes, settings.reinvalidateAfterSeconds);
        if (invalidations === undefined) await enqueueAll("now", hashes, 0);
        deps.log(
            line({
                source: "stream",
                records: records.length,
                hashes: hashes.length,
                skipped,
                ...(invalidations ? { paths: pathsOf(hashes).length, invalidations, outcome: "invalidated" } : { outcome: "queued", error }),
            }),
        );
        return { batchItemFailures: [] };
    }

    async function fromQueue(records: readonly SQSRecord[]): Promise<SQSBatchResponse> {
        const failed: string[] = [];
        const accepted: { record: SQSRecord; step: InvalidationStep; hashes: string[] }[] = [];
        for (const record of records) {
            const message = parseMessageBody(record.body);
            // Not one of ours: handed back, so the dead-letter queue (and its alarm) gets it.
            if (message === undefined) failed.push(record.messageId);
            else accepted.push({ record, ...message });
        }
        const invalidations: string[] = [];
        let paths = 0;
        let error: string | undefined;
        // Messages go together while their paths fit one invalidation; a larger one goes alone, in chunks.
        for (const group of messageGroups(accepted, (message) => pathsOf(message.hashes).length, limit)) {
            const hashes = [...new Set(group.flatMap((message) => message.hashes))];
            const reference = callerReference(group[0].step, group.map((message) => `${message.step}:${message.record.messageId}`));
            try {
                invalidations.push(...(await invalidateAll(hashes, reference)));
                paths += pathsOf(hashes).length;
            } catch (failure) {
                error = errorName(failure);
                failed.push(...group.map((message) => message.record.messageId));
            }
        }
        const hashes = new Set(accepted.flatMap((message) => message.hashes)).size;
        const outcome = failed.length === 0 ? "invalidated" : invalidations.length > 0 ? "retried" : "failed";
        deps.log(
            line({
                source: "queue",
                records: records.length,
                hashes,
                ...(paths > 0 ? { paths } : {}),
                ...(invalidations.length > 0 ? { invalidations } : {}),
                outcome,
                ...(failed.length > 0 ? { retried: failed.length } : {}),
                ...(error ? { error } : {}),
            }),
        );
        return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    }

    return async (event) => (isQueueEvent(event) ? fromQueue(event.Records) : fromStream(event.Records));
}

/** Paths in chunks of at most `limit`, the most one invalidation may hold (`maxPathsPerInvalidation`). */
export function pathChunks(paths: readonly string[], limit: number): string[][] {
    const chunks: string[][] = [];
    for (let i = 0; i < paths.length; i += limit) chunks.push(paths.slice(i, i + limit));
    return chunks;
}

/**
 * Items in groups whose sizes add up to at most `limit`, in order (an item
 * larger than that is a group of its own).
 */
export function messageGroups<T>(items: readonly T[], size: (item: T) => number, limit: number): T[][] {
    const groups: T[][] = [];
    let current: T[] = [];
    let total = 0;
    for (const item of items) {
        const own = size(item);
        if (current.length > 0 && total + own > limit) {
            groups.push(current);
            current = [];
            total = 0;
        }
        current.push(item);
        total += own;
    }
    if (current.length > 0) groups.push(current);
    return groups;
}

/** A caller reference derived from what a batch holds: the same batch, the same reference. */
export function callerReference(step: InvalidationStep, parts: readonly string[]): string {
    return `sic-${step}-${createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 40)}`;
}

/** The name of what a call threw (`TooManyInvalidationsInProgress`…), never its message. */
function errorName(error: unknown): string {
    if (error instanceof Error) return error.name;
    return typeof error;
}
