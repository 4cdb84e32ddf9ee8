/**
 * The local stack's mapping tables against dynalite: a table is ready for
 * writes when createMappingTable returns (dynalite answers CreateTable while
 * the table is still CREATING, and a write then is ResourceNotFound).
 */
import { expect } from "chai";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";

describe("local mapping tables", function () {
    this.timeout(30_000);
    let dynamo: LocalServer;
    let client: DynamoDBClient;

    before(async () => {
        dynamo = await startLocalDynamo();
        client = localDynamoClient(dynamo.endpoint);
    });
    after(async () => {
        client?.destroy();
        await dynamo?.close();
    });

    it("takes a write at once after createMappingTable returns, every time", async () => {
        // Without waiting for ACTIVE, about a third of these writes failed on a 2-core machine.
        const refused: string[] = [];
        for (let i = 0; i < 100; i++) {
            const table = `ready-${i}`;
            await createMappingTable(client, table);
            try {
                await client.send(new PutItemCommand({ TableName: table, Item: { hash: { S: "0".repeat(32) } } }));
            } catch (error) {
                refused.push(`${table}: ${(error as Error).name}`);
            }
        }
        expect(refused, "writes refused right after the table was created").to.deep.equal([]);
    });

    it("leaves an existing table as it is", async () => {
        await createMappingTable(client, "kept");
        await client.send(new PutItemCommand({ TableName: "kept", Item: { hash: { S: "1".repeat(32) } } }));
        await createMappingTable(client, "kept");
        const { Item } = await client.send(new GetItemCommand({ TableName: "kept", Key: { hash: { S: "1".repeat(32) } }, ConsistentRead: true }));
        expect(Item, "the item written before is still there").to.deep.equal({ hash: { S: "1".repeat(32) } });
    });
});
