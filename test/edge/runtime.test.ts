import { expect } from "chai";
import { attemptTimeoutMs, createEdgeDeps, negativeMemoSeconds } from "../../edge/runtime";
import { useEnv } from "../../local/aws";
import { settings } from "./fixtures";

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
});
