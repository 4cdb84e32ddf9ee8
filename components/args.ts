/**
 * The arguments of {@link SecureImageCdn}, their defaults and their
 * validation. Pure: no resources, no Outputs awaited, so the local stack and
 * the tests get exactly the settings a real deployment would use.
 *
 * The args are plain values, not Outputs, because most of them decide which
 * resources exist and how they are wired (a level without a table, an alarm
 * per region, an edge timeout CloudFront will or will not accept); deciding
 * that after `pulumi up` has started would turn a typo into a half-created
 * stack. The one exception is `certificateArn`, which often comes from an
 * `aws.acm.Certificate` in the same program: a plain string is checked here,
 * an Output is checked with the same function when it resolves.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_HASH_TTL_SECONDS, isSafeObjectKey } from "../edge/contract";
import { MAX_SIGNED_URL_TTL_SECONDS } from "../edge/presign";
import { DEFAULT_MEMO_TTL_SECONDS, DEFAULT_SIGNED_URL_TTL_SECONDS, MAX_MEMO_TTL_SECONDS } from "../edge/revocation";
import type { DeliveryMode, GuardedLevel, SecurityLevel } from "../edge/settings";

/**
 * The one region Lambda@Edge functions are created in, CloudFront reads ACM
 * certificates from and publishes its own metrics to.
 */
export const EDGE_REGION = "us-east-1";

/** Security levels, least to most guarded. */
export const SECURITY_LEVELS: readonly SecurityLevel[] = ["public", "required", "secured"];

/** Delivery modes of the guarded levels. */
export const DELIVERY_MODES: readonly DeliveryMode[] = ["origin", "redirect"];

/** CloudFront price classes: which edge locations serve the distribution. */
export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
export const PRICE_CLASSES: readonly PriceClass[] = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

/** Longest lifetime of a hash the issuing library accepts (one year), seconds. */
export const MAX_HASH_TTL_SECONDS = 365 * 24 * 60 * 60;

/**
 * Longest `signedUrlTtlSeconds`, seconds: well inside the life of the edge
 * role's temporary credentials, which cut a presigned URL short when they
 * expire (see edge/presign.ts for the figure and its sources).
 */
export { MAX_SIGNED_URL_TTL_SECONDS } from "../edge/presign";

/** Viewer-request triggers must finish within 5 s; origin triggers within 30 s. */
export const VIEWER_TRIGGER_MAX_TIMEOUT_SECONDS = 5;
export const ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS = 30;

/** Viewer-request triggers run with exactly 128 MB; origin triggers may have up to 10,240 MB. */
export const VIEWER_TRIGGER_MEMORY_MB = 128;
export const ORIGIN_TRIGGER_MAX_MEMORY_MB = 10240;

/** Longest time budget of one lookup the edge handler accepts, milliseconds. */
export const MAX_LOOKUP_TIMEOUT_MS = 25000;

/** Largest object a single presigned PUT or POST may upload (5 GiB). */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;

/**
 * Regions whose regional edge caches serve North America and Europe (the
 * default `PriceClass_100`): Lambda@Edge runs, logs and reports its metrics
 * in the region nearest the edge location that served the request.
 */
export const DEFAULT_EDGE_ALARM_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
];

/** Alarms on the CDN and its edge function. */
export interface CdnAlarmArgs {
    /**
     * Create the alarms at all.
     * @default true
     */
    enabled?: boolean;
    /**
     * SNS topic ARNs notified when an alarm fires (and when it recovers).
     * CloudWatch alarms notify topics of their own region, so each alarm gets
     * the topics of its region: a topic in us-east-1 for the CloudFront alarm
     * (and the us-east-1 edge alarm), topics in the other `edgeRegions` for
     * their edge alarms.
     * @default []
     * @example ["arn:aws:sns:us-east-1:123456789012:oncall"]
     */
    actions?: string[];
    /**
     * Regions that get a Lambda@Edge duration alarm. Edge metrics exist only
     * in the regions where the function ran, so list the regions nearest your
     * viewers.
     * @default DEFAULT_EDGE_ALARM_REGIONS (North America and Europe)
     * @example ["us-east-1", "eu-west-1", "ap-southeast-1"]
     */
    edgeRegions?: string[];
    /**
     * The CloudFront `5xxErrorRate` (percent of all requests) above which the
     * error alarm fires, averaged over 5 minutes.
     * @default 5
     */
    errorRatePercent?: number;
    /**
     * The average Lambda@Edge duration (milliseconds) above which a duration
     * alarm fires, over 5 minutes.
     * @default 500
     */
    durationMs?: number;
}

/** Knobs of the edge function; the defaults suit both guarded levels. */
export interface CdnEdgeArgs {
    /**
     * Function timeout, seconds. A viewer-request trigger (`secured`) may not
     * exceed 5; origin triggers (`required`) may not exceed 30.
     * @default 5
     */
    timeoutSeconds?: number;
    /**
     * Function memory, MB. Viewer-request triggers (`secured`) require exactly 128.
     * @default 128
     */
    memorySizeMb?: number;
    /**
     * Time budget of one DynamoDB lookup, retries included, milliseconds.
     * Must leave at least 1 s of `timeoutSeconds`; at most 25000.
     * @default 3000
     */
    lookupTimeoutMs?: number;
    /**
     * Entries a warm function instance keeps in its in-memory lookup cache
     * (about 0.4 KB each: 10,000 take ~4 MB of the function's 128 MB).
     * Sized by the benchmark's Zipf trace over 10,000 hashes: 1,000 entries
     * spared 84 % of repeat reads, 10,000 spare 97.5 % (docs/BENCHMARKS.md).
     * @default 10000
     */
    memoMaxEntries?: number;
    /**
     * How long a looked-up mapping may be reused from that cache, seconds
     * (never past the hash's own expiry). It delays the effect of revoking a
     * hash by at most this long. `secured` defaults to 0 so that a revoked
     * hash stops working on the very next request.
     * @default 60 for `required`, 0 for `secured`
     */
    memoTtlSeconds?: number;
}

export interface SecureImageCdnArgs {
    /**
     * Name of the service whose images this CDN serves; used in tags, log
     * lines and the issuer settings. Lowercase letters, digits and hyphens.
     * @example "discussion"
     */
    service: string;
    /**
     * How strictly images are guarded.
     * - `public`: objects are served by key; no table, no edge function.
     * - `required`: hash URLs, looked up at the edge on cache misses.
     * - `secured`: hash URLs, checked at the edge on every request, so an
     *   expired or revoked hash stops working even for cached bytes.
     * @default "required"
     */
    level?: SecurityLevel;
    /**
     * How a valid hash is delivered (guarded levels only).
     * - `origin`: the edge rewrites the request to the object's key and
     *   CloudFront fetches it from the private bucket (bytes cached at the edge).
     * - `redirect`: the edge answers 302 to a short-lived presigned S3 URL.
     * @default "origin"
     */
    mode?: DeliveryMode;
    /**
     * Lifetime of an issued hash, seconds (guarded levels only); 60 s to one year.
     * @default 2592000 (30 days)
     */
    hashTtlSeconds?: number;
    /**
     * Validity of the presigned S3 URL a redirect points to, seconds
     * (`redirect` mode only); after a revocation the object can be fetched
     * for at most this long. At most 600: the edge signs with its role's
     * temporary credentials, and a presigned URL dies when they expire (see
     * edge/presign.ts). Shorter than `hashTtlSeconds`.
     * @default 300
     * @example 120
     */
    signedUrlTtlSeconds?: number;
    /**
     * Cache policy minimum TTL, seconds. Guarded levels require 0: with a
     * positive minimum CloudFront caches responses that say `no-store`,
     * which would outlive expired hashes and presigned URLs.
     * @default 0
     */
    minTtlSeconds?: number;
    /**
     * Cache policy default TTL, seconds: how long CloudFront caches an image
     * whose response says nothing about caching.
     * @default 86400 (1 day)
     */
    defaultTtlSeconds?: number;
    /**
     * Cache policy maximum TTL, seconds. The edge further bounds each image
     * by its hash's remaining life.
     * @default 2592000 (30 days)
     */
    maxTtlSeconds?: number;
    /**
     * How long a 404 (unknown hash or missing object) may be cached, seconds.
     * @default 10
     */
    notFoundTtlSeconds?: number;
    /**
     * Custom domain names of the distribution; requires `certificateArn`.
     * @default [] (the distribution's cloudfront.net domain)
     * @example ["images.example.com"]
     */
    aliases?: string[];
    /**
     * ACM certificate for `aliases`; must be in us-east-1.
     * @example "arn:aws:acm:us-east-1:123456789012:certificate/0d4e…"
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * Which edge locations serve the distribution.
     * @default "PriceClass_100" (North America, Europe, Israel)
     */
    priceClass?: PriceClass;
    /**
     * Tags added to every taggable child (besides a `secure-image-cdn:service` tag).
     * @default {}
     * @example { team: "media", "cost-center": "42" }
     */
    tags?: Record<string, string>;
    /**
     * Guard the stateful children: `protect` on the bucket and the table,
     * DynamoDB deletion protection, and no `forceDestroy` on the bucket.
     * Set `false` only for throwaway stacks: `pulumi destroy` then deletes
     * every image and every issued link.
     * @default true
     */
    protectData?: boolean;
    /**
     * CloudWatch alarms (the seed's 5xx error rate and Lambda@Edge duration).
     * @default { enabled: true }
     */
    alarms?: CdnAlarmArgs;
    /**
     * Key prefix under which the issuer lets applications upload.
     * @default "uploads/"
     */
    uploadPrefix?: string;
    /**
     * Largest upload the issuer's presigned POST accepts, bytes.
     * @default 10485760 (10 MiB)
     */
    maxUploadBytes?: number;
    /**
     * Edge function knobs (guarded levels only).
     * @default {}
     */
    edge?: CdnEdgeArgs;
}

/** Every field of {@link SecureImageCdnArgs}, for checking untyped input (stack config). */
export const ARG_KEYS = [
    "service",
    "level",
    "mode",
    "hashTtlSeconds",
    "signedUrlTtlSeconds",
    "minTtlSeconds",
    "defaultTtlSeconds",
    "maxTtlSeconds",
    "notFoundTtlSeconds",
    "aliases",
    "certificateArn",
    "priceClass",
    "tags",
    "protectData",
    "alarms",
    "uploadPrefix",
    "maxUploadBytes",
    "edge",
] as const satisfies readonly (keyof SecureImageCdnArgs)[];

// Compile-time check that ARG_KEYS lists every field.
type MissingArgKeys = Exclude<keyof SecureImageCdnArgs, (typeof ARG_KEYS)[number]>;
const everyArgKeyListed: MissingArgKeys extends never ? true : MissingArgKeys = true;
void everyArgKeyListed;

const ALARM_KEYS = ["enabled", "actions", "edgeRegions", "errorRatePercent", "durationMs"] as const satisfies readonly (keyof CdnAlarmArgs)[];
const EDGE_KEYS = ["timeoutSeconds", "memorySizeMb", "lookupTimeoutMs", "memoMaxEntries", "memoTtlSeconds"] as const satisfies readonly (keyof CdnEdgeArgs)[];

/** Defaults of the optional fields (level-dependent ones noted where they differ). */
export const CDN_DEFAULTS = {
    level: "required",
    mode: "origin",
    hashTtlSeconds: DEFAULT_HASH_TTL_SECONDS,
    signedUrlTtlSeconds: DEFAULT_SIGNED_URL_TTL_SECONDS,
    minTtlSeconds: 0,
    defaultTtlSeconds: 86400,
    maxTtlSeconds: 2592000,
    notFoundTtlSeconds: 10,
    priceClass: "PriceClass_100",
    protectData: true,
    uploadPrefix: "uploads/",
    maxUploadBytes: 10 * 1024 * 1024,
    alarms: { enabled: true, errorRatePercent: 5, durationMs: 500 },
    edge: { timeoutSeconds: 5, memorySizeMb: 128, lookupTimeoutMs: 3000, memoMaxEntries: 10000 },
    memoTtlSeconds: DEFAULT_MEMO_TTL_SECONDS,
} as const;

export interface ResolvedAlarms {
    enabled: boolean;
    /** SNS topic ARNs by the region they are in. */
    actionsByRegion: Record<string, string[]>;
    /** Regions with a Lambda@Edge duration alarm (none for `public`). */
    edgeRegions: string[];
    errorRatePercent: number;
    durationMs: number;
}

export interface ResolvedEdge {
    timeoutSeconds: number;
    memorySizeMb: number;
    lookupTimeoutMs: number;
    memoMaxEntries: number;
    memoTtlSeconds: number;
}

interface ResolvedCommon {
    service: string;
    minTtlSeconds: number;
    defaultTtlSeconds: number;
    maxTtlSeconds: number;
    notFoundTtlSeconds: number;
    aliases: string[];
    certificateArn?: pulumi.Input<string>;
    priceClass: PriceClass;
    /** User tags plus the service tag. */
    tags: Record<string, string>;
    protectData: boolean;
    alarms: ResolvedAlarms;
    uploadPrefix: string;
    maxUploadBytes: number;
    /** Lifetime of an issued hash; for `public` the default, used by nothing but the issuer settings. */
    hashTtlSeconds: number;
}

/** A `public` instance: no table, no edge function. */
export interface ResolvedPublicSettings extends ResolvedCommon {
    level: "public";
}

/** A `required` or `secured` instance. */
export interface ResolvedGuardedSettings extends ResolvedCommon {
    level: GuardedLevel;
    mode: DeliveryMode;
    signedUrlTtlSeconds: number;
    edge: ResolvedEdge;
}

/** Fully defaulted, validated settings of one instance. */
export type ResolvedCdnSettings = ResolvedPublicSettings | ResolvedGuardedSettings;

/** True for the levels that run an edge function and keep a table. */
export function isGuarded(settings: ResolvedCdnSettings): settings is ResolvedGuardedSettings {
    return settings.level !== "public";
}

/** The tag every child carries, naming the service. */
export const SERVICE_TAG = "secure-image-cdn:service";

/** Service (and instance) names: lowercase letters, digits and inner hyphens, at most 40 characters. */
const NAME_PATTERN = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Checks a name used to prefix child resource names. Auto-named children
 * append a suffix and must fit AWS name limits (IAM role names: 64
 * characters; S3 bucket names: lowercase), hence the pattern and length.
 */
export function validateInstanceName(name: unknown, field = "name"): string {
    if (typeof name !== "string" || !NAME_PATTERN.test(name) || name.includes("--")) {
        throw new Error(
            `${field} must be 1-40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (got ${JSON.stringify(name)})`,
        );
    }
    return name;
}

/**
 * Checks an ACM certificate ARN for CloudFront: it must be in us-east-1.
 * Used on plain strings up front and on Outputs when they resolve.
 */
export function validateCertificateArn(arn: unknown): string {
    const match = typeof arn === "string" ? /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(arn) : null;
    if (!match) {
        throw new Error(`certificateArn must be an ACM certificate ARN (got ${JSON.stringify(arn)})`);
    }
    if (match[1] !== EDGE_REGION) {
        throw new Error(`certificateArn must be a certificate in ${EDGE_REGION}, where CloudFront reads certificates (got one in ${match[1]})`);
    }
    return arn as string;
}

/**
 * Applies the defaults and checks every field and every combination. Throws
 * an Error whose message names the offending field(s).
 */
export function resolveArgs(args: SecureImageCdnArgs): ResolvedCdnSettings {
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        throw new Error("SecureImageCdn args must be an object with at least `service`");
    }
    rejectUnknownKeys(args, ARG_KEYS, "");
    const service = validateInstanceName(args.service, "service");

    const level = oneOf(args.level ?? CDN_DEFAULTS.level, SECURITY_LEVELS, "level");

    const hashTtlSeconds = integer(args.hashTtlSeconds ?? CDN_DEFAULTS.hashTtlSeconds, "hashTtlSeconds", 60, MAX_HASH_TTL_SECONDS);
    const minTtlSeconds = integer(args.minTtlSeconds ?? CDN_DEFAULTS.minTtlSeconds, "minTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    const defaultTtlSeconds = integer(args.defaultTtlSeconds ?? CDN_DEFAULTS.defaultTtlSeconds, "defaultTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    const maxTtlSeconds = integer(args.maxTtlSeconds ?? CDN_DEFAULTS.maxTtlSeconds, "maxTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    if (minTtlSeconds > defaultTtlSeconds) {
        throw new Error(`minTtlSeconds (${minTtlSeconds}) must not exceed defaultTtlSeconds (${defaultTtlSeconds})`);
    }
    if (defaultTtlSeconds > maxTtlSeconds) {
        throw new Error(`defaultTtlSeconds (${defaultTtlSeconds}) must not exceed maxTtlSeconds (${maxTtlSeconds})`);
    }
    const notFoundTtlSeconds = integer(args.notFoundTtlSeconds ?? CDN_DEFAULTS.notFoundTtlSeconds, "notFoundTtlSeconds", 0, 3600);

    const aliases = stringList(args.aliases ?? [], "aliases");
    for (const alias of aliases) {
        if (!/^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(alias)) {
            throw new Error(`aliases must be lowercase domain names (got ${JSON.stringify(alias)})`);
        }
    }
    noDuplicates(aliases, "aliases");
    const certificateArn = args.certificateArn;
    if (aliases.length > 0 && certificateArn === undefined) {
        throw new Error("aliases need certificateArn: an ACM certificate in us-east-1 covering them");
    }
    if (aliases.length === 0 && certificateArn !== undefined) {
        throw new Error("certificateArn is set but aliases is empty: the distribution would not use it");
    }
    if (typeof certificateArn === "string" || (certificateArn !== undefined && !isOutputLike(certificateArn))) {
        validateCertificateArn(certificateArn);
    }

    const priceClass = oneOf(args.priceClass ?? CDN_DEFAULTS.priceClass, PRICE_CLASSES, "priceClass");
    const tags = resolveTags(args.tags ?? {}, service);
    const protectData = boolean(args.protectData ?? CDN_DEFAULTS.protectData, "protectData");

    const uploadPrefix = args.uploadPrefix ?? CDN_DEFAULTS.uploadPrefix;
    if (typeof uploadPrefix !== "string" || !uploadPrefix.endsWith("/") || uploadPrefix.startsWith("/") || !isSafeObjectKey(uploadPrefix + "x")) {
        throw new Error(`uploadPrefix must be a relative S3 key prefix ending with "/" (got ${JSON.stringify(uploadPrefix)})`);
    }
    const maxUploadBytes = integer(args.maxUploadBytes ?? CDN_DEFAULTS.maxUploadBytes, "maxUploadBytes", 1, MAX_SINGLE_UPLOAD_BYTES);

    const common: ResolvedCommon = {
        service,
        hashTtlSeconds,
        minTtlSeconds,
        defaultTtlSeconds,
        maxTtlSeconds,
        notFoundTtlSeconds,
        aliases,
        certificateArn,
        priceClass,
        tags,
        protectData,
        alarms: resolveAlarms(args.alarms, level),
        uploadPrefix,
        maxUploadBytes,
    };

    if (level === "public") {
        const guardedOnly = (["mode", "signedUrlTtlSeconds", "hashTtlSeconds", "edge"] as const).filter((key) => args[key] !== undefined);
        if (guardedOnly.length > 0) {
            throw new Error(`${guardedOnly.join(", ")} ${guardedOnly.length === 1 ? "does" : "do"} not apply to level "public", which serves objects by key without hashes or an edge function`);
        }
        return { ...common, level };
    }

    if (minTtlSeconds !== 0) {
        throw new Error(`minTtlSeconds must be 0 for level "${level}": a positive minimum makes CloudFront cache responses that say no-store (expired hashes, redirects)`);
    }
    const mode = oneOf(args.mode ?? CDN_DEFAULTS.mode, DELIVERY_MODES, "mode");
    if (mode === "origin" && args.signedUrlTtlSeconds !== undefined) {
        throw new Error('signedUrlTtlSeconds applies only to mode "redirect"; mode "origin" hands out no presigned URLs');
    }
    if (typeof args.signedUrlTtlSeconds === "number" && args.signedUrlTtlSeconds > MAX_SIGNED_URL_TTL_SECONDS) {
        throw new Error(
            `signedUrlTtlSeconds must be at most ${MAX_SIGNED_URL_TTL_SECONDS} (got ${args.signedUrlTtlSeconds}): the edge signs with its role's temporary credentials, and a presigned URL stops working when they expire`,
        );
    }
    const signedUrlTtlSeconds = integer(args.signedUrlTtlSeconds ?? CDN_DEFAULTS.signedUrlTtlSeconds, "signedUrlTtlSeconds", 1, MAX_SIGNED_URL_TTL_SECONDS);
    if (signedUrlTtlSeconds >= hashTtlSeconds) {
        throw new Error(`signedUrlTtlSeconds (${signedUrlTtlSeconds}) must be shorter than hashTtlSeconds (${hashTtlSeconds})`);
    }
    return { ...common, level, mode, signedUrlTtlSeconds, edge: resolveEdge(args.edge, level) };
}

function resolveAlarms(alarms: CdnAlarmArgs | undefined, level: SecurityLevel): ResolvedAlarms {
    const given = alarms ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error("alarms must be an object");
    rejectUnknownKeys(given, ALARM_KEYS, "alarms.");
    const enabled = boolean(given.enabled ?? CDN_DEFAULTS.alarms.enabled, "alarms.enabled");
    if (level === "public" && given.edgeRegions !== undefined) {
        throw new Error('alarms.edgeRegions does not apply to level "public", which has no edge function');
    }
    const edgeRegions = level === "public" ? [] : stringList(given.edgeRegions ?? [...DEFAULT_EDGE_ALARM_REGIONS], "alarms.edgeRegions");
    for (const region of edgeRegions) {
        if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region)) {
            throw new Error(`alarms.edgeRegions must hold AWS region names (got ${JSON.stringify(region)})`);
        }
    }
    noDuplicates(edgeRegions, "alarms.edgeRegions");
    const alarmRegions = new Set([EDGE_REGION, ...edgeRegions]);
    const actionsByRegion: Record<string, string[]> = {};
    const actions = stringList(given.actions ?? [], "alarms.actions");
    noDuplicates(actions, "alarms.actions");
    for (const action of actions) {
        const match = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.exec(action);
        if (!match) throw new Error(`alarms.actions must hold SNS topic ARNs (got ${JSON.stringify(action)})`);
        const region = match[1];
        if (!alarmRegions.has(region)) {
            throw new Error(
                `alarms.actions: topic ${action} is in ${region}, where this instance has no alarm (alarms are in ${[...alarmRegions].join(", ")}); CloudWatch alarms notify topics of their own region`,
            );
        }
        (actionsByRegion[region] ??= []).push(action);
    }
    const errorRatePercent = number(given.errorRatePercent ?? CDN_DEFAULTS.alarms.errorRatePercent, "alarms.errorRatePercent", 0, 100);
    if (errorRatePercent === 0) throw new Error("alarms.errorRatePercent must be greater than 0");
    const durationMs = integer(given.durationMs ?? CDN_DEFAULTS.alarms.durationMs, "alarms.durationMs", 1, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS * 1000);
    return { enabled, actionsByRegion, edgeRegions, errorRatePercent, durationMs };
}

function resolveEdge(edge: CdnEdgeArgs | undefined, level: GuardedLevel): ResolvedEdge {
    const given = edge ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error("edge must be an object");
    rejectUnknownKeys(given, EDGE_KEYS, "edge.");
    const viewer = level === "secured";
    const maxTimeout = viewer ? VIEWER_TRIGGER_MAX_TIMEOUT_SECONDS : ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS;
    const timeoutSeconds = integer(given.timeoutSeconds ?? CDN_DEFAULTS.edge.timeoutSeconds, "edge.timeoutSeconds", 1, Number.MAX_SAFE_INTEGER);
    if (timeoutSeconds > maxTimeout) {
        throw new Error(
            `edge.timeoutSeconds must be at most ${maxTimeout} for level "${level}" (${viewer ? "viewer-request" : "origin-request"} trigger limit; got ${timeoutSeconds})`,
        );
    }
    const memorySizeMb = integer(given.memorySizeMb ?? CDN_DEFAULTS.edge.memorySizeMb, "edge.memorySizeMb", VIEWER_TRIGGER_MEMORY_MB, ORIGIN_TRIGGER_MAX_MEMORY_MB);
    if (viewer && memorySizeMb !== VIEWER_TRIGGER_MEMORY_MB) {
        throw new Error(`edge.memorySizeMb must be ${VIEWER_TRIGGER_MEMORY_MB} for level "secured" (viewer-request trigger limit; got ${memorySizeMb})`);
    }
    const lookupTimeoutMs = integer(given.lookupTimeoutMs ?? CDN_DEFAULTS.edge.lookupTimeoutMs, "edge.lookupTimeoutMs", 100, MAX_LOOKUP_TIMEOUT_MS);
    if (lookupTimeoutMs > timeoutSeconds * 1000 - 1000) {
        throw new Error(
            `edge.lookupTimeoutMs (${lookupTimeoutMs}) must leave at least 1 s of edge.timeoutSeconds (${timeoutSeconds} s) for the rest of the request`,
        );
    }
    const memoMaxEntries = integer(given.memoMaxEntries ?? CDN_DEFAULTS.edge.memoMaxEntries, "edge.memoMaxEntries", 0, 100000);
    const memoTtlSeconds = integer(given.memoTtlSeconds ?? CDN_DEFAULTS.memoTtlSeconds[level], "edge.memoTtlSeconds", 0, MAX_MEMO_TTL_SECONDS);
    return { timeoutSeconds, memorySizeMb, lookupTimeoutMs, memoMaxEntries, memoTtlSeconds };
}

function resolveTags(tags: Record<string, string>, service: string): Record<string, string> {
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) throw new Error("tags must be an object of string values");
    const keys = Object.keys(tags);
    if (keys.length > 40) throw new Error(`tags may hold at most 40 entries (got ${keys.length}); AWS allows 50 per resource and the component adds its own`);
    for (const key of keys) {
        const value: unknown = tags[key];
        if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith("aws:")) {
            throw new Error(`tags: key ${JSON.stringify(key)} must be 1-128 characters and not start with "aws:"`);
        }
        if (key === SERVICE_TAG) throw new Error(`tags: key ${SERVICE_TAG} is set by the component`);
        if (typeof value !== "string" || value.length > 256) {
            throw new Error(`tags: value of ${JSON.stringify(key)} must be a string of at most 256 characters`);
        }
    }
    return { ...tags, [SERVICE_TAG]: service };
}

function rejectUnknownKeys(value: object, known: readonly string[], prefix: string): void {
    const unknown = Object.keys(value).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
        throw new Error(`unknown field${unknown.length === 1 ? "" : "s"} ${unknown.map((key) => prefix + key).join(", ")} (known: ${known.map((key) => prefix + key).join(", ")})`);
    }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new Error(`${field} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
    }
    return value as T;
}

function number(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
        throw new Error(`${field} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
    return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
        throw new Error(`${field} must be a whole number ${range} (got ${JSON.stringify(value)})`);
    }
    return value;
}

function boolean(value: unknown, field: string): boolean {
    if (typeof value !== "boolean") throw new Error(`${field} must be true or false (got ${JSON.stringify(value)})`);
    return value;
}

function stringList(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw new Error(`${field} must be a list of strings (got ${JSON.stringify(value)})`);
    }
    return [...value];
}

function noDuplicates(values: string[], field: string): void {
    const repeated = values.filter((value, index) => values.indexOf(value) !== index);
    if (repeated.length > 0) throw new Error(`${field} lists ${[...new Set(repeated)].join(", ")} more than once`);
}

/** An Output or a Promise: resolved later, so checked later. */
function isOutputLike(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    return typeof (value as { then?: unknown }).then === "function" || typeof (value as { apply?: unknown }).apply === "function";
}
