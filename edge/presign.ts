/**
 * Presigned S3 GET and HEAD URLs (redirect mode), SigV4 query signing with `aws4`.
 * `aws4` keeps the derived signing key per (secret, day, region, service) in
 * a small LRU, so after the first URL of the day a URL costs two SHA-256s and
 * one HMAC. The signing time comes from the handler's clock, so a URL is
 * reproducible in tests.
 */
import { sign } from "aws4";
import type { AwsCredentials } from "./credentials";
import { encodeObjectKey, endpointHost, ObjectLocation, objectLocation } from "./endpoints";
import { MAX_PRESIGNED_URL_SECONDS } from "../core/limits";
import type { EdgeSettings } from "../core/edge-settings";

/** The methods a viewer may follow a redirect with; SigV4 signs the method, so a URL serves only the one it was signed for. */
export type PresignMethod = "GET" | "HEAD";

export interface Presigner {
    /**
     * A URL for `key` in this instance's bucket, for `method`, valid
     * `expiresInSeconds` from `nowMs`, with the response headers S3 is told
     * to send (see {@link redirectResponseHeaders}).
     */
    presign(key: string, expiresInSeconds: number, nowMs: number, credentials: AwsCredentials, method?: PresignMethod): string;
}

/**
 * Response headers a presigned URL makes S3 send (its `response-*` query
 * parameters, part of what is signed, so a viewer cannot change them). S3
 * can override only Cache-Control, Content-Disposition, Content-Encoding,
 * Content-Language, Content-Type and Expires (GetObject and HeadObject, S3
 * API reference); it cannot add `X-Content-Type-Options` or a
 * Content-Security-Policy, which the distribution's response headers policy
 * adds in origin mode. So:
 * - `Content-Disposition: attachment`: a browser that navigates to the URL
 *   (rather than loading it in an `<img>`) saves the file instead of
 *   rendering it, so nothing in it can run as a page on S3's domain;
 * - `Cache-Control: private, max-age=<the URL's life>`: no shared cache keeps
 *   the bytes, and a browser keeps them no longer than the URL lives.
 * The Content-Type is the object's own: the one the issuer stored after
 * judging the bytes.
 */
export function redirectResponseHeaders(expiresInSeconds: number): Record<string, string> {
    return {
        "response-cache-control": `private, max-age=${expiresInSeconds}`,
        "response-content-disposition": "attachment",
    };
}

/** `YYYYMMDDTHHMMSSZ` for a time in ms. */
export function amzDate(nowMs: number): string {
    return new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

/** What one presigned URL needs. */
export interface PresignRequest {
    location: ObjectLocation;
    region: string;
    key: string;
    expiresInSeconds: number;
    nowMs: number;
    credentials: AwsCredentials;
    /** @default "GET" */
    method?: PresignMethod;
    /** `response-*` parameters to sign in (name → value). @default none */
    responseHeaders?: Record<string, string>;
}

/** A lifetime as SigV4 takes it: whole seconds, 1 s to 7 days. */
export function presignSeconds(seconds: number): number {
    return Math.max(1, Math.min(MAX_PRESIGNED_URL_SECONDS, Math.floor(seconds)));
}

/** A SigV4 query-signed URL (`UNSIGNED-PAYLOAD`, signed header `host`), valid 1 s to 7 days. */
export function presignObjectUrl(request: PresignRequest): string {
    const host = endpointHost(request.location.endpoint);
    const seconds = presignSeconds(request.expiresInSeconds);
    const query = new URLSearchParams({ "X-Amz-Expires": String(seconds), "X-Amz-Date": amzDate(request.nowMs), ...(request.responseHeaders ?? {}) });
    const signed = sign(
        {
            service: "s3",
            region: request.region,
            method: request.method ?? "GET",
            host,
            // aws4 parses this query and signs (and re-serializes) it in RFC 3986 form.
            path: `${request.location.pathPrefix}${encodeObjectKey(request.key)}?${query.toString()}`,
            headers: { Host: host },
            signQuery: true,
        },
        request.credentials,
    );
    return `${request.location.endpoint.protocol}//${host}${signed.path ?? ""}`;
}

export function createPresigner(settings: Pick<EdgeSettings, "bucket" | "bucketRegion" | "endpoints">): Presigner {
    const location = objectLocation(settings);
    return {
        presign: (key, expiresInSeconds, nowMs, credentials, method = "GET") =>
            presignObjectUrl({
                location,
                region: settings.bucketRegion,
                key,
                expiresInSeconds,
                nowMs,
                credentials,
                method,
                responseHeaders: redirectResponseHeaders(presignSeconds(expiresInSeconds)),
            }),
    };
}
