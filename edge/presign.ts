/**
 * Presigned S3 GET URLs (redirect mode), SigV4 query signing with `aws4`.
 * `aws4` keeps the derived signing key per (secret, day, region, service) in
 * a small LRU, so after the first URL of the day a URL costs two SHA-256s and
 * one HMAC. The signing time comes from the handler's clock, so a URL is
 * reproducible in tests.
 */
import { sign } from "aws4";
import type { AwsCredentials } from "./credentials";
import { encodeObjectKey, endpointHost, ObjectLocation, objectLocation } from "./endpoints";
import { MAX_SIGNED_URL_TTL_SECONDS } from "./limits";
import type { EdgeSettings } from "./settings";

export interface Presigner {
    /** A GET URL for `key` in this instance's bucket, valid `expiresInSeconds` from `nowMs`. */
    presign(key: string, expiresInSeconds: number, nowMs: number, credentials: AwsCredentials): string;
}

/** `YYYYMMDDTHHMMSSZ` for a time in ms. */
export function amzDate(nowMs: number): string {
    return new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

/** What one presigned GET needs. */
export interface PresignRequest {
    location: ObjectLocation;
    region: string;
    key: string;
    expiresInSeconds: number;
    nowMs: number;
    credentials: AwsCredentials;
}

/** A SigV4 query-signed GET URL (`UNSIGNED-PAYLOAD`, signed header `host`), valid 1 s to 7 days. */
export function presignObjectUrl(request: PresignRequest): string {
    const host = endpointHost(request.location.endpoint);
    const seconds = Math.max(1, Math.min(MAX_SIGNED_URL_TTL_SECONDS, Math.floor(request.expiresInSeconds)));
    const signed = sign(
        {
            service: "s3",
            region: request.region,
            method: "GET",
            host,
            path: `${request.location.pathPrefix}${encodeObjectKey(request.key)}?X-Amz-Expires=${seconds}&X-Amz-Date=${amzDate(request.nowMs)}`,
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
        presign: (key, expiresInSeconds, nowMs, credentials) =>
            presignObjectUrl({ location, region: settings.bucketRegion, key, expiresInSeconds, nowMs, credentials }),
    };
}
