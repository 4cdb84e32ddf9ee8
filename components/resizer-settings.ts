/**
 * The settings captured into an instance's resizer function (its
 * `RESIZER_SETTINGS` environment variable): resolved args plus where the
 * bucket is. Pure, so the tests and the local stack configure exactly what
 * the component deploys.
 */
import type { ResizerSettings } from "../resizer/settings";
import { RESIZER_DEFAULTS } from "../resizer/settings";
import type { ResolvedVariantSettings } from "./resolve-args";

/** Where an instance's bucket lives (known once it is created). */
export interface ResizerPlacement {
    bucket: string;
    region: string;
}

/**
 * The resizer's settings for an instance with variants. A variant may be
 * kept as long as its hash can live (the edge bounds each copy by the
 * remaining life of the hash it was asked through); a refusal as long as
 * an unknown hash's 404. Originals are read up to the upload limit. Nothing
 * secret goes in: the function reads S3 with its role, and `endpoints`
 * stays unset so the SDK talks to AWS.
 */
export function resizerSettingsFor(settings: ResolvedVariantSettings, placement: ResizerPlacement): ResizerSettings {
    for (const field of ["bucket", "region"] as const) {
        if (typeof placement[field] !== "string" || placement[field].length === 0) throw new Error(`resizer settings need ${field} (got ${JSON.stringify(placement[field])})`);
    }
    return {
        service: settings.service,
        bucket: placement.bucket,
        region: placement.region,
        uploadPrefix: settings.uploadPrefix,
        presets: settings.variants,
        variantMaxAgeSeconds: settings.hashTtlSeconds,
        errorMaxAgeSeconds: settings.notFoundTtlSeconds,
        limitInputPixels: RESIZER_DEFAULTS.limitInputPixels,
        maxOriginalBytes: settings.maxUploadBytes,
    };
}
