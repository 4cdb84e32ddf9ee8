/**
 * Presigned S3 GET URLs (redirect mode), SigV4 query signing with `aws4`.
 * `aws4` keeps the derived signing key per (secret, day, region, service) in
 * a small LRU, so after the first URL of the day a URL costs two SHA-256s and
 * one HMAC. The signing time comes from the handler's clock, so a URL is
 * reproducible in tests.
 */
import { sign } from "aws4";
import type { AwsCredentials } from "./credentials";
import { encodeObjectKey, endpointHost, objectLocation } from "./endpoints";
import type { EdgeSettings } from "./settings";

/** SigV4 allows at most 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

export interface Presigner {
    /** A GET URL for `key` in this instance's bucket, valid `expiresInSeconds` from `nowMs`. */
    presign(key: string, expiresInSeconds: number, nowMs: number, credentials: AwsCredentials): string;
}

/** `YYYYMMDDTHHMMSSZ` for a time in ms. */
export function amzDate(nowMs: number): string {
    return new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

export function createPresigner(settings: Pick<EdgeSettings, "bucket" | "bucketRegion" | "endpoints">): Presigner {
    const location = objectLocation(settings);
    const host = endpointHost(location.endpoint);
    const origin = `${location.endpoint.protocol}//${host}`;
    return {
        presign(key, expiresInSeconds, nowMs, credentials) {
            const seconds = Math.max(1, Math.min(MAX_PRESIGN_SECONDS, Math.floor(expiresInSeconds)));
            const signed = sign(
                {
                    service: "s3",
                    region: settings.bucketRegion,
                    method: "GET",
                    host,
                    path: `${location.pathPrefix}${encodeObjectKey(key)}?X-Amz-Expires=${seconds}&X-Amz-Date=${amzDate(nowMs)}`,
                    headers: { Host: host },
                    signQuery: true,
                },
                credentials,
            );
            return origin + (signed.path ?? "");
        },
    };
}
