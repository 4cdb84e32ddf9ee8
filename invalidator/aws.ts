/**
 * The invalidator's two AWS calls, as {@link InvalidatorDeps} takes them:
 * CreateInvalidation on the distribution and SendMessage to the queue. The
 * Lambda function builds them on the runtime's own SDK clients; the local
 * stack builds the CloudFront one on a client pointed at its CloudFront API,
 * so both run the same call.
 */
import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { InvalidatorDeps } from "./handler";

/** CreateInvalidation of `paths` on `distributionId`; resolves with the invalidation's id. */
export function cloudFrontInvalidation(client: CloudFrontClient, distributionId: string): InvalidatorDeps["invalidate"] {
    return async (paths, callerReference) => {
        const output = await client.send(
            new CreateInvalidationCommand({
                DistributionId: distributionId,
                InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
            }),
        );
        return output.Invalidation?.Id ?? "";
    };
}

/** SendMessage of `body` to `queueUrl`, delivered after `delaySeconds`. */
export function sqsMessage(client: SQSClient, queueUrl: string): InvalidatorDeps["enqueue"] {
    return async (body, delaySeconds) => {
        await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, DelaySeconds: delaySeconds }));
    };
}
