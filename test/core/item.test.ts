/**
 * A mapping item as the edge reads it (core/item.ts): the S and N attributes
 * decoded from DynamoDB's wire JSON, then checked against the shared schema
 * and the instance's bucket, each bad item named by its reason. The item
 * builders come from the edge's fixtures, where the handler's tests use them.
 */
import { expect } from "chai";
import { checkItem, decodeItem } from "../../core/item";
import { BUCKET, KEY, NOW_S, wireItem } from "../edge/fixtures";

describe("mapping item check (core/item.ts)", () => {
    it("decodes S and N attributes and ignores the rest", () => {
        expect(decodeItem({ a: { S: "x" }, b: { N: "12" }, c: { BOOL: true }, d: { N: "1e3" }, e: { N: "twelve" }, f: null })).to.deep.equal({
            a: "x",
            b: 12,
            d: 1000,
        });
        expect(decodeItem(undefined)).to.equal(undefined);
        expect(decodeItem([1])).to.equal(undefined);
    });

    it("gives the key and expiry of a mapping in this bucket", () => {
        const item = decodeItem(wireItem({ s3_url: `s3://${BUCKET}/${KEY}`, expires_at: NOW_S }));
        expect(checkItem(item ?? {}, BUCKET)).to.deep.equal({ ok: true, mapping: { key: KEY, expiresAt: NOW_S } });
    });

    it("names what is wrong with a bad item", () => {
        const cases: [Record<string, string | number>, string][] = [
            [{ expires_at: NOW_S }, "missing_fields"],
            [{ s3_url: `s3://${BUCKET}/${KEY}` }, "missing_fields"],
            [{ s3_url: "https://example.com/x.jpg", expires_at: NOW_S }, "bad_s3_url"],
            [{ s3_url: `s3://${BUCKET}/a/../b.jpg`, expires_at: NOW_S }, "bad_s3_url"],
            [{ s3_url: `s3://${BUCKET}/a\u0000b.jpg`, expires_at: NOW_S }, "bad_s3_url"],
            [{ s3_url: `s3://${BUCKET}/a\ud800b.jpg`, expires_at: NOW_S }, "bad_s3_url"],
            [{ s3_url: `s3://another-bucket/${KEY}`, expires_at: NOW_S }, "other_bucket"],
            [{ s3_url: `s3://${BUCKET}/${KEY}`, expires_at: "soon" }, "bad_expires_at"],
            [{ s3_url: `s3://${BUCKET}/${KEY}`, expires_at: 1.5 }, "bad_expires_at"],
            [{ s3_url: `s3://${BUCKET}/${KEY}`, expires_at: -1 }, "bad_expires_at"],
        ];
        for (const [item, reason] of cases) expect(checkItem(item, BUCKET), JSON.stringify(item)).to.deep.equal({ ok: false, reason });
    });

    it("accepts keys with spaces, unicode and well-formed surrogate pairs", () => {
        const key = "ü/日本/📷 shot.png";
        expect(checkItem({ s3_url: `s3://${BUCKET}/${key}`, expires_at: NOW_S }, BUCKET)).to.deep.equal({ ok: true, mapping: { key, expiresAt: NOW_S } });
    });
});
