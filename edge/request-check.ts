/**
 * The strict gate in front of every lookup: only GET and HEAD of exactly
 * `/images/<32 lowercase hex>`, or, with variants, of
 * `/images/<hash>/<preset>[.<token>]` with a preset of the catalogue and a
 * token it allows, ever reach DynamoDB. Everything else is answered from
 * the request alone, and a malformed path (an unknown preset or format
 * included) gets the very same answer as an unknown hash, so the answer
 * says nothing about what exists.
 */
import { parseImagePath } from "../core/contract";
import { parseVariantUri, PresetFormats, VariantRequest } from "../core/variants";

/** Longest URI (path only; the query string is ignored) answered as a plain miss; longer ones get 414. */
export const MAX_URI_LENGTH = 1024;

/** Why a request was turned away before any lookup. */
export type RejectReason = "bad_method" | "uri_too_long" | "bad_path";

/** A request that may be looked up: its hash, and the variant when it asks for one. */
export type RequestCheck = { ok: true; hash: string; variant?: VariantRequest } | { ok: false; reason: RejectReason };

/**
 * Checks the method and URI of a viewer or origin request. The query string
 * is not looked at: the cache policy leaves it out of the cache key, and the
 * handler drops it before anything reaches S3 or the presigner.
 */
export function checkRequest(method: unknown, uri: unknown, variants?: PresetFormats): RequestCheck {
    if (method !== "GET" && method !== "HEAD") return { ok: false, reason: "bad_method" };
    if (typeof uri !== "string") return { ok: false, reason: "bad_path" };
    if (uri.length > MAX_URI_LENGTH) return { ok: false, reason: "uri_too_long" };
    const hash = parseImagePath(uri);
    if (hash !== undefined) return { ok: true, hash };
    const variant = variants === undefined ? undefined : parseVariantUri(uri, variants);
    return variant === undefined ? { ok: false, reason: "bad_path" } : { ok: true, hash: variant.hash, variant };
}
