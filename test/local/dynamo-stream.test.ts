/**
 * The local stream of a DynamoDB (local/dynamo-stream.ts through the
 * dynalite front): every write call, whoever sends it, gives one record per
 * item it changed, in order, with the old and the new image, before the
 * caller gets its answer; a call that changes nothing gives none; the
 * stream's own reads are not counted as the table's reads.
 */
import {
    BatchWriteItemCommand,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import * as http from "http";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";
import { LocalStreamRecord, LocalTableStream } from "../../local/dynamo-stream";
import { rejection } from "../support/rejection";

const TABLE = "streamed";
const key = (hash: string) => ({ hash: { S: hash } });
const item = (hash: string, url: string) => ({ ...key(hash), s3_url: { S: url } });

describe("local DynamoDB stream (dynalite front)", function () {
    this.timeout(30_000);
    let server: LocalServer;
    let client: DynamoDBClient;
    let stream: LocalTableStream;
    const records: LocalStreamRecord[] = [];
    const observed: string[] = [];

    before(async () => {
        stream = new LocalTableStream({ now: () => 1_000 });
        stream.subscribe((record) => records.push(record));
        server = await startLocalDynamo({ stream, observe: (operation) => observed.push(operation) });
        client = localDynamoClient(server.endpoint);
        await createMappingTable(client, TABLE);
    });
    after(async () => {
        client?.destroy();
        await server?.close();
    });
    beforeEach(() => {
        records.length = 0;
        observed.length = 0;
    });

    const summary = () => records.map((record) => [record.eventName, record.keys.hash?.S, record.oldImage?.s3_url?.S, record.newImage?.s3_url?.S]);

    it("records an insert, a change and a removal with their images, and nothing for a put that changes nothing", async () => {
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("a", "s3://b/1") }));
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("a", "s3://b/1") }));
        await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key("a"), UpdateExpression: "SET s3_url = :u", ExpressionAttributeValues: { ":u": { S: "s3://b/2" } } }));
        await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key("a") }));
        await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key("a") }));
        expect(summary()).to.deep.equal([
            ["INSERT", "a", undefined, "s3://b/1"],
            ["MODIFY", "a", "s3://b/1", "s3://b/2"],
            ["REMOVE", "a", "s3://b/2", undefined],
        ]);
        const sequences = records.map((record) => record.sequence);
        expect(sequences).to.deep.equal([...sequences].sort((x, y) => x - y));
        expect(records[2]).to.deep.include({ table: TABLE, keys: key("a"), at: 1_000 });
        // The stream's reads (before and after each write) are its own, not the table's.
        expect(observed).to.deep.equal(["PutItem", "PutItem", "UpdateItem", "DeleteItem", "DeleteItem"]);
    });

    it("records each item of a batch, and nothing for a refused condition (dynalite has no transactions)", async () => {
        await client.send(
            new BatchWriteItemCommand({
                RequestItems: { [TABLE]: [{ PutRequest: { Item: item("b", "s3://b/b") } }, { PutRequest: { Item: item("c", "s3://b/c") } }] },
            }),
        );
        await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ DeleteRequest: { Key: key("b") } }, { DeleteRequest: { Key: key("c") } }] } }));
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("d", "s3://b/d") }));
        await rejection(client.send(new PutItemCommand({ TableName: TABLE, Item: item("d", "s3://b/other"), ConditionExpression: "attribute_not_exists(hash)" })), Error);
        expect(summary()).to.deep.equal([
            ["INSERT", "b", undefined, "s3://b/b"],
            ["INSERT", "c", undefined, "s3://b/c"],
            ["REMOVE", "b", "s3://b/b", undefined],
            ["REMOVE", "c", "s3://b/c", undefined],
            ["INSERT", "d", undefined, "s3://b/d"],
        ]);
    });

    it("has the record out before the caller gets its answer", async () => {
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("e", "s3://b/e") }));
        expect(records.map((record) => record.eventName)).to.deep.equal(["INSERT"]);
    });

    it("sees a write from any client of the port, not only the SDK: a DeleteItem in plain HTTP", async () => {
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("f", "s3://b/f") }));
        const body = JSON.stringify({ TableName: TABLE, Key: key("f") });
        const status = await new Promise<number>((resolve, reject) => {
            const request = http.request(
                `${server.endpoint}/`,
                {
                    method: "POST",
                    headers: {
                        "Content-Type": "application/x-amz-json-1.0",
                        "X-Amz-Target": "DynamoDB_20120810.DeleteItem",
                        "X-Amz-Date": "20250101T000000Z",
                        Authorization: "AWS4-HMAC-SHA256 Credential=script/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
                    },
                },
                (response) => {
                    response.resume();
                    response.on("end", () => resolve(response.statusCode ?? 0));
                },
            );
            request.on("error", reject);
            request.end(body);
        });
        expect(status).to.equal(200);
        expect(summary()).to.deep.equal([
            ["INSERT", "f", undefined, "s3://b/f"],
            ["REMOVE", "f", "s3://b/f", undefined],
        ]);
        expect((await client.send(new GetItemCommand({ TableName: TABLE, Key: key("f"), ConsistentRead: true }))).Item).to.equal(undefined);
    });

    it("keeps concurrent writers' changes in the order they were made, one item's history whole", async () => {
        const writes = Array.from({ length: 20 }, (_, i) => client.send(new PutItemCommand({ TableName: TABLE, Item: item("g", `s3://b/g${i}`) })));
        await Promise.all(writes);
        // Each record's old image is the previous record's new image: no change was lost or reordered.
        for (let i = 1; i < records.length; i++) expect(records[i].oldImage, `record ${i}`).to.deep.equal(records[i - 1].newImage);
        expect(records[0].eventName).to.equal("INSERT");
        expect(records).to.have.length(20);
    });

    it("goes on after a listener fails, and says so", async () => {
        const failures: unknown[] = [];
        const guarded = new LocalTableStream({ onListenerError: (error) => failures.push(error) });
        const seen: string[] = [];
        guarded.subscribe(() => {
            throw new Error("listener bug");
        });
        guarded.subscribe((record) => seen.push(record.eventName));
        const other = await startLocalDynamo({ stream: guarded });
        const otherClient = localDynamoClient(other.endpoint);
        try {
            await createMappingTable(otherClient, TABLE);
            await otherClient.send(new PutItemCommand({ TableName: TABLE, Item: item("h", "s3://b/h") }));
            expect(seen).to.deep.equal(["INSERT"]);
            expect(failures.map((error) => (error as Error).message)).to.deep.equal(["listener bug"]);
        } finally {
            otherClient.destroy();
            await other.close();
        }
    });
});
