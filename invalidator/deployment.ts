/**
 * How the invalidator runs and is fed, in one place for the component
 * (components/invalidator.ts) and the local stack (local/invalidator.ts),
 * each choice with its reason and the AWS documentation page behind it.
 */

/**
 * The function: arm64 (Lambda bills arm64 duration 20% below x86_64, AWS
 * Lambda pricing; nothing native is in it), the smallest memory, and a
 * timeout that leaves room for its two calls (CreateInvalidation and
 * SendMessage, each retried by the SDK) with the SDK's own retries.
 */
export const INVALIDATOR_FUNCTION = {
    architecture: "arm64",
    memorySizeMb: 128,
    timeoutSeconds: 10,
} as const;

/**
 * The table stream's event source mapping (AWS Lambda Developer Guide,
 * "Lambda parameters for Amazon DynamoDB event source mappings"):
 * - `startingPosition: LATEST`: the removals from the moment it exists;
 *   `TRIM_HORIZON` would replay up to 24 hours of old ones at the first
 *   deployment, each an invalidation paid for;
 * - `batchSize: 100` with a 1-second batching window: the removals of a
 *   burst (an object's hashes, an account's images) go into one
 *   invalidation rather than one each, for at most a second's wait;
 * - `bisectBatchOnFunctionError` and unlimited retries
 *   (`maximumRetryAttempts: -1`, `maximumRecordAgeInSeconds: -1`): the
 *   handler fails only when it cannot queue (an SQS outage), and then the
 *   batch is tried again until it goes through, never skipped while the
 *   stream holds it (24 hours); the iterator-age alarm says when that
 *   holds the shard up. What the stream drops at the end of its retention
 *   goes to the dead-letter queue (`destinationConfig.onFailure`: the
 *   shard and sequence numbers, not the records), whose alarm fires;
 * - `parallelizationFactor: 1`: one batch per shard at a time, in order.
 */
export const INVALIDATOR_STREAM_SOURCE = {
    startingPosition: "LATEST",
    batchSize: 100,
    maximumBatchingWindowInSeconds: 1,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    parallelizationFactor: 1,
} as const;

/**
 * The queue and its source mapping (AWS Lambda Developer Guide, "Using
 * Lambda with Amazon SQS"; Amazon SQS Developer Guide, "Using dead-letter
 * queues"):
 * - `visibilityTimeoutSeconds: 60`: six times the function's timeout, as
 *   the Lambda guide asks of a source queue; it is also the wait before a
 *   refused invalidation (`TooManyInvalidationsInProgress`) is tried again;
 * - `maxReceiveCount: 30`: about half an hour of such tries before a message
 *   moves to the dead-letter queue, long enough for CloudFront's in-progress
 *   invalidations to complete under a burst, short enough that the alarm on
 *   the dead-letter queue comes while the revocation still matters;
 * - `messageRetentionSeconds`: a day for the queue (a message waits 900 s
 *   at most, plus its retries), 14 days (SQS's longest) for the dead
 *   letters, time to redrive them;
 * - `batchSize: 10` with partial batch responses (`ReportBatchItemFailures`):
 *   up to ten messages, each a stream batch's removals, in one
 *   invalidation, and only the refused ones go back to the queue.
 */
export const INVALIDATOR_QUEUE = {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 30,
    messageRetentionSeconds: 86_400,
    deadLetterRetentionSeconds: 1_209_600,
    batchSize: 10,
} as const;
