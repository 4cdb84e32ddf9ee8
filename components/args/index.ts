/**
 * The arguments of {@link SecureImageCdn}, by group: one file per group
 * holds its slice of the args with what each field is for, its default and
 * an example, its defaults, and its checks (for plain values up front, and
 * for Outputs when they resolve). `resolveArgs` (../resolve-args.ts) only
 * composes them. A test keeps each group's `@default` tags, its defaults
 * and the documentation's args table in agreement.
 *
 * | group | args |
 * |---|---|
 * | service.ts | `service`, `tags` |
 * | delivery.ts | `level`, `mode`, `hashTtlSeconds`, `signedUrlTtlSeconds` |
 * | cache.ts | `minTtlSeconds`, `defaultTtlSeconds`, `maxTtlSeconds`, `notFoundTtlSeconds` |
 * | distribution.ts | `aliases`, `certificateArn`, `priceClass`, `additionalMetrics` |
 * | table.ts | `protectData`, `noncurrentVersionDays`, `tableEncryption`, `tableKmsKeyArn`, `replicaRegions`, `replicaRegionsToRemove` |
 * | alarms.ts | `alarms` |
 * | logs.ts | `logRetentionDays` |
 * | upload.ts | `uploadPrefix`, `maxUploadBytes` |
 * | edge.ts | `edge` |
 * | variants.ts | `variants` |
 * | resizer.ts | `resizer` |
 *
 * Two kinds of args:
 * - Plain values decide which resources exist and how they are wired (the
 *   level and mode, the regions that get an alarm, the TTLs, the price
 *   class, the switches, the variants' catalogue). Deciding those after `pulumi up` has started
 *   would turn a typo into a half-created stack, so they are checked
 *   before anything is registered.
 * - Values passed through to AWS accept a `pulumi.Input`: alarm action
 *   ARNs, tag values, aliases, the certificate ARN and the table's KMS key
 *   ARN, which often come from other resources of the same program. A plain
 *   value is checked up front; an Output is checked with the same check,
 *   and the same message, when it resolves, and a bad one fails the
 *   deployment. The lists themselves are plain: how many aliases or actions
 *   there are is known when the program runs.
 *
 * Written for Pulumi's schema inference as well as for TypeScript: no union
 * or intersection types (an enum is an `as const` object with a type of the
 * same name), and the JSDoc of each field becomes its description in every
 * language's SDK. The inference reads the fields of the interfaces
 * `SecureImageCdnArgs` extends (it takes the type's properties, inherited
 * ones included), so each group keeps its own.
 */
import { ALARM_DEFAULTS, ALARM_FIELDS } from "./alarms";
import type { AlarmArgs } from "./alarms";
import { CACHE_DEFAULTS, CACHE_FIELDS } from "./cache";
import type { CacheArgs } from "./cache";
import { DELIVERY_DEFAULTS, DELIVERY_FIELDS, DELIVERY_GUARDED_ONLY } from "./delivery";
import type { DeliveryArgs } from "./delivery";
import { DISTRIBUTION_DEFAULTS, DISTRIBUTION_FIELDS, DISTRIBUTION_INPUTS } from "./distribution";
import type { DistributionArgs } from "./distribution";
import { EDGE_DEFAULTS, EDGE_FIELDS, EDGE_GUARDED_ONLY } from "./edge";
import type { EdgeArgs } from "./edge";
import { LOG_DEFAULTS, LOG_FIELDS, LOG_GUARDED_ONLY } from "./logs";
import type { LogArgs } from "./logs";
import { SERVICE_DEFAULTS, SERVICE_FIELDS } from "./service";
import type { ServiceArgs } from "./service";
import { TABLE_DEFAULTS, TABLE_FIELDS, TABLE_GUARDED_ONLY, TABLE_INPUTS } from "./table";
import type { TableArgs } from "./table";
import { UPLOAD_DEFAULTS, UPLOAD_FIELDS } from "./upload";
import type { UploadArgs } from "./upload";
import { RESIZER_DEFAULTS, RESIZER_FIELDS, RESIZER_GUARDED_ONLY } from "./resizer";
import type { ResizerArgs } from "./resizer";
import { VARIANT_DEFAULTS, VARIANT_FIELDS, VARIANT_GUARDED_ONLY } from "./variants";
import type { VariantArgs } from "./variants";
import { fieldList } from "./checks";

/** The arguments of a SecureImageCdn instance. */
export interface SecureImageCdnArgs extends ServiceArgs, DeliveryArgs, CacheArgs, DistributionArgs, TableArgs, AlarmArgs, LogArgs, UploadArgs, EdgeArgs, VariantArgs, ResizerArgs {}

/** Every field of {@link SecureImageCdnArgs}, for checking untyped input (stack config); a field left out does not compile. */
export const ARG_KEYS = fieldList<SecureImageCdnArgs>()([
    ...SERVICE_FIELDS,
    ...DELIVERY_FIELDS,
    ...CACHE_FIELDS,
    ...DISTRIBUTION_FIELDS,
    ...TABLE_FIELDS,
    ...ALARM_FIELDS,
    ...LOG_FIELDS,
    ...UPLOAD_FIELDS,
    ...EDGE_FIELDS,
    ...VARIANT_FIELDS,
    ...RESIZER_FIELDS,
] as const);

/** The args that mean nothing to a `public` instance, which serves objects by key without hashes, a table or an edge function. */
export const GUARDED_ONLY_ARGS = [...DELIVERY_GUARDED_ONLY, ...TABLE_GUARDED_ONLY, ...LOG_GUARDED_ONLY, ...EDGE_GUARDED_ONLY, ...VARIANT_GUARDED_ONLY, ...RESIZER_GUARDED_ONLY] as const;

/** The args that may themselves be Outputs (passed straight to AWS, checked when they resolve). */
export const INPUT_ARGS = [...DISTRIBUTION_INPUTS, ...TABLE_INPUTS] as const;

/**
 * The default of every optional arg, at the arg's own path, gathered from
 * the groups (each group's defaults are where its args are checked).
 * `edge.memoTtlSeconds` depends on the level.
 */
export const CDN_DEFAULTS = {
    ...DELIVERY_DEFAULTS,
    ...CACHE_DEFAULTS,
    ...DISTRIBUTION_DEFAULTS,
    ...SERVICE_DEFAULTS,
    ...TABLE_DEFAULTS,
    alarms: ALARM_DEFAULTS,
    ...LOG_DEFAULTS,
    ...UPLOAD_DEFAULTS,
    edge: EDGE_DEFAULTS,
    ...VARIANT_DEFAULTS,
    resizer: RESIZER_DEFAULTS,
} as const;

export type { ServiceArgs } from "./service";
export type { DeliveryArgs } from "./delivery";
export type { CacheArgs } from "./cache";
export type { DistributionArgs } from "./distribution";
export type { TableArgs } from "./table";
export type { AlarmArgs, CdnAlarmOptions } from "./alarms";
export type { LogArgs } from "./logs";
export type { UploadArgs } from "./upload";
export type { CdnEdgeOptions, EdgeArgs } from "./edge";
export type { CdnVariantPreset, VariantArgs } from "./variants";
export type { CdnResizerOptions, ResizerArgs, ResolvedResizer } from "./resizer";
export { SERVICE_TAG, checkTagValue, validateInstanceName } from "./service";
export { checkAlias, checkAliasList, validateCertificateArn } from "./distribution";
export { checkReplicaRegions, validateKmsKeyArn } from "./table";
export { alarmRegions, DEFAULT_EDGE_ALARM_REGIONS, routeAlarmActions } from "./alarms";
export type { ResolvedAlarms } from "./alarms";
export type { ResolvedEdge } from "./edge";
export { edgeLogRegions } from "./logs";
