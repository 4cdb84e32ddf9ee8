/**
 * Tiny loopback servers that misbehave on purpose (throttle, fail, hang, cut
 * the connection), for fault tests of the edge's DynamoDB calls. Each records
 * the requests it received.
 */
import * as http from "http";
import * as net from "net";
import type { AddressInfo } from "net";

export interface SeenRequest {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** Client port of the connection it came on (same port = same connection). */
    clientPort: number;
}

export interface FaultServer {
    endpoint: string;
    seen: SeenRequest[];
    close(): Promise<void>;
}

/** An HTTP server answering each (fully read) request with `reply`. */
export async function startReplyServer(reply: (request: SeenRequest, response: http.ServerResponse, index: number) => void): Promise<FaultServer> {
    const seen: SeenRequest[] = [];
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const entry = {
                method: request.method ?? "",
                url: request.url ?? "",
                headers: request.headers,
                body: Buffer.concat(chunks).toString("utf8"),
                clientPort: request.socket.remotePort ?? 0,
            };
            seen.push(entry);
            reply(entry, response, seen.length - 1);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Answers DynamoDB-style JSON with a status. */
export function json(response: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(text) });
    response.end(text);
}

/** A TCP server that accepts connections and never says a word. */
export async function startSilentServer(): Promise<FaultServer & { connections: () => number }> {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
        sockets.push(socket);
        socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen: [],
        connections: () => sockets.length,
        close: () =>
            new Promise((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPortEndpoint(): Promise<string> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
}

/** A pass-through HTTP proxy in front of a real server (dynalite) that counts the requests it forwards. */
export async function startCountingProxy(target: string): Promise<FaultServer & { count: () => number }> {
    const upstream = new URL(target);
    let forwarded = 0;
    const server = http.createServer((request, response) => {
        forwarded += 1;
        const outgoing = http.request(
            { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
            (answer) => {
                response.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(response);
            },
        );
        outgoing.on("error", () => response.destroy());
        request.pipe(outgoing);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen: [],
        count: () => forwarded,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
