/**
 * The settings captured into an instance's edge function
 * (components/edge-settings.ts), from resolved args and where the table and
 * bucket are: each field from the setting it stands for (distinct values,
 * so a swap shows), a placement without a table or bucket refused, naming
 * the field; the replica regions (and `securedReads` when it is not the
 * default), the variants' catalogue as names and formats only, nothing of
 * either when the instance has none.
 */
import { expect } from "chai";
import { edgeSettingsFor } from "../../components/edge-settings";
import { serializeEdgeFactory } from "../../components/edge-code";
import { isGuarded, resolveArgs } from "../../components/resolve-args";
import { guarded } from "./support/builders";

const HOME = "eu-west-1";
const REPLICAS = ["us-east-1", "ap-southeast-2"];
/** Home is known up front, as with the stack's aws:region. */
const AT_HOME = { homeRegion: HOME, requireHomeRegion: true };

describe("components/edge-settings: what the edge function captures", () => {
    const PLACEMENT = { tableName: "chat-table-1a2b3c4", tableRegion: HOME, bucket: "chat-bucket-1a2b3c4", bucketRegion: "eu-central-1" };

    it("each field from the setting it stands for, the table and bucket where the placement says", () => {
        const settings = guarded({
            service: "chat",
            mode: "redirect",
            signedUrlTtlSeconds: 120,
            defaultTtlSeconds: 3600,
            maxTtlSeconds: 7200,
            notFoundTtlSeconds: 45,
            edge: { lookupTimeoutMs: 1200, memoMaxEntries: 5000, memoTtlSeconds: 20 },
        });
        expect(edgeSettingsFor(settings, PLACEMENT)).to.deep.equal({
            service: "chat",
            level: "required",
            mode: "redirect",
            tableName: "chat-table-1a2b3c4",
            tableRegion: HOME,
            bucket: "chat-bucket-1a2b3c4",
            bucketRegion: "eu-central-1",
            signedUrlTtlSeconds: 120,
            defaultTtlSeconds: 3600,
            maxTtlSeconds: 7200,
            notFoundTtlSeconds: 45,
            lookupTimeoutMs: 1200,
            memoMaxEntries: 5000,
            memoTtlSeconds: 20,
        });
    });

    it("a placement without the table's or the bucket's name or region is refused, naming the field", () => {
        const settings = guarded({ service: "chat" });
        expect(() => edgeSettingsFor(settings, { ...PLACEMENT, tableName: "" })).to.throw('edge settings need tableName (got "")');
        expect(() => edgeSettingsFor(settings, { ...PLACEMENT, bucketRegion: undefined as unknown as string })).to.throw("edge settings need bucketRegion (got undefined)");
    });

    describe("replicas", () => {
        it("captures the replica regions (and securedReads when it is not the default), nothing when there are none", () => {
            const placement = { tableName: "chat-table-1", tableRegion: HOME, bucket: "chat-images-1", bucketRegion: HOME };
            expect(edgeSettingsFor(guarded({ service: "chat", replicaRegions: REPLICAS }, AT_HOME), placement)).to.deep.include({ replicaRegions: REPLICAS });
            expect(edgeSettingsFor(guarded({ service: "chat" }, AT_HOME), placement)).not.to.have.any.keys("replicaRegions", "securedReads");
            const secured = guarded({ service: "regulatory", level: "secured", replicaRegions: REPLICAS, edge: { securedReads: "nearest" } }, AT_HOME);
            expect(edgeSettingsFor(secured, placement)).to.deep.include({ replicaRegions: REPLICAS, securedReads: "nearest" });
            expect(edgeSettingsFor(guarded({ service: "regulatory", level: "secured", replicaRegions: REPLICAS }, AT_HOME), placement)).not.to.have.any.keys("securedReads");
        });
    });

    describe("the edge captures the catalogue, names and formats only", () => {
        it("the edge settings hold each preset's formats, and the code built from them carries them and no sizes", async () => {
            const settings = resolveArgs({ service: "chat", variants: { thumb: { width: 256, height: 256, formats: ["webp"] } } });
            if (!isGuarded(settings)) throw new Error("guarded");
            const edge = edgeSettingsFor(settings, { tableName: "chat-table", tableRegion: HOME, bucket: "chat-bucket", bucketRegion: HOME });
            expect(edge.variants).to.deep.equal({ thumb: ["webp"] });
            const text = await serializeEdgeFactory(edge);
            // Serialized as Pulumi captures objects: each value assigned in turn.
            expect(text).to.include('__settings_variants_thumb = ["webp"];');
            expect(text, "no sizes or qualities reach the edge").to.not.match(/width|quality/);
            const without = resolveArgs({ service: "chat" });
            if (!isGuarded(without)) throw new Error("guarded");
            expect(edgeSettingsFor(without, { tableName: "chat-table", tableRegion: HOME, bucket: "chat-bucket", bucketRegion: HOME })).to.not.have.property("variants");
        });
    });
});
