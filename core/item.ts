/**
 * From a DynamoDB item (wire JSON) to what the edge needs: the object key in
 * this instance's bucket and the hash's expiry. Anything that is not a
 * complete, well-formed mapping of this bucket is a "bad item", treated as not
 * found (and logged by reason, never by content).
 */
import { ImageMapping, isEpochSeconds, parseS3Url, TABLE_SCHEMA } from "./contract";

/** The attributes the edge reads (its `ProjectionExpression`), typed against the shared item schema. */
export const EDGE_ATTRIBUTES: { s3Url: keyof ImageMapping; expiresAt: keyof ImageMapping } = {
    s3Url: TABLE_SCHEMA.s3UrlAttribute,
    expiresAt: "expires_at",
};

/** What a valid mapping gives the edge. `expiresAt` is epoch seconds. */
export interface EdgeMapping {
    key: string;
    expiresAt: number;
}

export type BadItemReason = "missing_fields" | "bad_s3_url" | "other_bucket" | "bad_expires_at";

export type ItemCheck = { ok: true; mapping: EdgeMapping } | { ok: false; reason: BadItemReason };

/**
 * Decodes the `S` and `N` attributes of a DynamoDB item (wire JSON, or the
 * SDK's `AttributeValue` map, which has the same shape) into plain values;
 * attributes of any other type (or malformed ones) are left out, so they
 * read as missing. The edge and the issuer both read items with it.
 */
export function decodeItem(item: unknown): Record<string, string | number> | undefined {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
    const decoded: Record<string, string | number> = {};
    const source = item as Record<string, unknown>;
    for (const name of Object.keys(source)) {
        const attribute = source[name];
        if (typeof attribute !== "object" || attribute === null) continue;
        const typed = attribute as { S?: unknown; N?: unknown };
        if (typeof typed.S === "string") decoded[name] = typed.S;
        else if (typeof typed.N === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(typed.N)) decoded[name] = Number(typed.N);
    }
    return decoded;
}

/** Checks a decoded item against the shared schema and this instance's bucket. */
export function checkItem(item: Record<string, string | number>, bucket: string): ItemCheck {
    const s3Url = item[EDGE_ATTRIBUTES.s3Url];
    const expiresAt = item[EDGE_ATTRIBUTES.expiresAt];
    if (s3Url === undefined || expiresAt === undefined) return { ok: false, reason: "missing_fields" };
    const location = parseS3Url(s3Url);
    // A lone UTF-16 surrogate cannot be percent-encoded into a URI.
    if (!location || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(location.key)) {
        return { ok: false, reason: "bad_s3_url" };
    }
    if (location.bucket !== bucket) return { ok: false, reason: "other_bucket" };
    if (!isEpochSeconds(expiresAt)) return { ok: false, reason: "bad_expires_at" };
    return { ok: true, mapping: { key: location.key, expiresAt } };
}
