/**
 * The settings an instance hands to the issuing library
 * (components/issuer-settings.ts), from resolved args and where the
 * instance's resources are: each field from the setting it stands for, a
 * public instance without a table or anything of the edge, a guarded one
 * with what a revocation needs to say when a hash stops, the locations
 * passed on as they are given (Outputs in the component); whether a
 * revocation waits for replication (the edge may read a replica), and the
 * invalidator's delay, recorded for `required` + `origin` only.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { issuerSettingsFor } from "../../components/issuer-settings";
import { resolveArgs } from "../../components/resolve-args";

describe("components/issuer-settings: the issuer's config of an instance", () => {
    const PLACEMENT = { region: "eu-central-1", bucket: "photos-bucket-1a2b3c4", cdnBaseUrl: "https://img.example.com", distributionId: "E2EXAMPLE" };

    it("a public instance: where its bucket and distribution are, the default hash life, its upload prefix and limit; no table, nothing of the edge", () => {
        const settings = resolveArgs({ service: "marketplace", level: "public", uploadPrefix: "listings/", maxUploadBytes: 5 * 1024 * 1024 });
        expect(issuerSettingsFor(settings, PLACEMENT)).to.deep.equal({
            service: "marketplace",
            level: "public",
            region: "eu-central-1",
            bucket: "photos-bucket-1a2b3c4",
            cdnBaseUrl: "https://img.example.com",
            distributionId: "E2EXAMPLE",
            hashTtlSeconds: 2592000,
            uploadPrefix: "listings/",
            maxUploadBytes: 5 * 1024 * 1024,
        });
    });

    it("a guarded instance in redirect mode: its table, and the mode, memo and signed URL lifetimes a revocation's answer is worked out from", () => {
        const settings = resolveArgs({ service: "photos", level: "secured", mode: "redirect", signedUrlTtlSeconds: 120, edge: { memoTtlSeconds: 20 } });
        expect(issuerSettingsFor(settings, { ...PLACEMENT, tableName: "photos-table-1a2b3c4" })).to.deep.include({
            tableName: "photos-table-1a2b3c4",
            mode: "redirect",
            memoTtlSeconds: 20,
            signedUrlTtlSeconds: 120,
        });
    });

    it("passes the locations on as it is given them: Outputs in the component", () => {
        const region = pulumi.output("eu-central-1");
        const tableName = pulumi.output("photos-table-1a2b3c4");
        const settings = issuerSettingsFor(resolveArgs({ service: "photos" }), { region, tableName, bucket: pulumi.output("b"), cdnBaseUrl: pulumi.output("https://c"), distributionId: pulumi.output("E1") });
        expect(settings.region).to.equal(region);
        expect(settings.tableName).to.equal(tableName);
    });

    describe("replicaReads: the edge may answer from a replica", () => {
        it("the component records it for required with replicas and secured reading nearest, never for secured reading home", () => {
            const placement = { region: "eu-west-1", tableName: "t-table", bucket: "b-bucket", cdnBaseUrl: "https://cdn.example.com", distributionId: "E123" };
            const settingsOf = (args: SecureImageCdnArgs) => issuerSettingsFor(resolveArgs(args, { homeRegion: "eu-west-1" }), placement);
            expect(settingsOf({ service: "chat", replicaRegions: ["us-east-1"] }).replicaReads).to.equal(true);
            expect(settingsOf({ service: "chat" })).not.to.have.property("replicaReads");
            expect(settingsOf({ service: "regulatory", level: "secured", replicaRegions: ["us-east-1"] })).not.to.have.property("replicaReads");
            expect(settingsOf({ service: "regulatory", level: "secured", replicaRegions: ["us-east-1"], edge: { securedReads: "nearest" } }).replicaReads).to.equal(true);
        });
    });

    describe("reinvalidateAfterSeconds: the invalidator follows the table", () => {
        it("the component records the invalidator's delay for required + origin only, from the edge's timeout", () => {
            const placement = { region: "eu-west-1", tableName: "t-table", bucket: "b-bucket", cdnBaseUrl: "https://cdn.example.com", distributionId: "E123" };
            const settingsOf = (args: SecureImageCdnArgs) => issuerSettingsFor(resolveArgs(args, { homeRegion: "eu-west-1" }), placement);
            expect(settingsOf({ service: "chat" }).reinvalidateAfterSeconds).to.equal(75);
            expect(settingsOf({ service: "chat", edge: { timeoutSeconds: 10, lookupTimeoutMs: 3000 } }).reinvalidateAfterSeconds, "both origin events run the function").to.equal(85);
            expect(settingsOf({ service: "chat", mode: "redirect" })).not.to.have.property("reinvalidateAfterSeconds");
            expect(settingsOf({ service: "regulatory", level: "secured" })).not.to.have.property("reinvalidateAfterSeconds");
            expect(settingsOf({ service: "marketplace", level: "public" })).not.to.have.property("reinvalidateAfterSeconds");
        });
    });
});
