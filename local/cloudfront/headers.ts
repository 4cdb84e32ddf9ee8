/**
 * Header helpers for the CloudFront emulator: an ordered list of
 * `[name, value]` pairs for HTTP responses, and conversion to and from the
 * multi-value map Lambda@Edge events use (`{ "content-type": [{ key, value }] }`).
 */
import type { CloudFrontHeaders } from "aws-lambda";
import type { IncomingHttpHeaders } from "http";

/** Response headers in order, names as they will be sent. A name may repeat. */
export type HeaderList = Array<[string, string]>;

/** The first value of `name` (case-insensitive), or `undefined`. */
export function getHeader(headers: HeaderList, name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [key, value] of headers) if (key.toLowerCase() === wanted) return value;
    return undefined;
}

/** True when `name` is present (case-insensitive). */
export function hasHeader(headers: HeaderList, name: string): boolean {
    return getHeader(headers, name) !== undefined;
}

/** A copy without any header called `name` (case-insensitive). */
export function withoutHeader(headers: HeaderList, name: string): HeaderList {
    const unwanted = name.toLowerCase();
    return headers.filter(([key]) => key.toLowerCase() !== unwanted);
}

/** A copy with `name` set to the single `value`, replacing any earlier values. */
export function withHeader(headers: HeaderList, name: string, value: string): HeaderList {
    return [...withoutHeader(headers, name), [name, value]];
}

/** The multi-value map of a Lambda@Edge event for a header list. */
export function toCloudFrontHeaders(headers: HeaderList): CloudFrontHeaders {
    const map: CloudFrontHeaders = {};
    for (const [key, value] of headers) {
        const lower = key.toLowerCase();
        (map[lower] ??= []).push({ key, value });
    }
    return map;
}

/**
 * The header list of a Lambda@Edge multi-value map. Entries without a `key`
 * take the map's (lowercase) name, as Lambda@Edge does.
 */
export function fromCloudFrontHeaders(map: CloudFrontHeaders | undefined): HeaderList {
    const list: HeaderList = [];
    for (const [name, values] of Object.entries(map ?? {})) {
        for (const entry of values) list.push([entry.key ?? name, entry.value]);
    }
    return list;
}

/** The header list of a Node.js request, preserving the raw names and order. */
export function fromRawHeaders(rawHeaders: string[]): HeaderList {
    const list: HeaderList = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) list.push([rawHeaders[i], rawHeaders[i + 1]]);
    return list;
}

/** The header list of Node.js parsed headers (used for origin responses). */
export function fromIncomingHeaders(headers: IncomingHttpHeaders): HeaderList {
    const list: HeaderList = [];
    for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) list.push([name, one]);
    }
    return list;
}

/** Hop-by-hop headers: never stored in the cache nor passed on. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

/** A copy without hop-by-hop headers. */
export function withoutHopByHop(headers: HeaderList): HeaderList {
    return headers.filter(([key]) => !HOP_BY_HOP.has(key.toLowerCase()));
}
