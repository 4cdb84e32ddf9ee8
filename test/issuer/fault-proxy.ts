/**
 * A fault-injecting HTTP proxy in front of the real local dynalite. dynalite
 * never throttles, so to see how the issuer behaves when DynamoDB does, this
 * proxy answers chosen operations (by the `X-Amz-Target` header) with
 * DynamoDB's documented throttling error and forwards everything else
 * unchanged to dynalite.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface FaultProxy {
    endpoint: string;
    /** Operation name (e.g. "PutItem") → how many more calls to throttle (Infinity: all). */
    throttle: Map<string, number>;
    /** Also throttle any call for which this returns true (operation name, request body). */
    throttleWhen: ((operation: string, body: string) => boolean) | undefined;
    /** Calls seen per operation, throttled or not. */
    seen: Map<string, number>;
    close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    const proxy: FaultProxy = {
        endpoint: "",
        throttle: new Map(),
        throttleWhen: undefined,
        seen: new Map(),
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
            proxy.seen.set(operation, (proxy.seen.get(operation) ?? 0) + 1);
            const remaining = proxy.throttle.get(operation) ?? 0;
            const byRule = proxy.throttleWhen?.(operation, body.toString("utf8")) ?? false;
            if (remaining > 0 || byRule) {
                if (remaining > 0) proxy.throttle.set(operation, remaining - 1);
                res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "FAULT-PROXY" });
                res.end(
                    JSON.stringify({
                        __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                        message: "The level of configured provisioned throughput for the table was exceeded. Account 123456789012",
                    }),
                );
                return;
            }
            const forward = http.request(
                { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            forward.on("error", () => res.destroy());
            forward.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return proxy;
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
}
