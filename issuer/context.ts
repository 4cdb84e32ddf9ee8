/**
 * What every issuer operation shares: the config, the clients, the clock, the
 * hash generator and the input checks that run before any AWS call.
 */
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { isHash, newHash, parseS3Url, S3Location } from "../core/contract";
import { isWholeNumber } from "../core/bounds";
import type { IssuerClients } from "./clients";
import { IssuerConfig, validateIssuerConfig } from "./config";
import { ConfigError, InvalidInputError } from "./errors";
import { show } from "./show";
import { MappingTable } from "./table";

const ONE_DAY_SECONDS = 24 * 60 * 60;

export interface IssuerOptions {
    /** Clock in epoch milliseconds. @default Date.now */
    now?: () => number;
    /** Hash generator; must return 32 lowercase hex characters. @default contract's newHash (128 CSPRNG bits) */
    newHash?: () => string;
    /**
     * An object's active hash is reused only while it has more than this many
     * seconds left (0: while it is live), so a URL handed out stays valid a useful time; after that a
     * new hash is issued (the old one keeps working until its own expiry).
     * @default min(1 day, hashTtlSeconds / 2)
     */
    reuseMinRemainingSeconds?: number;
    /** New hashes tried when a generated hash is already taken. @default 5 */
    maxHashAttempts?: number;
    /**
     * Remove location, device and descriptive metadata (EXIF with GPS and
     * maker notes, XMP, IPTC, comments, embedded thumbnails) from uploaded
     * images before they are stored; the colour profile and the orientation
     * stay (docs/issuer.md, "Personal data in images"). Turn it off only for
     * a service whose images must keep their metadata.
     * @default true
     */
    stripMetadata?: boolean;
    /**
     * Make a service's eager variants (the default `thumb`) when an image is
     * uploaded or confirmed, by asking the CDN for them (issuer/eager.ts);
     * a variant that cannot be made then is made on its first request, and
     * the upload never fails for it.
     * @default true
     */
    warmEagerVariants?: boolean;
    /** How long one eager variant may take, milliseconds. @default 10000 */
    eagerTimeoutMs?: number;
    /** What asks the CDN for eager variants. @default globalThis.fetch */
    fetch?: typeof fetch;
}

export interface IssuerContext {
    readonly config: IssuerConfig;
    readonly dynamo: DynamoDBClient;
    readonly s3: S3Client;
    readonly cloudfront: CloudFrontClient;
    /** The mappings table; absent for a `public` service. */
    readonly table: MappingTable | undefined;
    readonly now: () => number;
    readonly newHash: () => string;
    readonly reuseMinRemainingSeconds: number;
    readonly maxHashAttempts: number;
    readonly stripMetadata: boolean;
    readonly warmEagerVariants: boolean;
    readonly eagerTimeoutMs: number;
    readonly fetch: typeof fetch;
}

export function createContext(config: IssuerConfig, clients: IssuerClients, options: IssuerOptions = {}): IssuerContext {
    const checked = validateIssuerConfig(config);
    // A DynamoDBDocumentClient shares its config and middleware stack with the
    // DynamoDBClient it wraps, and its send() runs plain commands unchanged; it
    // is only typed for document commands, hence the cast.
    const dynamo = clients.dynamo as unknown as DynamoDBClient;
    const reuse = options.reuseMinRemainingSeconds ?? Math.min(ONE_DAY_SECONDS, Math.floor(checked.hashTtlSeconds / 2));
    if (!isWholeNumber(reuse, 0, checked.hashTtlSeconds - 1)) {
        throw new ConfigError(`reuseMinRemainingSeconds must be an integer from 0 to below hashTtlSeconds (${checked.hashTtlSeconds})`);
    }
    const attempts = options.maxHashAttempts ?? 5;
    if (!isWholeNumber(attempts, 1)) throw new ConfigError("maxHashAttempts must be a positive integer");
    const stripMetadata = options.stripMetadata ?? true;
    if (typeof stripMetadata !== "boolean") throw new ConfigError("stripMetadata must be true or false");
    const warmEagerVariants = options.warmEagerVariants ?? true;
    if (typeof warmEagerVariants !== "boolean") throw new ConfigError("warmEagerVariants must be true or false");
    const eagerTimeoutMs = options.eagerTimeoutMs ?? 10_000;
    if (!isWholeNumber(eagerTimeoutMs, 1, 60_000)) throw new ConfigError("eagerTimeoutMs must be an integer from 1 to 60000");
    return {
        config: checked,
        dynamo,
        s3: clients.s3,
        cloudfront: clients.cloudfront,
        table: checked.tableName === undefined || checked.level === "public" ? undefined : new MappingTable(dynamo, checked.tableName),
        now: options.now ?? Date.now,
        newHash: options.newHash ?? newHash,
        reuseMinRemainingSeconds: reuse,
        maxHashAttempts: attempts,
        stripMetadata,
        warmEagerVariants,
        eagerTimeoutMs,
        fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    };
}

/** The table, or `ConfigError` for a public service (which has none). */
export function requireTable(ctx: IssuerContext): MappingTable {
    if (!ctx.table) {
        throw new ConfigError(`service '${ctx.config.service}' is public: its objects are served by key, it has no hashes to issue, inspect or revoke`);
    }
    return ctx.table;
}

/** The clock in whole epoch seconds. */
export function nowSeconds(ctx: IssuerContext): number {
    return Math.floor(ctx.now() / 1000);
}

/** Checks an `s3://bucket/key` argument: well-formed, safe key, this service's bucket. */
export function requireObjectUrl(ctx: IssuerContext, s3Url: unknown): S3Location {
    const location = parseS3Url(s3Url);
    if (!location) {
        throw new InvalidInputError(
            `not a valid object URL: ${show(s3Url)} (expected s3://<bucket>/<key>, with no empty, '.' or '..' segments and no control characters)`,
        );
    }
    if (location.bucket !== ctx.config.bucket) {
        throw new InvalidInputError(`object URL ${show(s3Url)} is not in this service's bucket (${ctx.config.bucket})`);
    }
    return location;
}

/** Checks a hash argument before any lookup. */
export function requireHash(hash: unknown): string {
    if (!isHash(hash)) throw new InvalidInputError(`not a valid hash: ${show(hash)} (expected 32 lowercase hex characters)`);
    return hash;
}
