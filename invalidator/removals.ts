/**
 * Which stream records are revocations worth an invalidation: a `REMOVE` of
 * a mapping item (a 32-hex `hash` key) that was still live. The rest is
 * skipped, each for a reason the log line counts:
 * - `not_remove`: an insert or an update (a new hash, a pointer moved);
 * - `not_mapping`: an object's pointer item (`object#…`), never an image;
 * - `ttl`: DynamoDB's own TTL deletion, which the stream marks with the
 *   user identity `{ type: "Service", principalId: "dynamodb.amazonaws.com" }`
 *   ("DynamoDB Streams and Time to Live", DynamoDB Developer Guide);
 * - `expired`: the item's `expires_at` had passed (a replica's copy of a TTL
 *   deletion carries no such mark, and an expired hash needs nothing
 *   either): the edge answers 403 to an expired hash and bounds every cache
 *   lifetime by `expires_at`, so nothing of it is served any more.
 * A removed mapping whose image lacks a readable `expires_at` is invalidated
 * all the same: when in doubt, the paths go.
 */
import type { AttributeValue, DynamoDBRecord } from "aws-lambda";
import { TABLE_SCHEMA, isHash } from "../core/contract";

/** Why a record needs no invalidation. */
export type SkipReason = "not_remove" | "not_mapping" | "ttl" | "expired";

export type RemovalDecision = { kind: "invalidate"; hash: string } | { kind: "skip"; reason: SkipReason };

/** The identity DynamoDB's TTL deletions carry in a stream record. */
export function isTtlDeletion(record: Pick<DynamoDBRecord, "userIdentity">): boolean {
    const identity: unknown = record.userIdentity;
    if (typeof identity !== "object" || identity === null) return false;
    const { type, principalId } = identity as { type?: unknown; principalId?: unknown };
    return type === "Service" && principalId === "dynamodb.amazonaws.com";
}

/** What to do about one stream record, at `nowMs`. */
export function removalOf(record: DynamoDBRecord, nowMs: number): RemovalDecision {
    if (record.eventName !== "REMOVE") return { kind: "skip", reason: "not_remove" };
    const hash = stringOf(record.dynamodb?.Keys?.[TABLE_SCHEMA.hashKey]);
    if (!isHash(hash)) return { kind: "skip", reason: "not_mapping" };
    if (isTtlDeletion(record)) return { kind: "skip", reason: "ttl" };
    const expiresAt = numberOf(record.dynamodb?.OldImage?.expires_at);
    // At expires_at itself the hash is expired (edge/lookup.ts isLive).
    if (expiresAt !== undefined && nowMs >= expiresAt * 1000) return { kind: "skip", reason: "expired" };
    return { kind: "invalidate", hash };
}

function stringOf(value: AttributeValue | undefined): string | undefined {
    return typeof value?.S === "string" ? value.S : undefined;
}

function numberOf(value: AttributeValue | undefined): number | undefined {
    if (typeof value?.N !== "string" || !/^\d{1,15}$/.test(value.N)) return undefined;
    return Number(value.N);
}
