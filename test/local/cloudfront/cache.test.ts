import { expect } from "chai";
import { EdgeCache, invalidationMatches, StoredResponse } from "../../../local/cloudfront/cache";

const T0 = Date.UTC(2030, 0, 1);

function response(body = "bytes", status = 200): StoredResponse {
    return { status, statusDescription: "OK", headers: [["Content-Type", "image/png"]], body: Buffer.from(body) };
}

describe("local CloudFront emulator: edge cache (pure)", () => {
    it("is empty until something is stored", () => {
        const cache = new EdgeCache();
        expect(cache.lookup("/images/a", T0)).to.deep.equal({ state: "absent" });
    });

    it("serves a stored response while fresh, with its age in whole seconds", () => {
        const cache = new EdgeCache();
        cache.store("/images/a", response(), 60, T0, false);
        const at = cache.lookup("/images/a", T0 + 59_999);
        expect(at.state).to.equal("fresh");
        if (at.state !== "fresh") throw new Error("unreachable");
        expect(at.ageSeconds).to.equal(59);
        expect(at.entry.response.body.toString()).to.equal("bytes");
    });

    it("drops an entry exactly at the end of its lifetime", () => {
        const cache = new EdgeCache();
        cache.store("/images/a", response(), 60, T0, false);
        expect(cache.lookup("/images/a", T0 + 60_000).state).to.equal("absent");
        expect(cache.size).to.equal(0);
        expect(cache.sizeBytes).to.equal(0);
    });

    it("refuses a lifetime of 0 or less (such a response is not stored)", () => {
        expect(() => new EdgeCache().store("/a", response(), -1, T0, false)).to.throw(/more than 0/);
        expect(() => new EdgeCache().store("/a", response(), 0, T0, false)).to.throw(/more than 0/);
    });

    it("keys are exact: different paths, different case and encodings are different entries", () => {
        const cache = new EdgeCache();
        cache.store("/images/a", response("a"), 60, T0, false);
        expect(cache.lookup("/images/A", T0).state).to.equal("absent");
        expect(cache.lookup("/images/%61", T0).state).to.equal("absent");
    });

    describe("invalidation", () => {
        it("removes an exact path and nothing else", () => {
            const cache = new EdgeCache();
            cache.store("/images/a", response(), 60, T0, false);
            cache.store("/images/ab", response(), 60, T0, false);
            expect(cache.invalidate(["/images/a"])).to.equal(1);
            expect(cache.lookup("/images/a", T0).state).to.equal("absent");
            expect(cache.lookup("/images/ab", T0).state).to.equal("fresh");
        });
        it("treats a trailing * as a prefix", () => {
            const cache = new EdgeCache();
            for (const key of ["/images/a", "/images/b", "/other/c"]) cache.store(key, response(), 60, T0, false);
            expect(cache.invalidate(["/images/*"])).to.equal(2);
            expect(cache.size).to.equal(1);
            expect(cache.invalidate(["/*"])).to.equal(1);
            expect(cache.size).to.equal(0);
        });
        it("matches as CloudFront documents", () => {
            const cases: [pattern: string, path: string, matches: boolean][] = [
                ["/images/a", "/images/a", true],
                ["/images/a", "/images/a2", false],
                ["/images/a*", "/images/a2", true],
                ["/*", "/anything", true],
            ];
            expect(cases.map(([pattern, path]) => [pattern, path, invalidationMatches(pattern, path)])).to.deep.equal(cases);
        });
        it("reports 0 for paths with nothing cached", () => {
            expect(new EdgeCache().invalidate(["/images/none"])).to.equal(0);
        });
    });

    describe("bounds", () => {
        it("evicts the least recently used entry past the entry limit", () => {
            const cache = new EdgeCache({ maxEntries: 2 });
            cache.store("/a", response(), 60, T0, false);
            cache.store("/b", response(), 60, T0, false);
            cache.lookup("/a", T0); // /a is now the most recently used
            cache.store("/c", response(), 60, T0, false);
            expect(cache.lookup("/b", T0).state).to.equal("absent");
            expect(cache.lookup("/a", T0).state).to.equal("fresh");
            expect(cache.lookup("/c", T0).state).to.equal("fresh");
        });
        it("evicts past the byte limit and keeps the byte count exact", () => {
            const cache = new EdgeCache({ maxBytes: 10 });
            cache.store("/a", response("12345"), 60, T0, false);
            cache.store("/b", response("12345"), 60, T0, false);
            expect(cache.sizeBytes).to.equal(10);
            cache.store("/c", response("123"), 60, T0, false);
            expect(cache.sizeBytes).to.equal(8);
            expect(cache.lookup("/a", T0).state).to.equal("absent");
            cache.store("/b", response("1"), 60, T0, false);
            expect(cache.sizeBytes).to.equal(4);
            cache.remove("/b");
            cache.remove("/c");
            expect(cache.sizeBytes).to.equal(0);
            expect(cache.size).to.equal(0);
        });
        it("stays within its bounds under many distinct keys", () => {
            const cache = new EdgeCache({ maxEntries: 100, maxBytes: 1000 });
            for (let i = 0; i < 5000; i++) cache.store(`/images/${i}`, response("x".repeat(i % 37)), 60, T0, false);
            expect(cache.size).to.be.at.most(100);
            expect(cache.sizeBytes).to.be.at.most(1000);
        });
    });
});
