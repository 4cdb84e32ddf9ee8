import { expect } from "chai";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../../core/regions";
import {
    chooseReplicas,
    COLD_ROUND_TRIPS,
    combinations,
    costPerMillionViews,
    DYNAMO_SERVICE_MS,
    fewestReplicasForGoals,
    IN_REGION_RTT_MS,
    ISSUE_WRITE_UNITS,
    modelLayout,
    modelLookup,
    modelUnreplicatedWarmMs,
    PRICES,
    REPLICA_INDEX_WRITE_UNITS,
    REPLICATED_ITEM_WRITES,
    roundTripMs,
    TrafficPerView,
} from "../../bench/global-model";
import { regionDistanceKm } from "../../core/regions";

describe("global latency and cost model (bench/global-model.ts)", () => {
    it("turns distance into round trips: in-region floor, symmetric, 1.5 route factor over 200 km/ms", () => {
        expect(roundTripMs("eu-west-1", "eu-west-1")).to.equal(IN_REGION_RTT_MS);
        expect(roundTripMs("eu-west-1", "ap-southeast-2")).to.equal(roundTripMs("ap-southeast-2", "eu-west-1"));
        expect(roundTripMs("eu-west-1", "us-east-1")).to.be.closeTo(IN_REGION_RTT_MS + (2 * regionDistanceKm("eu-west-1", "us-east-1") * 1.5) / 200, 1e-9);
    });

    it("reads the copy the edge's read plan picks; cold is three round trips, warm one", () => {
        const sydney = modelLookup("ap-southeast-2", "eu-west-1", ["us-east-1", "ap-southeast-2"]);
        expect(sydney.copy).to.equal("ap-southeast-2");
        const ohio = modelLookup("us-east-2", "eu-west-1", ["us-east-1"]);
        expect(ohio.copy).to.equal("us-east-1");
        expect(ohio.warmMs).to.equal(ohio.rttMs + DYNAMO_SERVICE_MS);
        expect(ohio.coldMs).to.equal(COLD_ROUND_TRIPS * ohio.rttMs + DYNAMO_SERVICE_MS);
        expect(modelLookup("eu-west-2", "eu-west-1", ["us-east-1"]).copy, "home is nearer than any replica").to.equal("eu-west-1");
        expect(modelUnreplicatedWarmMs("us-east-2", "eu-west-1", ["us-east-1"])).to.equal(ohio.warmMs + roundTripMs("us-east-2", "eu-west-1") + DYNAMO_SERVICE_MS);
    });

    it("chooses replicas among the other edge-cache regions, never the home region, and more replicas never meet fewer goals", () => {
        expect(combinations([1, 2, 3, 4], 2)).to.have.length(6);
        const three = chooseReplicas("eu-west-1", 3);
        expect(three).to.have.length(3);
        expect(three).not.to.include("eu-west-1");
        for (const region of three) expect(REGIONAL_EDGE_CACHE_REGIONS as readonly string[]).to.include(region);
        const met = [0, 1, 2, 3, 4].map((count) => modelLayout("eu-west-1", chooseReplicas("eu-west-1", count)).meetingGoals);
        for (let i = 1; i < met.length; i++) expect(met[i], `${i} replicas`).to.be.at.least(met[i - 1]);
        const fewest = fewestReplicasForGoals("eu-west-1");
        expect(fewest && modelLayout("eu-west-1", fewest.replicas).meetingGoals).to.equal(13);
        expect(fewest && modelLayout("eu-west-1", chooseReplicas("eu-west-1", fewest.count - 1)).meetingGoals).to.be.below(13);
    });

    it("prices a million views: replicas add exactly their replicated and index writes; redirect pays S3 for every view", () => {
        const traffic: TrafficPerView = { hitRatio: 0.75, lookups: 0.25, responseRuns: 0.2, reads: 0.25, originFetches: 0.2, issues: 0.1 };
        const one = costPerMillionViews("one", traffic, { lookupMs: 100, replicas: 0 });
        const three = costPerMillionViews("three", traffic, { lookupMs: 100, replicas: 3 });
        const perIssue = 3 * (REPLICATED_ITEM_WRITES * PRICES.dynamoPerReplicatedWriteUnit + REPLICA_INDEX_WRITE_UNITS * PRICES.dynamoPerWriteUnit);
        expect(three.dynamoWrites - one.dynamoWrites).to.be.closeTo(1_000_000 * 0.1 * perIssue, 1e-9);
        expect(one.dynamoWrites).to.be.closeTo(1_000_000 * 0.1 * ISSUE_WRITE_UNITS * PRICES.dynamoPerWriteUnit, 1e-9);
        expect(one.cloudfront).to.be.closeTo(1, 1e-9);
        expect(one.s3Gets).to.be.closeTo(200_000 * PRICES.s3PerGet, 1e-9);
        const faster = costPerMillionViews("near", traffic, { lookupMs: 5, replicas: 0 });
        expect(faster.lambdaDuration).to.be.below(one.lambdaDuration);
        const redirect = costPerMillionViews("redirect", { ...traffic, lookups: 1, responseRuns: 0, originFetches: 1 }, { lookupMs: 100, replicas: 0, redirect: true });
        expect(redirect.s3Gets).to.be.closeTo(1_000_000 * PRICES.s3PerGet, 1e-9);
        expect(redirect.dataTransfer).to.be.above(one.dataTransfer);
    });
});
