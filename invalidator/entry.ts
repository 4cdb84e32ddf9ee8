/**
 * The deployed invalidator's module: `handler` is what Lambda calls
 * (`index.handler` in its package), for its table's stream and for its
 * queue alike. Settings come from the `INVALIDATOR_SETTINGS` environment
 * variable, read once per execution environment; invalid settings fail
 * every invocation (the stream batch is retried, queue messages go back to
 * the queue), which the errors alarm reports. The SDK clients are the
 * Lambda Node.js runtime's own.
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse } from "aws-lambda";
import { EDGE_REGION } from "../core/limits";
import { cloudFrontInvalidation, sqsMessage } from "./aws";
import { createInvalidatorHandler, InvalidatorEvent, InvalidatorHandler } from "./handler";
import { logToConsole } from "./log";
import { INVALIDATOR_SETTINGS_ENV, parseInvalidatorSettings } from "./settings";

/** The handler for an environment: its settings, checked, on clients for them. */
export function handlerFromEnvironment(env: Record<string, string | undefined>): InvalidatorHandler {
    const settings = parseInvalidatorSettings(env[INVALIDATOR_SETTINGS_ENV]);
    // CloudFront's API is global and signed for us-east-1; the queue is the function's own region's.
    const cloudfront = new CloudFrontClient({ region: EDGE_REGION });
    const sqs = new SQSClient({ region: settings.region });
    return createInvalidatorHandler({
        settings,
        invalidate: cloudFrontInvalidation(cloudfront, settings.distributionId),
        enqueue: sqsMessage(sqs, settings.queueUrl),
        now: Date.now,
        log: logToConsole,
    });
}

let current: InvalidatorHandler | undefined;

/** Lambda's entry point. */
export async function handler(event: InvalidatorEvent): Promise<SQSBatchResponse> {
    current ??= handlerFromEnvironment(process.env);
    return current(event);
}
