/**
 * Who may talk to a port of the local stack. Every server listens on
 * 127.0.0.1 only, but a web page the developer visits can still reach them:
 * a form post or an `<img>` from another site goes straight to 127.0.0.1
 * (no CORS preflight is needed for those), and a site that re-points its
 * own name at 127.0.0.1 (DNS rebinding) can even read the answers, since the
 * browser then thinks they are same-origin. And nothing behind these ports
 * checks a signature. So, on every port, before any body is read or
 * anything is done:
 *
 * - the `Host` must name this machine at this port (`127.0.0.1` or
 *   `localhost`, with this port or none): a rebound name does not;
 * - unless the port's policy says any page may send the request (a CDN's
 *   image GETs, a presigned S3 GET: what the deployed services serve to any
 *   page too), a request from a web page must come from an origin the port
 *   trusts: an `Origin` header naming another origin (`null` included) is
 *   refused, and so is a `Sec-Fetch-Site` saying another site or origin
 *   sent it without a trusted `Origin` (browsers send `Sec-Fetch-Site` on
 *   every request, `<img>` and form posts included, and `Origin` on every
 *   POST and cross-origin fetch);
 * - a port may also want a header that only a same-origin script can set
 *   (the playground's API: a page elsewhere cannot add a custom header
 *   without a CORS preflight, and no port grants one).
 *
 * The AWS SDK, the CLI and the stack's own parts send neither `Origin` nor
 * `Sec-Fetch-Site`, so they pass. Refused requests get 403 in the port's
 * own error format, and no port answers with CORS headers that would let a
 * page read anything.
 */
import type { IncomingMessage, ServerResponse } from "http";

/** What the guard looks at in a request. Header values as received (undefined when absent). */
export interface GuardInput {
    method: string;
    /** The request target's path, not decoded. */
    path: string;
    /** The request target's query string, without `?`. */
    query: string;
    host?: string;
    origin?: string;
    secFetchSite?: string;
    /** The port's proof header, when it wants one. */
    proof?: string;
}

/** What one port accepts (see the module comment). */
export interface PortPolicy {
    /** What answers on the port, for messages (`the local DynamoDB`). */
    name: string;
    /** Origins (`http://127.0.0.1:4500`) whose pages may use the port, given its own port. @default none */
    trustedOrigins?: (port: number) => readonly string[];
    /** Requests any page may make: what the deployed service answers to any page. @default none */
    open?: (input: GuardInput) => boolean;
    /** A header every other request must carry (lower case), which only a script on a trusted origin can set. */
    proofHeader?: string;
}

/** The host names this machine answers to on `port`: `127.0.0.1` and `localhost`, with the port or without. */
export function localHosts(port: number): string[] {
    return [`127.0.0.1:${port}`, `localhost:${port}`, "127.0.0.1", "localhost"];
}

/** A port's own origins, as a browser names them. */
export function localOrigins(port: number): string[] {
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Why the port refuses this request, or `undefined` when it may go on. */
export function refusal(input: GuardInput, port: number, policy: PortPolicy): string | undefined {
    const host = input.host?.toLowerCase();
    if (host === undefined || !localHosts(port).includes(host)) return `${policy.name} answers only to http://127.0.0.1:${port}/ (Host)`;
    if (policy.open?.(input)) return undefined;
    const trusted = policy.trustedOrigins?.(port) ?? [];
    const fromTrusted = input.origin !== undefined && trusted.includes(input.origin);
    if (input.origin !== undefined && !fromTrusted) return `${policy.name} answers no web page from another origin (Origin)`;
    const site = input.secFetchSite?.toLowerCase();
    const ownOriginTrusted = localOrigins(port).some((origin) => trusted.includes(origin));
    const siteAllowed = site === undefined || site === "none" || fromTrusted || (site === "same-origin" && ownOriginTrusted);
    if (!siteAllowed) return `${policy.name} answers no web page from another site or origin (Sec-Fetch-Site)`;
    if (policy.proofHeader !== undefined && input.proof === undefined) return `${policy.name} answers only its own page (no ${policy.proofHeader} header)`;
    return undefined;
}

/** A header's value as one string (repeated ones joined), or undefined. */
function header(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
}

/** The guard's view of a Node request. */
export function guardInput(request: IncomingMessage, proofHeader?: string): GuardInput {
    const target = request.url ?? "/";
    const question = target.indexOf("?");
    return {
        method: request.method ?? "GET",
        path: question < 0 ? target : target.slice(0, question),
        query: question < 0 ? "" : target.slice(question + 1),
        host: header(request, "host"),
        origin: header(request, "origin"),
        secFetchSite: header(request, "sec-fetch-site"),
        proof: proofHeader === undefined ? undefined : header(request, proofHeader),
    };
}

/** Writes a port's 403 for a refused request: status, headers and body in that port's format. */
export type RefusalWriter = (response: ServerResponse, message: string) => void;

/**
 * The guard for a server: call it first with every request; true means it
 * refused the request (403 written by `refuse`, the body left unread and
 * drained) and nothing else may be done with it. The port is the one the
 * request came in on.
 */
export function guardFor(policy: PortPolicy, refuse: RefusalWriter): (request: IncomingMessage, response: ServerResponse) => boolean {
    return (request, response) => {
        const why = refusal(guardInput(request, policy.proofHeader), request.socket.localPort ?? 0, policy);
        if (why === undefined) return false;
        request.resume();
        refuse(response, why);
        return true;
    };
}

/** A refusal as JSON `{ code: "FORBIDDEN", message }`, never cached. */
export const jsonRefusal: RefusalWriter = (response, message) => {
    const body = JSON.stringify({ code: "FORBIDDEN", message });
    response.writeHead(403, { "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
};
