/**
 * The resizer's safety limits and the AWS limits they are sized against.
 * Plain data: no sharp, no AWS SDK.
 */

/**
 * Largest response a buffered Lambda function URL returns: the synchronous
 * invocation payload, 6 MB for the response (AWS Lambda Developer Guide,
 * "Lambda quotas", Invocation payload (request and response)). The body
 * travels base64-encoded inside that JSON payload.
 */
export const LAMBDA_MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Room kept in the payload for the JSON envelope, status and headers. */
export const RESPONSE_ENVELOPE_RESERVE_BYTES = 16 * 1024;

/**
 * Largest variant the resizer returns, bytes: what still fits the payload
 * once base64-encoded (4 characters per 3 bytes) beside the envelope, about
 * 4.49 MiB. A bigger result is refused (422), never truncated.
 */
export const MAX_VARIANT_BYTES = Math.floor((LAMBDA_MAX_RESPONSE_PAYLOAD_BYTES - RESPONSE_ENVELOPE_RESERVE_BYTES) / 4) * 3;

/** Base64 length of `bytes` bytes. */
export function base64Length(bytes: number): number {
    return 4 * Math.ceil(bytes / 3);
}

/**
 * Default for `limitInputPixels`: originals with more pixels (width ×
 * height, as their header states, before anything is decoded) are refused.
 * 100 MP lets through every phone camera's full-resolution JPEG under the
 * upload limit and keeps a decompression bomb from costing more than the
 * function has: the worst case measured, a 10000×10000 interlaced RGBA PNG
 * (424 KB), peaks at 522 MB resident while resized to 1600 px, so a
 * function of 1024 MB or more survives anything let through
 * (docs/variants.md, "Safety limits"). sharp's own default is 268 MP.
 */
export const DEFAULT_LIMIT_INPUT_PIXELS = 100_000_000;

/** Largest value `limitInputPixels` may be set to: sharp's own default, 0x3FFF × 0x3FFF. */
export const MAX_LIMIT_INPUT_PIXELS = 0x3fff * 0x3fff;

/**
 * AVIF encoder effort (0–9). Measured by `npm run bench` (bench/variants.ts,
 * docs/BENCHMARKS.md section 8: a 12-MP photo-like JPEG made into the
 * default `large` on one thread, the same pipeline at efforts 0, 2 and 4):
 * effort 0 costs about what WebP does and is still the smallest of the
 * three formats, effort 4 several times more. The first viewer waits for
 * the encode, and a variant is made once, so the cheapest effort wins.
 */
export const AVIF_EFFORT = 0;

/**
 * AVIF quality for a preset's `quality`: sharp's defaults put JPEG and WebP
 * at 80 and AVIF at 50 for comparable results, so AVIF gets 5/8 of it.
 */
export function avifQuality(quality: number): number {
    return Math.max(1, Math.round((quality * 5) / 8));
}
