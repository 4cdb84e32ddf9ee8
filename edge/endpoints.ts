/**
 * Where the edge sends its requests. In AWS: the regional DynamoDB
 * endpoint of each copy of the table it reads (the function runs in every
 * edge region; the table lives at home and in its replica regions) and the
 * bucket's regional S3 endpoint. Locally: the endpoint
 * overrides in the settings (plain http on loopback).
 */
import type { EdgeSettings } from "../core/edge-settings";

export interface Endpoint {
    protocol: "http:" | "https:";
    hostname: string;
    /** Set only when not the protocol's default port. */
    port?: number;
}

/** Parses an `http(s)://host[:port]` endpoint; anything else is a settings error. */
export function parseEndpoint(url: string): Endpoint {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`endpoint must be http or https: ${url}`);
    if (parsed.pathname !== "/" || parsed.search !== "" || parsed.username !== "" || parsed.password !== "") {
        throw new Error(`endpoint must be a bare origin (scheme, host, port): ${url}`);
    }
    const hostname = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
    return parsed.port ? { protocol: parsed.protocol, hostname, port: Number(parsed.port) } : { protocol: parsed.protocol, hostname };
}

/** `host[:port]` as it goes in a Host header or a URL. */
export function endpointHost(endpoint: Endpoint): string {
    const host = endpoint.hostname.includes(":") ? `[${endpoint.hostname}]` : endpoint.hostname;
    return endpoint.port === undefined ? host : `${host}:${endpoint.port}`;
}

/** The DNS suffix of AWS endpoints in a region (China regions differ). */
export function awsDomain(region: string): string {
    return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The DynamoDB endpoint for the table's copy in `region` (home by default):
 * its override, or `https://dynamodb.<region>.<domain>`.
 */
export function dynamoEndpoint(settings: Pick<EdgeSettings, "tableRegion" | "endpoints">, region: string = settings.tableRegion): Endpoint {
    const override = region === settings.tableRegion ? settings.endpoints?.dynamodb : settings.endpoints?.dynamodbReplicas?.[region];
    if (override) return parseEndpoint(override);
    return { protocol: "https:", hostname: `dynamodb.${region}.${awsDomain(region)}` };
}

/** Where an object's GET goes: endpoint plus the path prefix before the encoded key. */
export interface ObjectLocation {
    endpoint: Endpoint;
    /** `/` for virtual-hosted style, `/<bucket>/` for path style. */
    pathPrefix: string;
}

/**
 * The S3 endpoint for this instance's objects. In AWS: virtual-hosted style
 * `https://<bucket>.s3.<bucketRegion>.<domain>/`, or path style on the
 * regional endpoint for a bucket name with dots (its name would not match
 * the wildcard TLS certificate). Locally: path style on the override.
 */
export function objectLocation(settings: Pick<EdgeSettings, "bucket" | "bucketRegion" | "endpoints">): ObjectLocation {
    const override = settings.endpoints?.s3;
    if (override) return { endpoint: parseEndpoint(override), pathPrefix: `/${settings.bucket}/` };
    const regional = `s3.${settings.bucketRegion}.${awsDomain(settings.bucketRegion)}`;
    if (settings.bucket.includes(".")) return { endpoint: { protocol: "https:", hostname: regional }, pathPrefix: `/${settings.bucket}/` };
    return { endpoint: { protocol: "https:", hostname: `${settings.bucket}.${regional}` }, pathPrefix: "/" };
}

/**
 * An object key as a URI path: each `/`-separated segment percent-encoded
 * per RFC 3986 (everything but `A–Z a–z 0–9 - . _ ~`), slashes kept. This is
 * also the canonical form SigV4 signs for S3.
 */
export function encodeObjectKey(key: string): string {
    return key
        .split("/")
        .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()))
        .join("/");
}
