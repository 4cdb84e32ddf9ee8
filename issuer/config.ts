/**
 * The issuer's one settings object and where it comes from: a
 * `pulumi stack output --json` file, or the state file the local stack writes
 * while it runs. Both have the shape
 * `{ "services": { "<name>": { "issuer": IssuerConfig, ... } } }`.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { uploadPrefixProblem } from "../core/contract";
import { isBucketName, isRegionName, isTableName, MAX_SQS_DELAY_SECONDS } from "../core/limits";
import { hashTtlProblem, maxUploadBytesProblem, memoTtlProblem, serviceNameProblem, signedUrlTtlProblem, wholeNumberProblem } from "../core/bounds";
import type { BoundProblem } from "../core/bounds";
import { DELIVERY_MODES, DeliveryMode, SECURITY_LEVELS, SecurityLevel } from "../core/enums";
import { presetFormatsProblems } from "../core/variants";
import type { PresetSummary, VariantFormat } from "../core/variants";
import { ConfigError, InvalidInputError } from "./errors";
import { readRegularFile } from "./read-file";
import { printable } from "./show";

/**
 * Where one service instance's resources are. `Location` is `string` here;
 * the component fills the same fields with Pulumi Outputs.
 */
export interface IssuerPlacement<Location = string> {
    /** Region of the table and the bucket. */
    region: Location;
    /** Mappings table; required unless `level` is `public`. */
    tableName?: Location;
    /** The service's private bucket. */
    bucket: Location;
    /** `https://<distribution domain>` (or alias); hash URLs are `<cdnBaseUrl>/images/<hash>`. */
    cdnBaseUrl: Location;
    /** CloudFront distribution id, for invalidations. */
    distributionId: Location;
}

/** What a service instance tells the issuer: its settings and where its resources are. */
export interface IssuerSettings<Location = string> extends IssuerPlacement<Location> {
    /** Service name, e.g. `chat`. */
    service: string;
    /** `public` services have no table: objects are served by key. */
    level: SecurityLevel;
    /** Lifetime of a new mapping, seconds (30 days by default in the component). */
    hashTtlSeconds: number;
    /** Key prefix uploads go under, ending in `/`, e.g. `uploads/`. */
    uploadPrefix: string;
    /** Largest upload accepted, bytes. */
    maxUploadBytes: number;
    /**
     * How a valid hash is delivered (guarded levels): with the two settings
     * below, it says how long a revoked hash may still lead to its object.
     * @default "origin" (the component's default) when absent
     */
    mode?: DeliveryMode;
    /**
     * The edge's memo lifetime (`edge.memoTtlSeconds`), seconds.
     * @default the component's default for the level when absent
     */
    memoTtlSeconds?: number;
    /**
     * Life of a presigned URL in redirect mode (`signedUrlTtlSeconds`), seconds.
     * @default the component's default when absent
     */
    signedUrlTtlSeconds?: number;
    /**
     * True when the edge may answer from a replica of the table
     * (`replicaRegions` at `required`, or `secured` with `edge.securedReads:
     * "nearest"`): a revocation then also waits for the delete to replicate.
     * @default false when absent
     */
    replicaReads?: boolean;
    /**
     * Set when the instance's invalidator follows its table (`required` +
     * `origin`): every removed mapping's paths are invalidated from the
     * table's stream, at once and again this many seconds later, whoever
     * deleted it. `revoke` then sends no invalidation of its own, and counts
     * this delay in the bound it states.
     * @default absent: `revoke` invalidates the paths itself
     */
    reinvalidateAfterSeconds?: number;
    /**
     * The image variants' catalogue as the issuer needs it: each preset's
     * formats (to build and check variant URLs) and whether uploads make it
     * ahead (`eager`). Absent when the service has no variants.
     */
    variants?: { [preset: string]: PresetSummary };
}

/** Everything the issuer needs to know about one service instance. */
export interface IssuerConfig extends IssuerSettings<string> {
    /** Endpoint overrides; set only by the local stack. */
    endpoints?: { dynamodb?: string; s3?: string; cloudfront?: string };
}

/** Environment variable naming a `pulumi stack output --json` file. */
export const OUTPUTS_ENV_VAR = "SECURE_IMAGE_CDN_OUTPUTS";

/**
 * Where the local stack writes its state while it runs, relative to the
 * project folder (the working directory of `npm start` and `npm run cdn`).
 */
export const LOCAL_STACK_STATE_FILE = path.join(".local-data", "local-stack.json");

const DISTRIBUTION_ID_PATTERN = /^[A-Z0-9]{1,64}$/;
const ENDPOINT_NAMES = ["dynamodb", "s3", "cloudfront"] as const;

/**
 * Checks a raw value (parsed JSON) and returns a clean `IssuerConfig` holding
 * only the known fields. Throws `ConfigError` naming the first bad field.
 */
export function validateIssuerConfig(raw: unknown, origin = "issuer config"): IssuerConfig {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${origin}: expected an object`);
    const record = raw as Record<string, unknown>;
    const fail = (field: string, expected: string): never => {
        throw new ConfigError(`${origin}: field '${field}' must be ${expected} (got ${describe(record[field])})`);
    };
    // The bounds every part shares are checked by core's one check of each; the issuer words the error.
    const check = (field: string, problem: BoundProblem | undefined): void => {
        if (problem === undefined) return;
        throw new ConfigError(`${origin}: field '${field}' ${problem.expected} (got ${describe(record[field])})${problem.reason ? `: ${problem.reason}` : ""}`);
    };

    const service = record.service;
    check("service", serviceNameProblem(service));
    const level = record.level;
    if (typeof level !== "string" || !(SECURITY_LEVELS as readonly string[]).includes(level)) fail("level", `one of ${SECURITY_LEVELS.join(", ")}`);
    const region = record.region;
    if (!isRegionName(region)) fail("region", "an AWS region name like 'eu-west-1'");
    const bucket = record.bucket;
    if (!isBucketName(bucket)) fail("bucket", "a valid S3 bucket name");
    const tableName = record.tableName;
    if (tableName !== undefined && !isTableName(tableName)) {
        fail("tableName", "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
    }
    if (level !== "public" && tableName === undefined) fail("tableName", `set for a '${String(level)}' service`);
    const cdnBaseUrl = record.cdnBaseUrl;
    if (typeof cdnBaseUrl !== "string" || !isBaseUrl(cdnBaseUrl)) {
        fail("cdnBaseUrl", "an https:// origin with no query or fragment (http:// only on loopback)");
    }
    const distributionId = record.distributionId;
    if (typeof distributionId !== "string" || !DISTRIBUTION_ID_PATTERN.test(distributionId)) fail("distributionId", "a CloudFront distribution id (A-Z, 0-9)");
    const hashTtlSeconds = record.hashTtlSeconds;
    check("hashTtlSeconds", hashTtlProblem(hashTtlSeconds));
    const uploadPrefix = record.uploadPrefix;
    check("uploadPrefix", uploadPrefixProblem(uploadPrefix));
    const maxUploadBytes = record.maxUploadBytes;
    check("maxUploadBytes", maxUploadBytesProblem(maxUploadBytes));

    const config: IssuerConfig = {
        service: service as string,
        level: level as SecurityLevel,
        region: region as string,
        bucket: bucket as string,
        cdnBaseUrl: (cdnBaseUrl as string).replace(/\/+$/, ""),
        distributionId: distributionId as string,
        hashTtlSeconds: hashTtlSeconds as number,
        uploadPrefix: uploadPrefix as string,
        maxUploadBytes: maxUploadBytes as number,
    };
    if (tableName !== undefined) config.tableName = tableName as string;
    const mode = record.mode;
    if (mode !== undefined) {
        if (typeof mode !== "string" || !(DELIVERY_MODES as readonly string[]).includes(mode)) fail("mode", DELIVERY_MODES.join(" or "));
        config.mode = mode as DeliveryMode;
    }
    const memoTtlSeconds = record.memoTtlSeconds;
    if (memoTtlSeconds !== undefined) {
        check("memoTtlSeconds", memoTtlProblem(memoTtlSeconds));
        config.memoTtlSeconds = memoTtlSeconds as number;
    }
    const signedUrlTtlSeconds = record.signedUrlTtlSeconds;
    if (signedUrlTtlSeconds !== undefined) {
        check("signedUrlTtlSeconds", signedUrlTtlProblem(signedUrlTtlSeconds));
        config.signedUrlTtlSeconds = signedUrlTtlSeconds as number;
    }
    const replicaReads = record.replicaReads;
    if (replicaReads !== undefined) {
        if (typeof replicaReads !== "boolean") fail("replicaReads", "true or false");
        config.replicaReads = replicaReads as boolean;
    }
    const reinvalidateAfterSeconds = record.reinvalidateAfterSeconds;
    if (reinvalidateAfterSeconds !== undefined) {
        check("reinvalidateAfterSeconds", wholeNumberProblem(reinvalidateAfterSeconds, 1, MAX_SQS_DELAY_SECONDS));
        config.reinvalidateAfterSeconds = reinvalidateAfterSeconds as number;
    }
    const variants = record.variants;
    if (variants !== undefined) config.variants = validateVariants(variants, origin);
    const endpoints = validateEndpoints(record.endpoints, origin);
    if (endpoints) config.endpoints = endpoints;
    return config;
}

/** The `variants` field: core's check of each preset's formats (the one the edge's settings get), and an `eager` flag each. */
function validateVariants(raw: unknown, origin: string): NonNullable<IssuerConfig["variants"]> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${origin}: field 'variants' must be an object of presets by name`);
    const entries = Object.entries(raw as Record<string, unknown>);
    const formats: Record<string, unknown> = {};
    for (const [name, preset] of entries) {
        if (typeof preset !== "object" || preset === null || Array.isArray(preset)) throw new ConfigError(`${origin}: field 'variants.${printable(name, 40)}' must be an object with formats and eager`);
        formats[name] = (preset as Record<string, unknown>).formats;
        if (typeof (preset as Record<string, unknown>).eager !== "boolean") throw new ConfigError(`${origin}: field 'variants.${printable(name, 40)}.eager' must be true or false`);
    }
    const problems = presetFormatsProblems(formats, "variants");
    if (problems.length > 0) throw new ConfigError(`${origin}: field ${printable(problems[0])}`);
    return Object.fromEntries(
        entries.map(([name, preset]) => {
            const { formats: list, eager } = preset as { formats: VariantFormat[]; eager: boolean };
            return [name, { formats: [...list], eager }];
        }),
    );
}

function validateEndpoints(raw: unknown, origin: string): IssuerConfig["endpoints"] {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError(`${origin}: field 'endpoints' must be an object`);
    const record = raw as Record<string, unknown>;
    const result: NonNullable<IssuerConfig["endpoints"]> = {};
    for (const name of ENDPOINT_NAMES) {
        const value = record[name];
        if (value === undefined) continue;
        if (typeof value !== "string" || !isHttpUrl(value)) {
            throw new ConfigError(`${origin}: field 'endpoints.${name}' must be an http(s) URL (got ${describe(value)})`);
        }
        result[name] = value;
    }
    return Object.keys(result).length > 0 ? result : undefined;
}

export interface LoadIssuerConfigOptions {
    /** Which service's issuer to load; may be left out when the outputs hold exactly one. */
    service?: string;
    /** A `pulumi stack output --json` file (the CLI's `--outputs`). */
    outputsFile?: string;
    /** Environment to read {@link OUTPUTS_ENV_VAR} from. @default process.env */
    env?: NodeJS.ProcessEnv;
    /** Folder relative paths are resolved against. @default process.cwd() */
    cwd?: string;
}

/** Where a configuration was read from. */
export interface ConfigSource {
    file: string;
    kind: "outputs-option" | "outputs-env" | "local-stack";
}

/**
 * The file the configuration comes from: `outputsFile`, else the file named by
 * `SECURE_IMAGE_CDN_OUTPUTS`, else the local stack's state file when it exists.
 */
export async function findConfigSource(options: LoadIssuerConfigOptions = {}): Promise<ConfigSource> {
    const cwd = options.cwd ?? process.cwd();
    const env = options.env ?? process.env;
    if (options.outputsFile !== undefined) return { file: path.resolve(cwd, options.outputsFile), kind: "outputs-option" };
    const fromEnv = env[OUTPUTS_ENV_VAR];
    if (fromEnv) return { file: path.resolve(cwd, fromEnv), kind: "outputs-env" };
    const local = path.resolve(cwd, LOCAL_STACK_STATE_FILE);
    if (await exists(local)) return { file: local, kind: "local-stack" };
    throw new ConfigError(
        `no configuration found: pass --outputs <file> (written by 'pulumi stack output --json > <file>'), ` +
            `set ${OUTPUTS_ENV_VAR}, or start the local stack ('npm start') in this folder`,
    );
}

/** The issuer configs of every service in a stack-outputs document, by name. */
export function issuerConfigsFromOutputs(document: unknown, origin: string): Map<string, IssuerConfig> {
    const services = (document as { services?: unknown } | null)?.services;
    if (typeof services !== "object" || services === null || Array.isArray(services)) {
        throw new ConfigError(`${origin}: expected an object with a 'services' output ({ "services": { "<name>": { "issuer": {...} } } })`);
    }
    const configs = new Map<string, IssuerConfig>();
    for (const [name, value] of Object.entries(services as Record<string, unknown>)) {
        const issuer = (value as { issuer?: unknown } | null)?.issuer;
        if (issuer === undefined) continue;
        const config = validateIssuerConfig(issuer, `${origin}: services.${name}.issuer`);
        if (config.service !== name) throw new ConfigError(`${origin}: services.${name}.issuer names service '${config.service}'`);
        configs.set(name, config);
    }
    return configs;
}

/**
 * Loads one service's issuer config (see {@link findConfigSource} for where
 * from). Throws `ConfigError` for a missing or malformed file or an unknown
 * service, and `InvalidInputError` when no service is named and the file holds
 * more than one.
 */
export async function loadIssuerConfig(options: LoadIssuerConfigOptions = {}): Promise<IssuerConfig> {
    const source = await findConfigSource(options);
    const text = (await readOutputsFile(source.file)).toString("utf8");
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (error) {
        throw new ConfigError(`${printable(source.file)} is not valid JSON`, error);
    }
    const configs = issuerConfigsFromOutputs(document, printable(source.file));
    const names = [...configs.keys()];
    if (options.service === undefined) {
        if (configs.size === 1) return configs.get(names[0]) as IssuerConfig;
        if (configs.size === 0) throw new ConfigError(`${printable(source.file)} holds no service with an issuer`);
        throw new InvalidInputError(`--service is required: ${printable(source.file)} holds ${names.join(", ")}`);
    }
    const config = configs.get(options.service);
    if (!config) {
        throw new ConfigError(
            `service '${printable(options.service)}' is not in ${printable(source.file)}${names.length ? ` (it holds ${names.join(", ")})` : ""}`,
        );
    }
    return config;
}

/**
 * Largest stack outputs file read, bytes: a service's outputs take about two
 * kilobytes, so this holds hundreds of services and stops a wrong path (a
 * log, a disk image) from being read whole.
 */
export const MAX_OUTPUTS_FILE_BYTES = 1024 * 1024;

/** An outputs or state file: a regular file of at most {@link MAX_OUTPUTS_FILE_BYTES} (read-file.ts), else a ConfigError saying why. */
function readOutputsFile(file: string): Promise<Buffer> {
    const name = printable(file);
    return readRegularFile(file, MAX_OUTPUTS_FILE_BYTES, (refusal) => {
        switch (refusal.reason) {
            case "too-large":
                return new ConfigError(`${name} is ${refusal.bytes} bytes, over the limit of ${MAX_OUTPUTS_FILE_BYTES} bytes for a stack outputs file`);
            case "not-a-file":
                return new ConfigError(`${name} is not a regular file (it is ${refusal.kind}); expected a 'pulumi stack output --json' file`);
            default:
                return new ConfigError(`cannot read ${name}${refusal.code ? ` (${refusal.code})` : ""}`, refusal.cause);
        }
    });
}

function isHttpUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An origin (optionally with a path) to put `/images/<hash>` after: https, or http on loopback. */
function isBaseUrl(value: string): boolean {
    if (!isHttpUrl(value)) return false;
    const url = new URL(value);
    if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) return false;
    return url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname);
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

async function exists(file: string): Promise<boolean> {
    try {
        await fs.access(file);
        return true;
    } catch {
        return false;
    }
}
