/**
 * Image variants (`variants`): named presets of each image, served behind
 * the image's own hash at `/images/<hash>/<preset>`. Plain: the catalogue
 * decides which resources exist (the resizer, its function URL, the
 * variants' cache behavior and, at `required`, the viewer-request
 * CloudFront Function that negotiates the format). Each preset is checked
 * by core/variants.ts, the check the resizer and the edge share.
 *
 * Variants are served in `origin` mode of a guarded level only: a
 * `redirect` instance hands out presigned URLs of the original, which no
 * preset could ride on, and a `public` instance has no gate to run first.
 */
import { checkedVariantCatalogue, VARIANT_FORMATS } from "../../core/variants";
import type { VariantCatalogue, VariantPreset } from "../../core/variants";
import type { DeliveryMode, SecurityLevel, VariantFit, VariantFormat } from "../../core/enums";
import { fieldList, requireKnown } from "./checks";

/** One preset of the catalogue: a box, how the image fits it, the encoder quality and the formats. */
export interface CdnVariantPreset {
    /**
     * Width of the box, pixels; 16 to 4096.
     * @example 256
     */
    width: number;
    /**
     * Height of the box, pixels; 16 to 4096.
     * @example 256
     */
    height: number;
    /**
     * How the image fits the box: `cover` fills it, cropping around the
     * centre; `inside` keeps the whole image within it. Neither enlarges.
     * @default "inside"
     */
    fit?: VariantFit;
    /**
     * Encoder quality on the JPEG and WebP scale, 1 to 100 (AVIF gets the
     * equivalent on its own scale).
     * @default 80
     */
    quality?: number;
    /**
     * Formats the preset may be served as: `avif` and `webp` are negotiated
     * from the browser's `Accept`; any of them may be asked for by
     * extension (`/images/<hash>/<preset>.webp`). The fallback (JPEG, or
     * PNG for transparent images) is always allowed.
     * @default ["avif", "webp", "jpeg", "png"]
     */
    formats?: VariantFormat[];
    /**
     * Made when an image is uploaded (by `upload` and `confirmUpload`)
     * rather than on its first request.
     * @default false
     */
    eager?: boolean;
}

/** The `variants` arg. */
export interface VariantArgs {
    /**
     * Image variants: presets by name (1-32 of `a-z 0-9 -`, at most 16),
     * each served at `/images/<hash>/<preset>` after the same hash check as
     * the original, made by a regional resizer function and stored in the
     * bucket under `derived/`. Origin mode of a guarded level only. An
     * empty object means no variants.
     * @default none (no variants; the stack's services table gives chat and discussion the default catalogue)
     * @example { thumb: { width: 256, height: 256, fit: "cover", quality: 75, eager: true } }
     */
    variants?: { [preset: string]: CdnVariantPreset };
}

/** The defaults of {@link VariantArgs}: none, no variants. */
export const VARIANT_DEFAULTS = {} as const;

/** What a preset's optional fields are when left out. */
export const DEFAULT_PRESET_FIELDS = {
    fit: "inside",
    quality: 80,
    formats: VARIANT_FORMATS,
    eager: false,
} as const;

/** The fields of {@link VariantArgs}. */
export const VARIANT_FIELDS = fieldList<VariantArgs>()(["variants"]);

/** The fields that mean nothing to a `public` instance (it has no gate to run first). */
export const VARIANT_GUARDED_ONLY = ["variants"] as const satisfies readonly (keyof VariantArgs)[];

/**
 * The catalogue of a guarded instance, its presets' omitted fields filled
 * in and every field checked by core (core/variants.ts); `undefined` when
 * there are no variants (none given, or `{}`). Refused in redirect mode.
 */
export function resolveVariants(args: VariantArgs, context: { level: SecurityLevel; mode: DeliveryMode }): VariantCatalogue | undefined {
    const given = args.variants;
    requireKnown(given, "variants");
    if (given === undefined) return undefined;
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error(`variants must be an object of presets by name (got ${JSON.stringify(given)})`);
    if (Object.keys(given).length === 0) return undefined;
    if (context.level === "public") throw new Error('variants do not apply to level "public", which has no gate to check a hash before a variant is served');
    if (context.mode !== "origin") {
        throw new Error(`variants apply to mode "origin" only: mode "${context.mode}" answers with presigned URLs of the original, which no preset can ride on (set mode "origin", or remove variants)`);
    }
    const filled: Record<string, unknown> = {};
    for (const [name, preset] of Object.entries(given)) {
        requireKnown(preset, `variants.${name}`);
        filled[name] = typeof preset === "object" && preset !== null && !Array.isArray(preset) ? withDefaults(preset, name) : preset;
    }
    return checkedVariantCatalogue(filled, "variants");
}

/** A preset with its omitted optional fields at their defaults; the fields given are checked by core. */
function withDefaults(preset: CdnVariantPreset, name: string): Partial<VariantPreset> {
    for (const key of Object.keys(preset) as (keyof CdnVariantPreset)[]) requireKnown(preset[key], `variants.${name}.${key}`);
    return {
        ...preset,
        fit: preset.fit ?? DEFAULT_PRESET_FIELDS.fit,
        quality: preset.quality ?? DEFAULT_PRESET_FIELDS.quality,
        formats: preset.formats ?? [...DEFAULT_PRESET_FIELDS.formats],
        eager: preset.eager ?? DEFAULT_PRESET_FIELDS.eager,
    };
}
