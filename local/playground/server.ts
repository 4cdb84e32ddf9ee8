/**
 * The playground's HTTP server: the page (plain HTML, CSS and JS from
 * local/playground/static/, no build step) at `/`, and its JSON API under
 * `/api/`, for the playground's own page only (guard.ts). The page's Content-Security-Policy lets it show images from the
 * local CDN ports (and the local S3 that redirects point to) and nothing else
 * from elsewhere.
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { closeServer, listenOn } from "../net";
import { PlaygroundApi, readBody } from "./api";
import { guardFor, jsonRefusal } from "../guard";
import { PLAYGROUND_POLICY, requestUrl } from "./guard";

export const STATIC_DIR = path.join(__dirname, "static");

const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
    "/": { file: "index.html", type: "text/html; charset=utf-8" },
    "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
    "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
    "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

export interface PlaygroundServer {
    url: string;
    port: number;
    close(): Promise<void>;
}

export interface PlaygroundOptions {
    api: PlaygroundApi;
    port: number;
    /** Origins the page may load images from: the CDNs, and the local S3 that redirect mode sends browsers to. */
    imageOrigins: readonly string[];
    /** Emulator or library faults (the browser gets a 500 without details). */
    log: (line: string) => void;
}

export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundServer> {
    const csp = [
        "default-src 'self'",
        `img-src 'self' ${options.imageOrigins.join(" ")}`,
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ].join("; ");
    const securityHeaders = { "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };

    const guard = guardFor(PLAYGROUND_POLICY, (res, message) => {
        for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
        jsonRefusal(res, message);
    });
    const server = http.createServer((req, res) => {
        const url = requestUrl(req.url);
        const method = req.method ?? "GET";
        if (url === undefined) {
            req.resume();
            res.writeHead(400, { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8" });
            res.end("bad request target\n");
            return;
        }
        // Nothing is read or done for a refused request: the body is drained, unread.
        if (guard(req, res)) return;
        if (url.pathname.startsWith("/api/")) {
            options.api
                .handle({ method, url, body: (maxBytes) => readBody(req, maxBytes) })
                .then(
                    (answer) => {
                        res.writeHead(answer.status, { ...securityHeaders, "Content-Type": "application/json", "Cache-Control": "no-store" });
                        res.end(JSON.stringify(answer.body));
                    },
                    (error: unknown) => {
                        options.log(`playground API fault on ${method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                        res.writeHead(500, { ...securityHeaders, "Content-Type": "application/json", "Cache-Control": "no-store" });
                        res.end(JSON.stringify({ code: "INTERNAL", message: "the playground failed; see the terminal running npm start" }));
                    },
                );
            return;
        }
        const asset = STATIC_FILES[url.pathname];
        if (!asset || (method !== "GET" && method !== "HEAD")) {
            res.writeHead(404, { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8" });
            res.end("not found\n");
            return;
        }
        fs.readFile(path.join(STATIC_DIR, asset.file), (error, data) => {
            if (error) {
                options.log(`playground: cannot read ${asset.file}: ${error.message}`);
                res.writeHead(500, { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8" });
                res.end("playground file missing\n");
                return;
            }
            res.writeHead(200, { ...securityHeaders, "Content-Type": asset.type, "Cache-Control": "no-cache" });
            res.end(method === "HEAD" ? undefined : data);
        });
    });
    const port = await listenOn(server, options.port, "playground");
    return { url: `http://127.0.0.1:${port}/`, port, close: () => closeServer(server) };
}
