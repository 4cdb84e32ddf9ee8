/**
 * A response headers policy as the emulator applies it: headers CloudFront
 * adds to every response it sends to viewers (cache hits, misses, errors and
 * generated responses alike). With `override`, the policy's value replaces
 * one the origin or the function sent; without, the origin's value stays.
 */
import { hasHeader, HeaderList, withHeader, withoutHeader } from "./headers";

export interface PolicyHeader {
    name: string;
    value: string;
    override: boolean;
}

export interface ResponseHeadersPolicy {
    headers: readonly PolicyHeader[];
    /** Header names CloudFront removes from responses (`removeHeadersConfig`). */
    remove?: readonly string[];
}

export const NO_RESPONSE_HEADERS_POLICY: ResponseHeadersPolicy = { headers: [] };

export function applyResponseHeadersPolicy(headers: HeaderList, policy: ResponseHeadersPolicy): HeaderList {
    let result = headers;
    for (const name of policy.remove ?? []) result = withoutHeader(result, name);
    for (const header of policy.headers) {
        if (header.override || !hasHeader(result, header.name)) result = withHeader(result, header.name, header.value);
    }
    return result;
}
