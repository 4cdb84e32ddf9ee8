import { expect } from "chai";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../../core/regions";
import { readPlan, replicaDeadlineMs } from "../../core/read-plan";
import { isKnownRegion, REGION_LOCATIONS, regionDistanceKm } from "../../core/regions";
import { assertEdgeSettings, settingsProblems } from "../../edge/settings-check";
import { createEdgeDeps, executionRegionFromEnv } from "../../edge/runtime";
import { handleEdgeEvent } from "../../edge/handler";
import { goodItem, HASH, itemsStore, OTHER_HASH, requestEvent, settings, testDeps } from "../edge/fixtures";

describe("edge read plan (which copies a container reads, in which order)", () => {
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

    describe("order", () => {
        const replicated = settings({ tableRegion: "eu-west-1", replicaRegions: ["us-east-1", "ap-southeast-2", "ap-northeast-1"] });

        it("reads the replica in its own region first, then the others nearer than home, nearest first", () => {
            expect(readPlan(replicated, "ap-southeast-2").replicas).to.deep.equal(["ap-southeast-2", "ap-northeast-1", "us-east-1"]);
            expect(readPlan(replicated, "ap-northeast-1").replicas).to.deep.equal(["ap-northeast-1", "ap-southeast-2"]);
        });

        it("never reads a replica farther than home, and at home reads home only", () => {
            expect(readPlan(replicated, "eu-west-2").replicas).to.deep.equal([]);
            expect(readPlan(replicated, "eu-west-1").replicas).to.deep.equal([]);
            expect(readPlan(replicated, "us-east-2").replicas).to.deep.equal(["us-east-1"]);
        });

        it("reads home only when it cannot tell where it runs", () => {
            expect(readPlan(replicated, undefined)).to.deep.equal({ replicas: [], homeConsistentOnly: false });
            expect(readPlan(replicated, "xx-nowhere-1")).to.deep.equal({ replicas: [], homeConsistentOnly: false });
        });

        it("secured reads home with one consistent read unless securedReads is nearest", () => {
            expect(readPlan({ ...replicated, level: "secured" }, "ap-southeast-2")).to.deep.equal({ replicas: [], homeConsistentOnly: true });
            expect(readPlan(settings({ level: "secured" }), "eu-west-1")).to.deep.equal({ replicas: [], homeConsistentOnly: true });
            expect(readPlan({ ...replicated, level: "secured", securedReads: "nearest" }, "ap-southeast-2")).to.deep.equal({
                replicas: ["ap-southeast-2", "ap-northeast-1", "us-east-1"],
                homeConsistentOnly: false,
            });
        });

        it("secured with securedReads nearest but no replica to read still reads home with one consistent read", () => {
            const nearest = settings({ level: "secured", securedReads: "nearest" });
            expect(readPlan(nearest, "eu-west-1"), "no replicas at all").to.deep.equal({ replicas: [], homeConsistentOnly: true });
            expect(readPlan(nearest, "ap-southeast-2"), "no replicas, far from home").to.deep.equal({ replicas: [], homeConsistentOnly: true });
            const securedReplicated = { ...replicated, level: "secured" as const, securedReads: "nearest" as const };
            expect(readPlan(securedReplicated, "eu-west-2"), "every replica farther than home").to.deep.equal({ replicas: [], homeConsistentOnly: true });
            expect(readPlan(securedReplicated, undefined), "execution region unknown").to.deep.equal({ replicas: [], homeConsistentOnly: true });
            // required keeps its eventually consistent first read at home (a miss is confirmed consistently).
            expect(readPlan(settings(), "eu-west-1"), "required, no replicas").to.deep.equal({ replicas: [], homeConsistentOnly: false });
            expect(readPlan(replicated, "eu-west-2"), "required, every replica farther than home").to.deep.equal({ replicas: [], homeConsistentOnly: false });
        });

        it("splits the budget: the replicas share its first half, so home always keeps the second", () => {
            expect([0, 1, 2].map((index) => replicaDeadlineMs(3000, index, 3))).to.deep.equal([500, 1000, 1500]);
            expect(replicaDeadlineMs(3000, 0, 1)).to.equal(1500);
        });
    });

    describe("the container", () => {
        it("learns its region from AWS_REGION once, and builds a store for each replica its plan reads", () => {
            expect(executionRegionFromEnv({ AWS_REGION: "ap-southeast-2" })).to.equal("ap-southeast-2");
            expect(executionRegionFromEnv({})).to.equal(undefined);
            const built: string[] = [];
            const deps = createEdgeDeps(settings({ tableRegion: "eu-west-1", replicaRegions: ["us-east-1", "ap-southeast-2"] }), {
                executionRegion: "us-west-2",
                storeFor: (region, home) => {
                    built.push(`${region}${home ? " (home)" : ""}`);
                    return { read: async () => ({ ok: true, item: undefined, attempts: 1 }) };
                },
            });
            expect(built).to.deep.equal(["eu-west-1 (home)", "us-east-1"]);
            expect(deps.replicated?.replicas.map((copy) => copy.region)).to.deep.equal(["us-east-1"]);
            expect(createEdgeDeps(settings(), { executionRegion: "us-west-2" }).replicated, "no replicas, no replicated reads").to.equal(undefined);
        });
        it("secured with securedReads nearest and no replicas sends one consistent read to home, for a hit and for a miss", async () => {
            const nearest = settings({ level: "secured", securedReads: "nearest", memoTtlSeconds: 0 });
            const { store, calls } = itemsStore({ [HASH]: goodItem() });
            const deps = testDeps(store, { settings: nearest });
            await handleEdgeEvent(requestEvent("viewer-request"), deps);
            await handleEdgeEvent(requestEvent("viewer-request", { uri: `/images/${OTHER_HASH}` }), deps);
            expect(deps.lines.map((line) => line.outcome)).to.deep.equal(["rewritten", "not_found"]);
            expect(calls.map((call) => call.consistent), "reads sent, consistent or not").to.deep.equal([true, true]);
        });
    });

    describe("settings", () => {
        it("accepts replica regions it can rank, and securedReads for secured", () => {
            expect(() => assertEdgeSettings(settings({ replicaRegions: ["us-east-1", "ap-southeast-2"] }))).not.to.throw();
            expect(() => assertEdgeSettings(settings({ level: "secured", securedReads: "nearest", replicaRegions: ["us-east-1"] }))).not.to.throw();
        });

        it("names each problem with replicaRegions, securedReads and the replica endpoints", () => {
            expect(settingsProblems(settings({ tableRegion: "eu-west-1", replicaRegions: ["us-east-1", "eu-west-1", "us-east-1", "mars-north-1"] }))).to.deep.equal([
                "replicaRegions[1] is the home region eu-west-1: the home table is always read",
                "replicaRegions[2] repeats us-east-1",
                'replicaRegions[3] must be a commercial AWS region code (core/regions.ts), got "mars-north-1"',
            ]);
            expect(settingsProblems(settings({ securedReads: "nearest" }))).to.deep.equal(["securedReads applies to level secured only"]);
            expect(settingsProblems(settings({ level: "secured", securedReads: "closest" as never }))).to.deep.equal(["securedReads must be one of home, nearest"]);
            expect(settingsProblems(settings({ replicaRegions: "us-east-1" as never }))).to.deep.equal(["replicaRegions must be a list of region names"]);
            expect(settingsProblems(settings({ tableRegion: "us-gov-west-1", replicaRegions: ["us-east-1"] }))).to.deep.equal([
                "replicaRegions need a home region with a known location (tableRegion us-gov-west-1)",
            ]);
            expect(
                settingsProblems(settings({ replicaRegions: ["us-east-1"], endpoints: { dynamodbReplicas: { "us-east-1": "ftp://x", "ap-south-1": "http://127.0.0.1:1" } } })),
            ).to.deep.equal(["endpoints.dynamodbReplicas.ap-south-1: not one of replicaRegions", "endpoints.dynamodbReplicas.us-east-1: endpoint must be http or https: ftp://x"]);
        });
    });
});
