/**
 * The read plan (core/read-plan.ts): which copies of the table a container
 * reads, in which order, from its settings and the region it runs in; home
 * only at secured unless securedReads is nearest, home only when the region
 * is unknown, and the lookup budget split so home always keeps half. The
 * container that follows the plan is tested in test/edge/runtime.test.ts,
 * the distances it ranks by in test/core/regions.test.ts.
 */
import { expect } from "chai";
import { readPlan, replicaDeadlineMs } from "../../core/read-plan";
import { settings } from "../edge/fixtures";

describe("read plan (core/read-plan.ts: which copies a container reads, in which order)", () => {
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
