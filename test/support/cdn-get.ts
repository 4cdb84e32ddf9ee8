import * as http from "http";
import * as https from "https";

/** An answer to a viewer's request, as the tests read it. */
export interface ViewerAnswer {
    status: number;
    /** A header's value (several of one name joined with ", "), null when absent. */
    header(name: string): string | null;
    body: Buffer;
}

/** A GET of a CDN URL as a viewer sends it (redirects not followed), with the answer's parts the tests read. */
export interface CdnAnswer {
    status: number;
    xCache: string | null;
    age: string | null;
    cacheControl: string | null;
    body: Buffer;
}

/**
 * Connections kept open between requests, as a browser keeps them. The
 * tests that walk a moved clock ask every second and send thousands of
 * requests; Node's `http` on a kept connection costs about a third of the
 * CPU of `fetch` per request (measured on loopback).
 */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** A GET or HEAD of `url` as a viewer sends it: redirects not followed, the whole body read. */
export function viewerRequest(url: string, method: "GET" | "HEAD" = "GET"): Promise<ViewerAnswer> {
    const target = new URL(url);
    if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.reject(new Error(`not an http(s) URL: ${url}`));
    const agent = agents[target.protocol];
    return new Promise((resolve, reject) => {
        const request = (target.protocol === "https:" ? https : http).request(target, { method, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () => {
                const header = (name: string) => {
                    const value = response.headers[name.toLowerCase()];
                    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
                };
                resolve({ status: response.statusCode ?? 0, header, body: Buffer.concat(chunks) });
            });
        });
        request.on("error", reject);
        request.end();
    });
}

export async function cdnGet(url: string): Promise<CdnAnswer> {
    const answer = await viewerRequest(url);
    return { status: answer.status, xCache: answer.header("x-cache"), age: answer.header("age"), cacheControl: answer.header("cache-control"), body: answer.body };
}
