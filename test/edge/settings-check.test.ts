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

    describe("replicas and securedReads", () => {
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
