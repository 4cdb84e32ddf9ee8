/**
 * test/components/support/shared-deploy.ts: one deployment per key, shared
 * by every test that asks; different keys apart; a failure reported to every
 * asker; shared deployments read-only; nothing kept past the suite that made
 * the memo. The deployments are real mocked ones (a bucket each), so what is
 * frozen is what the component tests read.
 */
import { expect } from "chai";
import * as aws from "../../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { deepFreeze, sharedDeploys, stableKey } from "./shared-deploy";
import { deploy, single, T } from "./mocks";
import { rejection } from "../../support/rejection";

/** A deployment of one bucket named `name`, counted in `runs`. */
function bucketStack(runs: string[]) {
    return (name: string, config: Record<string, string> = {}) => {
        runs.push(name);
        return deploy(() => {
            const bucket = new aws.s3.Bucket(name, { tags: { owner: "tests" } });
            return { bucket: bucket.bucket, configuredRegion: new pulumi.Config("aws").get("region") ?? "none" };
        }, config);
    };
}

describe("sharedDeploys: a deployment shared by the tests that read it", () => {
    describe("one deployment per key", () => {
        const runs: string[] = [];
        const shared = sharedDeploys(bucketStack(runs));
        const EAST = { "aws:region": "us-east-1", "secure-image-cdn:services": '["chat"]' };

        it("the same args, asked at once or later, get one deployment: the very same object", async () => {
            const [first, second] = await Promise.all([shared("alpha", EAST), shared("alpha", { ...EAST })]);
            const later = await shared("alpha", EAST);
            expect(second).to.equal(first);
            expect(later).to.equal(first);
            expect(runs.filter((name) => name === "alpha")).to.deep.equal(["alpha"]);
            expect(first.outputs.configuredRegion).to.equal("us-east-1");
        });

        it("the same object keys in another order are the same args", async () => {
            const reordered = { "secure-image-cdn:services": '["chat"]', "aws:region": "us-east-1" };
            expect(Object.keys(reordered)).to.not.deep.equal(Object.keys(EAST));
            expect(await shared("alpha", reordered)).to.equal(await shared("alpha", EAST));
            expect(runs.filter((name) => name === "alpha")).to.deep.equal(["alpha"]);
        });

        it("different args never collide: each deploys once, its own", async () => {
            const alpha = await shared("alpha", EAST);
            const otherName = await shared("beta", EAST);
            const otherConfig = await shared("alpha", { ...EAST, "aws:region": "ap-south-1" });
            const noConfig = await shared("alpha");
            expect(new Set([alpha, otherName, otherConfig, noConfig]).size).to.equal(4);
            expect(single(otherName.resources, T.bucket).name).to.equal("beta");
            expect([alpha, otherConfig, noConfig].map((deployment) => deployment.outputs.configuredRegion)).to.deep.equal(["us-east-1", "ap-south-1", "none"]);
            expect([...runs].sort()).to.deep.equal(["alpha", "alpha", "alpha", "beta"]);
            expect(shared.size).to.equal(4);
        });

        const programs: string[] = [];
        const byLabel = sharedDeploys(
            (label: string, program: () => Record<string, unknown>) => {
                programs.push(label);
                return deploy(program);
            },
            { key: (label) => label },
        );

        it("an explicit key names deployments whose args cannot be serialized (a program), and keeps them apart", async () => {
            const first = await byLabel("one", () => ({ n: 1 }));
            expect(await byLabel("one", () => ({ n: 99 })), "a key names a deployment, not the closure").to.equal(first);
            expect((await byLabel("two", () => ({ n: 2 }))).outputs).to.deep.equal({ n: 2 });
            expect(first.outputs).to.deep.equal({ n: 1 });
            expect(programs).to.deep.equal(["one", "two"]);
        });
    });

    describe("a failed deployment", () => {
        let runs = 0;
        const failing = sharedDeploys((message: string) => {
            runs += 1;
            return deploy(() => {
                throw new Error(message);
            });
        });

        it("fails the test that asks first", async () => {
            expect((await rejection(failing("no bucket today"), Error)).message).to.equal("no bucket today");
            expect(runs).to.equal(1);
        });

        it("fails every later test that asks, with the same error, and is not run again", async () => {
            const [first, second] = await Promise.all([rejection(failing("no bucket today"), Error), rejection(failing("no bucket today"), Error)]);
            expect(second).to.equal(first);
            expect(first.message).to.equal("no bucket today");
            expect(runs, "one run, whichever test asked first").to.equal(1);
        });

        it("fails only its own key", async () => {
            expect((await rejection(failing("another failure"), Error)).message).to.equal("another failure");
            expect((await rejection(failing("no bucket today"), Error)).message).to.equal("no bucket today");
            expect(runs).to.equal(2);
        });
    });

    describe("read-only", () => {
        const runs: string[] = [];
        const shared = sharedDeploys(bucketStack(runs));

        it("a shared deployment is frozen throughout: a test that writes to it throws, and the next reads it as it was", async () => {
            const deployment = await shared("gamma");
            const bucket = single(deployment.resources, T.bucket);
            for (const [what, value] of Object.entries({ deployment, resources: deployment.resources, bucket, inputs: bucket.inputs, tags: bucket.inputs.tags, state: bucket.state, outputs: deployment.outputs, calls: deployment.calls, warnings: deployment.warnings })) {
                expect(Object.isFrozen(value), what).to.equal(true);
            }
            expect(() => deployment.resources.push(bucket)).to.throw(TypeError);
            expect(() => {
                (bucket.inputs.tags as Record<string, string>).owner = "someone else";
            }).to.throw(TypeError);
            expect(() => {
                delete bucket.state.bucket;
            }).to.throw(TypeError);
            expect(() => {
                (deployment.outputs as Record<string, unknown>).bucket = "another";
            }).to.throw(TypeError);
            const again = await shared("gamma");
            expect(single(again.resources, T.bucket).inputs.tags).to.deep.equal({ owner: "tests" });
            expect(again.resources).to.have.length(1);
            expect(runs).to.deep.equal(["gamma"]);
        });

        it("deepFreeze reaches every object through own properties, shared ones and cycles included, and refuses what freezing cannot protect", () => {
            const common = { level: "required" };
            const cyclic: { self?: unknown; list: unknown[] } = { list: [common, [common]] };
            cyclic.self = cyclic;
            const pending = Promise.resolve({ inner: 1 });
            expect(deepFreeze({ cyclic, pending })).to.have.property("cyclic", cyclic);
            expect([cyclic, cyclic.list, cyclic.list[1], common, pending].every((item) => Object.isFrozen(item))).to.equal(true);
            expect(() => deepFreeze({ outputs: { byRegion: new Map() } })).to.throw(TypeError, /^deployment\.outputs\.byRegion is a Map, which freezing does not make read-only/);
            expect(() => deepFreeze({ code: [Buffer.from("x")] })).to.throw(TypeError, /^deployment\.code\.0 is a Buffer/);
            expect(() => deepFreeze({ at: new Date(0) })).to.throw(TypeError, /is a Date/);
        });
    });

    describe("keys", () => {
        const byProgram = sharedDeploys((program: () => void) => deploy(program));

        it("equal plain data is one key whatever the order of object keys; any difference is another", () => {
            expect(stableKey([{ service: "chat", alarms: { edgeRegions: ["us-east-1"], enabled: true } }])).to.equal(stableKey([{ alarms: { enabled: true, edgeRegions: ["us-east-1"] }, service: "chat" }]));
            const different: unknown[] = [
                [{ service: "chat" }],
                [{ service: "chat", level: undefined }],
                [{ service: "chat", level: null }],
                [{ service: "chat" }, undefined],
                [{ service: "chat" }, {}],
                ["chat", { service: "chat" }],
                [{ service: "chat", replicaRegions: ["us-east-1", "ap-southeast-2"] }],
                [{ service: "chat", replicaRegions: ["ap-southeast-2", "us-east-1"] }],
                [{ service: "chat", maxUploadBytes: 2048 }],
                [{ service: "chat", maxUploadBytes: "2048" }],
                [{ service: "chat", protectData: false }],
                [{ service: "chat", protectData: "false" }],
                [{ "a,b": 1 }],
                [{ a: 1, b: 1 }],
            ];
            const keys = different.map((args) => stableKey(args));
            expect(new Set(keys).size, keys.join("\n")).to.equal(different.length);
        });

        it("refuses what is not plain data, naming where it is", () => {
            expect(() => stableKey([{ service: "chat", certificateArn: pulumi.output("arn") }])).to.throw(TypeError, /^args\[0\]\.certificateArn is a \w+, not plain data: give the deployment an explicit key$/);
            expect(() => stableKey(["chat", () => undefined])).to.throw(TypeError, /^args\[1\] is a function, not plain data/);
            expect(() => stableKey([{ [Symbol("s")]: 1 }])).to.throw(TypeError, /^args\[0\] has symbol keys/);
            expect(() => byProgram(() => undefined)).to.throw(TypeError, /^args\[0\] is a function/);
            expect(byProgram.size).to.equal(0);
        });
    });

    describe("scope: nothing outlives the suite that made it", () => {
        const runs: string[] = [];
        let heldAfterSuite: (() => number) | undefined;

        describe("a suite with its own shared deployments", () => {
            const own = sharedDeploys(bucketStack(runs));
            heldAfterSuite = () => own.size;

            it("holds its deployment while its tests run", async () => {
                await own("delta");
                expect(own.size).to.equal(1);
            });
        });

        describe("after it", () => {
            const mine: string[] = [];
            const theirs: string[] = [];
            const first = sharedDeploys(bucketStack(mine));
            const second = sharedDeploys(bucketStack(theirs));

            it("once that suite has ended, its deployments are forgotten (its after hook cleared them)", () => {
                expect(runs, "the suite above ran first").to.deep.equal(["delta"]);
                expect(heldAfterSuite?.()).to.equal(0);
            });

            it("two memos never share, even for the same args: each test file makes its own", async () => {
                expect(await first("epsilon")).to.not.equal(await second("epsilon"));
                expect([mine, theirs]).to.deep.equal([["epsilon"], ["epsilon"]]);
            });
        });
    });
});
