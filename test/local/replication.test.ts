/**
 * The reading of write calls (which keys a call changed), and the
 * replicator against dynalite, following home's stream: writes and deletes,
 * whoever sends them to home, reach every
 * replica only when their lag has passed (moved along with `flush`), a
 * replica added later is filled from home, and a replica that stops holds
 * up no other: it keeps its own queue, is retried with a bounded backoff
 * (on a clock the test moves) and, once back, catches up in write order.
 */
import { expect } from "chai";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";
import { LocalTableStream, writtenKeys } from "../../local/dynamo-stream";
import { LocalReplication, retryDelayMs, RETRY_BASE_MS, RETRY_MAX_MS, startLocalReplication } from "../../local/replication";
import { manualTimers, ManualTimers } from "../support/clock";

const TABLE = "replicated-mappings";
const key = (hash: string) => ({ hash: { S: hash } });

describe("local replication", function () {
    this.timeout(30_000);

    it("finds the keys of every kind of write, and none in anything else", () => {
        expect(writtenKeys("PutItem", { TableName: "t", Item: { hash: { S: "a" }, s3_url: { S: "x" } } })).to.deep.equal([{ table: "t", key: key("a") }]);
        expect(writtenKeys("DeleteItem", { TableName: "t", Key: key("b") })).to.deep.equal([{ table: "t", key: key("b") }]);
        expect(writtenKeys("UpdateItem", { TableName: "t", Key: key("c") })).to.deep.equal([{ table: "t", key: key("c") }]);
        expect(writtenKeys("BatchWriteItem", { RequestItems: { t: [{ PutRequest: { Item: key("d") } }, { DeleteRequest: { Key: key("e") } }] } })).to.deep.equal([
            { table: "t", key: key("d") },
            { table: "t", key: key("e") },
        ]);
        expect(
            writtenKeys("TransactWriteItems", {
                TransactItems: [{ Put: { TableName: "t", Item: key("f") } }, { Delete: { TableName: "u", Key: key("g") } }, { ConditionCheck: { TableName: "t", Key: key("h") } }],
            }),
        ).to.deep.equal([
            { table: "t", key: key("f") },
            { table: "u", key: key("g") },
        ]);
        expect(writtenKeys("GetItem", { TableName: "t", Key: key("a") })).to.deep.equal([]);
        expect(writtenKeys("PutItem", "garbage")).to.deep.equal([]);
        expect(writtenKeys("PutItem", { TableName: "t", Item: { other: { S: "no hash" } } })).to.deep.equal([]);
    });

    describe("against dynalite", () => {
        let home: LocalServer;
        let homeClient: DynamoDBClient;
        let replication: LocalReplication;
        let writer: DynamoDBClient;
        const replicaClients: DynamoDBClient[] = [];

        const inReplica = async (index: number, hash: string) => (await replicaClients[index].send(new GetItemCommand({ TableName: TABLE, Key: key(hash), ConsistentRead: true }))).Item;

        before(async () => {
            const stream = new LocalTableStream();
            home = await startLocalDynamo({ stream });
            homeClient = localDynamoClient(home.endpoint);
            await createMappingTable(homeClient, TABLE);
            await homeClient.send(new PutItemCommand({ TableName: TABLE, Item: { ...key("before"), s3_url: { S: "s3://b/k" } } }));
            replication = await startLocalReplication({ home: { endpoint: home.endpoint, stream }, regions: ["us-east-1", "ap-southeast-2"], tables: [TABLE], lagMs: 3_600_000 });
            // Any client of home's port: the replicator follows home's stream, not its callers.
            writer = localDynamoClient(home.endpoint);
            for (const endpoint of Object.values(replication.replicaEndpoints)) replicaClients.push(localDynamoClient(endpoint));
        });
        after(async () => {
            for (const client of [writer, homeClient, ...replicaClients]) client?.destroy();
            await replication?.close();
            await home?.close();
        });

        it("fills each replica from home at start", async () => {
            expect(await inReplica(0, "before")).to.deep.equal({ ...key("before"), s3_url: { S: "s3://b/k" } });
            expect(await inReplica(1, "before")).to.deep.equal({ ...key("before"), s3_url: { S: "s3://b/k" } });
        });

        it("copies a write to every replica only once its lag has passed, and then a delete", async () => {
            await writer.send(new PutItemCommand({ TableName: TABLE, Item: { ...key("new"), s3_url: { S: "s3://b/n" } } }));
            expect(replication.pending()).to.equal(1);
            expect(await inReplica(0, "new"), "not before the lag").to.equal(undefined);
            await replication.flush();
            expect(replication.pending()).to.equal(0);
            expect(await inReplica(0, "new")).to.deep.include(key("new"));
            expect(await inReplica(1, "new")).to.deep.include(key("new"));

            await writer.send(new DeleteItemCommand({ TableName: TABLE, Key: key("new") }));
            expect(await inReplica(1, "new"), "the delete has not arrived").to.deep.include(key("new"));
            await replication.flush();
            expect(await inReplica(0, "new")).to.equal(undefined);
            expect(await inReplica(1, "new")).to.equal(undefined);
        });

        it("copies nothing for a write that failed (a conditional put refused)", async () => {
            await writer.send(new PutItemCommand({ TableName: TABLE, Item: { ...key("cond"), s3_url: { S: "s3://b/c" } } }));
            await replication.flush();
            const refused = await writer
                .send(new PutItemCommand({ TableName: TABLE, Item: { ...key("cond"), s3_url: { S: "s3://b/other" } }, ConditionExpression: "attribute_not_exists(#h)", ExpressionAttributeNames: { "#h": "hash" } }))
                .then(() => "written", (error: Error) => error.name);
            expect(refused).to.equal("ConditionalCheckFailedException");
            expect(replication.pending()).to.equal(0);
        });
    });

    it("the retry backoff doubles from its base and stops growing at its cap", () => {
        expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).to.deep.equal([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
        expect(RETRY_BASE_MS).to.equal(200);
        expect(RETRY_MAX_MS).to.equal(10_000);
    });

    describe("a replica that stops (against dynalite, on a clock the test moves)", () => {
        const LAG_MS = 1000;
        let home: LocalServer;
        let homeClient: DynamoDBClient;
        let replication: LocalReplication;
        let writer: DynamoDBClient;
        let timers: ManualTimers;
        const clients: Record<string, DynamoDBClient> = {};
        const log: string[] = [];
        /** Writes each replica received, in order: `Put <hash>` / `Delete <hash>`. */
        const arrived: Record<string, string[]> = { "us-east-1": [], "ap-southeast-2": [] };

        const inReplica = async (region: string, hash: string) => (await clients[region].send(new GetItemCommand({ TableName: TABLE, Key: key(hash), ConsistentRead: true }))).Item;
        const put = (hash: string) => writer.send(new PutItemCommand({ TableName: TABLE, Item: { ...key(hash), s3_url: { S: `s3://b/${hash}` } } }));
        const remove = (hash: string) => writer.send(new DeleteItemCommand({ TableName: TABLE, Key: key(hash) }));
        /** Moves the clock on and waits for the copies that started to finish. */
        const advance = async (ms: number) => {
            timers.advance(ms);
            await replication.settled();
        };

        before(async () => {
            timers = manualTimers(Date.parse("2030-01-01T00:00:00Z"));
            const stream = new LocalTableStream({ now: timers.now });
            home = await startLocalDynamo({ stream });
            homeClient = localDynamoClient(home.endpoint);
            await createMappingTable(homeClient, TABLE);
            replication = await startLocalReplication({
                home: { endpoint: home.endpoint, stream },
                regions: ["us-east-1", "ap-southeast-2"],
                tables: [TABLE],
                lagMs: LAG_MS,
                timers,
                log: (line) => log.push(line),
                observeReplica: (region, operation, body) => {
                    const hash = ((body as { Item?: { hash?: { S?: string } }; Key?: { hash?: { S?: string } } } | undefined)?.Item ?? (body as { Key?: { hash?: { S?: string } } } | undefined)?.Key)?.hash?.S;
                    if (operation === "PutItem" || operation === "DeleteItem") arrived[region].push(`${operation === "PutItem" ? "Put" : "Delete"} ${hash}`);
                },
            });
            writer = localDynamoClient(home.endpoint);
            for (const [region, endpoint] of Object.entries(replication.replicaEndpoints)) clients[region] = localDynamoClient(endpoint);
        });
        after(async () => {
            for (const client of [writer, homeClient, ...Object.values(clients)]) client?.destroy();
            await replication?.close();
            await home?.close();
        });

        it("the healthy replica gets every write after the lag while the other is down; the dead one keeps them all, retried with a bounded backoff", async () => {
            await replication.replicas["us-east-1"].stop();
            await put("a");
            await put("b");
            await remove("a");
            expect(replication.pending("us-east-1")).to.equal(3);
            expect(replication.pending("ap-southeast-2")).to.equal(3);

            await advance(LAG_MS - 1);
            expect(await inReplica("ap-southeast-2", "b"), "not before the lag").to.equal(undefined);
            await advance(1);
            expect(replication.pending("ap-southeast-2")).to.equal(0);
            expect(await inReplica("ap-southeast-2", "b")).to.deep.include(key("b"));
            expect(await inReplica("ap-southeast-2", "a")).to.equal(undefined);
            expect(arrived["ap-southeast-2"]).to.deep.equal(["Delete a", "Put b", "Delete a"]);
            expect(replication.pending("us-east-1"), "the dead replica keeps its queue").to.equal(3);
            expect(log.filter((line) => line.includes("us-east-1"))).to.have.length(1);
            expect(log[0]).to.match(/^replication to us-east-1 failed \(.*\); 3 write\(s\) wait for it, tried again with a backoff from 200 ms up to 10000 ms; the other regions go on$/);

            // Each failed try waits twice as long as the one before, up to the cap.
            const firstRetry = timers.scheduled.length - 1;
            for (let failures = 1; failures <= 8; failures++) await advance(retryDelayMs(failures));
            expect(timers.scheduled.slice(firstRetry)).to.deep.equal([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
            expect(replication.pending("us-east-1")).to.equal(3);

            // Meanwhile a new write still reaches the healthy replica after its lag.
            await put("c");
            await advance(LAG_MS);
            expect(await inReplica("ap-southeast-2", "c")).to.deep.include(key("c"));
            expect(replication.pending("ap-southeast-2")).to.equal(0);
            expect(replication.pending("us-east-1")).to.equal(4);
        });

        it("once back, the stopped replica catches up in write order and converges on home", async () => {
            await replication.replicas["us-east-1"].start();
            expect(arrived["us-east-1"]).to.deep.equal([]);
            await advance(RETRY_MAX_MS);
            expect(replication.pending("us-east-1")).to.equal(0);
            // a was put, b put, a deleted, c put: each key copied as home has it now, in the order written.
            expect(arrived["us-east-1"]).to.deep.equal(["Delete a", "Put b", "Delete a", "Put c"]);
            expect(await inReplica("us-east-1", "a")).to.equal(undefined);
            expect(await inReplica("us-east-1", "b")).to.deep.include(key("b"));
            expect(await inReplica("us-east-1", "c")).to.deep.include(key("c"));
            expect(log[log.length - 1]).to.match(/^replication to us-east-1 works again after \d+ failed tries; catching up in write order$/);
            // Nothing is left to retry.
            await advance(RETRY_MAX_MS * 2);
            expect(arrived["us-east-1"]).to.have.length(4);
        });
    });
});
