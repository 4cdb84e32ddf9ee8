/**
 * One-line, human-readable renderings of the CLI's results (the `--json`
 * output is the result objects themselves).
 */
import type { MetadataReport } from "./image/prepare";
import type { ImageDescription, Inspection, IssuedUrl } from "./issue";
import type { ObjectErasure } from "./erase";
import type { ObjectRevocation, Revocation } from "./revoke";
import type { UploadResult } from "./upload";
import type { EagerWarming } from "./eager";
import { escapeUnsafe } from "./show";

/** Epoch seconds as an ISO-8601 UTC time without milliseconds. */
export function isoTime(epochSeconds: number): string {
    return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A duration in seconds as `29d 23h`, `5h 3m`, `42s`. */
export function duration(seconds: number): string {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${seconds % 60}s`;
    return `${seconds}s`;
}

export function formatIssued(result: IssuedUrl): string {
    return `${result.url}  (${result.reused ? "reused" : "new"} hash for ${result.s3Url}, expires ${isoTime(result.expiresAt)})${imageLine(result)}`;
}

export function formatUpload(result: UploadResult): string {
    const expiry = result.expiresAt === undefined ? "" : `, expires ${isoTime(result.expiresAt)}`;
    const variants = result.variants === undefined ? "" : `\nvariants: ${Object.entries(result.variants).map(([preset, url]) => `${preset} ${url}`).join(", ")}${eagerLine(result.eager)}`;
    return `${result.url}  (stored ${result.s3Url}, ${result.contentType}, ${result.bytes} bytes${expiry})${imageLine(result)}; ${metadataLine(result.metadata)}${variants}`;
}

/** `; made ahead: thumb (avif, webp, fallback)`, or which could not be made (the upload stands). */
function eagerLine(eager: EagerWarming | undefined): string {
    if (eager === undefined) return "";
    const made = eager.variants.filter((variant) => variant.ok).map((variant) => `${variant.preset}.${variant.token}`);
    const failed = eager.variants.filter((variant) => !variant.ok).map((variant) => `${variant.preset}.${variant.token} (${variant.error ?? "failed"})`);
    const parts = [made.length > 0 ? `made ahead: ${made.join(", ")}` : "", failed.length > 0 ? `not made yet (made on first request): ${failed.join(", ")}` : ""];
    return `; ${parts.filter((part) => part !== "").join("; ")}`;
}

/** A hash's URL, or one variant's: the URL, then what it names. */
export function formatVariantUrl(result: { url: string; hash: string; preset?: string; format?: string }): string {
    if (result.preset === undefined) return `${result.url}  (the original of ${result.hash})`;
    return `${result.url}  (${result.preset} of ${result.hash}, ${result.format === undefined ? "format negotiated from the viewer's Accept" : `as ${result.format}`})`;
}

/** `  <width>x<height>, placeholder <ThumbHash>` when the image's description is known. */
function imageLine(image: Partial<ImageDescription>): string {
    return image.width === undefined || image.height === undefined || image.placeholder === undefined
        ? ""
        : `  ${image.width}x${image.height}, placeholder ${image.placeholder}`;
}

/** What happened to an upload's metadata, in a few words. */
function metadataLine(metadata: MetadataReport): string {
    if (!metadata.stripped) return "metadata kept as uploaded (stripMetadata off)";
    const removed = metadata.removed.length === 0 ? "no metadata to remove" : `removed ${metadata.removed.join(", ")}`;
    const kept = metadata.kept.length === 0 ? "" : `; kept ${metadata.kept.join(", ")}`;
    return `${removed}${kept}${metadata.reencoded ? " (re-encoded)" : ""}`;
}

export function formatInspection(result: Inspection): string {
    const state = result.live
        ? `live, expires ${isoTime(result.expiresAt)} (${duration(result.remainingSeconds)} left)`
        : `EXPIRED at ${isoTime(result.expiresAt)}`;
    return `${result.hash} -> ${result.s3Url}  ${state}, created ${isoTime(result.createdAt)}${imageLine(result)}`;
}

export function formatRevocation(result: Revocation): string {
    if (result.invalidation === undefined) {
        // The invalidator follows the table: the removal itself is what invalidates.
        if (!result.found) return `no mapping for ${result.hash}; nothing to revoke`;
        return `revoked ${result.hash} (${result.s3Url}): mapping deleted${result.pointerCleared ? ", object pointer cleared" : ""}; ${STREAM_INVALIDATES}; ${stopsLine(result)}`;
    }
    const invalidation = `CloudFront invalidation ${result.invalidation.id} for ${result.invalidation.paths.join(", ")}`;
    if (!result.found) return `no mapping for ${result.hash}; ${invalidation} sent anyway`;
    return `revoked ${result.hash} (${result.s3Url}): mapping deleted${result.pointerCleared ? ", object pointer cleared" : ""}; ${invalidation}; ${stopsLine(result)}`;
}

export function formatObjectRevocation(result: ObjectRevocation): string {
    if (result.hashes.length === 0 && result.invalidations.length === 0) return `no hashes for ${result.s3Url}; nothing to revoke`;
    const count = `${result.hashes.length} hash${result.hashes.length === 1 ? "" : "es"}`;
    const stops = result.hashes.length > 0 ? `; ${stopsLine(result)}` : "";
    if (result.invalidatedBy === "stream") return `revoked ${count} of ${result.s3Url}; ${STREAM_INVALIDATES}${stops}`;
    const ids = result.invalidations.map((i) => i.id).join(", ");
    return `revoked ${count} of ${result.s3Url}; CloudFront invalidation${result.invalidations.length === 1 ? "" : "s"} ${ids}${stops}`;
}

/** What a revocation line says when the invalidator, not this call, invalidates. */
const STREAM_INVALIDATES = "the invalidator invalidates the CloudFront paths from the table's stream";

/** What an erasure removed and from when nothing of it is served, on one line. */
export function formatErasure(result: ObjectErasure): string {
    const { hashes, keys, versions, deleteMarkers } = result.counts;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const removed = `${plural(hashes, "hash", "hashes")}, ${plural(keys, "key", "keys")} (${plural(versions, "version", "versions")}, ${plural(deleteMarkers, "delete marker", "delete markers")})`;
    const ids = result.invalidations.map((i) => i.id);
    const invalidation = ids.length === 0 ? "no invalidation needed (no hashes)" : `CloudFront invalidation${ids.length === 1 ? "" : "s"} ${ids.join(", ")}`;
    return `erased ${result.s3Url}: removed ${removed}; ${invalidation}; ${result.stops.summary}`;
}

/** "<level> + <mode>: <when it stops>", the part of a revocation line on-call acts on. */
function stopsLine(result: Pick<Revocation, "stops">): string {
    return result.stops.summary;
}

/** Raw whitespace JSON.stringify puts between tokens; inside strings it escapes every control character itself. */
const JSON_LAYOUT = new Set(["\n", "\r", "\t"]);

/** One line of text for a terminal: every unsafe character (issuer/show.ts) written as `\uXXXX`. */
export function terminalSafe(line: string): string {
    return escapeUnsafe(line);
}

/**
 * JSON text (as JSON.stringify writes it) for a terminal: the same
 * characters as `\uXXXX` escapes, which JSON reads back as the same values;
 * only the layout's own line breaks and indentation stay raw.
 */
export function terminalSafeJson(json: string): string {
    return escapeUnsafe(json, (char) => JSON_LAYOUT.has(char));
}
