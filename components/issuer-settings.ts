/**
 * The settings an instance hands to the issuing library: resolved args plus
 * where the instance's resources are. Pure and generic over how a location
 * is known (an Output in the component, a plain string in the local stack),
 * so both build the issuer's config the same way.
 */
import type { IssuerConfig } from "../issuer/config";
import type { SecurityLevel } from "../edge/settings";
import type { ResolvedCdnSettings } from "./resolve-args";

/** Where an instance's resources are, as the issuer needs them. */
export interface IssuerPlacement<Location> {
    /** Region of the bucket and the table. */
    region: Location;
    /** Absent for `public`, which has no table. */
    tableName?: Location;
    bucket: Location;
    /** `https://<alias or distribution domain>`, no trailing slash. */
    cdnBaseUrl: Location;
    distributionId: Location;
}

/** The issuer's settings of one instance; with `string` locations, exactly an `IssuerConfig` without endpoints. */
export interface IssuerSettings<Location> extends IssuerPlacement<Location> {
    service: string;
    level: SecurityLevel;
    hashTtlSeconds: number;
    uploadPrefix: string;
    maxUploadBytes: number;
}

// Compile-time check that the issuer's settings and the library's IssuerConfig name the same fields.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameAsIssuerConfig: Same<IssuerSettings<string>, Omit<IssuerConfig, "endpoints">> = true;
void sameAsIssuerConfig;

/** The issuer's settings for resolved args at a placement. */
export function issuerSettingsFor<Location>(settings: ResolvedCdnSettings, placement: IssuerPlacement<Location>): IssuerSettings<Location> {
    return {
        service: settings.service,
        level: settings.level,
        region: placement.region,
        ...(placement.tableName === undefined ? {} : { tableName: placement.tableName }),
        bucket: placement.bucket,
        cdnBaseUrl: placement.cdnBaseUrl,
        distributionId: placement.distributionId,
        hashTtlSeconds: settings.hashTtlSeconds,
        uploadPrefix: settings.uploadPrefix,
        maxUploadBytes: settings.maxUploadBytes,
    };
}
