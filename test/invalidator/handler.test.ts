/**
 * The invalidator's handler against the CloudFront recorder (the request
 * the SDK really sends, through invalidator/aws.ts, and CloudFront's errors
 * on demand) and a queue that records what it is given (SQS has no local
 * implementation here): which removals it invalidates, what it queues and
 * with which delay, how it batches, and that a refusal is retried, never
 * dropped.
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { expect } from "chai";
import { LOCAL_ENDPOINT_CREDENTIALS } from "../../issuer/clients";
import { cloudFrontInvalidation } from "../../invalidator/aws";
import { createInvalidatorHandler, InvalidatorDeps } from "../../invalidator/handler";
import type { InvalidatorLogLine } from "../../invalidator/log";
import { parseMessageBody } from "../../invalidator/messages";
import type { InvalidatorSettings } from "../../invalidator/settings";
import { CloudFrontRecorder, startCloudFrontRecorder } from "../issuer/cloudfront-recorder";
import { rejection } from "../support/rejection";
import { hashOf, NOW_MS, queueRecord, SETTINGS, streamRecord, TTL_IDENTITY } from "./fixtures";

interface Queued {
    body: string;
    delaySeconds: number;
}

describe("invalidator handler (CloudFront recorder, a recording queue)", () => {
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
    beforeEach(() => {
        recorder.invalidations.length = 0;
        recorder.failWith = undefined;
    });

    function world(settings: InvalidatorSettings = SETTINGS, enqueueFails = false) {
        const queued: Queued[] = [];
        const logs: InvalidatorLogLine[] = [];
        const deps: InvalidatorDeps = {
            settings,
            invalidate: cloudFrontInvalidation(client, settings.distributionId),
            enqueue: async (body, delaySeconds) => {
                if (enqueueFails) throw Object.assign(new Error("SQS is unavailable"), { name: "ServiceUnavailable" });
                queued.push({ body, delaySeconds });
            },
            now: () => NOW_MS,
            log: (line) => logs.push(line),
        };
        return { handler: createInvalidatorHandler(deps), queued, logs };
    }

    it("invalidates the live removals of a stream batch at once, in one invalidation, and queues them again after the delay", async () => {
        const { handler, queued, logs } = world();
        const expired = NOW_MS / 1000 - 1;
        const result = await handler({
            Records: [
                streamRecord("INSERT", hashOf("1")),
                streamRecord("MODIFY", hashOf("2")),
                streamRecord("REMOVE", hashOf("3")),
                streamRecord("REMOVE", hashOf("4")),
                // DynamoDB's TTL deletion, and a replica's copy of one (no identity, expired): nothing served any more.
                streamRecord("REMOVE", hashOf("5"), { expiresAt: expired, userIdentity: TTL_IDENTITY }),
                streamRecord("REMOVE", hashOf("6"), { expiresAt: expired }),
                // Expiring this very second is expired (the edge's isLive).
                streamRecord("REMOVE", hashOf("7"), { expiresAt: NOW_MS / 1000 }),
                // An object's pointer item is never an image.
                streamRecord("REMOVE", "object#s3://bucket/uploads/a.png"),
            ],
        });
        expect(result).to.deep.equal({ batchItemFailures: [] });
        expect(recorder.invalidations.map((i) => i.paths)).to.deep.equal([[`/images/${hashOf("3")}`, `/images/${hashOf("4")}`]]);
        expect(recorder.invalidations[0]).to.include({ distributionId: "ETESTDIST1", quantity: 2 });
        expect(queued.map((q) => ({ delaySeconds: q.delaySeconds, message: parseMessageBody(q.body) }))).to.deep.equal([
            { delaySeconds: 75, message: { step: "again", hashes: [hashOf("3"), hashOf("4")] } },
        ]);
        expect(logs).to.deep.equal([
            {
                service: "chat",
                region: "eu-west-1",
                source: "stream",
                records: 8,
                hashes: 2,
                skipped: { not_remove: 2, ttl: 1, expired: 2, not_mapping: 1 },
                paths: 2,
                invalidations: ["I0000000000001"],
                outcome: "invalidated",
            },
        ]);
        expect(JSON.stringify(logs)).to.not.include(hashOf("3"));
    });

    it("invalidates a removed mapping whose expiry it cannot read: when in doubt, the paths go", async () => {
        const { handler } = world();
        await handler({ Records: [streamRecord("REMOVE", hashOf("8"), { expiresAt: null })] });
        expect(recorder.invalidations.map((i) => i.paths)).to.deep.equal([[`/images/${hashOf("8")}`]]);
    });

    it("does nothing for a batch without a live removal: no invalidation, nothing queued", async () => {
        const { handler, queued, logs } = world();
        const requests = recorder.requests;
        await handler({ Records: [streamRecord("INSERT", hashOf("1")), streamRecord("REMOVE", hashOf("2"), { userIdentity: TTL_IDENTITY })] });
        expect(recorder.requests, "no CloudFront call").to.equal(requests);
        expect(queued).to.deep.equal([]);
        expect(logs[0]).to.include({ outcome: "nothing", hashes: 0 });
    });

    it("invalidates the wildcard path, which covers every variant, when the instance has variants", async () => {
        const { handler, queued } = world({ ...SETTINGS, variants: true });
        const hash = hashOf("9");
        await handler({ Records: [streamRecord("REMOVE", hash)] });
        expect(recorder.invalidations[0].paths).to.deep.equal([`/images/${hash}*`]);
        // The queue carries hashes, not paths: the second invalidation lists the same paths.
        expect(parseMessageBody(queued[0].body)).to.deep.equal({ step: "again", hashes: [hash] });
    });

    it("queues the first invalidation too when CloudFront refuses it (TooManyInvalidationsInProgress): retried, never dropped", async () => {
        const { handler, queued, logs } = world();
        recorder.failWith = "TooManyInvalidationsInProgress";
        const result = await handler({ Records: [streamRecord("REMOVE", hashOf("a"))] });
        expect(result).to.deep.equal({ batchItemFailures: [] });
        expect(queued.map((q) => [q.delaySeconds, parseMessageBody(q.body)])).to.deep.equal([
            [75, { step: "again", hashes: [hashOf("a")] }],
            [0, { step: "now", hashes: [hashOf("a")] }],
        ]);
        expect(logs[0]).to.include({ outcome: "queued", error: "TooManyInvalidationsInProgress" });
    });

    it("fails the invocation when it cannot queue, so Lambda retries the stream batch", async () => {
        const { handler } = world(SETTINGS, true);
        const error = await rejection(handler({ Records: [streamRecord("REMOVE", hashOf("b"))] }), Error);
        expect(error.name).to.equal("ServiceUnavailable");
    });

    it("names the same invalidation for the same batch, so a retried batch makes no second one", async () => {
        const { handler } = world();
        const records = [streamRecord("REMOVE", hashOf("c")), streamRecord("REMOVE", hashOf("d"))];
        await handler({ Records: records });
        await handler({ Records: records });
        await handler({ Records: [streamRecord("REMOVE", hashOf("c"))] });
        const [first, again, other] = recorder.invalidations.map((i) => i.callerReference);
        expect(again).to.equal(first);
        expect(other).to.not.equal(first);
        expect(first).to.match(/^sic-now-[0-9a-f]{40}-0$/);
    });

    it("invalidates a queue batch's messages together, and hands back every message CloudFront refused", async () => {
        const { handler, logs } = world();
        const messages = [
            queueRecord(JSON.stringify({ step: "again", hashes: [hashOf("1"), hashOf("2")] }), "m-1"),
            queueRecord(JSON.stringify({ step: "now", hashes: [hashOf("2"), hashOf("3")] }), "m-2"),
        ];
        expect(await handler({ Records: messages })).to.deep.equal({ batchItemFailures: [] });
        expect(recorder.invalidations.map((i) => i.paths)).to.deep.equal([[1, 2, 3].map((digit) => `/images/${hashOf(String(digit))}`)]);
        expect(recorder.invalidations[0].callerReference).to.match(/^sic-again-[0-9a-f]{40}-0$/);
        expect(logs[0]).to.include({ source: "queue", records: 2, hashes: 3, paths: 3, outcome: "invalidated" });

        recorder.failWith = "TooManyInvalidationsInProgress";
        expect(await handler({ Records: messages })).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "m-1" }, { itemIdentifier: "m-2" }] });
        expect(logs[1]).to.include({ outcome: "failed", retried: 2, error: "TooManyInvalidationsInProgress" });
    });

    it("hands back a message that is not one of its own, for the dead-letter queue", async () => {
        const { handler } = world();
        const result = await handler({
            Records: [
                queueRecord("not json", "bad-1"),
                queueRecord(JSON.stringify({ step: "again", hashes: ["../images"] }), "bad-2"),
                queueRecord(JSON.stringify({ step: "later", hashes: [hashOf("1")] }), "bad-3"),
                queueRecord(JSON.stringify({ step: "again", hashes: [hashOf("4")] }), "good"),
            ],
        });
        expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).to.deep.equal(["bad-1", "bad-2", "bad-3"]);
        expect(recorder.invalidations.map((i) => i.paths)).to.deep.equal([[`/images/${hashOf("4")}`]]);
    });

    it("keeps every invalidation within CloudFront's 3,000 paths: messages that do not fit together go in the next one", async () => {
        const { handler } = world();
        const hashes = (from: number, count: number) => Array.from({ length: count }, (_, i) => (from + i).toString(16).padStart(32, "0"));
        // Three messages of 1,000 fill one invalidation; the fourth's go in the next.
        const messages = [hashes(0, 1000), hashes(1000, 1000), hashes(2000, 1000), hashes(3000, 1000)].map((list, i) => queueRecord(JSON.stringify({ step: "again", hashes: list }), `m-${i}`));
        await handler({ Records: messages });
        expect(recorder.invalidations.map((i) => i.quantity)).to.deep.equal([3000, 1000]);
    });

    it("keeps every invalidation within CloudFront's 15 wildcard paths with variants: a batch's 40 hashes in three", async () => {
        const { handler, queued } = world({ ...SETTINGS, variants: true });
        const hashes = Array.from({ length: 40 }, (_, i) => (i + 1).toString(16).padStart(32, "0"));
        await handler({ Records: hashes.map((hash) => streamRecord("REMOVE", hash)) });
        expect(recorder.invalidations.map((i) => i.quantity)).to.deep.equal([15, 15, 10]);
        expect(new Set(recorder.invalidations.map((i) => i.callerReference)).size).to.equal(3);
        expect(parseMessageBody(queued[0].body)?.hashes).to.have.length(40);
    });
});
