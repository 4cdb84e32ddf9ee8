/**
 * Which stream records the invalidator acts on: the REMOVE of a live
 * mapping item, and nothing else. An insert or update, an object's pointer
 * item, DynamoDB's own TTL deletion and an already expired mapping are
 * skipped, each with its reason; a removed mapping whose expiry cannot be
 * read is invalidated all the same.
 */
import { expect } from "chai";
import type { DynamoDBRecord } from "aws-lambda";
import { isTtlDeletion, removalOf } from "../../invalidator/removals";
import { hashOf, NOW_MS, streamRecord, TTL_IDENTITY } from "./fixtures";

const HASH = hashOf("c");
const NOW_S = NOW_MS / 1000;

/** `record` with its old image's `expires_at` replaced by `value` (a DynamoDB number string). */
function withExpiry(record: DynamoDBRecord, value: string): DynamoDBRecord {
    const old = record.dynamodb?.OldImage ?? {};
    return { ...record, dynamodb: { ...record.dynamodb, OldImage: { ...old, expires_at: { N: value } } } };
}

describe("invalidator/removals", () => {
    it("a live mapping's REMOVE is invalidated", () => {
        expect(removalOf(streamRecord("REMOVE", HASH), NOW_MS)).to.deep.equal({ kind: "invalidate", hash: HASH });
    });

    it("inserts and updates are skipped as not_remove", () => {
        expect(removalOf(streamRecord("INSERT", HASH), NOW_MS)).to.deep.equal({ kind: "skip", reason: "not_remove" });
        expect(removalOf(streamRecord("MODIFY", HASH), NOW_MS)).to.deep.equal({ kind: "skip", reason: "not_remove" });
    });

    it("an item whose key is not a hash (an object's pointer) is skipped as not_mapping, before its identity is looked at", () => {
        expect(removalOf(streamRecord("REMOVE", "object#uploads/a.png"), NOW_MS)).to.deep.equal({ kind: "skip", reason: "not_mapping" });
        expect(removalOf(streamRecord("REMOVE", "object#uploads/a.png", { userIdentity: TTL_IDENTITY }), NOW_MS)).to.deep.equal({ kind: "skip", reason: "not_mapping" });
        expect(removalOf(streamRecord("REMOVE", HASH.toUpperCase()), NOW_MS)).to.deep.equal({ kind: "skip", reason: "not_mapping" });
    });

    it("DynamoDB's TTL deletion is skipped as ttl, even when its expiry is unreadable", () => {
        expect(removalOf(streamRecord("REMOVE", HASH, { userIdentity: TTL_IDENTITY }), NOW_MS)).to.deep.equal({ kind: "skip", reason: "ttl" });
        expect(removalOf(streamRecord("REMOVE", HASH, { userIdentity: TTL_IDENTITY, expiresAt: null }), NOW_MS)).to.deep.equal({ kind: "skip", reason: "ttl" });
    });

    it("only DynamoDB's own service identity marks a TTL deletion", () => {
        expect(isTtlDeletion({ userIdentity: TTL_IDENTITY })).to.equal(true);
        expect(isTtlDeletion({})).to.equal(false);
        expect(isTtlDeletion({ userIdentity: null })).to.equal(false);
        expect(isTtlDeletion({ userIdentity: { type: "Service", principalId: "lambda.amazonaws.com" } })).to.equal(false);
        expect(isTtlDeletion({ userIdentity: { type: "User", principalId: "dynamodb.amazonaws.com" } })).to.equal(false);
        expect(removalOf(streamRecord("REMOVE", HASH, { userIdentity: { type: "User", principalId: "dynamodb.amazonaws.com" } }), NOW_MS)).to.deep.equal({
            kind: "invalidate",
            hash: HASH,
        });
    });

    it("expired at expires_at itself, live the millisecond before", () => {
        const record = streamRecord("REMOVE", HASH, { expiresAt: NOW_S });
        expect(removalOf(record, NOW_MS)).to.deep.equal({ kind: "skip", reason: "expired" });
        expect(removalOf(record, NOW_MS + 1)).to.deep.equal({ kind: "skip", reason: "expired" });
        expect(removalOf(record, NOW_MS - 1)).to.deep.equal({ kind: "invalidate", hash: HASH });
    });

    it("when in doubt the paths go: no expires_at, or one that is not a whole number of seconds", () => {
        expect(removalOf(streamRecord("REMOVE", HASH, { expiresAt: null }), NOW_MS)).to.deep.equal({ kind: "invalidate", hash: HASH });
        const past = streamRecord("REMOVE", HASH, { expiresAt: NOW_S - 60 });
        for (const unreadable of ["", "-1", "1.5e9", String(NOW_S - 60) + ".5", "1".repeat(16)]) {
            expect(removalOf(withExpiry(past, unreadable), NOW_MS), unreadable).to.deep.equal({ kind: "invalidate", hash: HASH });
        }
        expect(removalOf(withExpiry(past, String(NOW_S - 60)), NOW_MS)).to.deep.equal({ kind: "skip", reason: "expired" });
    });
});
