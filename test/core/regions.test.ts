/**
 * Where AWS regions are and which run the edge (core/regions.ts): the
 * distance table the read plan ranks copies by, great-circle distances that
 * are zero to a region itself, symmetric, close to published city distances
 * and above zero between any two regions, an unknown region refused rather
 * than guessed; and the regions each price class runs the edge in.
 */
import { expect } from "chai";
import { PRICE_CLASSES } from "../../core/enums";
import { isRegionName } from "../../core/limits";
import { edgeRegionsOf, isKnownRegion, REGION_LOCATIONS, REGIONAL_EDGE_CACHE_REGIONS, regionDistanceKm } from "../../core/regions";

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

        it("names the unknown region whichever side it is on, and knows only region codes it lists", () => {
            expect(() => regionDistanceKm("xx-nowhere-1", "eu-west-1")).to.throw("xx-nowhere-1");
            for (const value of [undefined, 7, "", "EU-WEST-1", "toString"]) expect(isKnownRegion(value), String(value)).to.equal(false);
            expect(Object.keys(REGION_LOCATIONS).filter((region) => !isRegionName(region)), "keys that are not region codes").to.deep.equal([]);
        });

        it("ranks every pair: a distance above zero between two regions, never more than half the Earth's circumference", () => {
            const regions = Object.keys(REGION_LOCATIONS);
            const halfCircumferenceKm = Math.PI * 6371.0088;
            const wrong: string[] = [];
            for (const from of regions) {
                for (const to of regions) {
                    const km = regionDistanceKm(from, to);
                    if (from !== to && !(km > 0 && km <= halfCircumferenceKm)) wrong.push(`${from} → ${to}: ${km}`);
                }
            }
            expect(wrong).to.deep.equal([]);
        });
    });

    describe("where the edge runs", () => {
        it("each price class's edge regions: its regional edge caches (PriceClass_200 adds Asia and the Middle East, All adds Australia and South America)", () => {
            const northAmericaAndEurope = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"];
            expect([...edgeRegionsOf("PriceClass_100")]).to.have.members(northAmericaAndEurope);
            expect([...edgeRegionsOf("PriceClass_200")]).to.have.members([...northAmericaAndEurope, "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1"]);
            expect([...edgeRegionsOf("PriceClass_All")]).to.have.members([...northAmericaAndEurope, "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"]);
            for (const priceClass of PRICE_CLASSES) expect(edgeRegionsOf(priceClass), priceClass).to.include("us-east-1");
        });
    });
});
