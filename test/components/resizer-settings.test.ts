/**
 * The settings captured into an instance's resizer function
 * (components/resizer-settings.ts), from resolved args and where the bucket
 * is: each field from the setting it stands for (distinct values, so a swap
 * shows), the catalogue as the args resolved it, settings the resizer itself
 * accepts, and a placement without a bucket or a region refused, naming the
 * field.
 */
import { expect } from "chai";
import { resizerSettingsFor } from "../../components/resizer-settings";
import { parseResizerSettings } from "../../resizer/settings";
import { withVariants } from "./support/builders";

const SETTINGS = withVariants({
    service: "photos",
    variants: { thumb: { width: 320, height: 240, formats: ["webp"] } },
    uploadPrefix: "listings/",
    hashTtlSeconds: 129600,
    notFoundTtlSeconds: 45,
    maxUploadBytes: 5 * 1024 * 1024,
});
const PLACEMENT = { bucket: "photos-bucket-1a2b3c4", region: "eu-central-1" };

describe("components/resizer-settings: what the resizer function is configured with", () => {
    it("each field from the setting it stands for: a variant kept as long as its hash lives, a refusal as long as a 404, originals read up to the upload limit", () => {
        expect(resizerSettingsFor(SETTINGS, PLACEMENT)).to.deep.equal({
            service: "photos",
            bucket: "photos-bucket-1a2b3c4",
            region: "eu-central-1",
            uploadPrefix: "listings/",
            presets: { thumb: { width: 320, height: 240, fit: "inside", quality: 80, formats: ["webp"], eager: false } },
            variantMaxAgeSeconds: 129600,
            errorMaxAgeSeconds: 45,
            limitInputPixels: 100_000_000,
            maxOriginalBytes: 5 * 1024 * 1024,
        });
    });

    it("the resizer accepts what it is given", () => {
        const settings = resizerSettingsFor(SETTINGS, PLACEMENT);
        expect(parseResizerSettings(JSON.stringify(settings))).to.deep.equal(settings);
    });

    it("a placement without a bucket or a region is refused, naming the field", () => {
        expect(() => resizerSettingsFor(SETTINGS, { ...PLACEMENT, bucket: "" })).to.throw('resizer settings need bucket (got "")');
        expect(() => resizerSettingsFor(SETTINGS, { ...PLACEMENT, region: undefined as unknown as string })).to.throw("resizer settings need region (got undefined)");
    });
});
