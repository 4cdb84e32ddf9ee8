/**
 * The invalidator's two AWS calls on real SDK clients: CreateInvalidation
 * (against the CloudFront recorder, which parses the request the way
 * CloudFront does) sends exactly the paths and caller reference it is given
 * to the distribution it was built for and resolves with the invalidation's
 * id, and a refusal reaches the caller as the SDK's error; SendMessage
 * (against moto's SQS, pending where moto_server is not installed) puts the
 * body on the queue with the delay it is given.
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { LOCAL_ENDPOINT_CREDENTIALS } from "../../issuer/clients";
import { cloudFrontInvalidation, sqsMessage } from "../../invalidator/aws";
import { CloudFrontRecorder, startCloudFrontRecorder } from "../issuer/cloudfront-recorder";
import { MOTO_MISSING, motoServerPath, MotoServer, startMoto } from "../support/moto";
import { rejection } from "../support/rejection";

describe("invalidator/aws: CreateInvalidation (CloudFront recorder)", () => {
    let recorder: CloudFrontRecorder;
    let client: CloudFrontClient;

    before(async () => {
        recorder = await startCloudFrontRecorder();
        client = new CloudFrontClient({ region: "us-east-1", endpoint: recorder.endpoint, credentials: LOCAL_ENDPOINT_CREDENTIALS, maxAttempts: 1 });
    });
    after(async () => {
        client.destroy();
        await recorder.close();
    });

    it("sends the paths and caller reference to its distribution, and resolves with the invalidation's id", async () => {
        const invalidate = cloudFrontInvalidation(client, "EDIST1");
        const first = await invalidate(["/images/a", "/images/b*"], "batch-1");
        const second = await invalidate(["/images/c"], "batch-2");
        expect(recorder.invalidations).to.deep.equal([
            { method: "POST", distributionId: "EDIST1", callerReference: "batch-1", quantity: 2, paths: ["/images/a", "/images/b*"] },
            { method: "POST", distributionId: "EDIST1", callerReference: "batch-2", quantity: 1, paths: ["/images/c"] },
        ]);
        expect(first).to.match(/^I\d{13}$/);
        expect(second).to.match(/^I\d{13}$/);
        expect(second).to.not.equal(first);
    });

    it("rejects with CloudFront's error when it refuses", async () => {
        recorder.failWith = "TooManyInvalidationsInProgress";
        try {
            const error = await rejection(cloudFrontInvalidation(client, "EDIST1")(["/images/a"], "batch-3"), Error);
            expect(error.name).to.equal("TooManyInvalidationsInProgress");
        } finally {
            recorder.failWith = undefined;
        }
    });
});

describe("invalidator/aws: SendMessage (moto SQS)", function () {
    this.timeout(60_000);
    if (motoServerPath() === undefined) {
        it(`pending: ${MOTO_MISSING}`);
        return;
    }
    let moto: MotoServer;
    let sqs: SQSClient;
    let queueUrl: string;

    before(async () => {
        moto = await startMoto();
        sqs = new SQSClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: LOCAL_ENDPOINT_CREDENTIALS, maxAttempts: 1 });
        queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "invalidator-test" }))).QueueUrl ?? "";
    });
    after(async () => {
        sqs?.destroy();
        await moto?.close();
    });

    it("puts the body on the queue, delivered after the delay it is given", async () => {
        const enqueue = sqsMessage(sqs, queueUrl);
        await enqueue('{"step":"again","hashes":[]}', 900);
        await enqueue('{"step":"now","hashes":[]}', 0);
        const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessagesDelayed"] }));
        expect(attributes.Attributes?.ApproximateNumberOfMessagesDelayed).to.equal("1");
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        expect((received.Messages ?? []).map((message) => message.Body)).to.deep.equal(['{"step":"now","hashes":[]}']);
    });
});
