/**
 * The playground's policy for the local stack's guard (local/guard.ts):
 * its page and files go to anyone who names it in `Host` (a DNS-rebound
 * name does not), and its API answers only its own page: no foreign
 * `Origin`, a `Sec-Fetch-Site` of `same-origin` or `none` only, and the
 * {@link PLAYGROUND_PROOF_HEADER} header, which only a same-origin script
 * can set (a page elsewhere cannot add a custom header without a CORS
 * preflight, and the playground never grants one).
 */
import { GuardInput, localOrigins, PortPolicy, refusal as portRefusal } from "../guard";

/** Header the playground's page sends on every API call; its value does not matter, only that a script set it. */
export const PLAYGROUND_PROOF_HEADER = "x-playground";

/** The playground on the guard's terms. */
export const PLAYGROUND_POLICY: PortPolicy = {
    name: "this playground",
    trustedOrigins: localOrigins,
    // Judged on the path the server routes by (`/./api/x` and `api/x` are the API too).
    open: (input) => {
        const url = requestUrl(input.path);
        return url !== undefined && !url.pathname.startsWith("/api/");
    },
    proofHeader: PLAYGROUND_PROOF_HEADER,
};

/** Why the playground refuses this request, or `undefined` when it may go on. */
export function refusal(input: Pick<GuardInput, "path" | "host" | "origin" | "secFetchSite" | "proof"> & Partial<GuardInput>, port: number): string | undefined {
    return portRefusal({ method: "GET", query: "", ...input }, port, PLAYGROUND_POLICY);
}

/**
 * The request target as a URL on the playground itself: always a path (a
 * target such as `//host/x` stays a path, it does not name a host), or
 * `undefined` when it cannot be read at all. The server routes by it, and
 * the guard judges by it.
 */
export function requestUrl(target: string | undefined): URL | undefined {
    const raw = target ?? "/";
    try {
        return new URL(`http://playground.local${raw.startsWith("/") ? raw : `/${raw}`}`);
    } catch {
        return undefined;
    }
}
