/**
 * Variant URLs: `<cdnBaseUrl>/images/<hash>/<preset>` (the format
 * negotiated from the viewer's `Accept`) or `…/<preset>.<format>` for one
 * format, checked against the service's catalogue as its config records it
 * (names and formats), so a URL the edge would answer with its generic 404
 * is refused here with a word on why. No AWS call: the hash's own life is
 * the edge's to check, as for the original's URL.
 */
import { cdnVariantUrl, FALLBACK_TOKEN, isVariantFormat, PRESET_NAME_PATTERN, VariantToken } from "../core/variants";
import type { PresetSummary } from "../core/variants";
import type { IssuerConfig } from "./config";
import { requireHash } from "./context";
import { ConfigError, InvalidInputError } from "./errors";
import { show } from "./show";

/** A variant URL and what it names. */
export interface VariantUrl {
    /** `<cdnBaseUrl>/images/<hash>/<preset>[.<format>]` */
    url: string;
    hash: string;
    preset: string;
    /** The format asked for, or absent when the viewer's `Accept` decides. */
    format?: VariantToken;
}

/** The service's catalogue, or ConfigError when it has none. */
export function requireCatalogue(config: Pick<IssuerConfig, "service" | "variants">): Record<string, PresetSummary> {
    if (config.variants === undefined) {
        throw new ConfigError(`service '${config.service}' has no image variants (its config records no catalogue: the instance has no variants, or was deployed before them)`);
    }
    return config.variants;
}

/**
 * The URL of `preset` of `hash`: negotiated, or in `format` (one of the
 * preset's formats, or `fallback`). Refuses a malformed hash, a preset the
 * catalogue does not have and a format the preset does not allow.
 */
export function variantUrl(config: Pick<IssuerConfig, "service" | "variants" | "cdnBaseUrl">, hash: string, preset: string, format?: string): VariantUrl {
    requireHash(hash);
    const catalogue = requireCatalogue(config);
    const names = Object.keys(catalogue);
    if (typeof preset !== "string" || !PRESET_NAME_PATTERN.test(preset) || !Object.prototype.hasOwnProperty.call(catalogue, preset)) {
        throw new InvalidInputError(`unknown preset ${show(preset)}: service '${config.service}' has ${names.join(", ")}`);
    }
    if (format === undefined) return { url: cdnVariantUrl(config.cdnBaseUrl, hash, preset), hash, preset };
    const formats = catalogue[preset].formats;
    if (format !== FALLBACK_TOKEN && !(isVariantFormat(format) && formats.includes(format))) {
        throw new InvalidInputError(`preset '${preset}' is not served as ${show(format)}: it has ${[...formats, FALLBACK_TOKEN].join(", ")}`);
    }
    const token = format as VariantToken;
    return { url: cdnVariantUrl(config.cdnBaseUrl, hash, preset, token), hash, preset, format: token };
}

/** Each preset's negotiated URL for a hash (what an application puts in `<img src>`); empty without variants. */
export function presetUrls(config: Pick<IssuerConfig, "variants" | "cdnBaseUrl">, hash: string): Record<string, string> {
    return Object.fromEntries(Object.keys(config.variants ?? {}).map((preset) => [preset, cdnVariantUrl(config.cdnBaseUrl, hash, preset)]));
}
