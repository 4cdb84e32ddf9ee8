/**
 * Where AWS regions are and which run the edge (core/regions.ts): the
 * distance table the read plan ranks copies by, great-circle distances that
 * are zero to a region itself, symmetric and close to published city
 * distances, an unknown region refused rather than guessed.
 */
import { expect } from "chai";
import { isKnownRegion, REGION_LOCATIONS, REGIONAL_EDGE_CACHE_REGIONS, regionDistanceKm } from "../../core/regions";

describe("AWS regions (core/regions.ts)", () => {
    describe("the distance table", () => {
        it("knows every region with a regional edge cache", () => {
            for (const region of REGIONAL_EDGE_CACHE_REGIONS) expect(isKnownRegion(region), region).to.equal(true);
            expect(REGIONAL_EDGE_CACHE_REGIONS).to.have.length(13);
        });

        it("measures great-circle distances: zero to itself, symmetric, close to published city distances", () => {
            expect(regionDistanceKm("eu-west-1", "eu-west-1")).to.equal(0);
            expect(regionDistanceKm("ap-southeast-2", "eu-west-1")).to.equal(regionDistanceKm("eu-west-1", "ap-southeast-2"));
            // London–Frankfurt about 640 km; Sydney–Dublin about 17,200 km; Tokyo–Seoul about 1,160 km.
            expect(regionDistanceKm("eu-west-2", "eu-central-1")).to.be.within(600, 680);
            expect(regionDistanceKm("ap-southeast-2", "eu-west-1")).to.be.within(17000, 17400);
            expect(regionDistanceKm("ap-northeast-1", "ap-northeast-2")).to.be.within(1100, 1220);
        });

        it("rejects a region it does not know instead of guessing", () => {
            expect(() => regionDistanceKm("eu-west-1", "xx-nowhere-1")).to.throw("xx-nowhere-1");
            expect(isKnownRegion("__proto__")).to.equal(false);
            expect(Object.values(REGION_LOCATIONS).every((location) => Math.abs(location.lat) <= 90 && Math.abs(location.lon) <= 180)).to.equal(true);
        });
    });
});
