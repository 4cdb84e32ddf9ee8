/**
 * The settings an instance hands to the issuing library (its
 * `IssuerConfig` without endpoints): resolved args plus where the
 * instance's resources are. Generic over how a location is known (an Output
 * in the component, a plain string in the local stack), so both build the
 * issuer's config the same way.
 */
import type { IssuerPlacement, IssuerSettings } from "../issuer/config";
import { hasInvalidator, readsReplicas, reinvalidationDelay } from "../core/revocation";
import { catalogueSummary } from "../core/variants";
import { hasVariants, isGuarded, ResolvedCdnSettings } from "./resolve-args";

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
        // What the issuer needs to say when a revoked hash stops working (guarded levels).
        ...(isGuarded(settings)
            ? { mode: settings.mode, memoTtlSeconds: settings.edge.memoTtlSeconds, signedUrlTtlSeconds: settings.signedUrlTtlSeconds }
            : {}),
        // The edge may answer from a replica: a revocation also waits for the delete to replicate.
        ...(isGuarded(settings) && readsReplicas({ level: settings.level, replicaRegions: settings.replicaRegions, securedReads: settings.edge.securedReads })
            ? { replicaReads: true }
            : {}),
        // The invalidator follows the table: revoke leaves the invalidations to it, and states its delay.
        ...(isGuarded(settings) && hasInvalidator(settings)
            ? { reinvalidateAfterSeconds: reinvalidationDelay({ edgeTimeoutSeconds: settings.edge.timeoutSeconds }).totalSeconds }
            : {}),
        // The presets' names, formats and eager flags: what variant URLs and uploads need.
        ...(hasVariants(settings) ? { variants: catalogueSummary(settings.variants) } : {}),
    };
}
