/**
 * The HTTP face of one emulated distribution: `http://127.0.0.1:<port>`,
 * the local stand-in for `https://dxxxx.cloudfront.net`. It turns each HTTP
 * request into a {@link ViewerRequest}, lets the {@link Distribution} answer
 * it, and writes the response back. Nothing else is served on this port, so
 * every path behaves as it would on the real distribution.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { BAD_HOST_TEXT, cloudFrontErrorPage } from "./error-pages";
import type { ViewerRequest, ViewerResponse } from "./distribution";
import { fromRawHeaders } from "./headers";
import { guardFor, PortPolicy } from "../guard";
import { closeServer, listenOn } from "../net";

/** CloudFront's limit on the request line's URL, bytes. */
export const MAX_URL_BYTES = 8192;

export interface CdnServer {
    /** `http://127.0.0.1:<port>`: the CDN base URL of the service. */
    baseUrl: string;
    port: number;
    close(): Promise<void>;
}

/** What answers the viewer requests: a {@link Distribution} or anything shaped like it. */
export interface ViewerRequestHandler {
    handle(request: ViewerRequest): Promise<ViewerResponse>;
}

/**
 * Splits a request target into path and query string, as CloudFront puts
 * them in `uri` and `querystring` (the path is not decoded).
 */
export function splitTarget(target: string): { uri: string; querystring: string } {
    const question = target.indexOf("?");
    const rawPath = question < 0 ? target : target.slice(0, question);
    const querystring = question < 0 ? "" : target.slice(question + 1);
    // An absolute-form target (`GET http://host/path`) keeps only its path.
    const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(rawPath) ? rawPath.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "") || "/" : rawPath;
    return { uri: path.startsWith("/") ? path : `/${path}`, querystring };
}

/**
 * A CDN port on the local stack's guard (local/guard.ts): any page may ask
 * it anything, as any page may embed a CloudFront distribution's images (the
 * hash URL is the capability, and the deployed distribution serves it to
 * every page); only the `Host` must name this machine, as CloudFront refuses
 * a host that is not the distribution's. It sends no CORS headers, so a page
 * elsewhere can show an image but not read its bytes, and it has nothing
 * else to offer: other methods get CloudFront's 403, and the request log and
 * invalidations live on the CloudFront API's port.
 */
export const CDN_POLICY: PortPolicy = { name: "this distribution", open: () => true };

function refuseHost(res: http.ServerResponse): void {
    const page = cloudFrontErrorPage(403, BAD_HOST_TEXT);
    write(res, { ...page, headers: [...page.headers, ["X-Cache", "Error from cloudfront"]] });
}

function write(res: http.ServerResponse, response: ViewerResponse): void {
    res.statusCode = response.status;
    if (response.statusDescription) res.statusMessage = response.statusDescription.replace(/[^\t\x20-\x7e]/g, "");
    const grouped = new Map<string, string[]>();
    const names = new Map<string, string>();
    for (const [name, value] of response.headers) {
        const lower = name.toLowerCase();
        if (!names.has(lower)) names.set(lower, name);
        (grouped.get(lower) ?? grouped.set(lower, []).get(lower)!).push(value);
    }
    for (const [lower, values] of grouped) {
        try {
            res.setHeader(names.get(lower)!, values.length === 1 ? values[0] : values);
        } catch {
            // A header value Node refuses to send (control characters) is dropped, not fatal.
        }
    }
    res.end(response.body);
}

/**
 * Serves `distribution` (see {@link Distribution}) on 127.0.0.1:`port` (0 picks a free port). `what`
 * names the server in a port-in-use error; `onError` hears about emulator
 * bugs (the viewer gets a 502).
 */
export async function startCdnServer(distribution: ViewerRequestHandler, port: number, what: string, onError: (error: unknown) => void): Promise<CdnServer> {
    const guard = guardFor(CDN_POLICY, refuseHost);
    const server = http.createServer({ maxHeaderSize: 20 * 1024 }, (req, res) => {
        const target = req.url ?? "/";
        const method = req.method ?? "GET";
        if (Buffer.byteLength(target) > MAX_URL_BYTES) {
            const page = cloudFrontErrorPage(414, "The request URL is too long.");
            write(res, { ...page, headers: [...page.headers, ["X-Cache", "Error from cloudfront"]] });
            return;
        }
        if (guard(req, res)) return;
        const length = Number(req.headers["content-length"] ?? "0");
        const viewer: ViewerRequest = {
            method,
            ...splitTarget(target),
            headers: fromRawHeaders(req.rawHeaders),
            clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
            hasBody: (Number.isFinite(length) && length > 0) || req.headers["transfer-encoding"] !== undefined,
        };
        // Drain any body: the answer does not depend on it.
        req.resume();
        const failed = (error: unknown) => {
            onError(error);
            const page = cloudFrontErrorPage(502, "The emulator failed to handle this request.");
            write(res, { ...page, headers: [...page.headers, ["X-Cache", "Error from cloudfront"]] });
        };
        Promise.resolve()
            .then(() => distribution.handle(viewer))
            .then((response) => write(res, response), failed);
    });
    server.keepAliveTimeout = 5_000;
    const bound = await listenOn(server, port, what);
    return { baseUrl: `http://127.0.0.1:${bound}`, port: bound, close: () => closeServer(server) };
}
