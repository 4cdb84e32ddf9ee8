/**
 * From {@link SecureImageCdnArgs} to the settings of one instance: the
 * defaults applied (`CDN_DEFAULTS`) and every field and combination
 * checked, with an error that names the field. Pure: no resources, no
 * Outputs awaited, so the local stack and the tests get exactly the
 * settings a real deployment would use.
 *
 * The values that may be Outputs (alarm actions, tag values, aliases, the
 * certificate ARN) are checked here when they are plain; an Output one is
 * kept as it is and checked when it resolves (components/checked-inputs.ts)
 * by the same functions below, so both fail with the same message.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUploadPrefix } from "../core/contract";
import { EDGE_REGION, edgeTriggerLimits, isRegionName, LAMBDA_MIN_MEMORY_MB, limitingEdgeEvent, MAX_SINGLE_UPLOAD_BYTES, MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE, ORIGIN_TRIGGER_MAX_MEMORY_MB, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS, RESERVED_TAG_PREFIX, isKmsKeyArn, LOG_RETENTION_DAYS } from "../core/limits";
import { isServiceName, isWholeNumber, MAX_HASH_TTL_SECONDS, MAX_MEMO_ENTRIES, MAX_MEMO_TTL_SECONDS, MAX_NOT_FOUND_TTL_SECONDS, MAX_SIGNED_URL_TTL_SECONDS, MAX_USER_TAGS, maxLookupTimeoutMs, MIN_HASH_TTL_SECONDS, MIN_LOOKUP_TIMEOUT_MS, SERVICE_NAME_RULE } from "../core/bounds";
import { PRICE_CLASSES, PriceClass, TABLE_ENCRYPTIONS, TableEncryption } from "../core/enums";
import { edgeRegionsOf, REGIONAL_EDGE_CACHE_REGIONS } from "../core/regions";
import { CDN_DEFAULTS } from "../core/defaults";
import { DELIVERY_MODES, SECURITY_LEVELS } from "../core/enums";
import { edgeEventTypes } from "../core/edge-settings";
import type { DeliveryMode, GuardedLevel, SecurityLevel } from "../core/enums";
import { SECURED_READS } from "../core/enums";
import type { SecuredReads } from "../core/enums";
import type { CdnAlarmOptions, CdnEdgeOptions, SecureImageCdnArgs } from "./args";
import { regionOfArn } from "./arn";
import { checkReplicaRegions } from "./replicas";

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
    "additionalMetrics",
    "logRetentionDays",
    "tableEncryption",
    "tableKmsKeyArn",
    "replicaRegions",
    "uploadPrefix",
    "maxUploadBytes",
    "edge",
] as const satisfies readonly (keyof SecureImageCdnArgs)[];

const ALARM_KEYS = ["enabled", "actions", "email", "edgeRegions", "errorRatePercent", "durationMs", "minRequests", "replicationLatencyMs"] as const satisfies readonly (keyof CdnAlarmOptions)[];
const EDGE_KEYS = ["timeoutSeconds", "memorySizeMb", "lookupTimeoutMs", "memoMaxEntries", "memoTtlSeconds", "securedReads"] as const satisfies readonly (keyof CdnEdgeOptions)[];

// Compile-time checks that each key list names every field of its interface.
type Missing<Args, Keys extends readonly unknown[]> = Exclude<keyof Args, Keys[number]>;
const everyKeyListed: [Missing<SecureImageCdnArgs, typeof ARG_KEYS>, Missing<CdnAlarmOptions, typeof ALARM_KEYS>, Missing<CdnEdgeOptions, typeof EDGE_KEYS>] extends [never, never, never]
    ? true
    : never = true;
void everyKeyListed;

export interface ResolvedAlarms {
    enabled: boolean;
    /** The SNS topic ARNs given as plain strings, checked, by the region they are in. */
    actionsByRegion: Record<string, string[]>;
    /**
     * Every action as given, in order: the plain ones (also in
     * `actionsByRegion`) and the Outputs, which {@link routeAlarmActions}
     * checks and routes when they resolve.
     */
    actions: pulumi.Input<string>[];
    /** Addresses subscribed to the topics the component creates. */
    email: string[];
    /** True when the component creates the alarm topics: alarms on, and no `actions` given. */
    createTopics: boolean;
    /** Regions with the Lambda@Edge alarms (none for `public`). */
    edgeRegions: string[];
    errorRatePercent: number;
    durationMs: number;
    /** Fewest requests (or invocations) in a period for the rate and duration alarms to judge it. */
    minRequests: number;
    /** Threshold of the replicas' `ReplicationLatency` alarms, ms. */
    replicationLatencyMs: number;
    /** The home region, where the `ReplicationLatency` alarms go: set when the table has replicas and alarms are on. */
    replicationRegion?: string;
}

export interface ResolvedEdge {
    timeoutSeconds: number;
    memorySizeMb: number;
    lookupTimeoutMs: number;
    memoMaxEntries: number;
    memoTtlSeconds: number;
    /** Where `secured` lookups read (`home` for `required`, where it means nothing). */
    securedReads: SecuredReads;
}

interface ResolvedCommon {
    service: string;
    minTtlSeconds: number;
    defaultTtlSeconds: number;
    maxTtlSeconds: number;
    notFoundTtlSeconds: number;
    /** Plain aliases are checked; Output ones are checked when they resolve ({@link checkAliasList}). */
    aliases: pulumi.Input<string>[];
    certificateArn?: pulumi.Input<string>;
    priceClass: PriceClass;
    /** User tags plus the service tag; plain values are checked, Output ones when they resolve ({@link checkTagValue}). */
    tags: Record<string, pulumi.Input<string>>;
    protectData: boolean;
    alarms: ResolvedAlarms;
    /** CloudFront's additional metrics (a monitoring subscription) on. */
    additionalMetrics: boolean;
    uploadPrefix: string;
    maxUploadBytes: number;
    /** Lifetime of an issued hash; for `public` the default, used by nothing but the issuer settings. */
    hashTtlSeconds: number;
}

/** A `public` instance: no table, no edge function, no delivery mode. */
export interface ResolvedPublicSettings extends ResolvedCommon {
    level: "public";
}

/** A `required` or `secured` instance. */
export interface ResolvedGuardedSettings extends ResolvedCommon {
    level: GuardedLevel;
    mode: DeliveryMode;
    signedUrlTtlSeconds: number;
    edge: ResolvedEdge;
    /** Days the edge function's logs are kept. */
    logRetentionDays: number;
    tableEncryption: TableEncryption;
    /** The key of `customer-managed-kms`; a plain one is checked, an Output when it resolves ({@link validateKmsKeyArn}). */
    tableKmsKeyArn?: pulumi.Input<string>;
    /** Regions with a replica of the table (none: one table, at home). */
    replicaRegions: string[];
    /** The home region, when known (the stack's `aws:region`); always known when there are replicas. */
    homeRegion?: string;
}

/** Fully defaulted, validated settings of one instance. */
export type ResolvedCdnSettings = ResolvedPublicSettings | ResolvedGuardedSettings;

/** True for the levels that run an edge function and keep a table. */
export function isGuarded(settings: ResolvedCdnSettings): settings is ResolvedGuardedSettings {
    return settings.level !== "public";
}

/** The delivery mode of a guarded instance; `undefined` for `public`, which serves objects by key. */
export function deliveryModeOf(settings: ResolvedCdnSettings): DeliveryMode | undefined {
    return isGuarded(settings) ? settings.mode : undefined;
}

/** The tag every child carries, naming the service. */
export const SERVICE_TAG = "secure-image-cdn:service";

/** Checks a name used to prefix child resource names (see `isServiceName`). */
export function validateInstanceName(name: unknown, field = "name"): string {
    if (!isServiceName(name)) throw new Error(`${field} must be ${SERVICE_NAME_RULE} (got ${JSON.stringify(name)})`);
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

/** A custom domain name of the distribution (a value of `aliases`), plain or once its Output resolves. */
export function checkAlias(alias: unknown): string {
    if (typeof alias !== "string" || !/^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(alias)) {
        throw new Error(`aliases must be lowercase domain names (got ${JSON.stringify(alias)})`);
    }
    return alias;
}

/** Every alias checked, and none twice: the plain ones up front, all of them once every Output has resolved. */
export function checkAliasList(aliases: readonly unknown[]): string[] {
    const checked = aliases.map(checkAlias);
    noDuplicates(checked, "aliases");
    return checked;
}

/** A tag value, plain or once its Output resolves. */
export function checkTagValue(key: string, value: unknown): string {
    if (typeof value !== "string" || value.length > MAX_TAG_VALUE_LENGTH) {
        throw new Error(`tags: value of ${JSON.stringify(key)} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`);
    }
    return value;
}

/**
 * The regions that have an alarm: us-east-1 (CloudFront's), each of
 * `alarms.edgeRegions`, and home when the table has replicas (their
 * `ReplicationLatency` alarms).
 */
export function alarmRegions(alarms: Pick<ResolvedAlarms, "edgeRegions" | "replicationRegion">): string[] {
    return [...new Set([EDGE_REGION, ...alarms.edgeRegions, ...(alarms.replicationRegion ? [alarms.replicationRegion] : [])])];
}

/** Where the instance is being deployed, when the caller knows (the component reads the stack's `aws:region`). */
export interface ResolveContext {
    /** The home region (the table's); `replicaRegions` may not name it. */
    homeRegion?: string;
    /** Refuse `replicaRegions` when the home region is unknown (the component must know where the alarms and the home table are). */
    requireHomeRegion?: boolean;
}

/**
 * Checks alarm actions and sorts them by region: each must be an SNS topic
 * ARN in a region that has an alarm, and none may be listed twice. Applied
 * to the plain actions up front and to all of them once their Outputs have
 * resolved.
 */
export function routeAlarmActions(actions: readonly unknown[], regions: readonly string[]): Record<string, string[]> {
    const byRegion: Record<string, string[]> = {};
    const arns: string[] = [];
    for (const action of actions) {
        const match = typeof action === "string" ? /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.exec(action) : null;
        if (!match) throw new Error(`alarms.actions must hold SNS topic ARNs (got ${JSON.stringify(action)})`);
        const arn = action as string;
        const region = match[1];
        if (!regions.includes(region)) {
            throw new Error(
                `alarms.actions: topic ${arn} is in ${region}, where this instance has no alarm (alarms are in ${regions.join(", ")}); CloudWatch alarms notify topics of their own region`,
            );
        }
        arns.push(arn);
        (byRegion[region] ??= []).push(arn);
    }
    noDuplicates(arns, "alarms.actions");
    return byRegion;
}

/**
 * Applies the defaults and checks every field and every combination. Throws
 * an Error whose message names the offending field(s).
 */
export function resolveArgs(args: SecureImageCdnArgs, context: ResolveContext = {}): ResolvedCdnSettings {
    if (typeof args !== "object" || args === null || Array.isArray(args) || isOutputLike(args)) {
        throw new Error("SecureImageCdn args must be an object with at least `service`");
    }
    rejectUnknownKeys(args, ARG_KEYS, "");
    for (const key of ARG_KEYS) {
        // The two ARNs passed straight to AWS may be Outputs, checked when they resolve.
        if (key !== "certificateArn" && key !== "tableKmsKeyArn") requireKnown(args[key], key);
    }
    const service = validateInstanceName(args.service, "service");

    const level = oneOf(args.level ?? CDN_DEFAULTS.level, SECURITY_LEVELS, "level");

    const hashTtlSeconds = integer(args.hashTtlSeconds ?? CDN_DEFAULTS.hashTtlSeconds, "hashTtlSeconds", MIN_HASH_TTL_SECONDS, MAX_HASH_TTL_SECONDS);
    const minTtlSeconds = integer(args.minTtlSeconds ?? CDN_DEFAULTS.minTtlSeconds, "minTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    const defaultTtlSeconds = integer(args.defaultTtlSeconds ?? CDN_DEFAULTS.defaultTtlSeconds, "defaultTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    const maxTtlSeconds = integer(args.maxTtlSeconds ?? CDN_DEFAULTS.maxTtlSeconds, "maxTtlSeconds", 0, Number.MAX_SAFE_INTEGER);
    if (minTtlSeconds > defaultTtlSeconds) {
        throw new Error(`minTtlSeconds (${minTtlSeconds}) must not exceed defaultTtlSeconds (${defaultTtlSeconds})`);
    }
    if (defaultTtlSeconds > maxTtlSeconds) {
        throw new Error(`defaultTtlSeconds (${defaultTtlSeconds}) must not exceed maxTtlSeconds (${maxTtlSeconds})`);
    }
    const notFoundTtlSeconds = integer(args.notFoundTtlSeconds ?? CDN_DEFAULTS.notFoundTtlSeconds, "notFoundTtlSeconds", 0, MAX_NOT_FOUND_TTL_SECONDS);

    const aliases = inputList(args.aliases ?? CDN_DEFAULTS.aliases, "aliases");
    checkAliasList(aliases.filter((alias) => !isOutputLike(alias)));
    const certificateArn = args.certificateArn;
    if (aliases.length > 0 && certificateArn === undefined) {
        throw new Error(`aliases need certificateArn: an ACM certificate in ${EDGE_REGION} covering them`);
    }
    if (aliases.length === 0 && certificateArn !== undefined) {
        throw new Error("certificateArn is set but aliases is empty: the distribution would not use it");
    }
    if (typeof certificateArn === "string" || (certificateArn !== undefined && !isOutputLike(certificateArn))) {
        validateCertificateArn(certificateArn);
    }

    const priceClass = oneOf(args.priceClass ?? CDN_DEFAULTS.priceClass, PRICE_CLASSES, "priceClass");
    if (level === "public" && args.replicaRegions !== undefined) {
        throw new Error('replicaRegions does not apply to level "public", which has no table: only the guarded levels (required, secured) keep one');
    }
    const replicaRegions = level === "public" ? [] : stringList(args.replicaRegions ?? CDN_DEFAULTS.replicaRegions, "replicaRegions");
    checkReplicaRegions(replicaRegions, context.homeRegion, context.requireHomeRegion === true);
    const replicated = replicaRegions.length > 0;
    const tags = resolveTags(args.tags ?? CDN_DEFAULTS.tags, service);
    const protectData = boolean(args.protectData ?? CDN_DEFAULTS.protectData, "protectData");

    const uploadPrefix = args.uploadPrefix ?? CDN_DEFAULTS.uploadPrefix;
    if (!isUploadPrefix(uploadPrefix)) {
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
        alarms: resolveAlarms(args.alarms, level, priceClass, replicated ? context.homeRegion : undefined),
        additionalMetrics: boolean(args.additionalMetrics ?? CDN_DEFAULTS.additionalMetrics, "additionalMetrics"),
        uploadPrefix,
        maxUploadBytes,
    };

    if (level === "public") {
        const guardedOnly = (["mode", "signedUrlTtlSeconds", "hashTtlSeconds", "edge", "logRetentionDays", "tableEncryption", "tableKmsKeyArn", "replicaRegions"] as const).filter(
            (key) => args[key] !== undefined,
        );
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
    requireKnown(args.logRetentionDays, "logRetentionDays");
    const logRetentionDays = args.logRetentionDays ?? CDN_DEFAULTS.logRetentionDays;
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        throw new Error(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, the periods CloudWatch Logs accepts (got ${JSON.stringify(logRetentionDays)})`);
    }
    requireKnown(args.tableEncryption, "tableEncryption");
    const tableEncryption = oneOf(args.tableEncryption ?? CDN_DEFAULTS.tableEncryption, TABLE_ENCRYPTIONS, "tableEncryption");
    const tableKmsKeyArn = args.tableKmsKeyArn;
    if (tableEncryption === "customer-managed-kms" && tableKmsKeyArn === undefined) {
        throw new Error('tableEncryption "customer-managed-kms" needs tableKmsKeyArn: the KMS key to encrypt the table with');
    }
    if (tableEncryption !== "customer-managed-kms" && tableKmsKeyArn !== undefined) {
        throw new Error(`tableKmsKeyArn applies only to tableEncryption "customer-managed-kms" (got tableEncryption "${tableEncryption}")`);
    }
    if (tableKmsKeyArn !== undefined && !isOutputLike(tableKmsKeyArn)) validateKmsKeyArn(tableKmsKeyArn, context.homeRegion);
    if (replicaRegions.length > 0 && tableEncryption === "customer-managed-kms") {
        throw new Error('replicaRegions does not go with tableEncryption "customer-managed-kms": a KMS key is regional, and each replica would need its own; use "aws-owned" or "aws-managed-kms"');
    }
    const edge = resolveEdge(args.edge, level, mode);
    if (args.edge?.securedReads !== undefined && replicaRegions.length === 0) {
        throw new Error("edge.securedReads applies only with replicaRegions: without replicas every lookup reads home");
    }
    return {
        ...common,
        level,
        mode,
        signedUrlTtlSeconds,
        edge,
        logRetentionDays,
        tableEncryption,
        ...(tableKmsKeyArn !== undefined ? { tableKmsKeyArn } : {}),
        replicaRegions,
        ...(context.homeRegion !== undefined ? { homeRegion: context.homeRegion } : {}),
    };
}

/**
 * Checks a table's KMS key ARN and, when the home region is known, that the
 * key is in it: a KMS key is regional and DynamoDB encrypts a table only with
 * a key of the table's own region (it refuses another at CreateTable, in the
 * middle of `pulumi up`). Used on plain strings up front and on Outputs when
 * they resolve (checked-inputs.ts).
 */
export function validateKmsKeyArn(arn: unknown, homeRegion?: string): string {
    if (!isKmsKeyArn(arn)) throw new Error(`tableKmsKeyArn must be a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id> (got ${JSON.stringify(arn)})`);
    const keyRegion = regionOfArn(arn);
    if (homeRegion !== undefined && keyRegion !== homeRegion) {
        throw new Error(
            `tableKmsKeyArn is a key in ${keyRegion}, but the table is in ${homeRegion} (aws:region): DynamoDB encrypts a table only with a key of its own region (got ${arn})`,
        );
    }
    return arn;
}

/**
 * The regions where the edge function may write logs, and so where its log
 * groups are created: every region with a regional edge cache, whatever the
 * price class (CloudFront occasionally serves a request from a location
 * outside the price class, and the function's role may not create a missing
 * log group, so its lines would be lost there), and any region
 * `alarms.edgeRegions` adds. An empty log group costs nothing.
 */
export function edgeLogRegions(settings: Pick<ResolvedCommon, "alarms">): string[] {
    return [...new Set([...REGIONAL_EDGE_CACHE_REGIONS, ...settings.alarms.edgeRegions])];
}

function resolveAlarms(alarms: CdnAlarmOptions | undefined, level: SecurityLevel, priceClass: PriceClass, replicationRegion: string | undefined): ResolvedAlarms {
    const given = alarms ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error("alarms must be an object");
    rejectUnknownKeys(given, ALARM_KEYS, "alarms.");
    for (const key of ALARM_KEYS) requireKnown(given[key], `alarms.${key}`);
    const defaults = CDN_DEFAULTS.alarms;
    const enabled = boolean(given.enabled ?? defaults.enabled, "alarms.enabled");
    if (level === "public" && given.edgeRegions !== undefined) {
        throw new Error('alarms.edgeRegions does not apply to level "public", which has no edge function');
    }
    // By default, the regions whose regional edge caches serve the price class.
    const edgeRegions = level === "public" ? [] : stringList(given.edgeRegions ?? edgeRegionsOf(priceClass), "alarms.edgeRegions");
    for (const region of edgeRegions) {
        if (!isRegionName(region)) throw new Error(`alarms.edgeRegions must hold AWS region names (got ${JSON.stringify(region)})`);
    }
    noDuplicates(edgeRegions, "alarms.edgeRegions");
    const actions = inputList(given.actions ?? defaults.actions, "alarms.actions");
    if (!enabled && actions.length > 0) {
        throw new Error("alarms.actions does not apply when alarms.enabled is false: there is no alarm to notify from");
    }
    const actionsByRegion = routeAlarmActions(
        actions.filter((action) => !isOutputLike(action)),
        alarmRegions({ edgeRegions, replicationRegion: enabled ? replicationRegion : undefined }),
    );
    const errorRatePercent = number(given.errorRatePercent ?? defaults.errorRatePercent, "alarms.errorRatePercent", 0, 100);
    if (errorRatePercent === 0) throw new Error("alarms.errorRatePercent must be greater than 0");
    const durationMs = integer(given.durationMs ?? defaults.durationMs, "alarms.durationMs", 1, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS * 1000);
    const minRequests = integer(given.minRequests ?? defaults.minRequests, "alarms.minRequests", 1, 1_000_000);
    const email = stringList(given.email ?? defaults.email, "alarms.email");
    for (const address of email) {
        if (!isEmailAddress(address)) throw new Error(`alarms.email must hold email addresses (got ${JSON.stringify(address)})`);
    }
    noDuplicates(
        email.map((address) => address.toLowerCase()),
        "alarms.email",
    );
    if (email.length > 0 && !enabled) throw new Error("alarms.email does not apply when alarms.enabled is false: there is no alarm to notify from");
    if (email.length > 0 && actions.length > 0) {
        throw new Error("alarms.email subscribes the topics the component creates, and none are created when alarms.actions is given: subscribe the addresses to your own topics");
    }
    const replicationLatencyMs = integer(given.replicationLatencyMs ?? defaults.replicationLatencyMs, "alarms.replicationLatencyMs", 1, 24 * 60 * 60 * 1000);
    return {
        enabled,
        actionsByRegion,
        actions,
        email,
        createTopics: enabled && actions.length === 0,
        edgeRegions,
        errorRatePercent,
        durationMs,
        minRequests,
        replicationLatencyMs,
        ...(enabled && replicationRegion !== undefined ? { replicationRegion } : {}),
    };
}

function resolveEdge(edge: CdnEdgeOptions | undefined, level: GuardedLevel, mode: DeliveryMode): ResolvedEdge {
    const given = edge ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error("edge must be an object");
    rejectUnknownKeys(given, EDGE_KEYS, "edge.");
    for (const key of EDGE_KEYS) requireKnown(given[key], `edge.${key}`);
    const defaults = CDN_DEFAULTS.edge;
    // One function serves all of the instance's events, so the tightest event's limits bind it.
    const trigger = limitingEdgeEvent(edgeEventTypes(level, mode));
    const limits = edgeTriggerLimits(trigger);
    const timeoutSeconds = integer(given.timeoutSeconds ?? defaults.timeoutSeconds, "edge.timeoutSeconds", 1, Number.MAX_SAFE_INTEGER);
    if (timeoutSeconds > limits.maxTimeoutSeconds) {
        throw new Error(`edge.timeoutSeconds must be at most ${limits.maxTimeoutSeconds} for level "${level}" (${trigger} trigger limit; got ${timeoutSeconds})`);
    }
    const memorySizeMb = integer(given.memorySizeMb ?? defaults.memorySizeMb, "edge.memorySizeMb", LAMBDA_MIN_MEMORY_MB, ORIGIN_TRIGGER_MAX_MEMORY_MB);
    if (memorySizeMb < limits.minMemoryMb || memorySizeMb > limits.maxMemoryMb) {
        const allowed = limits.minMemoryMb === limits.maxMemoryMb ? `${limits.minMemoryMb}` : `${limits.minMemoryMb} to ${limits.maxMemoryMb}`;
        throw new Error(`edge.memorySizeMb must be ${allowed} for level "${level}" (${trigger} trigger limit; got ${memorySizeMb})`);
    }
    const lookupTimeoutMs = integer(given.lookupTimeoutMs ?? defaults.lookupTimeoutMs, "edge.lookupTimeoutMs", MIN_LOOKUP_TIMEOUT_MS, maxLookupTimeoutMs(ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS));
    if (lookupTimeoutMs > maxLookupTimeoutMs(timeoutSeconds)) {
        throw new Error(
            `edge.lookupTimeoutMs (${lookupTimeoutMs}) must leave at least 1 s of edge.timeoutSeconds (${timeoutSeconds} s) for the rest of the request`,
        );
    }
    const memoMaxEntries = integer(given.memoMaxEntries ?? defaults.memoMaxEntries, "edge.memoMaxEntries", 0, MAX_MEMO_ENTRIES);
    const memoTtlSeconds = integer(given.memoTtlSeconds ?? defaults.memoTtlSeconds[level], "edge.memoTtlSeconds", 0, MAX_MEMO_TTL_SECONDS);
    if (level !== "secured" && given.securedReads !== undefined) {
        throw new Error(`edge.securedReads applies only to level "secured" (level "${level}" reads the nearest copy)`);
    }
    const securedReads = oneOf(given.securedReads ?? defaults.securedReads, SECURED_READS, "edge.securedReads");
    return { timeoutSeconds, memorySizeMb, lookupTimeoutMs, memoMaxEntries, memoTtlSeconds, securedReads };
}

function resolveTags(tags: Record<string, pulumi.Input<string>>, service: string): Record<string, pulumi.Input<string>> {
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) throw new Error("tags must be an object of string values");
    const keys = Object.keys(tags);
    if (keys.length > MAX_USER_TAGS) {
        throw new Error(`tags may hold at most ${MAX_USER_TAGS} entries (got ${keys.length}); AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the component adds its own`);
    }
    for (const key of keys) {
        const value: unknown = tags[key];
        if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
            throw new Error(`tags: key ${JSON.stringify(key)} must be 1-${MAX_TAG_KEY_LENGTH} characters and not start with "${RESERVED_TAG_PREFIX}"`);
        }
        if (key === SERVICE_TAG) throw new Error(`tags: key ${SERVICE_TAG} is set by the component`);
        if (!isOutputLike(value)) checkTagValue(key, value);
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
    if (!isWholeNumber(value, min, max)) {
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

/** A plain list whose items are strings or Outputs (checked when they resolve). */
function inputList(value: unknown, field: string): pulumi.Input<string>[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string" || isOutputLike(item))) {
        throw new Error(`${field} must be a list of strings (got ${JSON.stringify(Array.isArray(value) ? value.map(outputsNamed) : value)})`);
    }
    return [...value] as pulumi.Input<string>[];
}

/**
 * Refuses an Output (or a Promise) where a plain value decides what is
 * created or how it is wired; the lists and maps whose items may be Outputs
 * must themselves be plain.
 */
function requireKnown(value: unknown, field: string): void {
    if (isOutputLike(value)) {
        throw new Error(`${field} must be known when the program runs (got an Output or a Promise): it decides which resources exist or how they are wired`);
    }
}

/** An Output shown as such in an error message (serializing one prints a warning, not its value). */
function outputsNamed(item: unknown): unknown {
    return isOutputLike(item) ? "<Output>" : item;
}

/** An email address as SNS takes one: a local part, `@`, and a domain with a dot; no spaces. */
function isEmailAddress(value: string): boolean {
    return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
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
