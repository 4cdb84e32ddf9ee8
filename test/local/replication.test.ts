/**
 * The local replicator's reading of write calls (which keys a call changed),
 * and the replicator itself against dynalite: writes and deletes reach every
 * replica only when their lag has passed (moved along with `flush`), and a
 * replica added later is filled from home.
 */
import { expect } from "chai";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";
import { LocalReplication, startLocalReplication, writtenKeys } from "../../local/replication";

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
            home = await startLocalDynamo();
            homeClient = localDynamoClient(home.endpoint);
            await createMappingTable(homeClient, TABLE);
            await homeClient.send(new PutItemCommand({ TableName: TABLE, Item: { ...key("before"), s3_url: { S: "s3://b/k" } } }));
            replication = await startLocalReplication({ homeEndpoint: home.endpoint, regions: ["us-east-1", "ap-southeast-2"], tables: [TABLE], lagMs: 3_600_000 });
            writer = localDynamoClient(replication.homeEndpoint);
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
});
