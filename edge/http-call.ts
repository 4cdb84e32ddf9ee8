/**
 * One HTTP exchange with a hard time limit and a cap on the response size,
 * over a keep-alive agent (TLS handshakes to DynamoDB are the expensive part
 * of a lookup; a warm container reuses its connection). Never throws: every
 * failure comes back as a typed result.
 */
import { Agent as HttpAgent, request as httpRequest } from "http";
import type { ClientRequest, IncomingMessage } from "http";
import { Agent as HttpsAgent, request as httpsRequest } from "https";
import { Endpoint, endpointHost } from "./endpoints";

export interface OutgoingCall {
    method: string;
    path: string;
    headers: Record<string, string | number>;
    body?: string;
    timeoutMs: number;
    maxResponseBytes: number;
}

export type CallFailure = "timeout" | "network" | "too_large";

export type CallResult = { ok: true; status: number; body: string } | { ok: false; failure: CallFailure };

export interface HttpTransport {
    endpoint: Endpoint;
    /** `host[:port]` for the Host header and for signing. */
    host: string;
    send(call: OutgoingCall): Promise<CallResult>;
}

/** A transport to one endpoint with its own keep-alive agent. */
export function createTransport(endpoint: Endpoint): HttpTransport {
    const secure = endpoint.protocol === "https:";
    const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 50 }) : new HttpAgent({ keepAlive: true, maxSockets: 50 });
    const send = secure ? httpsRequest : httpRequest;
    return {
        endpoint,
        host: endpointHost(endpoint),
        send: (call) =>
            exchange(
                send({ protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, method: call.method, path: call.path, headers: call.headers, agent }),
                call,
            ),
    };
}

/** Sends the body on an open request and collects the answer within the call's limits. */
function exchange(outgoing: ClientRequest, call: OutgoingCall): Promise<CallResult> {
    return new Promise<CallResult>((resolve) => {
        let settled = false;
        const timer = setTimeout(() => {
            finish({ ok: false, failure: "timeout" });
            outgoing.destroy();
        }, Math.max(1, call.timeoutMs));
        function finish(result: CallResult): void {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(result);
        }
        outgoing.on("error", () => finish({ ok: false, failure: "network" }));
        outgoing.on("response", (response: IncomingMessage) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > call.maxResponseBytes) {
                    finish({ ok: false, failure: "too_large" });
                    outgoing.destroy();
                    return;
                }
                chunks.push(chunk);
            });
            response.on("end", () => finish({ ok: true, status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            response.on("error", () => finish({ ok: false, failure: "network" }));
            // A connection cut mid-body closes without "end".
            response.on("close", () => finish({ ok: false, failure: "network" }));
        });
        outgoing.end(call.body);
    });
}
