/**
 * The table group (components/args/table.ts): protection, encryption with
 * its key, and replicas, checked against the home region: up front when it
 * is a name (the stack's aws:region), when it resolves when it is an AWS
 * provider's region (an Output), with the same messages but for where home
 * came from.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    checkedReplicaRegions,
    checkedTableKmsKeyArn,
    checkReplicaRegions,
    resolveProtection,
    resolveReplicaRegions,
    resolveReplicaRegionsToRemove,
    resolveTable,
    TABLE_DEFAULTS,
    TABLE_GUARDED_ONLY,
    TABLE_INPUTS,
    validateKmsKeyArn,
} from "../../../components/args/table";
import { deploy } from "../support/mocks";
import { rejection, thrown } from "../../support/rejection";

const KEY = (region: string) => `arn:aws:kms:${region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A provider's region: known only once the deployment runs. */
function providerRegion(region: string): pulumi.Output<string> {
    return pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(region))));
}

describe("args: the table", () => {
    it("nothing given: protected, the AWS-owned key, no replicas", () => {
        expect(resolveProtection({})).to.deep.equal({ protectData: true, noncurrentVersionDays: 30 });
        expect(resolveTable({}, [], { level: "required" })).to.deep.equal({ protectData: true, noncurrentVersionDays: 30, tableEncryption: "aws-owned", replicaRegions: [], replicaRegionsToRemove: [] });
        expect(TABLE_DEFAULTS).to.deep.equal({ protectData: true, noncurrentVersionDays: 30, tableEncryption: "aws-owned", replicaRegions: [], replicaRegionsToRemove: [] });
        expect([...TABLE_GUARDED_ONLY]).to.have.members(["tableEncryption", "tableKmsKeyArn", "replicaRegions", "replicaRegionsToRemove"]);
        expect([...TABLE_INPUTS]).to.deep.equal(["tableKmsKeyArn"]);
    });

    it("noncurrentVersionDays: a whole number of days, at least 1, for every level; the message names the field", () => {
        expect(resolveProtection({ noncurrentVersionDays: 1 })).to.include({ noncurrentVersionDays: 1 });
        expect(resolveProtection({ noncurrentVersionDays: 365 })).to.include({ noncurrentVersionDays: 365 });
        for (const bad of [0, -1, 1.5, Number.NaN, "30"]) {
            expect(() => resolveProtection({ noncurrentVersionDays: bad as number })).to.throw(`noncurrentVersionDays must be a whole number at least 1 (got ${JSON.stringify(bad)})`);
        }
    });

    it("a customer-managed key: needed by, and only by, customer-managed-kms; never with replicas", () => {
        expect(resolveTable({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY("eu-west-1") }, [], { level: "required", homeRegion: "eu-west-1" })).to.include({ tableKmsKeyArn: KEY("eu-west-1") });
        expect(() => resolveTable({ tableEncryption: "customer-managed-kms" }, [], { level: "required" })).to.throw(/needs tableKmsKeyArn/);
        expect(() => resolveTable({ tableKmsKeyArn: KEY("eu-west-1") }, [], { level: "required" })).to.throw(/^tableKmsKeyArn applies only to tableEncryption "customer-managed-kms"/);
        expect(() => resolveTable({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY("eu-west-1") }, ["us-east-1"], { level: "required", homeRegion: "eu-west-1" })).to.throw(/^replicaRegions does not go with/);
    });

    it("the AWS-managed key: fine alone, refused with replicas, kept or on their way out, naming both fields", () => {
        expect(resolveTable({ tableEncryption: "aws-managed-kms" }, [], { level: "required", homeRegion: "eu-west-1" })).to.include({ tableEncryption: "aws-managed-kms" });
        expect(() => resolveTable({ tableEncryption: "aws-managed-kms" }, ["us-east-1"], { level: "required", homeRegion: "eu-west-1" })).to.throw(
            /^replicaRegions does not go with tableEncryption "aws-managed-kms": .*; use "aws-owned" \(free\) with replicas$/,
        );
        expect(() => resolveTable({ tableEncryption: "aws-managed-kms", replicaRegionsToRemove: ["us-east-1"] }, [], { level: "required", homeRegion: "eu-west-1" })).to.throw(
            /^replicaRegionsToRemove does not go with tableEncryption "aws-managed-kms"/,
        );
    });

    it("replicas on their way out: checked like replicaRegions, and never also kept", () => {
        const context = { level: "required", homeRegion: "eu-west-1" } as const;
        expect(resolveTable({ replicaRegionsToRemove: ["ap-southeast-2"] }, ["us-east-1"], context)).to.deep.include({ replicaRegions: ["us-east-1"], replicaRegionsToRemove: ["ap-southeast-2"] });
        expect(() => resolveReplicaRegionsToRemove({ replicaRegionsToRemove: ["us-east-1"] }, ["us-east-1"], context)).to.throw(/^replicaRegionsToRemove\[0\] us-east-1 is also in replicaRegions/);
        expect(() => resolveReplicaRegionsToRemove({ replicaRegionsToRemove: ["eu-west-1"] }, [], context)).to.throw("replicaRegionsToRemove[0] is the home region eu-west-1 (aws:region)");
        expect(() => resolveReplicaRegionsToRemove({ replicaRegionsToRemove: ["us-east-1"] }, [], { level: "required", requireHomeRegion: true })).to.throw(/^replicaRegionsToRemove needs the home region/);
    });

    it("a named home region: the key and the replicas are checked up front, naming aws:region", () => {
        expect(() => resolveTable({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: KEY("us-east-1") }, [], { level: "required", homeRegion: "eu-west-1" })).to.throw(
            /^tableKmsKeyArn is a key in us-east-1, but the table is in eu-west-1 \(aws:region\)/,
        );
        expect(() => resolveReplicaRegions({ replicaRegions: ["eu-west-1"] }, { level: "required", homeRegion: "eu-west-1" })).to.throw("replicaRegions[0] is the home region eu-west-1 (aws:region)");
        expect(() => checkReplicaRegions(["us-east-1"], undefined, true)).to.throw(/^replicaRegions needs the home region: set aws:region in the stack config, or give the component an AWS provider/);
    });

    it("a provider's region (an Output): only the form is checked up front; home is checked when it resolves, with the same message naming the provider", async () => {
        const home = providerRegion("us-west-2");
        const replicas = resolveReplicaRegions({ replicaRegions: ["us-west-2", "eu-west-1"] }, { level: "required", homeRegion: home, requireHomeRegion: true });
        const table = resolveTable({}, replicas, { level: "required", homeRegion: home });
        expect(table.homeRegion).to.equal(home);
        const replicaAtHome = await rejection(deploy(() => ({ regions: checkedReplicaRegions(table) })), Error);
        expect(replicaAtHome.message).to.equal("replicaRegions[0] is the home region us-west-2 (the region of the component's AWS provider), where the table itself lives");
        const { outputs } = await deploy(() => ({ regions: checkedReplicaRegions({ replicaRegions: ["eu-west-1"], homeRegion: providerRegion("us-west-2") }) }));
        expect(outputs.regions).to.deep.equal(["eu-west-1"]);
        expect(checkedReplicaRegions({ replicaRegions: ["us-east-1"], homeRegion: "eu-west-1" }), "a named home needs no Output").to.deep.equal(["us-east-1"]);
        expect(() => resolveReplicaRegions({ replicaRegions: ["mars-north-1"] }, { level: "required", homeRegion: home })).to.throw(/^replicaRegions\[0\] must be a commercial AWS region code/);
    });

    it("the key against a provider's region: checked when both resolve", async () => {
        const settings = (key: string) => resolveTable({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: key }, [], { level: "required", homeRegion: providerRegion("us-west-2") });
        const { outputs } = await deploy(() => ({ key: checkedTableKmsKeyArn(settings(KEY("us-west-2"))) }));
        expect(outputs.key).to.equal(KEY("us-west-2"));
        const error = await rejection(deploy(() => ({ key: checkedTableKmsKeyArn(settings(KEY("eu-west-1"))) })), Error);
        expect(error.message).to.equal(thrown(() => validateKmsKeyArn(KEY("eu-west-1"), "us-west-2", "the region of the component's AWS provider"), Error).message);
        expect(error.message).to.match(/^tableKmsKeyArn is a key in eu-west-1, but the table is in us-west-2 \(the region of the component's AWS provider\)/);
        expect(checkedTableKmsKeyArn({ tableEncryption: "aws-owned" }), "no key, nothing to check").to.equal(undefined);
    });
});
