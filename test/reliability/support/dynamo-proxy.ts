/**
 * An HTTP proxy in front of the local DynamoDB (dynalite) that counts every
 * call by operation (the `X-Amz-Target` header) and injects faults on
 * demand: a delay before forwarding, DynamoDB's throttling answer, or a
 * forwarded call whose answer is lost (the write lands, the caller never
 * hears). When dynalite itself is stopped, callers see their connection cut,
 * as they would a stopped server.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export type DynamoFault =
    | { kind: "pass" }
    /** Forward after this many milliseconds. */
    | { kind: "delay"; ms: number }
    /** Answer 400 ThrottlingException without forwarding. */
    | { kind: "throttle" }
    /** Forward, wait for dynalite's answer, then cut the caller's connection instead of passing it on. */
    | { kind: "lose-answer" };

/** Picks the fault for one call: its operation (e.g. "GetItem") and its sequence number (from 1). */
export type FaultPlan = (operation: string, sequence: number) => DynamoFault;

export interface DynamoProxy {
    endpoint: string;
    port: number;
    /** Calls received per operation (faulted or not). */
    calls(operation: string): number;
    /** Calls whose effect on DynamoDB is not settled yet (delayed, or forwarded and not answered). */
    pending(): number;
    /** The fault plan in force; `pass` for everything by default. */
    plan: FaultPlan;
    close(): Promise<void>;
}

export const PASS: FaultPlan = () => ({ kind: "pass" });

const THROTTLING_BODY = JSON.stringify({
    __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
    message: "Rate of requests exceeds the allowed throughput.",
});

export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
    const upstream = new URL(target);
    const counts = new Map<string, number>();
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
            { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers, agent: false },
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

    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const body = Buffer.concat(chunks);
            const operation = String(request.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
            counts.set(operation, (counts.get(operation) ?? 0) + 1);
            sequence += 1;
            unsettled += 1;
            const fault = proxy.plan(operation, sequence);
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
                case "throttle":
                    unsettled -= 1;
                    response.writeHead(400, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(THROTTLING_BODY) });
                    return void response.end(THROTTLING_BODY);
                case "lose-answer":
                    return forward(request, body, (answer) => {
                        answer?.resume();
                        const cut = () => response.destroy();
                        if (answer) answer.on("end", cut);
                        else cut();
                    });
            }
        });
    });
    // A caller that gave up (timeout) leaves a half-written answer behind; nothing to report.
    server.on("clientError", (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const proxy: DynamoProxy = {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        calls: (operation) => counts.get(operation) ?? 0,
        pending: () => unsettled,
        plan: PASS,
        close: () =>
            new Promise<void>((resolve) => {
                for (const timer of timers) clearTimeout(timer);
                unsettled -= timers.size;
                timers.clear();
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
    return proxy;
}
