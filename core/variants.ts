/**
 * Image variants: named presets of one image served behind its private
 * hash. What the edge (gate and viewer-request function), the resizer, the
 * issuer and the component agree on: the preset type and its bounds, the
 * default catalogue, the URL shapes, the format tokens and how an `Accept`
 * header picks one, the stored key of a variant and the path the gate
 * writes for the resizer. No Pulumi, no AWS SDK, no sharp.
 *
 * URL shapes (the original stays at `/images/<hash>`):
 * - `/images/<hash>/<preset>`: the format is negotiated from `Accept`;
 * - `/images/<hash>/<preset>.<token>`: one format asked for explicitly,
 *   which is also what negotiation rewrites the first shape to, so both
 *   share one cache entry per format and the raw header is never a cache key.
 */
import { HASH_PATTERN, IMAGE_PATH_PREFIX, isSafeObjectKey, STAGING_FOLDER } from "./contract";
import { isWholeNumber } from "./bounds";
import { VariantFit, VariantFormat } from "./enums";

export { VariantFit, VariantFormat };

/** Output formats a preset may allow, in the order sharp names them (core/enums.ts). */
export const VARIANT_FORMATS: readonly VariantFormat[] = Object.values(VariantFormat);

/**
 * The token for "what every browser shows": JPEG, or PNG when the image has
 * transparency (the resizer decides from the pixels). Always available,
 * whatever a preset's `formats` say, so every viewer can be served.
 */
export const FALLBACK_TOKEN = "fallback";

/** One cache-key value per format: a format, or {@link FALLBACK_TOKEN}. */
export type VariantToken = VariantFormat | typeof FALLBACK_TOKEN;

/** How the image is fitted into `width`×`height`: cropped to fill it, or scaled to fit within it (core/enums.ts). */
export const VARIANT_FITS: readonly VariantFit[] = Object.values(VariantFit);

/** One preset of the closed catalogue. Never free-form sizes: a viewer can only pick a name. */
export interface VariantPreset {
    /** Box width, pixels. */
    width: number;
    /** Box height, pixels. */
    height: number;
    /** `cover`: fills the box, cropping the centre; `inside`: fits within it. Neither ever enlarges the original. */
    fit: VariantFit;
    /** Encoder quality, 1–100, on the JPEG/WebP scale (AVIF gets the equivalent on its own scale). */
    quality: number;
    /** Formats that may be negotiated (AVIF, WebP) or asked for by extension; the fallback is always allowed. */
    formats: readonly VariantFormat[];
    /** Made when the image is uploaded rather than on its first request. */
    eager: boolean;
}

/** Presets by name. */
export type VariantCatalogue = Readonly<Record<string, VariantPreset>>;

/** A preset name: 1–32 lowercase letters, digits or hyphens. */
export const PRESET_NAME_PATTERN = /^[a-z0-9-]{1,32}$/;
/** Most presets one instance may have: each one is a cache entry per format per image, and the viewer-request function carries them all. */
export const MAX_PRESETS = 16;
/** Smallest and largest box side, pixels. Past 4096 an output would too often be over what a buffered Lambda response carries (resizer/limits.ts). */
export const MIN_VARIANT_DIMENSION = 16;
export const MAX_VARIANT_DIMENSION = 4096;
export const MIN_VARIANT_QUALITY = 1;
export const MAX_VARIANT_QUALITY = 100;

/** Content-Type of each format. */
export const VARIANT_CONTENT_TYPES: Readonly<Record<VariantFormat, string>> = {
    avif: "image/avif",
    webp: "image/webp",
    jpeg: "image/jpeg",
    png: "image/png",
};

/**
 * The default catalogue. AVIF is a default format because at the encoder
 * effort the resizer uses it costs about what WebP does and is the smallest
 * output (measured: docs/variants.md, "Why AVIF is a default format").
 * `thumb` is eager: a list of thumbnails is the view that downloads the most
 * images at once.
 */
export const DEFAULT_VARIANT_PRESETS: VariantCatalogue = {
    thumb: { width: 256, height: 256, fit: "cover", quality: 75, formats: ["avif", "webp", "jpeg", "png"], eager: true },
    small: { width: 640, height: 640, fit: "inside", quality: 80, formats: ["avif", "webp", "jpeg", "png"], eager: false },
    large: { width: 1600, height: 1600, fit: "inside", quality: 80, formats: ["avif", "webp", "jpeg", "png"], eager: false },
};

const PRESET_FIELDS = ["width", "height", "fit", "quality", "formats", "eager"] as const;

/**
 * Everything wrong with a catalogue, each message naming the field
 * (`<field>.<preset>.<property>`); empty when it is valid.
 */
export function variantCatalogueProblems(value: unknown, field = "variants"): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${field} must be an object of presets by name`];
    const names = Object.keys(value);
    const problems: string[] = [];
    if (names.length === 0) problems.push(`${field} must name at least one preset`);
    if (names.length > MAX_PRESETS) problems.push(`${field} has ${names.length} presets; at most ${MAX_PRESETS} are allowed`);
    for (const name of names) {
        if (!PRESET_NAME_PATTERN.test(name)) {
            problems.push(`${field}: preset name ${JSON.stringify(name)} must be 1-32 lowercase letters, digits or hyphens`);
            continue;
        }
        problems.push(...presetProblems((value as Record<string, unknown>)[name], `${field}.${name}`));
    }
    return problems;
}

function presetProblems(value: unknown, field: string): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${field} must be an object`];
    const preset = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(preset)) {
        if (!(PRESET_FIELDS as readonly string[]).includes(key)) problems.push(`${field}.${key} is not a preset field (${PRESET_FIELDS.join(", ")})`);
    }
    for (const side of ["width", "height"] as const) {
        if (!isWholeNumber(preset[side], MIN_VARIANT_DIMENSION, MAX_VARIANT_DIMENSION)) {
            problems.push(`${field}.${side} must be an integer from ${MIN_VARIANT_DIMENSION} to ${MAX_VARIANT_DIMENSION}, got ${shown(preset[side])}`);
        }
    }
    if (!(VARIANT_FITS as readonly unknown[]).includes(preset.fit)) problems.push(`${field}.fit must be one of ${VARIANT_FITS.join(", ")}, got ${shown(preset.fit)}`);
    if (!isWholeNumber(preset.quality, MIN_VARIANT_QUALITY, MAX_VARIANT_QUALITY)) {
        problems.push(`${field}.quality must be an integer from ${MIN_VARIANT_QUALITY} to ${MAX_VARIANT_QUALITY}, got ${shown(preset.quality)}`);
    }
    const formats = preset.formats;
    if (!Array.isArray(formats) || formats.length === 0) {
        problems.push(`${field}.formats must be a non-empty list of ${VARIANT_FORMATS.join(", ")}`);
    } else {
        formats.forEach((format, index) => {
            if (!isVariantFormat(format)) problems.push(`${field}.formats[${index}] must be one of ${VARIANT_FORMATS.join(", ")}, got ${shown(format)}`);
            else if (formats.indexOf(format) !== index) problems.push(`${field}.formats[${index}] repeats ${format}`);
        });
    }
    if (typeof preset.eager !== "boolean") problems.push(`${field}.eager must be true or false, got ${shown(preset.eager)}`);
    return problems;
}

/** The catalogue, checked: throws an Error listing every problem (see {@link variantCatalogueProblems}). */
export function checkedVariantCatalogue(value: unknown, field = "variants"): VariantCatalogue {
    const problems = variantCatalogueProblems(value, field);
    if (problems.length > 0) throw new Error(problems.join("; "));
    return value as VariantCatalogue;
}

/** True for one of {@link VARIANT_FORMATS}. */
export function isVariantFormat(value: unknown): value is VariantFormat {
    return typeof value === "string" && (VARIANT_FORMATS as readonly string[]).includes(value);
}

/** The tokens a preset can be served as: its formats and the fallback. */
export function presetTokens(preset: VariantPreset): VariantToken[] {
    return [...preset.formats, FALLBACK_TOKEN];
}

/** True when `token` is one `preset` may be served as. */
export function isPresetToken(preset: VariantPreset, token: unknown): token is VariantToken {
    return isAllowedToken(preset.formats, token);
}

/** The formats `Accept` negotiation can pick (AVIF and WebP: browsers name them), in the preset's order. */
export const NEGOTIABLE_FORMATS: readonly VariantFormat[] = ["avif", "webp"];

/**
 * The tokens a viewer's `Accept` can lead to for a preset: its negotiable
 * formats and the fallback. What the issuer makes ahead for an eager preset.
 */
export function negotiatedTokens(formats: readonly VariantFormat[]): VariantToken[] {
    return [...formats.filter((format) => NEGOTIABLE_FORMATS.includes(format)), FALLBACK_TOKEN];
}

/** The formats of each preset: all the viewer-request function and the edge gate need to know of the catalogue. */
export function presetFormats(catalogue: VariantCatalogue): Record<string, VariantFormat[]> {
    const formats: Record<string, VariantFormat[]> = {};
    for (const name of Object.keys(catalogue)) formats[name] = [...catalogue[name].formats];
    return formats;
}

/**
 * Everything wrong with the formats of each preset (what the edge settings
 * carry of the catalogue), each message naming the field; empty when valid.
 */
export function presetFormatsProblems(value: unknown, field = "variants"): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${field} must be an object of format lists by preset name`];
    const names = Object.keys(value);
    const problems: string[] = [];
    if (names.length === 0) problems.push(`${field} must name at least one preset`);
    if (names.length > MAX_PRESETS) problems.push(`${field} has ${names.length} presets; at most ${MAX_PRESETS} are allowed`);
    for (const name of names) {
        if (!PRESET_NAME_PATTERN.test(name)) {
            problems.push(`${field}: preset name ${JSON.stringify(name)} must be 1-32 lowercase letters, digits or hyphens`);
            continue;
        }
        const formats = (value as Record<string, unknown>)[name];
        if (!Array.isArray(formats) || formats.length === 0 || formats.some((format, index) => !isVariantFormat(format) || formats.indexOf(format) !== index)) {
            problems.push(`${field}.${name} must be a non-empty list of distinct formats from ${VARIANT_FORMATS.join(", ")}`);
        }
    }
    return problems;
}

/** What the issuer knows of one preset: the formats it may be asked for and whether uploads make it ahead. */
export interface PresetSummary {
    /** The formats it may be served as besides the fallback; AVIF and WebP are negotiated from `Accept`. */
    formats: VariantFormat[];
    /** Made when an image is uploaded rather than on its first request. */
    eager: boolean;
}

/** The catalogue as the issuer's settings carry it: names, formats and the eager flag (no sizes or qualities). */
export function catalogueSummary(catalogue: VariantCatalogue): Record<string, PresetSummary> {
    const summary: Record<string, PresetSummary> = {};
    for (const name of Object.keys(catalogue)) summary[name] = { formats: [...catalogue[name].formats], eager: catalogue[name].eager };
    return summary;
}

function shown(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ---------------------------------------------------------------------------
// Viewer URLs
// ---------------------------------------------------------------------------

/** A viewer's variant request: `token` is absent when the format is to be negotiated. */
export interface VariantRequest {
    hash: string;
    preset: string;
    token?: VariantToken;
}

/** Longest variant URI: `/images/` + hash + `/` + a 32-character name + `.fallback`. */
const MAX_VARIANT_URI_LENGTH = IMAGE_PATH_PREFIX.length + 32 + 1 + 32 + 1 + FALLBACK_TOKEN.length;

/** The formats of each preset by name: all the edge knows of the catalogue. */
export type PresetFormats = Readonly<Record<string, readonly VariantFormat[]>>;

/**
 * The variant a request URI names, or `undefined` for anything but exactly
 * `/images/<hash>/<preset>` or `/images/<hash>/<preset>.<token>` with a
 * preset of the catalogue and a token that preset allows. Decided from the
 * path alone: an unknown preset or extension is the same bad path as a bad
 * hash. No decoding: an encoded character never matches.
 */
export function parseVariantPath(uri: string, catalogue: VariantCatalogue): VariantRequest | undefined {
    return parseVariantUri(uri, presetFormats(catalogue));
}

/**
 * {@link parseVariantPath} for the formats of each preset, which is what
 * the edge gate carries of the catalogue.
 */
export function parseVariantUri(uri: string, formats: PresetFormats): VariantRequest | undefined {
    if (typeof uri !== "string" || uri.length > MAX_VARIANT_URI_LENGTH || !uri.startsWith(IMAGE_PATH_PREFIX)) return undefined;
    const rest = uri.slice(IMAGE_PATH_PREFIX.length);
    const slash = rest.indexOf("/");
    if (slash < 0) return undefined;
    const hash = rest.slice(0, slash);
    if (!HASH_PATTERN.test(hash)) return undefined;
    const name = rest.slice(slash + 1);
    const dot = name.indexOf(".");
    const presetName = dot < 0 ? name : name.slice(0, dot);
    if (!PRESET_NAME_PATTERN.test(presetName) || !Object.prototype.hasOwnProperty.call(formats, presetName)) return undefined;
    if (dot < 0) return { hash, preset: presetName };
    const token = name.slice(dot + 1);
    return isAllowedToken(formats[presetName], token) ? { hash, preset: presetName, token } : undefined;
}

/** True when `token` is the fallback or one of `formats`. */
function isAllowedToken(formats: readonly VariantFormat[], token: unknown): token is VariantToken {
    return token === FALLBACK_TOKEN || (isVariantFormat(token) && formats.includes(token));
}

/**
 * The path pattern of the distribution's cache behavior for variants: every
 * path with a segment after `/images/<…>/` (CloudFront path patterns: `*`
 * matches any run of characters, `/` included). The original's
 * `/images/<hash>` stays with the default behavior.
 */
export const VARIANT_PATH_PATTERN = "/images/*/*";

/** `/images/<hash>/<preset>`, or with `.<token>` for one format. */
export function variantPath(hash: string, preset: string, token?: VariantToken): string {
    return `${IMAGE_PATH_PREFIX}${hash}/${preset}${token === undefined ? "" : `.${token}`}`;
}

/** The public URL of a variant: `<base>/images/<hash>/<preset>[.<token>]`, base without a trailing slash. */
export function cdnVariantUrl(baseUrl: string, hash: string, preset: string, token?: VariantToken): string {
    return baseUrl.replace(/\/+$/, "") + variantPath(hash, preset, token);
}

// ---------------------------------------------------------------------------
// Accept negotiation.
//
// PORTABLE: the functions in this section are serialised from their source
// into the viewer-request CloudFront Function (edge/accept-function.ts), so
// they may use only their parameters, each other and what the CloudFront
// Functions JavaScript runtime 2.0 offers: `var`/`const`/`let`, arrow
// functions, ES5 built-ins; no imports, no module constants, no for-of,
// destructuring, spread, default parameters or optional chaining
// (CloudFront Developer Guide, "JavaScript runtime 2.0 features for
// CloudFront Functions"). test/edge/accept-function.test.ts checks the
// syntax and runs the generated code.
// ---------------------------------------------------------------------------

/**
 * The `q` an `Accept` header gives exactly `type` (lowercase): the highest
 * among the ranges that name it, 0 when none does. Wildcards (`image/*`,
 * `*\/*`) never count: old browsers send them and cannot show AVIF or WebP.
 * A malformed `q` makes its range count for nothing.
 */
export function acceptQuality(ranges: string[], type: string): number {
    let best = 0;
    for (let i = 0; i < ranges.length; i++) {
        const parts = ranges[i].split(";");
        if (parts[0].trim() !== type) continue;
        let q = 1;
        for (let j = 1; j < parts.length; j++) {
            const param = parts[j].trim();
            if (param.slice(0, 2) !== "q=") continue;
            const text = param.slice(2);
            q = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(text) ? parseFloat(text) : 0;
        }
        if (q > best) best = q;
    }
    return best;
}

/**
 * The one token an `Accept` header selects among a preset's formats: the
 * negotiable format (AVIF or WebP) the header names explicitly with the
 * highest `q`, ties going to the preset's order; else the fallback. Only
 * the first 1024 characters are read, so a huge header costs no more than a
 * real one.
 */
export function negotiateVariantToken(accept: string | undefined, formats: readonly string[]): string {
    const header = typeof accept === "string" ? accept.slice(0, 1024).toLowerCase() : "";
    const ranges = header.split(",");
    let token = "fallback";
    let best = 0;
    for (let i = 0; i < formats.length; i++) {
        if (formats[i] !== "avif" && formats[i] !== "webp") continue;
        const q = acceptQuality(ranges, "image/" + formats[i]);
        if (q > best) {
            best = q;
            token = formats[i];
        }
    }
    return token;
}

/**
 * For a URI that is exactly `/images/<hash>/<preset>` with a preset of
 * `formatsByPreset`, the URI with the negotiated token appended
 * (`/images/<hash>/<preset>.<token>`); `undefined` for any other URI, which
 * goes on unchanged.
 */
export function negotiatedVariantUri(uri: string, accept: string | undefined, formatsByPreset: Readonly<Record<string, readonly string[]>>): string | undefined {
    const match = /^\/images\/[0-9a-f]{32}\/([a-z0-9-]{1,32})$/.exec(uri);
    if (match === null || !Object.prototype.hasOwnProperty.call(formatsByPreset, match[1])) return undefined;
    return uri + "." + negotiateVariantToken(accept, formatsByPreset[match[1]]);
}

// ---------------------------------------------------------------------------
// Stored variants and the resizer's path
// ---------------------------------------------------------------------------

/** Every made variant is stored under this prefix of the service's bucket, outside the upload prefix. */
export const DERIVED_PREFIX = "derived/";

/**
 * Where a variant of an original is stored: `derived/<original key>/<preset>.<token>`.
 * All variants of one object share the prefix `derived/<original key>/`, so
 * they can be listed and deleted with it. `undefined` when the result would
 * not be a safe key of at most 1024 bytes (an original key near the limit).
 */
export function variantKey(originalKey: string, preset: string, token: VariantToken): string | undefined {
    const key = `${DERIVED_PREFIX}${originalKey}/${preset}.${token}`;
    return isSafeObjectKey(key) ? key : undefined;
}

/** The prefix every variant of one original is stored under: `derived/<original key>/`. */
export function variantKeyPrefix(originalKey: string): string {
    return `${DERIVED_PREFIX}${originalKey}/`;
}

/** The first segment of every path the gate writes for the resizer. */
export const RESIZER_PATH_PREFIX = "/variant/";

/**
 * The path the gate writes for the resizer once the hash checked out:
 * `/variant/<preset>/<token>/<original key>`, each key segment
 * percent-encoded per RFC 3986 (everything but `A–Z a–z 0–9 - . _ ~`),
 * slashes kept. The resizer trusts only this, never the viewer's URI.
 */
export function resizerPath(preset: string, token: VariantToken, originalKey: string): string {
    return `${RESIZER_PATH_PREFIX}${preset}/${token}/${encodeKeySegments(originalKey)}`;
}

/** Each `/`-separated segment of a key percent-encoded per RFC 3986, slashes kept. */
export function encodeKeySegments(key: string): string {
    return key
        .split("/")
        .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()))
        .join("/");
}

/** A path the gate wrote, decoded. */
export interface ResizerRequest {
    preset: string;
    token: VariantToken;
    /** The original's object key. */
    key: string;
}

/** Why a resizer path was refused (for the log line). */
export type ResizerPathProblem = "shape" | "preset" | "token" | "key" | "outside_uploads" | "staging";

/**
 * Parses a resizer path strictly: exactly what {@link resizerPath} writes
 * for a preset of `catalogue`, a token that preset allows and a safe key
 * under `uploadPrefix` but not under its staging folder
 * (`<uploadPrefix>incoming/`). Anything else is refused with the reason.
 */
export function parseResizerPath(
    path: string,
    catalogue: VariantCatalogue,
    uploadPrefix: string,
): { ok: true; request: ResizerRequest } | { ok: false; problem: ResizerPathProblem } {
    // 3 bytes per encoded key byte at most, plus the prefix, a name and a token.
    if (typeof path !== "string" || path.length > 3 * 1024 + 64 || !path.startsWith(RESIZER_PATH_PREFIX)) return { ok: false, problem: "shape" };
    const parts = path.slice(RESIZER_PATH_PREFIX.length).split("/");
    if (parts.length < 3) return { ok: false, problem: "shape" };
    const [preset, token, ...segments] = parts;
    if (!PRESET_NAME_PATTERN.test(preset) || !Object.prototype.hasOwnProperty.call(catalogue, preset)) return { ok: false, problem: "preset" };
    if (!isPresetToken(catalogue[preset], token)) return { ok: false, problem: "token" };
    const decoded: string[] = [];
    for (const segment of segments) {
        let value: string;
        try {
            value = decodeURIComponent(segment);
        } catch {
            return { ok: false, problem: "key" };
        }
        if (value.includes("/")) return { ok: false, problem: "key" };
        decoded.push(value);
    }
    const key = decoded.join("/");
    // One path per key: only the canonical encoding the gate writes is accepted.
    if (!isSafeObjectKey(key) || encodeKeySegments(key) !== segments.join("/")) return { ok: false, problem: "key" };
    if (!key.startsWith(uploadPrefix) || key.length === uploadPrefix.length) return { ok: false, problem: "outside_uploads" };
    if (key.startsWith(uploadPrefix + STAGING_FOLDER)) return { ok: false, problem: "staging" };
    return { ok: true, request: { preset, token, key } };
}
