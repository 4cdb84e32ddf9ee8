/** The cache group (components/args/cache.ts): the cache policy's lifetimes and the 404's, their defaults, order and bounds. */
import { expect } from "chai";
import { CACHE_DEFAULTS, resolveCache } from "../../../components/args/cache";
import { thrown } from "../../support/rejection";

describe("args: cache lifetimes", () => {
    it("nothing given: its defaults, for every level", () => {
        for (const level of ["public", "required", "secured"] as const) expect(resolveCache({}, level), level).to.deep.equal({ ...CACHE_DEFAULTS });
        expect(CACHE_DEFAULTS).to.deep.equal({ minTtlSeconds: 0, defaultTtlSeconds: 86400, maxTtlSeconds: 2592000, notFoundTtlSeconds: 10 });
    });

    it("min ≤ default ≤ max, each a whole number of seconds", () => {
        expect(() => resolveCache({ minTtlSeconds: 100, defaultTtlSeconds: 50 }, "public")).to.throw(/^minTtlSeconds \(100\) must not exceed defaultTtlSeconds \(50\)/);
        expect(() => resolveCache({ defaultTtlSeconds: 100, maxTtlSeconds: 50 }, "public")).to.throw(/^defaultTtlSeconds \(100\) must not exceed maxTtlSeconds \(50\)/);
        expect(thrown(() => resolveCache({ maxTtlSeconds: -1 }, "public"), Error).message).to.equal("maxTtlSeconds must be a whole number at least 0 (got -1)");
    });

    it("a 404 is cached at most an hour", () => {
        expect(resolveCache({ notFoundTtlSeconds: 3600 }, "required").notFoundTtlSeconds).to.equal(3600);
        expect(thrown(() => resolveCache({ notFoundTtlSeconds: 3601 }, "required"), Error).message).to.equal("notFoundTtlSeconds must be a whole number from 0 to 3600 (got 3601)");
    });

    it("a guarded level keeps a minimum of 0 (CloudFront would cache what says no-store); public may set one", () => {
        expect(resolveCache({ minTtlSeconds: 60 }, "public").minTtlSeconds).to.equal(60);
        expect(() => resolveCache({ minTtlSeconds: 60 }, "secured")).to.throw(/^minTtlSeconds must be 0 for level "secured"/);
    });
});
