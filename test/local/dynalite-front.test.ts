/**
 * dynalite behind its front (local/dynalite-front.ts): what it throws on a
 * request comes back as a 500 and a reported fault, never as an exception
 * out of the server; only complete requests reach it; its own answers are
 * unchanged. Generated calls (fast-check) of every item operation, with
 * attribute values, expressions and keys of every shape, against a real
 * table.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";
import { DYNALITE_MAX_REQUEST_BYTES } from "../../local/dynalite-front";
import { RawRequest, sendRaw } from "../reliability/support/raw-http";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const TABLE = "front-mappings";

function call(operation: string, body: Buffer): RawRequest {
    return {
        method: "POST",
        target: "/",
        headers: [
            ["Content-Type", "application/x-amz-json-1.0"],
            ["X-Amz-Target", `DynamoDB_20120810.${operation}`],
            ["Content-Length", String(body.length)],
            ["X-Amz-Date", "20300101T000000Z"],
            ["Authorization", "AWS4-HMAC-SHA256 Credential=S3RVER/20300101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"],
        ],
        body,
    };
}

describe("dynalite behind its front", function () {
    this.timeout(120_000);
    let dynamo: LocalServer;
    let client: DynamoDBClient;
    const faults: unknown[] = [];
    const observed: string[] = [];

    before(async () => {
        dynamo = await startLocalDynamo({ onFault: (error) => faults.push(error), observe: (operation) => observed.push(operation) });
        client = localDynamoClient(dynamo.endpoint);
        await createMappingTable(client, TABLE);
    });
    after(async () => {
        client?.destroy();
        await dynamo?.close();
    });

    it("a body of JSON null, which dynalite throws on, is a 500 InternalServerError and a reported fault; the server goes on", async () => {
        const before = faults.length;
        const answer = await sendRaw(dynamo.port, call("GetItem", Buffer.from("null")));
        expect(answer.status).to.equal(500);
        expect(JSON.parse(answer.body.toString())).to.deep.include({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError" });
        expect(faults.length).to.equal(before + 1);
        expect((await sendRaw(dynamo.port, call("ListTables", Buffer.from("{}")))).status).to.equal(200);
    });

    it("dynalite's own answers pass through unchanged, and observe sees each complete call", async () => {
        observed.length = 0;
        const listed = await sendRaw(dynamo.port, call("ListTables", Buffer.from("{}")));
        expect(listed.status).to.equal(200);
        expect(JSON.parse(listed.body.toString())).to.deep.equal({ TableNames: [TABLE] });
        expect((await sendRaw(dynamo.port, call("Nope", Buffer.from("{}")))).status).to.equal(400);
        expect((await sendRaw(dynamo.port, call("GetItem", Buffer.from("{not json")))).status).to.equal(400);
        expect(observed).to.deep.equal(["ListTables", "Nope", "GetItem"]);
    });

    it("a body over dynalite's 16 MiB limit is its 413, without being read whole", async () => {
        const answer = await sendRaw(dynamo.port, call("PutItem", Buffer.alloc(DYNALITE_MAX_REQUEST_BYTES + 1, 0x20)));
        expect(answer.status).to.equal(413);
        expect((await sendRaw(dynamo.port, call("ListTables", Buffer.from("{}")))).status).to.equal(200);
    });

    it("generated item calls: every one is answered (4xx, 5xx or 200), nothing escapes the server", async () => {
        const attribute: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
            value: fc.oneof(
                { depthSize: "small" },
                fc.record({ S: fc.string() }),
                fc.record({ N: fc.oneof(fc.constantFrom("1", "-0", "1e400", "NaN", "x", ""), fc.string()) }),
                fc.record({ B: fc.string() }),
                fc.record({ BOOL: fc.boolean() }),
                fc.record({ NULL: fc.boolean() }),
                fc.record({ SS: fc.array(fc.string(), { maxLength: 3 }) }),
                fc.record({ L: fc.array(tie("value"), { maxLength: 3 }) }),
                fc.record({ M: fc.dictionary(fc.constantFrom("hash", "s3_url", "x", "__proto__"), tie("value"), { maxKeys: 3 }) }),
                fc.constant({}),
                fc.constant(null),
            ),
        })).value;
        const item = fc.dictionary(fc.constantFrom("hash", "s3_url", "expires_at", "x", "__proto__", "constructor"), attribute, { maxKeys: 4 });
        const expression = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("#h = :v", "attribute_not_exists(#h)", "SET #x = :v", "REMOVE x", "ADD x :v", "size(#h) > :v", "#h BETWEEN :v AND :w", "SET x[0] = :v"));
        const names = fc.constantFrom(undefined, { "#h": "hash", "#x": "x" }, { "#h": "" });
        const values = fc.option(fc.dictionary(fc.constantFrom(":v", ":w"), attribute, { maxKeys: 2 }), { nil: undefined });
        const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
        const request = fc.oneof(
            fc.record({ operation: fc.constant("PutItem"), body: fc.record({ TableName: fc.constant(TABLE), Item: item, ConditionExpression: optional(expression), ExpressionAttributeNames: names, ExpressionAttributeValues: values }) }),
            fc.record({ operation: fc.constant("UpdateItem"), body: fc.record({ TableName: fc.constant(TABLE), Key: item, UpdateExpression: optional(expression), ExpressionAttributeNames: names, ExpressionAttributeValues: values }) }),
            fc.record({ operation: fc.constant("GetItem"), body: fc.record({ TableName: fc.constant(TABLE), Key: item, ProjectionExpression: optional(expression), ExpressionAttributeNames: names }) }),
            fc.record({ operation: fc.constant("DeleteItem"), body: fc.record({ TableName: fc.constant(TABLE), Key: item, ConditionExpression: optional(expression), ExpressionAttributeValues: values }) }),
            fc.record({ operation: fc.constant("Query"), body: fc.record({ TableName: fc.constant(TABLE), IndexName: fc.constantFrom(undefined, "s3_url-index", "x"), KeyConditionExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ExclusiveStartKey: optional(item) }) }),
            fc.record({ operation: fc.constant("BatchWriteItem"), body: fc.record({ RequestItems: fc.record({ [TABLE]: fc.array(fc.oneof(fc.record({ PutRequest: fc.record({ Item: item }) }), fc.record({ DeleteRequest: fc.record({ Key: item }) })), { maxLength: 3 }) }) }) }),
            fc.record({ operation: fc.constantFrom("GetItem", "PutItem", "Scan", "CreateTable", "ListTables"), body: fc.constantFrom(null, [], 0, "x", { TableName: null }, { RequestItems: null }, { Key: { hash: null } }) }),
        );
        const statuses = new Map<number, number>();
        await fc.assert(
            fc.asyncProperty(request, async ({ operation, body }) => {
                const answer = await sendRaw(dynamo.port, call(operation, Buffer.from(JSON.stringify(body))));
                statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
                expect([200, 400, 413, 500], JSON.stringify(body)).to.include(answer.status);
            }),
            { numRuns: 1500 },
        );
        expect((await sendRaw(dynamo.port, call("ListTables", Buffer.from("{}")))).status).to.equal(200);
        expect(statuses.get(500) ?? 0, "some generated calls made dynalite throw, and were answered").to.be.above(0);
    });
});
