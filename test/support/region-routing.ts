/**
 * Sends the edge code's HTTPS calls to AWS regional DynamoDB endpoints
 * (`https://dynamodb.<region>.amazonaws.com`) to local servers instead, one
 * per region, over plain HTTP on loopback: `https.request` and `https.get`
 * are wrapped before the code under test is loaded (and until `restore`),
 * so the deployed bundle runs unchanged, endpoints unset, as in AWS.
 *
 * A region with no server is sent to a loopback port nothing listens on:
 * the caller sees its connection refused, as it would a dead endpoint.
 * Every other HTTPS call goes through untouched.
 *
 * Each keep-alive agent of the caller gets a plain-HTTP keep-alive agent of
 * its own, so connection reuse behaves as it would against the real
 * endpoint: a warm container reuses its connections, a fresh container
 * (fresh agents) opens new ones.
 */
import * as http from "http";
import type * as Https from "https";

// The module object itself (an `import *` may be a copy): the code under test requires this one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const https: typeof Https = require("https");

const DYNAMO_HOST = /^dynamodb\.([a-z0-9-]+)\.amazonaws\.com$/;

export interface RegionRouting {
    /** Calls routed, in order: the region each went to. */
    readonly routed: readonly string[];
    /** Routes (or re-routes) a region to a server; `undefined` sends it to the closed port. */
    set(region: string, endpoint: string | undefined): void;
    /** Puts `https.request` and `https.get` back. */
    restore(): void;
}

type RequestFn = typeof Https.request;

/**
 * @param routes region → `http://127.0.0.1:<port>`
 * @param closedEndpoint where regions without a route go (a loopback port nothing listens on)
 */
export function routeDynamoRegions(routes: Record<string, string>, closedEndpoint: string): RegionRouting {
    const table = new Map(Object.entries(routes));
    const agents = new WeakMap<object, http.Agent>();
    const created: http.Agent[] = [];
    const routed: string[] = [];
    const original = { request: https.request, get: https.get };

    function redirect(options: Https.RequestOptions, callback?: (response: http.IncomingMessage) => void): http.ClientRequest | undefined {
        const hostname = options.hostname ?? options.host ?? "";
        const match = DYNAMO_HOST.exec(String(hostname).replace(/:\d+$/, ""));
        if (!match) return undefined;
        const region = match[1];
        routed.push(region);
        const target = new URL(table.get(region) ?? closedEndpoint);
        const { protocol: _protocol, hostname: _hostname, host: _host, port: _port, agent: callerAgent, ...rest } = options;
        let agent: http.Agent | false = false;
        if (typeof callerAgent === "object" && callerAgent !== null) {
            agent = agents.get(callerAgent) ?? new http.Agent({ keepAlive: true, maxSockets: 50 });
            if (!agents.has(callerAgent)) {
                agents.set(callerAgent, agent);
                created.push(agent);
            }
        }
        // The local server is named as itself in Host (its guard answers nothing else), as a real endpoint is.
        const headers = Object.fromEntries(Object.entries(rest.headers ?? {}).filter(([name]) => name.toLowerCase() !== "host"));
        return http.request({ ...rest, headers: { ...headers, host: target.host }, protocol: "http:", hostname: target.hostname, port: Number(target.port), agent }, callback);
    }

    const wrapped = ((first: unknown, second?: unknown, third?: unknown) => {
        // Only the (options[, callback]) form is routed: the edge code calls it that way.
        if (typeof first === "object" && first !== null && !(first instanceof URL)) {
            const routedRequest = redirect(first as Https.RequestOptions, second as ((response: http.IncomingMessage) => void) | undefined);
            if (routedRequest) return routedRequest;
        }
        return (original.request as (...args: unknown[]) => http.ClientRequest)(first, second, third);
    }) as RequestFn;
    const wrappedGet = ((first: unknown, second?: unknown, third?: unknown) => {
        const request = (wrapped as (...args: unknown[]) => http.ClientRequest)(first, second, third);
        request.end();
        return request;
    }) as typeof Https.get;

    Object.assign(https, { request: wrapped, get: wrappedGet });
    return {
        routed,
        set(region, endpoint) {
            if (endpoint === undefined) table.delete(region);
            else table.set(region, endpoint);
        },
        restore() {
            Object.assign(https, original);
            for (const agent of created) agent.destroy();
        },
    };
}
