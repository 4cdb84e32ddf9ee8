import { expect } from "chai";
import { lookupHash, LookupDeps } from "../../edge/lookup";
import { createMemo } from "../../edge/memo";
import type { MappingStore } from "../../edge/dynamo";
import { BUCKET, fixedClock, goodItem, HASH, itemsStore, KEY, NOW_MS, NOW_S, stubStore, wireItem } from "./fixtures";

function deps(store: MappingStore, overrides: Partial<LookupDeps> = {}): LookupDeps {
    return { store, bucket: BUCKET, lookupTimeoutMs: 3000, now: () => NOW_MS, memo: createMemo({ maxEntries: 10, ttlSeconds: 60, negativeTtlSeconds: 5 }), ...overrides };
}

describe("edge lookup", () => {
    it("finds a live mapping with one eventually consistent read, within the budget", async () => {
        const { store, calls } = itemsStore({ [HASH]: goodItem() });
        const outcome = await lookupHash(HASH, deps(store));
        expect(outcome).to.deep.equal({ kind: "valid", mapping: { key: KEY, expiresAt: NOW_S + 3600 }, cacheUntil: NOW_S + 3600, vouchedAtMs: NOW_MS, memoHit: false, attempts: 1 });
        expect(calls).to.deep.equal([{ hash: HASH, consistent: false, deadlineMs: NOW_MS + 3000 }]);
    });

    it("serves a hash issued a moment ago: an eventually consistent miss is confirmed by a consistent read", async () => {
        const { store, calls } = stubStore(({ consistent }) => ({ ok: true, item: consistent ? goodItem() : undefined, attempts: 1 }));
        const outcome = await lookupHash(HASH, deps(store));
        expect(outcome).to.include({ kind: "valid", attempts: 2 });
        expect(calls.map((call) => call.consistent)).to.deep.equal([false, true]);
    });

    it("answers a miss only after the consistent read agrees, and remembers it briefly", async () => {
        const { store, calls } = itemsStore({});
        const clock = fixedClock();
        const d = deps(store, { now: clock.now });
        expect(await lookupHash(HASH, d)).to.deep.equal({ kind: "missing", badItem: undefined, memoHit: false, attempts: 2 });
        expect(calls.map((call) => call.consistent)).to.deep.equal([false, true]);
        expect(await lookupHash(HASH, d)).to.deep.equal({ kind: "missing", memoHit: true, attempts: 0 });
        clock.advanceMs(5000);
        await lookupHash(HASH, d);
        expect(calls).to.have.length(4);
    });

    it("never turns a failed read into a miss, and never remembers a failure", async () => {
        const { store, calls } = stubStore(({ consistent }) =>
            consistent ? { ok: false, failure: "timeout", attempts: 2 } : { ok: true, item: undefined, attempts: 1 },
        );
        const d = deps(store);
        expect(await lookupHash(HASH, d)).to.deep.equal({ kind: "unavailable", failure: "timeout", errorType: undefined, memoHit: false, attempts: 3 });
        expect(await lookupHash(HASH, d)).to.include({ kind: "unavailable" });
        expect(calls).to.have.length(4);
        expect(d.memo?.size()).to.equal(0);
    });

    it("reports the DynamoDB error name of a failed first read", async () => {
        const { store, calls } = stubStore(() => ({ ok: false, failure: "throttled", errorType: "ThrottlingException", attempts: 2 }));
        expect(await lookupHash(HASH, deps(store))).to.deep.equal({ kind: "unavailable", failure: "throttled", errorType: "ThrottlingException", memoHit: false, attempts: 2 });
        expect(calls, "no confirming read after a failure").to.have.length(1);
    });

    it("checks expires_at itself: TTL deletion is lazy", async () => {
        const { store } = itemsStore({ [HASH]: goodItem(NOW_S) });
        expect(await lookupHash(HASH, deps(store))).to.deep.include({ kind: "expired", mapping: { key: KEY, expiresAt: NOW_S } });
        const live = itemsStore({ [HASH]: goodItem(NOW_S + 1) });
        expect(await lookupHash(HASH, deps(live.store, { now: () => NOW_MS + 999 }))).to.include({ kind: "valid" });
        expect(await lookupHash(HASH, deps(live.store, { now: () => NOW_MS + 1000, memo: undefined }))).to.include({ kind: "expired" });
    });

    it("bounds what a memo hit may be cached by when the memo would have read the table again", async () => {
        const { store } = itemsStore({ [HASH]: goodItem(NOW_S + 3600) });
        const clock = fixedClock();
        const d = deps(store, { now: clock.now });
        expect(await lookupHash(HASH, d), "a table read trusts the mapping until expires_at").to.include({ cacheUntil: NOW_S + 3600 });
        clock.advanceMs(20_000);
        // Read at NOW, memo TTL 60 s: a revocation after NOW must not outlive NOW + 60 in any cache.
        expect(await lookupHash(HASH, d)).to.include({ kind: "valid", memoHit: true, cacheUntil: NOW_S + 60 });
    });

    it("says when the table vouched for a mapping: a memo hit reports the read it came from, not the moment it answers", async () => {
        const { store } = itemsStore({ [HASH]: goodItem(NOW_S + 3600) });
        const clock = fixedClock();
        // A table that takes 400 ms to answer: the vouching moment is when the read was sent.
        const slow: typeof store = { read: async (...args) => ((clock.advanceMs(400), await store.read(...args))) };
        const d = deps(slow, { now: clock.now });
        expect(await lookupHash(HASH, d)).to.include({ memoHit: false, vouchedAtMs: NOW_MS });
        clock.advanceMs(30_000);
        expect(await lookupHash(HASH, d)).to.include({ memoHit: true, vouchedAtMs: NOW_MS });
    });

    it("serves from the memo in a warm container, but never past expires_at", async () => {
        const { store, calls } = itemsStore({ [HASH]: goodItem(NOW_S + 30) });
        const clock = fixedClock();
        const d = deps(store, { now: clock.now });
        await lookupHash(HASH, d);
        clock.advanceMs(29_999);
        expect(await lookupHash(HASH, d)).to.include({ kind: "valid", memoHit: true, attempts: 0 });
        expect(calls).to.have.length(1);
        clock.advanceMs(1);
        expect(await lookupHash(HASH, d)).to.include({ kind: "expired", memoHit: false });
        expect(calls).to.have.length(2);
    });

    it("remembers an expired hash for the memo's lifetime: its 403 is final, so repeats cost no read", async () => {
        const { store, calls } = itemsStore({ [HASH]: goodItem(NOW_S - 5) });
        const clock = fixedClock();
        const d = deps(store, { now: clock.now });
        expect(await lookupHash(HASH, d)).to.include({ kind: "expired", memoHit: false, attempts: 1 });
        clock.advanceMs(59_999);
        expect(await lookupHash(HASH, d)).to.deep.equal({ kind: "expired", mapping: { key: KEY, expiresAt: NOW_S - 5 }, memoHit: true, attempts: 0 });
        expect(calls).to.have.length(1);
        clock.advanceMs(1);
        expect(await lookupHash(HASH, d)).to.include({ kind: "expired", memoHit: false });
        expect(calls).to.have.length(2);
    });

    it("treats a bad item as not found once the consistent read confirms it", async () => {
        const cases: [unknown, string][] = [
            [wireItem({ s3_url: `s3://${BUCKET}/${KEY}` }), "missing_fields"],
            [wireItem({ s3_url: "s3://another-bucket/x.jpg", expires_at: NOW_S + 60 }), "other_bucket"],
            [wireItem({ s3_url: "s3:/broken", expires_at: NOW_S + 60 }), "bad_s3_url"],
            [{ s3_url: { SS: ["a"] }, expires_at: { N: "12" } }, "missing_fields"],
            ["not an item", "missing_fields"],
        ];
        for (const [item, reason] of cases) {
            const { store, calls } = stubStore(() => ({ ok: true, item, attempts: 1 }));
            expect(await lookupHash(HASH, deps(store)), reason).to.deep.equal({ kind: "missing", badItem: reason, memoHit: false, attempts: 2 });
            expect(calls.map((call) => call.consistent)).to.deep.equal([false, true]);
        }
    });

    it("with replicas: gives each replica its share of the first half of the budget and home the rest, naming the copy that answered", async () => {
        const sydney = stubStore(() => ({ ok: false, failure: "timeout", attempts: 1 }));
        const tokyo = stubStore(() => ({ ok: false, failure: "network", attempts: 1 }));
        const home = itemsStore({ [HASH]: goodItem() });
        const replicated = { homeRegion: "eu-west-1", replicas: [{ region: "ap-southeast-2", store: sydney.store }, { region: "ap-northeast-1", store: tokyo.store }] };
        const outcome = await lookupHash(HASH, deps(home.store, { replicated }));
        expect(outcome).to.deep.include({ kind: "valid", attempts: 3, copy: "eu-west-1" });
        expect(sydney.calls).to.deep.equal([{ hash: HASH, consistent: false, deadlineMs: NOW_MS + 750 }]);
        expect(tokyo.calls).to.deep.equal([{ hash: HASH, consistent: false, deadlineMs: NOW_MS + 1500 }]);
        expect(home.calls, "home after failed replicas: as without replicas").to.deep.equal([{ hash: HASH, consistent: false, deadlineMs: NOW_MS + 3000 }]);
    });

    it("with replicas: a replica's miss goes straight to home's consistent read, and no further replica is asked", async () => {
        const sydney = itemsStore({});
        const tokyo = itemsStore({ [HASH]: goodItem() });
        const home = itemsStore({});
        const replicated = { homeRegion: "eu-west-1", replicas: [{ region: "ap-southeast-2", store: sydney.store }, { region: "ap-northeast-1", store: tokyo.store }] };
        expect(await lookupHash(HASH, deps(home.store, { replicated }))).to.deep.equal({ kind: "missing", badItem: undefined, memoHit: false, attempts: 2, copy: "eu-west-1" });
        expect(tokyo.calls).to.have.length(0);
        expect(home.calls.map((call) => call.consistent)).to.deep.equal([true]);
    });

    it("homeConsistentOnly: one consistent read at home, for a hit and for a miss", async () => {
        const { store, calls } = itemsStore({ [HASH]: goodItem() });
        expect(await lookupHash(HASH, deps(store, { homeConsistentOnly: true, memo: undefined }))).to.include({ kind: "valid", attempts: 1 });
        expect(await lookupHash("0".repeat(32), deps(store, { homeConsistentOnly: true, memo: undefined }))).to.include({ kind: "missing", attempts: 1 });
        expect(calls.map((call) => call.consistent)).to.deep.equal([true, true]);
    });
});

