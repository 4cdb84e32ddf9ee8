/**
 * A proxy in front of a local DynamoDB that makes it as far away as a
 * modelled round trip: every answer is held back by the round trips the
 * exchange would take over a real network. The first request on a
 * connection is held for three (TCP's handshake, TLS 1.3's handshake, the
 * request itself), every later request on the same keep-alive connection
 * for one.
 *
 * TLS cannot be spoken to dynalite (plain HTTP on loopback), so the
 * handshakes are not performed, only their round trips are waited out; the
 * cryptography of a real handshake (a millisecond or two of CPU) is not in
 * the figures.
 */
import * as http from "http";
import type { Socket } from "net";
import { closeServer, listenOn } from "../../local/net";

export interface RttProxy {
    /** `http://127.0.0.1:<port>` */
    endpoint: string;
    /** The modelled round trip, ms; change it between runs. */
    rttMs: number;
    /** Requests answered, and how many of them opened their connection. */
    readonly requests: number;
    readonly connections: number;
    close(): Promise<void>;
}

/** Round trips a request costs: three on a new connection, one on a reused one. */
export const NEW_CONNECTION_ROUND_TRIPS = 3;

export async function startRttProxy(target: string, rttMs = 0): Promise<RttProxy> {
    const upstream = new URL(target);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const used = new WeakSet<Socket>();
    const timers = new Set<NodeJS.Timeout>();
    let requests = 0;
    let connections = 0;

    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            requests += 1;
            const fresh = !used.has(request.socket);
            used.add(request.socket);
            if (fresh) connections += 1;
            const holdMs = proxy.rttMs * (fresh ? NEW_CONNECTION_ROUND_TRIPS : 1);
            const forward = () => {
                const outgoing = http.request(
                    // Addressed to upstream by its own name: the local stack's guard takes only its own host and port.
                    { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host }, agent },
                    (answer) => {
                        response.writeHead(answer.statusCode ?? 502, answer.headers);
                        answer.pipe(response);
                    },
                );
                outgoing.on("error", () => response.destroy());
                outgoing.end(Buffer.concat(chunks));
            };
            // The request travels half a round trip out and the answer half back; holding the
            // whole span before forwarding gives the caller the same wait.
            if (holdMs <= 0) return forward();
            const timer = setTimeout(() => {
                timers.delete(timer);
                forward();
            }, holdMs);
            timers.add(timer);
        });
    });
    server.on("clientError", (_error, socket) => socket.destroy());
    const port = await listenOn(server, 0, "round-trip proxy");
    const proxy: RttProxy = {
        endpoint: `http://127.0.0.1:${port}`,
        rttMs,
        get requests() {
            return requests;
        },
        get connections() {
            return connections;
        },
        async close() {
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            agent.destroy();
            await closeServer(server);
        },
    };
    return proxy;
}
