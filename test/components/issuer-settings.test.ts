/**
 * The settings an instance hands to the issuing library
 * (components/issuer-settings.ts), from resolved args and where the
 * instance's resources are: whether a revocation waits for replication
 * (the edge may read a replica), and the invalidator's delay, recorded for
 * `required` + `origin` only.
 */
import { expect } from "chai";
import type { SecureImageCdnArgs } from "../../components/args";
import { issuerSettingsFor } from "../../components/issuer-settings";
import { resolveArgs } from "../../components/resolve-args";

describe("components/issuer-settings: the issuer's config of an instance", () => {
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
