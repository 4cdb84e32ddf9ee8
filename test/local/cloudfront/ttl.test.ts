import { expect } from "chai";
import type { HeaderList } from "../../../local/cloudfront/headers";
import { cacheLifetimeSeconds, CachePolicyTtls, parseCacheControl } from "../../../local/cloudfront/ttl";

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const POLICY: CachePolicyTtls = { minTtl: 0, defaultTtl: 86400, maxTtl: 2592000 };
const MIN_POLICY: CachePolicyTtls = { minTtl: 60, defaultTtl: 86400, maxTtl: 2592000 };

function cc(value: string): HeaderList {
    return [["Cache-Control", value]];
}

function ttl(status: number, headers: HeaderList, policy = POLICY, errors: Record<number, number> = {}): number | undefined {
    return cacheLifetimeSeconds(status, headers, policy, errors, NOW);
}

describe("local CloudFront emulator: cache lifetimes (pure)", () => {
    describe("Cache-Control parsing", () => {
        it("reads max-age, s-maxage and the no-store/no-cache/private flags, case-insensitively", () => {
            expect(parseCacheControl("Public, MAX-AGE=60, s-maxage=30")).to.deep.equal({ maxAge: 60, sMaxAge: 30, noStore: false, noCache: false, private: false });
            expect(parseCacheControl("no-store, no-cache, private")).to.include({ noStore: true, noCache: true, private: true });
            expect(parseCacheControl('private="set-cookie"')).to.include({ private: true });
        });
        it("ignores malformed numbers instead of guessing", () => {
            expect(parseCacheControl("max-age=ten").maxAge).to.equal(undefined);
            expect(parseCacheControl("max-age=-5").maxAge).to.equal(undefined);
            expect(parseCacheControl("max-age=1.5").maxAge).to.equal(undefined);
            expect(parseCacheControl(undefined)).to.deep.equal({ noStore: false, noCache: false, private: false });
        });
    });

    describe("successful responses", () => {
        it("uses the default TTL when the origin says nothing", () => {
            expect(ttl(200, [])).to.equal(86400);
            expect(ttl(200, [], { minTtl: 0, defaultTtl: 0, maxTtl: 0 })).to.equal(0);
        });
        it("uses max-age, capped by the maximum TTL", () => {
            expect(ttl(200, cc("max-age=600"))).to.equal(600);
            expect(ttl(200, cc("max-age=99999999"))).to.equal(2592000);
        });
        it("prefers s-maxage over max-age for the shared cache", () => {
            expect(ttl(200, cc("max-age=600, s-maxage=30"))).to.equal(30);
        });
        it("raises a short lifetime to the minimum TTL when the minimum is positive", () => {
            expect(ttl(200, cc("max-age=10"), MIN_POLICY)).to.equal(60);
            expect(ttl(200, cc("max-age=600"), MIN_POLICY)).to.equal(600);
        });
        it("does not store no-store, no-cache or private responses with a minimum TTL of 0", () => {
            for (const directive of ["no-store", "no-cache", "private", "max-age=600, no-store"]) {
                expect(ttl(200, cc(directive)), directive).to.equal(undefined);
            }
        });
        it("caches them for the minimum TTL when it is positive (why guarded levels require 0)", () => {
            expect(ttl(200, cc("no-store"), MIN_POLICY)).to.equal(60);
        });
        it("uses Expires when there is no max-age, and max-age when there are both", () => {
            const inTenMinutes = new Date(NOW + 600_000).toUTCString();
            expect(ttl(200, [["Expires", inTenMinutes]])).to.equal(600);
            expect(ttl(200, [["Expires", inTenMinutes], ["Cache-Control", "max-age=30"]])).to.equal(30);
            expect(ttl(200, [["Expires", "0"]])).to.equal(0);
            expect(ttl(200, [["Expires", new Date(NOW - 1000).toUTCString()]])).to.equal(0);
        });
        it("treats a redirect like any other cacheable response", () => {
            expect(ttl(302, cc("max-age=240"))).to.equal(240);
            expect(ttl(302, cc("no-store"))).to.equal(undefined);
        });
    });

    describe("errors", () => {
        it("always caches 404, 414 and 500-504, for the error caching minimum TTL (10 s unless configured)", () => {
            // CloudFront Developer Guide, "Control how long CloudFront caches errors": 10 seconds by default.
            for (const status of [404, 414, 500, 501, 502, 503, 504]) expect(ttl(status, []), String(status)).to.equal(10);
            expect(ttl(404, [], POLICY, { 404: 30 })).to.equal(30);
        });
        it("takes the greater of the configured minimum and the response's own lifetime", () => {
            expect(ttl(404, cc("max-age=120"), POLICY, { 404: 10 })).to.equal(120);
            expect(ttl(404, cc("max-age=5"), POLICY, { 404: 10 })).to.equal(10);
        });
        it("keeps an error the configured minimum even when it says no-store (only the minimum applies)", () => {
            expect(ttl(404, cc("no-store"), POLICY, { 404: 10 })).to.equal(10);
        });
        it("does not store an error whose lifetime comes to 0 (e.g. 5xx configured to 0 s)", () => {
            expect(ttl(503, [], POLICY, { 503: 0 })).to.equal(undefined);
            expect(ttl(503, cc("no-store"), POLICY, { 503: 0 })).to.equal(undefined);
        });
        it("caches 400, 403, 405, 412 and 415 only when the response has max-age or s-maxage", () => {
            for (const status of [400, 403, 405, 412, 415]) {
                expect(ttl(status, []), String(status)).to.equal(undefined);
                expect(ttl(status, cc("max-age=60")), String(status)).to.equal(60);
            }
            expect(ttl(403, cc("s-maxage=60"), POLICY, { 403: 60 })).to.equal(60);
        });
        it("never caches other error statuses", () => {
            for (const status of [401, 410, 429]) expect(ttl(status, cc("max-age=600")), String(status)).to.equal(undefined);
        });
        it("caps an error's own lifetime at the maximum TTL", () => {
            expect(ttl(404, cc("max-age=999999"), { minTtl: 0, defaultTtl: 60, maxTtl: 300 })).to.equal(300);
        });
    });
});
