import { expect } from "chai";
import { createMemo } from "../../edge/memo";
import { NOW_MS, NOW_S } from "./fixtures";

const mapping = (expiresAt = NOW_S + 3600) => ({ key: "k.jpg", expiresAt });

describe("edge lookup memo", () => {
    it("keeps a found mapping for its lifetime", () => {
        const memo = createMemo({ maxEntries: 10, ttlSeconds: 60, negativeTtlSeconds: 5 });
        memo.remember("a", mapping(), NOW_MS);
        expect(memo.get("a", NOW_MS + 59_999)).to.deep.equal({ found: true, mapping: mapping(), readAtMs: NOW_MS, trustedUntilMs: NOW_MS + 60_000 });
        expect(memo.get("a", NOW_MS + 60_000)).to.equal(undefined);
        expect(memo.size()).to.equal(0);
    });

    it("never keeps a mapping past its expires_at", () => {
        const memo = createMemo({ maxEntries: 10, ttlSeconds: 60, negativeTtlSeconds: 5 });
        memo.remember("a", mapping(NOW_S + 10), NOW_MS);
        expect(memo.get("a", NOW_MS + 9_999)).to.deep.include({ found: true });
        expect(memo.get("a", NOW_MS + 10_000)).to.equal(undefined);
        memo.remember("b", mapping(NOW_S), NOW_MS);
        expect(memo.size(), "an already expired mapping is not stored").to.equal(0);
    });

    it("keeps confirmed misses only briefly", () => {
        const memo = createMemo({ maxEntries: 10, ttlSeconds: 60, negativeTtlSeconds: 5 });
        memo.rememberMiss("a", NOW_MS);
        expect(memo.get("a", NOW_MS + 4_999)).to.deep.equal({ found: false });
        expect(memo.get("a", NOW_MS + 5_000)).to.equal(undefined);
    });

    it("holds at most maxEntries, dropping the least recently used", () => {
        const memo = createMemo({ maxEntries: 3, ttlSeconds: 60, negativeTtlSeconds: 5 });
        for (const hash of ["a", "b", "c"]) memo.remember(hash, mapping(), NOW_MS);
        expect(memo.get("a", NOW_MS)).to.not.equal(undefined); // a is now the most recent
        memo.remember("d", mapping(), NOW_MS);
        expect(memo.size()).to.equal(3);
        expect(memo.get("b", NOW_MS)).to.equal(undefined);
        for (const hash of ["a", "c", "d"]) expect(memo.get(hash, NOW_MS), hash).to.not.equal(undefined);
        for (let i = 0; i < 1000; i++) memo.rememberMiss(`x${i}`, NOW_MS);
        expect(memo.size()).to.equal(3);
    });

    it("stores nothing when disabled by size or lifetime", () => {
        const none = createMemo({ maxEntries: 0, ttlSeconds: 60, negativeTtlSeconds: 5 });
        none.remember("a", mapping(), NOW_MS);
        none.rememberMiss("b", NOW_MS);
        expect(none.size()).to.equal(0);
        const instant = createMemo({ maxEntries: 10, ttlSeconds: 0, negativeTtlSeconds: 0 });
        instant.remember("a", mapping(), NOW_MS);
        instant.rememberMiss("b", NOW_MS);
        expect(instant.size()).to.equal(0);
    });
});
