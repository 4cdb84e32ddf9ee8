/**
 * The variants group (components/args/variants.ts): a catalogue by preset
 * name, each preset's omitted fields at their defaults and every field
 * checked by core (the resizer's and the edge's check), refused in
 * redirect mode and at `public` with the field named; `{}` means none.
 */
import { expect } from "chai";
import { DEFAULT_VARIANT_PRESETS } from "../../../core/variants";
import { DEFAULT_PRESET_FIELDS, resolveVariants } from "../../../components/args/variants";
import { hasVariants, resolveArgs } from "../../../components/resolve-args";
import { thrown } from "../../support/rejection";

const origin = { level: "required", mode: "origin" } as const;

describe("args: variants", () => {
    it("none given, or {}: no variants", () => {
        expect(resolveVariants({}, origin)).to.equal(undefined);
        expect(resolveVariants({ variants: {} }, origin)).to.equal(undefined);
        expect(hasVariants(resolveArgs({ service: "chat" }))).to.equal(false);
    });

    it("fills a preset's omitted fields with their defaults and keeps what is given", () => {
        expect(resolveVariants({ variants: { card: { width: 400, height: 300 } } }, origin)).to.deep.equal({
            card: { width: 400, height: 300, fit: "inside", quality: 80, formats: ["avif", "webp", "jpeg", "png"], eager: false },
        });
        expect(DEFAULT_PRESET_FIELDS.formats).to.deep.equal(["avif", "webp", "jpeg", "png"]);
        const thumb = { width: 256, height: 256, fit: "cover" as const, quality: 75, formats: ["webp" as const], eager: true };
        expect(resolveVariants({ variants: { thumb } }, origin)).to.deep.equal({ thumb });
        expect(resolveVariants({ variants: { ...DEFAULT_VARIANT_PRESETS } as never }, origin)).to.deep.equal(DEFAULT_VARIANT_PRESETS);
    });

    it("checks every field with core's words, naming the preset and the field", () => {
        expect(thrown(() => resolveVariants({ variants: { thumb: { width: 5000, height: 256 } } }, origin), Error).message).to.equal("variants.thumb.width must be an integer from 16 to 4096, got 5000");
        expect(thrown(() => resolveVariants({ variants: { Thumb: { width: 256, height: 256 } } }, origin), Error).message).to.match(/^variants: preset name "Thumb" must be/);
        expect(thrown(() => resolveVariants({ variants: { thumb: { width: 256, height: 256, formats: ["gif" as never] } } }, origin), Error).message).to.match(/^variants\.thumb\.formats\[0\] must be one of avif, webp, jpeg, png/);
        expect(thrown(() => resolveVariants({ variants: { thumb: { width: 256, height: 256, size: 3 } as never } }, origin), Error).message).to.match(/^variants\.thumb\.size is not a preset field/);
        const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, { width: 64, height: 64 }]));
        expect(thrown(() => resolveVariants({ variants: many }, origin), Error).message).to.match(/^variants has 17 presets; at most 16/);
    });

    it("refuses a redirect instance with variants, naming the field and why", () => {
        const error = thrown(() => resolveArgs({ service: "chat", mode: "redirect", variants: { thumb: { width: 256, height: 256 } } }), Error);
        expect(error.message).to.equal('variants apply to mode "origin" only: mode "redirect" answers with presigned URLs of the original, which no preset can ride on (set mode "origin", or remove variants)');
        expect(hasVariants(resolveArgs({ service: "chat", mode: "redirect", variants: {} }))).to.equal(false);
    });

    it("a guarded instance in origin mode has them, with the resizer's knobs at their defaults; secured too", () => {
        for (const level of ["required", "secured"] as const) {
            const settings = resolveArgs({ service: "chat", level, variants: { thumb: { width: 256, height: 256 } } });
            expect(hasVariants(settings), level).to.equal(true);
            if (!hasVariants(settings)) return;
            expect(Object.keys(settings.variants)).to.deep.equal(["thumb"]);
            expect(settings.resizer).to.deep.equal({ reservedConcurrency: 20, memorySizeMb: 1769, timeoutSeconds: 15 });
        }
    });

    it("an upload prefix overlapping derived/ is refused with variants (the resizer stores them there)", () => {
        expect(thrown(() => resolveArgs({ service: "chat", uploadPrefix: "derived/", variants: { thumb: { width: 256, height: 256 } } }), Error).message).to.match(/^uploadPrefix \("derived\/"\) must not overlap "derived\/"/);
        expect(resolveArgs({ service: "chat", uploadPrefix: "derived/" }).uploadPrefix, "without variants nothing is stored there").to.equal("derived/");
    });

    it("the component needs the home region for them, where the resizer and its alarms go", () => {
        const args = { service: "chat", variants: { thumb: { width: 256, height: 256 } } };
        expect(thrown(() => resolveArgs(args, { requireHomeRegion: true }), Error).message).to.match(/^variants need the home region/);
        expect(hasVariants(resolveArgs(args, { requireHomeRegion: true, homeRegion: "eu-west-1" }))).to.equal(true);
        // The resizer's alarms are in the home region: a topic there is one of the instance's alarm regions.
        const alarms = resolveArgs({ ...args, alarms: { actions: ["arn:aws:sns:ap-south-1:123456789012:oncall"], edgeRegions: ["us-east-1"] } }, { homeRegion: "ap-south-1" }).alarms;
        expect(alarms.homeRegion).to.equal("ap-south-1");
        expect(alarms.actionsByRegion).to.deep.equal({ "ap-south-1": ["arn:aws:sns:ap-south-1:123456789012:oncall"] });
    });
});
