/**
 * Issuing, reusing and reading hash URLs. An object's active hash is found
 * through its pointer item (two key reads, never a scan), and concurrent
 * callers for one object end with one active hash.
 */
import { cdnImageUrl, ImageMapping, isHash } from "../core/contract";
import { IssuerContext, nowSeconds, requireHash, requireObjectUrl, requireTable } from "./context";
import { show } from "./show";
import { ConflictError, ExpiredError, InvalidInputError, NotFoundError } from "./errors";
import { isStagingKey, stagingPrefix } from "./staging";
import type { MappingTable } from "./table";

/** What a mapping says about its image: its displayed size and ThumbHash placeholder (base64). */
export interface ImageDescription {
    width: number;
    height: number;
    placeholder: string;
}

/**
 * A mapping as the library reports it. Times are epoch seconds. `width`,
 * `height` and `placeholder` are there when the issuer stored or confirmed
 * the image (or issued an earlier hash of the object that had them).
 */
export interface MappingView extends Partial<ImageDescription> {
    hash: string;
    s3Url: string;
    createdAt: number;
    expiresAt: number;
}

/** An issued (or reused) hash URL. */
export interface IssuedUrl extends MappingView {
    /** `<cdnBaseUrl>/images/<hash>` */
    url: string;
    /** True when an existing active hash was returned. */
    reused: boolean;
}

/** What a hash maps to and whether it is live. */
export interface Inspection extends MappingView {
    /** True until `expiresAt` (the edge answers 403 from then on). */
    live: boolean;
    /** Seconds until `expiresAt`, 0 once expired. */
    remainingSeconds: number;
}

/**
 * Rounds of read-pointer / write-mapping / claim-pointer before giving up.
 * A lost claim means another caller won; the next round reuses its hash, so
 * more than two rounds only happen when hashes are being revoked meanwhile.
 */
const MAX_CLAIM_ROUNDS = 5;

/**
 * The CDN URL for an object, reusing its active hash while that has more than
 * `reuseMinRemainingSeconds` left, else storing a new mapping
 * `{hash, s3_url, created_at, expires_at, ttl}`.
 *
 * Concurrency: a new mapping is written first (conditionally, so a hash
 * collision can never overwrite), then the object's pointer is claimed with a
 * conditional write on what was read. A caller that loses the claim deletes
 * its own mapping (never handed out) and returns the winner's URL, unless
 * the pointer shows that its own claim landed with the answer lost.
 * DynamoDB work per call is a fixed number of key operations, whatever the
 * table holds: reuse is 2 consistent reads; a new hash is 1 read + 2 writes
 * (2 reads when the object's previous hash is still live, whose image
 * description the new mapping carries over).
 *
 * `image` (from upload and confirmUpload) is stored with a new mapping, and
 * replaces the description of a reused one that says otherwise.
 */
export async function generateSecureUrl(ctx: IssuerContext, s3Url: string, image?: ImageDescription): Promise<IssuedUrl> {
    const { key } = requireObjectUrl(ctx, s3Url);
    if (isStagingKey(ctx.config, key)) {
        // An upload form may still replace it: a hash for it would serve whatever is posted next.
        throw new InvalidInputError(
            `not issuing a URL for ${show(s3Url)}: '${stagingPrefix(ctx.config)}' is where upload forms write, and a form can replace the object until it expires; confirmUpload it, which serves a checked copy`,
        );
    }
    const table = requireTable(ctx);
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
        const now = nowSeconds(ctx);
        const pointer = await table.getPointer(s3Url);
        const reusable = pointer !== undefined && pointer.expiresAt - now > ctx.reuseMinRemainingSeconds;
        // A live previous hash is read for reuse, or, when no description comes with the call, to carry its description over.
        const previous = pointer && (reusable || (image === undefined && pointer.expiresAt > now)) ? await table.getMapping(pointer.current) : undefined;
        const active = previous?.s3_url === s3Url ? previous : undefined;
        if (active && reusable && active.expires_at - now > ctx.reuseMinRemainingSeconds) {
            if (image === undefined || sameDescription(active, image)) return issued(ctx, active, true);
            const redescribed: ImageMapping = { ...active, ...image };
            if (await table.redescribeMapping(redescribed)) return issued(ctx, redescribed, true);
            // Revoked meanwhile: issue a new hash below.
        }
        const mapping = await storeNewMapping(ctx, table, s3Url, now, image ?? descriptionOf(active));
        let claimed: boolean;
        try {
            claimed = await table.claimPointer(mapping, pointer?.current);
        } catch (error) {
            // The claim failed outright (throttled, unreachable). An attempt may still
            // have landed with its answer lost: then this mapping is the active one,
            // and another caller may already have been given it, so it stays.
            if ((await pointerNames(table, s3Url, mapping.hash)) === true) return issued(ctx, mapping, false);
            // Otherwise it was never handed out: take it back before reporting the
            // failure. If the claim lands later, the pointer names a missing
            // mapping, which the next call notices and replaces.
            await table.deleteUnusedMapping(mapping.hash, s3Url).catch(() => undefined);
            throw error;
        }
        // A lost claim can be our own: an attempt landed, its answer was lost, and
        // the SDK's retry met our own write. Then this mapping is the active one.
        if (claimed || (await table.getPointer(s3Url))?.current === mapping.hash) return issued(ctx, mapping, false);
        // Another caller moved the pointer first. This mapping was never handed
        // out: remove it, then read the winner's pointer in the next round.
        await table.deleteUnusedMapping(mapping.hash, s3Url);
    }
    throw new ConflictError(`could not settle the active hash for ${s3Url}: the object's hashes kept changing (concurrent revocations?); try again`);
}

/** Writes a mapping under a fresh hash; a taken hash is never overwritten, another is tried. */
async function storeNewMapping(ctx: IssuerContext, table: MappingTable, s3Url: string, now: number, image: ImageDescription | undefined): Promise<ImageMapping> {
    const expiresAt = now + ctx.config.hashTtlSeconds;
    for (let attempt = 0; attempt < ctx.maxHashAttempts; attempt++) {
        const hash = ctx.newHash();
        if (!isHash(hash)) throw new ConflictError("the hash generator returned a malformed hash (expected 32 lowercase hex characters)");
        const mapping: ImageMapping = { hash, s3_url: s3Url, created_at: now, expires_at: expiresAt, ttl: expiresAt, ...image };
        if (await table.putNewMapping(mapping)) return mapping;
    }
    throw new ConflictError(`no free hash after ${ctx.maxHashAttempts} attempts: the hash generator keeps repeating taken hashes`);
}

/** Whether the object's pointer names `hash` now; `undefined` when it cannot be read. */
async function pointerNames(table: MappingTable, s3Url: string, hash: string): Promise<boolean | undefined> {
    try {
        return (await table.getPointer(s3Url))?.current === hash;
    } catch {
        return undefined;
    }
}

function view(mapping: ImageMapping): MappingView {
    return { hash: mapping.hash, s3Url: mapping.s3_url, createdAt: mapping.created_at, expiresAt: mapping.expires_at, ...descriptionOf(mapping) };
}

/** A mapping's image description, when it has one. */
function descriptionOf(mapping: ImageMapping | undefined): ImageDescription | undefined {
    if (mapping?.width === undefined || mapping.height === undefined || mapping.placeholder === undefined) return undefined;
    return { width: mapping.width, height: mapping.height, placeholder: mapping.placeholder };
}

function sameDescription(mapping: ImageMapping, image: ImageDescription): boolean {
    return mapping.width === image.width && mapping.height === image.height && mapping.placeholder === image.placeholder;
}

function issued(ctx: IssuerContext, mapping: ImageMapping, reused: boolean): IssuedUrl {
    return { url: cdnImageUrl(ctx.config.cdnBaseUrl, mapping.hash), ...view(mapping), reused };
}

/** What a hash maps to, live or expired; `NotFoundError` when there is no mapping. */
export async function inspect(ctx: IssuerContext, hash: string): Promise<Inspection> {
    requireHash(hash);
    const mapping = await requireTable(ctx).getMapping(hash);
    if (!mapping) throw new NotFoundError(`no mapping for hash ${hash} (never issued, revoked, or removed after expiry)`);
    const remaining = Math.max(0, mapping.expires_at - nowSeconds(ctx));
    return { ...view(mapping), live: remaining > 0, remainingSeconds: remaining };
}

/** The live mapping of a hash; `NotFoundError` or `ExpiredError` otherwise (what the edge would answer 404/403 to). */
export async function resolve(ctx: IssuerContext, hash: string): Promise<Inspection> {
    const found = await inspect(ctx, hash);
    if (!found.live) throw new ExpiredError(`hash ${hash} expired at ${new Date(found.expiresAt * 1000).toISOString()}`);
    return found;
}
