import { expect } from "chai";
import {
    cacheControlFor,
    deliveredLifetime,
    originLifetime,
    presignedUrlSeconds,
    redirectLifetime,
    remainingSeconds,
    DEFAULT_REDIRECT_SAFETY_MARGIN_SECONDS,
} from "../../edge/cache-control";
import { NOW_MS, NOW_S, settings } from "./fixtures";

describe("edge cache lifetimes", () => {
    it("formats a lifetime, and no time left as no-store", () => {
        expect(cacheControlFor(120)).to.equal("max-age=120");
        expect(cacheControlFor(0)).to.equal("no-store");
        expect(cacheControlFor(-5)).to.equal("no-store");
    });

    it("counts the hash's remaining life in whole seconds, rounded down", () => {
        expect(remainingSeconds(NOW_S + 10, NOW_MS)).to.equal(10);
        expect(remainingSeconds(NOW_S + 10, NOW_MS + 1)).to.equal(9);
        expect(remainingSeconds(NOW_S + 1, NOW_MS + 999)).to.equal(0);
        expect(remainingSeconds(NOW_S, NOW_MS)).to.equal(0);
        expect(remainingSeconds(NOW_S - 1, NOW_MS)).to.equal(-1);
    });

    describe("what the origin says", () => {
        it("takes the smallest of max-age and s-maxage", () => {
            expect(originLifetime("public, max-age=600", undefined, NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 600 });
            expect(originLifetime("max-age=600, s-maxage=60", undefined, NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 60 });
            expect(originLifetime("S-MAXAGE=900, max-age=\"30\"", undefined, NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 30 });
        });

        it("treats no-store, no-cache and private as uncacheable", () => {
            for (const value of ["no-store", "max-age=600, no-cache", "private, max-age=60"]) {
                expect(originLifetime(value, undefined, NOW_MS), value).to.deep.equal({ kind: "uncacheable" });
            }
        });

        it("falls back to Expires, and an unparseable Expires means expired", () => {
            const in5min = new Date(NOW_MS + 300_000).toUTCString();
            expect(originLifetime(undefined, in5min, NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 300 });
            expect(originLifetime("public", "0", NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 0 });
            expect(originLifetime("max-age=60", in5min, NOW_MS)).to.deep.equal({ kind: "seconds", seconds: 60 });
        });

        it("says nothing when there is nothing", () => {
            expect(originLifetime(undefined, undefined, NOW_MS)).to.deep.equal({ kind: "unspecified" });
            expect(originLifetime("public, immutable", undefined, NOW_MS)).to.deep.equal({ kind: "unspecified" });
        });
    });

    describe("delivered images (origin mode)", () => {
        const s = settings({ defaultTtlSeconds: 86400, maxTtlSeconds: 2592000 });
        it("uses the default TTL when the origin says nothing and the hash lives long", () => {
            expect(deliveredLifetime({ kind: "unspecified" }, NOW_S + 30 * 86400, NOW_MS, s)).to.equal(86400);
        });
        it("never outlives the hash", () => {
            expect(deliveredLifetime({ kind: "unspecified" }, NOW_S + 90, NOW_MS, s)).to.equal(90);
            expect(deliveredLifetime({ kind: "seconds", seconds: 3600 }, NOW_S + 90, NOW_MS, s)).to.equal(90);
            expect(deliveredLifetime({ kind: "unspecified" }, NOW_S, NOW_MS, s)).to.equal(0);
        });
        it("keeps the origin's shorter lifetime and the max TTL", () => {
            expect(deliveredLifetime({ kind: "seconds", seconds: 30 }, NOW_S + 3600, NOW_MS, s)).to.equal(30);
            expect(deliveredLifetime({ kind: "seconds", seconds: 10 ** 9 }, NOW_S + 10 ** 9, NOW_MS, settings({ maxTtlSeconds: 7200 }))).to.equal(7200);
            expect(deliveredLifetime({ kind: "uncacheable" }, NOW_S + 3600, NOW_MS, s)).to.equal(0);
        });
    });

    describe("redirects (redirect mode)", () => {
        it("signs for the configured TTL, but not past the hash", () => {
            expect(presignedUrlSeconds(NOW_S + 3600, NOW_MS, NOW_MS, settings({ signedUrlTtlSeconds: 300 }))).to.equal(300);
            expect(presignedUrlSeconds(NOW_S + 100, NOW_MS, NOW_MS, settings({ signedUrlTtlSeconds: 300 }))).to.equal(100);
            expect(presignedUrlSeconds(NOW_S + 1, NOW_MS + 500, NOW_MS + 500, settings({ signedUrlTtlSeconds: 300 }))).to.equal(1);
        });
        it("ends a URL signedUrlTtlSeconds after the table vouched for the mapping, however late the memo answers", () => {
            const s = settings({ signedUrlTtlSeconds: 300 });
            // Read at NOW, answered from memory 59 s later: the URL gets what is left of the 300 s.
            expect(presignedUrlSeconds(NOW_S + 3600, NOW_MS, NOW_MS + 59_000, s)).to.equal(241);
            // Counted in the URL's whole seconds: signed in second NOW + 59, valid until NOW + 300, not later.
            expect(presignedUrlSeconds(NOW_S + 3600, NOW_MS, NOW_MS + 59_500, s)).to.equal(241);
            expect(presignedUrlSeconds(NOW_S + 3600, NOW_MS + 900, NOW_MS + 1_100, s), "a read that ends in the next second").to.equal(299);
            // Never past the hash, never under a second.
            expect(presignedUrlSeconds(NOW_S + 100, NOW_MS, NOW_MS + 59_000, s)).to.equal(41);
            expect(presignedUrlSeconds(NOW_S + 3600, NOW_MS, NOW_MS + 400_000, s)).to.equal(1);
        });
        it("drops a cached 302 a safety margin before its URL dies", () => {
            expect(DEFAULT_REDIRECT_SAFETY_MARGIN_SECONDS).to.equal(30);
            expect(redirectLifetime(300, settings())).to.equal(270);
            expect(redirectLifetime(100, settings({ redirectSafetyMarginSeconds: 10 }))).to.equal(90);
            expect(redirectLifetime(300, settings({ maxTtlSeconds: 60 }))).to.equal(60);
            expect(cacheControlFor(redirectLifetime(20, settings()))).to.equal("no-store");
        });
    });
});
