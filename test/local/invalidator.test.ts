/**
 * The invalidators of the local stack: the handler the Lambda function runs,
 * fed by each copy's local stream, calling the local CloudFront API, its
 * queue on the stack's timers (a clock the test moves). A mapping deleted by
 * any client of the DynamoDB port is invalidated at once and again after the
 * instance's delay; only `required` + `origin` services have one; and a
 * refused invalidation goes back to the queue until it moves to the dead
 * letters.
 */
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { checkerPng } from "../../local/png";
import { createMappingTable, localDynamoClient, startLocalDynamo } from "../../local/aws";
import { LocalTableStream } from "../../local/dynamo-stream";
import { startLocalInvalidator } from "../../local/invalidator";
import type { LocalStack, RunningService } from "../../local/stack";
import { INVALIDATOR_QUEUE } from "../../invalidator/deployment";
import { parseMessageBody } from "../../invalidator/messages";
import { cdnGet } from "../support/cdn-get";
import { manualTimers, ManualTimers } from "../support/clock";
import { closedPortEndpoint } from "../support/dynamo-proxy";
import { startTestStack } from "../support/local-stack";

describe("local invalidators (the stack's streams, the local CloudFront API, a clock the test moves)", function () {
    this.timeout(60_000);
    const image = checkerPng({ width: 5, height: 5, square: 1, colors: [[10, 120, 10], [255, 255, 255]] });
    let stack: LocalStack;
    let timers: ManualTimers;
    let chat: RunningService;
    let dynamo: DynamoDBClient;

    const invalidations = () => chat.cdn.distribution.stats.counters.invalidations;
    const settled = () => Promise.all(stack.invalidators.map((invalidator) => invalidator.settled()));

    before(async () => {
        timers = manualTimers(Date.now());
        stack = await startTestStack({
            services: { services: ["chat", "regulatory", "discussion"], overrides: { discussion: { mode: "redirect" } } },
            region: "eu-west-1",
            timers,
        });
        chat = stack.services.find((service) => service.name === "chat") as RunningService;
        // Not the issuer: any client of the DynamoDB port, as a script or another application would be.
        dynamo = localDynamoClient(stack.state.endpoints.dynamodb);
    });
    after(async () => {
        dynamo?.destroy();
        await stack?.close();
    });

    it("runs one for each required + origin service only: where CloudFront serves copies without asking the edge", () => {
        expect(stack.invalidators.map((invalidator) => `${invalidator.service} ${invalidator.region}`)).to.deep.equal(["chat eu-west-1"]);
        expect(chat.local.config.reinvalidateAfterSeconds, "the issuer leaves the invalidations to it").to.equal(75);
    });

    it("invalidates a mapping another client deleted, at once (the cached copy goes) and again 75 s later", async () => {
        const uploaded = await chat.local.issuer.upload(image);
        expect((await cdnGet(uploaded.url)).xCache).to.equal("Miss from cloudfront");
        expect((await cdnGet(uploaded.url)).xCache).to.equal("Hit from cloudfront");
        const before = invalidations();

        await dynamo.send(new DeleteItemCommand({ TableName: chat.plan.tableName as string, Key: { hash: { S: uploaded.hash as string } } }));
        await settled();
        expect(invalidations(), "the first invalidation").to.equal(before + 1);
        const gone = await cdnGet(uploaded.url);
        expect(gone.xCache, "the cached copy went with it").to.not.equal("Hit from cloudfront");
        expect(stack.invalidators[0].queued(), "the second one waits in the queue").to.equal(1);

        timers.advance(75_000 - 1);
        await settled();
        expect(invalidations(), "not before its delay").to.equal(before + 1);
        timers.advance(1);
        await settled();
        expect(invalidations(), "the second invalidation").to.equal(before + 2);
        expect(stack.invalidators[0].queued()).to.equal(0);
        expect(stack.invalidators[0].lines.slice(-2).map((line) => [line.source, line.outcome, line.hashes, line.paths])).to.deep.equal([
            ["stream", "invalidated", 1, 1],
            ["queue", "invalidated", 1, 1],
        ]);
    });

    it("the issuer's revoke sends nothing itself: the one invalidation at once is the invalidator's", async () => {
        const uploaded = await chat.local.issuer.upload(image);
        const before = invalidations();
        const revoked = await chat.local.issuer.revoke(uploaded.hash as string);
        expect(revoked.invalidatedBy).to.equal("stream");
        await settled();
        expect(invalidations()).to.equal(before + 1);
        timers.advance(75_000);
        await settled();
        expect(invalidations()).to.equal(before + 2);
    });

    it("skips what cannot matter: an expired mapping's removal, an object's pointer", async () => {
        const table = chat.plan.tableName as string;
        const before = invalidations();
        const lines = stack.invalidators[0].lines.length;
        const expired = Math.floor(timers.now() / 1000) - 10;
        const hash = "ab".repeat(16);
        await dynamo.send(
            new PutItemCommand({
                TableName: table,
                Item: { hash: { S: hash }, s3_url: { S: `s3://${chat.plan.bucket}/uploads/x.png` }, created_at: { N: "1" }, expires_at: { N: String(expired) }, ttl: { N: String(expired) } },
            }),
        );
        await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { hash: { S: hash } } }));
        await dynamo.send(new PutItemCommand({ TableName: table, Item: { hash: { S: "object#s3://b/k" }, current: { S: hash } } }));
        await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { hash: { S: "object#s3://b/k" } } }));
        await settled();
        expect(invalidations()).to.equal(before);
        expect(stack.invalidators[0].queued()).to.equal(0);
        const skipped = stack.invalidators[0].lines.slice(lines).map((line) => line.skipped);
        expect(skipped).to.deep.include({ expired: 1 });
        expect(skipped).to.deep.include({ not_mapping: 1 });
    });

    it("ignores the other services' tables: regulatory (secured) and discussion (redirect) have nothing CloudFront serves alone", async () => {
        const regulatory = stack.services.find((service) => service.name === "regulatory") as RunningService;
        const lines = stack.invalidators[0].lines.length;
        const uploaded = await regulatory.local.issuer.upload(image);
        await regulatory.local.issuer.revoke(uploaded.hash as string);
        await settled();
        expect(stack.invalidators[0].lines.length).to.equal(lines);
    });
});

describe("a local invalidator whose invalidations are refused (CloudFront out of reach)", function () {
    this.timeout(30_000);

    it("keeps each refused invalidation in its queue, tries it again after the visibility timeout, and after maxReceiveCount receives moves it to the dead letters", async () => {
        const timers = manualTimers(Date.UTC(2030, 0, 1));
        const stream = new LocalTableStream({ now: timers.now });
        const server = await startLocalDynamo({ stream });
        const writer = localDynamoClient(server.endpoint);
        const faults: string[] = [];
        const invalidator = startLocalInvalidator({
            settings: { service: "chat", region: "eu-west-1", distributionId: "ELOCALCHAT01", queueUrl: "local://invalidator-queue/chat/eu-west-1", reinvalidateAfterSeconds: 75, variants: false },
            table: "mappings",
            stream,
            cloudfrontEndpoint: await closedPortEndpoint(),
            timers,
            log: (line) => faults.push(line),
        });
        try {
            await createMappingTable(writer, "mappings");
            const hash = "cd".repeat(16);
            const expires = Math.floor(timers.now() / 1000) + 86_400;
            await writer.send(new PutItemCommand({ TableName: "mappings", Item: { hash: { S: hash }, s3_url: { S: "s3://b/uploads/y.png" }, expires_at: { N: String(expires) } } }));
            await writer.send(new DeleteItemCommand({ TableName: "mappings", Key: { hash: { S: hash } } }));
            await invalidator.settled();
            // The first invalidation failed: it waits with the second, tried again at once.
            expect(invalidator.queued()).to.equal(2);
            expect(invalidator.lines.at(-1)).to.include({ source: "stream", outcome: "queued" });

            let receives = 0;
            timers.advance(0);
            await invalidator.settled();
            receives += 1;
            while (invalidator.deadLetters.length === 0 && receives < 100) {
                timers.advance(INVALIDATOR_QUEUE.visibilityTimeoutSeconds * 1000);
                await invalidator.settled();
                receives += 1;
            }
            expect(receives, "tries before the dead letters").to.equal(INVALIDATOR_QUEUE.maxReceiveCount);
            expect(invalidator.deadLetters.map((body) => parseMessageBody(body))).to.deep.include({ step: "now", hashes: [hash] });
            expect(faults.some((line) => /a message went to the dead letters after 30 receives/.test(line))).to.equal(true);
        } finally {
            invalidator.close();
            writer.destroy();
            await server.close();
        }
    });
});
