import { expect } from "chai";
import { assertEdgeSettings, settingsProblems } from "../../edge/settings-check";
import type { EdgeSettings } from "../../core/edge-settings";
import { settings } from "./fixtures";

describe("edge settings check", () => {
    it("accepts the settings the component builds, for every level and mode", () => {
        for (const level of ["required", "secured"] as const) {
            for (const mode of ["origin", "redirect"] as const) expect(settingsProblems(settings({ level, mode })), `${level}/${mode}`).to.deep.equal([]);
        }
        expect(settingsProblems(settings({ endpoints: { dynamodb: "http://127.0.0.1:8000", s3: "http://127.0.0.1:4569" } }))).to.deep.equal([]);
    });

    it("names each problem", () => {
        const bad = {
            ...settings(),
            level: "public",
            tableRegion: "Ireland",
            bucket: "Bad_Bucket",
            signedUrlTtlSeconds: 604801,
            defaultTtlSeconds: 10,
            maxTtlSeconds: 5,
            lookupTimeoutMs: 0,
            memoMaxEntries: -1,
            endpoints: { s3: "ftp://x" },
        } as unknown as EdgeSettings;
        const problems = settingsProblems(bad);
        for (const word of ["level", "tableRegion", "bucket", "signedUrlTtlSeconds", "defaultTtlSeconds must not exceed", "lookupTimeoutMs", "memoMaxEntries", "endpoints.s3"]) {
            expect(problems.join("\n")).to.include(word);
        }
        expect(() => assertEdgeSettings(bad)).to.throw(/invalid edge settings for chat: .*level/);
    });

    it("refuses a presigned URL life past 600 s, inside the edge role's credentials (the component's cap, checked again here)", () => {
        expect(settingsProblems(settings({ mode: "redirect", signedUrlTtlSeconds: 600 }))).to.deep.equal([]);
        expect(settingsProblems(settings({ mode: "redirect", signedUrlTtlSeconds: 601 }))).to.deep.equal([
            "signedUrlTtlSeconds must be at most 600: the edge signs with its role's temporary credentials, and a presigned URL stops working when they expire",
        ]);
        expect(settingsProblems(settings({ mode: "redirect", signedUrlTtlSeconds: 0 }))).to.deep.equal(["signedUrlTtlSeconds must be a whole number from 1 to 600"]);
    });

    it("keeps a secured lookup inside the 5 s viewer-request timeout", () => {
        expect(settingsProblems(settings({ level: "secured", lookupTimeoutMs: 4500 }))).to.have.length(1);
        expect(settingsProblems(settings({ level: "required", lookupTimeoutMs: 20000 }))).to.deep.equal([]);
        expect(settingsProblems(settings({ lookupTimeoutMs: 1000, lookupAttemptTimeoutMs: 2000 }))).to.have.length(1);
    });
});
