/**
 * A loopback proxy in front of the local S3 for the CDN emulators' origin
 * fetches, which can hold back the answer to one object's fetch until the
 * test lets it go: the copy CloudFront caches then lands exactly when the
 * test wants it to (after a revocation's invalidation, for one). Requests it
 * is not told to hold pass straight through.
 */
import * as http from "http";
import { closeServer, listenOn } from "../../local/net";

export interface Held {
    /** Resolves once the origin's whole answer is in, and held. */
    arrived: Promise<void>;
    /** Sends the held answer on. */
    release(): void;
}

export interface HeldOrigin {
    endpoint: string;
    /** Holds the next fetch whose path contains `pathPart`. */
    hold(pathPart: string): Held;
    close(): Promise<void>;
}

export async function startHeldOrigin(target: string): Promise<HeldOrigin> {
    const upstream = new URL(target);
    const holds: { pathPart: string; arrive: () => void; released: Promise<void> }[] = [];
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const index = holds.findIndex((hold) => (request.url ?? "").includes(hold.pathPart));
            const hold = index >= 0 ? holds.splice(index, 1)[0] : undefined;
            const outgoing = http.request(
                { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host }, agent: false },
                (answer) => {
                    const body: Buffer[] = [];
                    answer.on("data", (chunk: Buffer) => body.push(chunk));
                    answer.on("end", async () => {
                        if (hold) {
                            hold.arrive();
                            await hold.released;
                        }
                        response.writeHead(answer.statusCode ?? 502, answer.headers);
                        response.end(Buffer.concat(body));
                    });
                },
            );
            outgoing.on("error", () => response.destroy());
            outgoing.end(Buffer.concat(chunks));
        });
    });
    const port = await listenOn(server, 0, "held origin");
    return {
        endpoint: `http://127.0.0.1:${port}`,
        hold(pathPart) {
            let arrive = () => undefined as void;
            let release = () => undefined as void;
            const arrived = new Promise<void>((resolve) => (arrive = resolve));
            const released = new Promise<void>((resolve) => (release = resolve));
            holds.push({ pathPart, arrive, released });
            return { arrived, release };
        },
        close: () => closeServer(server),
    };
}
