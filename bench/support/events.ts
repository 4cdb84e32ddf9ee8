/**
 * Origin-request events as CloudFront sends them for `GET <uri>` (built with
 * the local CloudFront emulator's event builder, so every benchmark feeds
 * the handler the same shape the local stack does), and the hash helpers the
 * benchmarks use.
 */
import type { CloudFrontRequestEvent } from "aws-lambda";
import { randomBytes } from "crypto";
import { requestEvent, s3Origin } from "../../local/cloudfront/events";
import { BENCH_BUCKET, BENCH_REGION } from "./settings";

const IDENTITY = { distributionId: "EBENCHDIST01", distributionDomainName: "d111111abcdef8.cloudfront.net" };

export function originRequestEvent(uri: string, bucket: string = BENCH_BUCKET): CloudFrontRequestEvent {
    const origin = s3Origin(bucket, BENCH_REGION);
    return requestEvent(IDENTITY, "origin-request", randomBytes(12).toString("base64url"), {
        clientIp: "203.0.113.178",
        method: "GET",
        uri,
        querystring: "",
        headers: {
            host: [{ key: "Host", value: origin.domainName }],
            "user-agent": [{ key: "User-Agent", value: "Amazon CloudFront" }],
            via: [{ key: "Via", value: "1.1 d111111abcdef8.cloudfront.net (CloudFront)" }],
            "x-forwarded-for": [{ key: "X-Forwarded-For", value: "203.0.113.178" }],
        },
        origin: { s3: origin },
    });
}

/** The `i`-th of a family of well-formed hashes: `prefix` (one hex digit) then `i` in 31 hex digits. */
export function numberedHash(prefix: string, i: number): string {
    return prefix + i.toString(16).padStart(31, "0");
}
