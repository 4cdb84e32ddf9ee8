/**
 * The default of every optional `SecureImageCdn` arg.
 */
import { EDGE_REGIONS_BY_PRICE_CLASS } from "./regions";

/**
 * The edge regions of the default price class, `PriceClass_100` (North
 * America and Europe): where the edge alarms go unless `alarms.edgeRegions`
 * says otherwise. Another price class defaults to its own regions
 * ({@link EDGE_REGIONS_BY_PRICE_CLASS}).
 */
export const DEFAULT_EDGE_ALARM_REGIONS: readonly string[] = EDGE_REGIONS_BY_PRICE_CLASS.PriceClass_100;

/**
 * The default of every optional `SecureImageCdn` arg (components/args.ts).
 * `edge.memoTtlSeconds` depends on the level. The JSDoc `@default` tags and
 * the documentation's args table state the same values; a test keeps the
 * three in agreement.
 */
export const CDN_DEFAULTS = {
    level: "required",
    mode: "origin",
    /** 30 days. */
    hashTtlSeconds: 30 * 24 * 60 * 60,
    signedUrlTtlSeconds: 300,
    minTtlSeconds: 0,
    /** 1 day. */
    defaultTtlSeconds: 86400,
    /** 30 days. */
    maxTtlSeconds: 2592000,
    notFoundTtlSeconds: 10,
    aliases: [],
    priceClass: "PriceClass_100",
    tags: {},
    protectData: true,
    alarms: { enabled: true, actions: [], email: [], edgeRegions: DEFAULT_EDGE_ALARM_REGIONS, errorRatePercent: 5, durationMs: 500, minRequests: 100, replicationLatencyMs: 10000 },
    additionalMetrics: true,
    logRetentionDays: 30,
    tableEncryption: "aws-owned",
    replicaRegions: [],
    uploadPrefix: "uploads/",
    /** 10 MiB. */
    maxUploadBytes: 10 * 1024 * 1024,
    edge: { timeoutSeconds: 5, memorySizeMb: 128, lookupTimeoutMs: 3000, memoMaxEntries: 10000, memoTtlSeconds: { required: 60, secured: 0 }, securedReads: "home" },
} as const;
