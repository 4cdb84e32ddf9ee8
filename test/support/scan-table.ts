/**
 * Every item of a test's table, as plain values (strings and numbers). A
 * Scan is fine for checking what a test left in its own table; the code
 * under test never scans.
 */
import { AttributeValue, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

export type PlainItem = Record<string, string | number>;

export async function scanTable(client: DynamoDBClient, tableName: string): Promise<PlainItem[]> {
    const items: PlainItem[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
        const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
            const plain: PlainItem = {};
            for (const [name, value] of Object.entries(item)) plain[name] = value.S ?? Number(value.N);
            items.push(plain);
        }
        start = page.LastEvaluatedKey;
    } while (start);
    return items;
}
