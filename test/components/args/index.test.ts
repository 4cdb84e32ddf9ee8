/**
 * The args as one whole (components/args/index.ts): the fields, what a
 * public instance may not set, what may be an Output, and CDN_DEFAULTS, all
 * gathered from the groups rather than listed again.
 */
import { expect } from "chai";
import { ARG_KEYS, CDN_DEFAULTS, GUARDED_ONLY_ARGS, INPUT_ARGS } from "../../../components/args";
import { ALARM_DEFAULTS } from "../../../components/args/alarms";
import { DELIVERY_FIELDS } from "../../../components/args/delivery";
import { EDGE_DEFAULTS } from "../../../components/args/edge";
import { resolveArgs } from "../../../components/resolve-args";

describe("args: the groups, gathered", () => {
    it("every field once, group by group", () => {
        expect(new Set(ARG_KEYS).size).to.equal(ARG_KEYS.length);
        expect(ARG_KEYS).to.include.members([...DELIVERY_FIELDS, "service", "tags", "alarms", "edge", "replicaRegions", "replicaRegionsToRemove", "uploadPrefix", "variants", "resizer"]);
        expect(ARG_KEYS).to.have.length(27);
    });

    it("what a public instance may not set, refused all at once with one message", () => {
        expect([...GUARDED_ONLY_ARGS]).to.have.members(["mode", "signedUrlTtlSeconds", "hashTtlSeconds", "tableEncryption", "tableKmsKeyArn", "replicaRegions", "replicaRegionsToRemove", "logRetentionDays", "edge", "variants", "resizer"]);
        expect(() => resolveArgs({ service: "marketplace", level: "public", edge: {}, replicaRegions: ["us-east-1"] })).to.throw(
            /^replicaRegions, edge do not apply to level "public", which serves objects by key without hashes or an edge function$/,
        );
        // No gate, no variants: the field is named.
        expect(() => resolveArgs({ service: "marketplace", level: "public", variants: { thumb: { width: 256, height: 256 } } })).to.throw(
            /^variants does not apply to level "public", which serves objects by key without hashes or an edge function$/,
        );
    });

    it("only the ARNs passed straight to AWS may be Outputs themselves", () => {
        expect([...INPUT_ARGS]).to.have.members(["certificateArn", "tableKmsKeyArn"]);
    });

    it("CDN_DEFAULTS is the groups' defaults, the very objects the groups apply", () => {
        expect(CDN_DEFAULTS.alarms).to.equal(ALARM_DEFAULTS);
        expect(CDN_DEFAULTS.edge).to.equal(EDGE_DEFAULTS);
        expect(CDN_DEFAULTS).to.include({ level: "required", mode: "origin", signedUrlTtlSeconds: 300, protectData: true, uploadPrefix: "uploads/" });
    });
});
