import { expect } from "chai";
import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { newHash } from "../../core/contract";
import { objectPointerKey } from "../../issuer";
import { manualClock } from "../support/clock";
import { TestService, useWorld } from "./world";

const DAY = 24 * 60 * 60;

/**
 * Growth: the DynamoDB work of issuing must not depend on how many mappings
 * the table holds. Asserted on the operations sent (names and count), never
 * on time.
 */
describe("issuer: work per call does not grow with the table (dynalite)", () => {
    const nowMs = Date.UTC(2026, 5, 1);
    const nowSec = nowMs / 1000;
    const world = useWorld();
    let small: TestService;
    let large: TestService;
    const target = (svc: TestService) => `s3://${svc.config.bucket}/target.png`;
    const revokeTarget = (svc: TestService) => `s3://${svc.config.bucket}/revoke-me.png`;

    before(async function () {
        this.timeout(60000);
        small = await world.newService();
        large = await world.newService();
        await seed(small, 10, { [target(small)]: 5 }, nowSec);
        const seedMs = await seed(large, 10000, { [target(large)]: 50, [revokeTarget(large)]: 40 }, nowSec);
        console.log(`      seeded 10,000 mappings with BatchWriteItem in ${seedMs.toFixed(0)} ms`);
    });

    /**
     * Seeds `total` mappings with BatchWriteItem: for each object in `histories`,
     * that many expired mappings and a stale pointer to the latest of them; the
     * rest for other objects, one each.
     */
    async function seed(svc: TestService, total: number, histories: Record<string, number>, nowSec: number): Promise<number> {
        const started = process.hrtime.bigint();
        const requests: WriteRequest[] = [];
        const put = (item: Record<string, string | number>) =>
            requests.push({
                PutRequest: { Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === "string" ? { S: v } : { N: String(v) }])) },
            });
        for (const [url, count] of Object.entries(histories)) {
            let latest = { hash: "", expiresAt: 0 };
            for (let i = 0; i < count; i++) {
                const hash = newHash();
                const createdAt = nowSec - 400 * DAY + i * DAY;
                const expiresAt = createdAt + 30 * DAY;
                latest = { hash, expiresAt };
                put({ hash, s3_url: url, created_at: createdAt, expires_at: expiresAt, ttl: expiresAt });
            }
            put({ hash: objectPointerKey(url), current: latest.hash, expires_at: latest.expiresAt, ttl: latest.expiresAt });
        }
        const others = total - Object.values(histories).reduce((a, b) => a + b, 0);
        for (let i = 0; i < others; i++) {
            const createdAt = nowSec - (i % 20) * DAY;
            put({ hash: newHash(), s3_url: `s3://${svc.config.bucket}/seed/${i}.jpg`, created_at: createdAt, expires_at: createdAt + 30 * DAY, ttl: createdAt + 30 * DAY });
        }
        const table = svc.config.tableName as string;
        const batches: WriteRequest[][] = [];
        for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
        let next = 0;
        await Promise.all(
            Array.from({ length: 8 }, async () => {
                while (next < batches.length) {
                    let pending: WriteRequest[] = batches[next++];
                    while (pending.length > 0) {
                        const output = await world.admin.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
                        pending = output.UnprocessedItems?.[table] ?? [];
                    }
                }
            }),
        );
        return Number(process.hrtime.bigint() - started) / 1e6;
    }

    /** The DynamoDB operations of: a new object, its reuse, an object with a long expired history, and revoking that object. */
    async function workFor(svc: TestService, nowMs: number): Promise<string[][]> {
        const issuer = svc.issuer({ now: manualClock(nowMs).now });
        const steps: string[][] = [];
        const measure = async (work: () => Promise<unknown>) => {
            svc.commands.length = 0;
            await work();
            steps.push([...svc.commands]);
        };
        const fresh = `s3://${svc.config.bucket}/fresh.png`;
        await measure(() => issuer.generateSecureUrl(fresh));
        await measure(() => issuer.generateSecureUrl(fresh));
        await measure(() => issuer.generateSecureUrl(target(svc)));
        await measure(() => issuer.generateSecureUrl(target(svc)));
        return steps;
    }

    it("issuing and reusing with 10,000 mappings sends exactly the operations it sends with 10", async () => {
        const smallWork = await workFor(small, nowMs);
        const largeWork = await workFor(large, nowMs);
        expect(largeWork).to.deep.equal(smallWork);
        expect(largeWork).to.deep.equal([
            ["GetItemCommand", "PutItemCommand", "PutItemCommand"], // new object: pointer read, mapping put, pointer claim
            ["GetItemCommand", "GetItemCommand"], // reuse: pointer read, mapping read
            ["GetItemCommand", "PutItemCommand", "PutItemCommand"], // 50 expired hashes: still one pointer read, then a new hash
            ["GetItemCommand", "GetItemCommand"],
        ]);
        expect(largeWork.flat()).to.not.include("ScanCommand");
        expect(largeWork.flat()).to.not.include("QueryCommand");
    });

    it("revokeObject finds an object's hashes with one Query on the s3_url index among 10,000 mappings", async () => {
        large.commands.length = 0;
        const sentBefore = world.cloudfront.invalidations.length;
        const result = await large.issuer({ now: () => nowMs }).revokeObject(revokeTarget(large));
        expect(result.hashes).to.have.length(40);
        expect(large.commands.filter((c) => c === "QueryCommand")).to.have.length(1);
        expect(large.commands).to.not.include("ScanCommand");
        // A wildcard path counts against CloudFront's limit of 15 in progress, so 40 hashes go out in batches.
        const sent = world.cloudfront.invalidations.slice(sentBefore);
        expect(sent.map((i) => i.paths.length)).to.deep.equal([15, 15, 10]);
        expect(new Set(sent.flatMap((i) => i.paths))).to.have.property("size", 40);
    });
});
