/**
 * The tests' one DynamoDB fault proxy: an HTTP proxy in front of a real
 * local DynamoDB (dynalite) that records every call and, on demand, injects
 * the faults dynalite never produces. Each call is forwarded unchanged
 * unless the fault plan says otherwise:
 *
 * - `delay`: forwarded after a pause (a slow DynamoDB; the call still lands);
 * - `answer`: answered by the proxy without forwarding, e.g. DynamoDB's
 *   documented throttling error ({@link throttled}), a 5xx, an oversized or
 *   garbled body;
 * - `cut-answer`: forwarded, then the connection is cut halfway through
 *   dynalite's answer;
 * - `lose-answer`: forwarded, then the connection is cut instead of passing
 *   the answer on (the write landed, the caller never hears);
 * - `hang`: the call is read and never answered (a DynamoDB that accepts
 *   connections and says nothing).
 *
 * When dynalite itself is stopped, callers see their connection cut, as
 * they would a stopped server.
 */
import * as http from "http";
import * as net from "net";
import { closeServer, listenOn } from "../../local/net";

export type DynamoFault =
    | { kind: "pass" }
    /** Forward after this many milliseconds. */
    | { kind: "delay"; ms: number }
    /** Answer this without forwarding. */
    | { kind: "answer"; status: number; body: string; headers?: Record<string, string> }
    /** Forward, pass on the status, the headers and half of dynalite's answer, then cut the connection. */
    | { kind: "cut-answer" }
    /** Forward, wait for dynalite's answer, then cut the caller's connection instead of passing it on. */
    | { kind: "lose-answer" }
    /** Read the call and never answer it. */
    | { kind: "hang" };

/** Picks the fault for one call: its operation (e.g. "GetItem"), its sequence number (from 1, counted from the start or the last reset) and its JSON body. */
export type FaultPlan = (operation: string, sequence: number, body: string) => DynamoFault;

/** One call as the proxy received it. */
export interface SeenCall {
    operation: string;
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** Client port of the connection it came on (same port = same connection). */
    clientPort: number;
}

export interface DynamoProxy {
    /** `http://127.0.0.1:<port>` */
    endpoint: string;
    port: number;
    /** Every call received since the start (or the last reset), faulted or not, in order. */
    readonly seen: readonly SeenCall[];
    /** Calls received per operation. */
    calls(operation: string): number;
    /** Calls received, all operations. */
    total(): number;
    /** TCP connections accepted. */
    connections(): number;
    /** Calls whose effect on DynamoDB is not settled yet (delayed, or forwarded and not answered). */
    pending(): number;
    /** The fault plan in force; {@link PASS} by default. */
    plan: FaultPlan;
    /** Forgets the calls and connections seen and puts {@link PASS} back. */
    reset(): void;
    close(): Promise<void>;
}

export const PASS: FaultPlan = () => ({ kind: "pass" });

/** The same fault for every call of one operation; everything else passes. */
export function onOperation(operation: string, fault: DynamoFault): FaultPlan {
    return (called) => (called === operation ? fault : { kind: "pass" });
}

/** The fault for the next `count` calls of one operation (from when the plan is set); then everything passes. */
export function firstCalls(operation: string, count: number, fault: DynamoFault): FaultPlan {
    let left = count;
    return (called) => {
        if (called !== operation || left <= 0) return { kind: "pass" };
        left -= 1;
        return fault;
    };
}

/** An answer in DynamoDB's error format (`__type`, `message`, JSON 1.0). */
export function dynamoError(status: number, type: string, message: string): DynamoFault {
    return {
        kind: "answer",
        status,
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
        headers: { "x-amzn-requestid": FAULT_REQUEST_ID },
    };
}

/** Request id on every answer the proxy makes up; an error message a caller shows must not carry it. */
export const FAULT_REQUEST_ID = "FAULT-PROXY-REQUEST";

/**
 * DynamoDB's documented throttling errors (HTTP 400), with the messages it
 * sends. The provisioned-throughput message names the account, as DynamoDB's
 * can: a caller must not pass it on.
 */
export const THROTTLING_MESSAGES = {
    ThrottlingException: "Rate of requests exceeds the allowed throughput.",
    ProvisionedThroughputExceededException: "The level of configured provisioned throughput for the table was exceeded. Account 123456789012",
} as const;

export function throttled(type: keyof typeof THROTTLING_MESSAGES = "ThrottlingException"): DynamoFault {
    return dynamoError(400, type, THROTTLING_MESSAGES[type]);
}

export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
    const upstream = new URL(target);
    let seen: SeenCall[] = [];
    let counts = new Map<string, number>();
    let accepted = 0;
    let sequence = 0;
    let unsettled = 0;
    const timers = new Set<NodeJS.Timeout>();

    /** Sends the call to dynalite; it counts as settled once dynalite's answer has fully arrived (or failed). */
    const forward = (request: http.IncomingMessage, body: Buffer, onAnswer: (answer: http.IncomingMessage | undefined) => void) => {
        let done = false;
        const settle = () => {
            if (!done) {
                done = true;
                unsettled -= 1;
            }
        };
        const outgoing = http.request(
            // Addressed to dynalite by its own name: the local stack's guard takes only its own host and port.
            { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host }, agent: false },
            (answer) => {
                answer.on("end", settle);
                answer.on("close", settle);
                onAnswer(answer);
            },
        );
        outgoing.on("error", () => {
            settle();
            onAnswer(undefined);
        });
        outgoing.end(body);
    };

    const handle = (request: http.IncomingMessage, response: http.ServerResponse, body: Buffer) => {
        const operation = String(request.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
        const text = body.toString("utf8");
        seen.push({ operation, method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: text, clientPort: request.socket.remotePort ?? 0 });
        counts.set(operation, (counts.get(operation) ?? 0) + 1);
        sequence += 1;
        unsettled += 1;
        const fault = proxy.plan(operation, sequence, text);
        const relay = () =>
            forward(request, body, (answer) => {
                if (!answer) return void response.destroy();
                response.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(response);
            });
        switch (fault.kind) {
            case "pass":
                return relay();
            case "delay": {
                const timer = setTimeout(() => {
                    timers.delete(timer);
                    relay();
                }, fault.ms);
                timers.add(timer);
                return;
            }
            case "answer":
                unsettled -= 1;
                response.writeHead(fault.status, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(fault.body), ...fault.headers });
                return void response.end(fault.body);
            case "cut-answer":
                return forward(request, body, (answer) => {
                    if (!answer) return void response.destroy();
                    const chunks: Buffer[] = [];
                    answer.on("data", (chunk: Buffer) => chunks.push(chunk));
                    answer.on("end", () => {
                        const whole = Buffer.concat(chunks);
                        response.writeHead(answer.statusCode ?? 200, answer.headers);
                        response.write(whole.subarray(0, Math.floor(whole.length / 2)));
                        // Let the first half reach the caller, then cut.
                        setImmediate(() => response.socket?.destroy());
                    });
                });
            case "lose-answer":
                return forward(request, body, (answer) => {
                    answer?.resume();
                    const cut = () => response.destroy();
                    if (answer) answer.on("end", cut);
                    else cut();
                });
            case "hang":
                unsettled -= 1;
                return;
        }
    };

    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => handle(request, response, Buffer.concat(chunks)));
    });
    server.on("connection", (socket: net.Socket) => {
        accepted += 1;
        socket.on("error", () => undefined);
    });
    // A caller that gave up (timeout) leaves a half-written call behind; nothing to report.
    server.on("clientError", (_error, socket) => socket.destroy());
    const port = await listenOn(server, 0, "DynamoDB fault proxy");
    const proxy: DynamoProxy = {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        get seen() {
            return seen;
        },
        calls: (operation) => counts.get(operation) ?? 0,
        total: () => seen.length,
        connections: () => accepted,
        pending: () => unsettled,
        plan: PASS,
        reset() {
            seen = [];
            counts = new Map();
            accepted = 0;
            sequence = 0;
            proxy.plan = PASS;
        },
        async close() {
            for (const timer of timers) clearTimeout(timer);
            unsettled -= timers.size;
            timers.clear();
            await closeServer(server);
        },
    };
    return proxy;
}

/** A loopback endpoint nothing listens on (a port bound, then released). */
export async function closedPortEndpoint(): Promise<string> {
    const probe = net.createServer();
    const port = await listenOn(probe, 0, "closed-port probe");
    await new Promise((resolve) => probe.close(resolve));
    return `http://127.0.0.1:${port}`;
}
