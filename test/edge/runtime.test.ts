import { expect } from "chai";
import { handleEdgeEvent } from "../../edge/handler";
import { attemptTimeoutMs, createEdgeDeps, executionRegionFromEnv, negativeMemoSeconds } from "../../edge/runtime";
import { useEnv } from "../../local/aws";
import { goodItem, HASH, itemsStore, OTHER_HASH, requestEvent, settings, testDeps } from "./fixtures";

describe("edge runtime (what the factory builds per container)", () => {
    it("builds a presigner in redirect mode only", () => {
        expect(createEdgeDeps(settings({ mode: "origin" })).presigner).to.equal(undefined);
        expect(createEdgeDeps(settings({ mode: "redirect" })).presigner).to.have.property("presign");
    });

    it("builds a memo unless memoMaxEntries is 0", () => {
        expect(createEdgeDeps(settings({ memoMaxEntries: 0 })).memo).to.equal(undefined);
        expect(createEdgeDeps(settings({ memoMaxEntries: 5 })).memo?.size()).to.equal(0);
    });

    it("reads the role's credentials from the environment on every call, never once for all", () => {
        const deps = createEdgeDeps(settings());
        const restore = useEnv({ AWS_ACCESS_KEY_ID: "AKID1", AWS_SECRET_ACCESS_KEY: "secret1", AWS_SESSION_TOKEN: undefined });
        try {
            expect(deps.credentials()).to.deep.equal({ accessKeyId: "AKID1", secretAccessKey: "secret1" });
            Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKID2", AWS_SECRET_ACCESS_KEY: "secret2", AWS_SESSION_TOKEN: "token2" });
            expect(deps.credentials()).to.deep.equal({ accessKeyId: "AKID2", secretAccessKey: "secret2", sessionToken: "token2" });
            delete process.env.AWS_SECRET_ACCESS_KEY;
            expect(deps.credentials()).to.equal(undefined);
        } finally {
            restore();
        }
    });

    it("derives the optional knobs' defaults", () => {
        expect(attemptTimeoutMs(settings({ lookupTimeoutMs: 3000 }))).to.equal(1500);
        expect(attemptTimeoutMs(settings({ lookupTimeoutMs: 3000, lookupAttemptTimeoutMs: 800 }))).to.equal(800);
        expect(negativeMemoSeconds(settings({ memoTtlSeconds: 60, notFoundTtlSeconds: 10 }))).to.equal(10);
        expect(negativeMemoSeconds(settings({ memoTtlSeconds: 0, notFoundTtlSeconds: 10 }))).to.equal(0);
        expect(negativeMemoSeconds(settings({ memoNegativeTtlSeconds: 3 }))).to.equal(3);
    });

    describe("the read plan it follows (core/read-plan.ts)", () => {
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
});
