/**
 * The mappings table, as the issuer uses it. Two kinds of item share it:
 *
 * - mapping items `{hash, s3_url, created_at, expires_at, ttl}` (the
 *   schema in core/contract.ts), one per issued hash, with the image's
 *   `width`, `height` and `placeholder` when the issuer knows them (the
 *   edge reads `s3_url` and `expires_at` only);
 * - one object pointer per object: key `object#<base64url(sha256(s3_url))>`,
 *   attributes `current` (the object's active hash), `expires_at` and `ttl`.
 *   Its key can never match the edge's 32-hex hash pattern, so the edge never
 *   looks it up, and it has no `s3_url` attribute, so the `s3_url` index stays
 *   a sparse index of mappings only.
 *
 * The pointer makes reuse two consistent key reads whatever the table size,
 * and gives concurrent issuers one item to agree on with a conditional write
 * (DynamoDB Local alternatives such as dynalite have no transactions, and the
 * design needs none).
 *
 * Plain `DynamoDBClient` commands with explicit attribute values are used
 * rather than lib-dynamodb's document commands: the items are a few strings
 * and numbers, and `DynamoDBDocumentClient.from()` writes its translate
 * options into the config it shares with the caller's client.
 */
import {
    AttributeValue,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    QueryCommand,
    QueryCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { createHash } from "crypto";
import { ImageMapping, isHash, TABLE_SCHEMA, toImageMapping } from "../core/contract";
import { decodeItem } from "../core/item";
import { isConditionalCheckFailure, toIssuerError } from "./aws-errors";

/** Key prefix of object pointer items. */
export const OBJECT_POINTER_PREFIX = "object#";

/** The pointer item's key for an object: `object#` + base64url(sha256(s3_url)). */
export function objectPointerKey(s3Url: string): string {
    return OBJECT_POINTER_PREFIX + createHash("sha256").update(s3Url, "utf8").digest("base64url");
}

/** An object's pointer: which hash is active and until when. */
export interface ObjectPointer {
    current: string;
    expiresAt: number;
}

/** A mapping as a table item; the image description only when the mapping has all of it. */
function mappingItem(mapping: ImageMapping): Item {
    const item: Item = {
        [HASH]: { S: mapping.hash },
        [TABLE_SCHEMA.s3UrlAttribute]: { S: mapping.s3_url },
        created_at: { N: String(mapping.created_at) },
        expires_at: { N: String(mapping.expires_at) },
        [TABLE_SCHEMA.ttlAttribute]: { N: String(mapping.ttl) },
    };
    if (mapping.width !== undefined && mapping.height !== undefined && mapping.placeholder !== undefined) {
        Object.assign(item, { width: { N: String(mapping.width) }, height: { N: String(mapping.height) }, placeholder: { S: mapping.placeholder } });
    }
    return item;
}

type Item = Record<string, AttributeValue>;

const HASH = TABLE_SCHEMA.hashKey;

export class MappingTable {
    constructor(
        private readonly client: DynamoDBClient,
        readonly tableName: string,
    ) {}

    /** The mapping of a hash (strongly consistent), or `undefined`. */
    async getMapping(hash: string): Promise<ImageMapping | undefined> {
        const output = await this.call("GetItem", () =>
            this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { [HASH]: { S: hash } }, ConsistentRead: true })),
        );
        return toImageMapping(decodeItem(output.Item));
    }

    /**
     * Stores a new mapping only if no item has its hash. Returns false when
     * the hash is taken (a collision): the existing item is left untouched.
     */
    async putNewMapping(mapping: ImageMapping): Promise<boolean> {
        return this.conditionalWrite("PutItem", () =>
            this.client.send(
                new PutItemCommand({
                    TableName: this.tableName,
                    Item: mappingItem(mapping),
                    ConditionExpression: "attribute_not_exists(#h)",
                    ExpressionAttributeNames: { "#h": HASH },
                }),
            ),
        );
    }

    /**
     * Rewrites a mapping with a new image description while the stored item
     * still names the same object (an upload stored new bytes under a key
     * whose hash is reused). A conditional PutItem rather than UpdateItem, so
     * the issuer needs no permission beyond what issuing already uses; a
     * mapping revoked meanwhile is not brought back. Returns false when the
     * mapping is gone or names another object.
     */
    async redescribeMapping(mapping: ImageMapping): Promise<boolean> {
        return this.conditionalWrite("PutItem", () =>
            this.client.send(
                new PutItemCommand({
                    TableName: this.tableName,
                    Item: mappingItem(mapping),
                    ConditionExpression: "#u = :u",
                    ExpressionAttributeNames: { "#u": TABLE_SCHEMA.s3UrlAttribute },
                    ExpressionAttributeValues: { ":u": { S: mapping.s3_url } },
                }),
            ),
        );
    }

    /** Deletes a mapping the caller created and never handed out (it must still name `s3Url`). */
    async deleteUnusedMapping(hash: string, s3Url: string): Promise<void> {
        await this.conditionalWrite("DeleteItem", () =>
            this.client.send(
                new DeleteItemCommand({
                    TableName: this.tableName,
                    Key: { [HASH]: { S: hash } },
                    ConditionExpression: "#u = :u",
                    ExpressionAttributeNames: { "#u": TABLE_SCHEMA.s3UrlAttribute },
                    ExpressionAttributeValues: { ":u": { S: s3Url } },
                }),
            ),
        );
    }

    /** Deletes a mapping; returns what was there (`undefined` when nothing was). */
    async deleteMapping(hash: string): Promise<ImageMapping | undefined> {
        const output = await this.call("DeleteItem", () =>
            this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { [HASH]: { S: hash } }, ReturnValues: "ALL_OLD" })),
        );
        return toImageMapping(decodeItem(output.Attributes));
    }

    /** An object's pointer (strongly consistent), or `undefined`. */
    async getPointer(s3Url: string): Promise<ObjectPointer | undefined> {
        const output = await this.call("GetItem", () =>
            this.client.send(
                new GetItemCommand({ TableName: this.tableName, Key: { [HASH]: { S: objectPointerKey(s3Url) } }, ConsistentRead: true }),
            ),
        );
        const item = decodeItem(output.Item);
        const current = item?.current;
        const expiresAt = item?.expires_at;
        if (!isHash(current) || typeof expiresAt !== "number") return undefined;
        return { current, expiresAt };
    }

    /**
     * Points the object at `mapping` if the pointer is still as the caller saw
     * it: absent (`observed` undefined), or naming `observed` (or deleted since).
     * Returns false when another writer moved it first.
     */
    async claimPointer(mapping: ImageMapping, observed: string | undefined): Promise<boolean> {
        const condition = observed === undefined ? "attribute_not_exists(#h)" : "attribute_not_exists(#h) OR #c = :observed";
        return this.conditionalWrite("PutItem", () =>
            this.client.send(
                new PutItemCommand({
                    TableName: this.tableName,
                    Item: {
                        [HASH]: { S: objectPointerKey(mapping.s3_url) },
                        current: { S: mapping.hash },
                        expires_at: { N: String(mapping.expires_at) },
                        [TABLE_SCHEMA.ttlAttribute]: { N: String(mapping.ttl) },
                    },
                    ConditionExpression: condition,
                    ExpressionAttributeNames: observed === undefined ? { "#h": HASH } : { "#h": HASH, "#c": "current" },
                    ...(observed === undefined ? {} : { ExpressionAttributeValues: { ":observed": { S: observed } } }),
                }),
            ),
        );
    }

    /** Removes the object's pointer if it names `hash`; returns whether it did. */
    async clearPointerIf(s3Url: string, hash: string): Promise<boolean> {
        return this.conditionalWrite("DeleteItem", () =>
            this.client.send(
                new DeleteItemCommand({
                    TableName: this.tableName,
                    Key: { [HASH]: { S: objectPointerKey(s3Url) } },
                    ConditionExpression: "#c = :hash",
                    ExpressionAttributeNames: { "#c": "current" },
                    ExpressionAttributeValues: { ":hash": { S: hash } },
                }),
            ),
        );
    }

    /** Removes the object's pointer, whatever it names. */
    async deletePointer(s3Url: string): Promise<void> {
        await this.call("DeleteItem", () =>
            this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { [HASH]: { S: objectPointerKey(s3Url) } } })),
        );
    }

    /**
     * Every hash the `s3_url` index holds for an object (all pages). The index
     * is eventually consistent: a mapping written a moment ago may be missing,
     * so callers also consult the pointer.
     */
    async hashesOfObject(s3Url: string): Promise<string[]> {
        const hashes: string[] = [];
        let startKey: Item | undefined;
        do {
            const page: QueryCommandOutput = await this.call("Query", () =>
                this.client.send(
                    new QueryCommand({
                        TableName: this.tableName,
                        IndexName: TABLE_SCHEMA.s3UrlIndex,
                        KeyConditionExpression: "#u = :u",
                        ExpressionAttributeNames: { "#u": TABLE_SCHEMA.s3UrlAttribute, "#h": HASH },
                        ExpressionAttributeValues: { ":u": { S: s3Url } },
                        ProjectionExpression: "#h",
                        ExclusiveStartKey: startKey,
                    }),
                ),
            );
            for (const item of page.Items ?? []) {
                const hash = item[HASH]?.S;
                if (isHash(hash)) hashes.push(hash);
            }
            startKey = page.LastEvaluatedKey;
        } while (startKey);
        return hashes;
    }

    /** A conditional write: true when it landed, false when its condition did not hold (nothing written). */
    private async conditionalWrite(operation: "PutItem" | "DeleteItem", send: () => Promise<unknown>): Promise<boolean> {
        try {
            await this.call(operation, send);
            return true;
        } catch (error) {
            if (isConditionalCheckFailure(error)) return false;
            throw error;
        }
    }

    private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
        try {
            return await send();
        } catch (error) {
            if (isConditionalCheckFailure(error)) throw error;
            throw toIssuerError(error, `DynamoDB ${operation} on table ${this.tableName}`, `table '${this.tableName}'`);
        }
    }
}
