/**
 * A resource monitor served over gRPC, as the Pulumi engine serves one to
 * the language host's `cmd/run`: Pulumi's own `MockMonitor` with the infra
 * tests' recording mocks behind it. Lets a test start a program exactly as
 * Pulumi's Node.js language host does (`node @pulumi/pulumi/cmd/run
 * --monitor=<address> … index.ts`), in another process, against mocks.
 *
 * `MockMonitor` answers two calls with plain objects where the wire needs
 * messages (feature support, registering outputs); those two are answered
 * here with the real messages, with the same meaning. The program's stack
 * outputs are what it registers as the stack's outputs.
 */
import * as path from "path";
import { RecordingMocks } from "../components/support/mocks";

/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as GrpcModule;
const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] })) as { Empty: new () => unknown };
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as { ResourceMonitorService: Record<string, unknown> };
const resproto = require("@pulumi/pulumi/proto/resource_pb") as { SupportsFeatureResponse: new () => { setHassupport(value: boolean): void } };
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: new (mocks: RecordingMocks) => MockMonitorLike };
const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(struct: unknown): Record<string, unknown> };
/* eslint-enable @typescript-eslint/no-require-imports */

type Callback = (error: unknown, response?: unknown) => void;
type Handler = (request: unknown, callback: Callback) => void;

interface GrpcModule {
    Server: new () => {
        addService(service: unknown, implementation: Record<string, (call: { request: unknown }, callback: Callback) => void>): void;
        bindAsync(address: string, credentials: unknown, callback: (error: Error | null, port: number) => void): void;
        forceShutdown(): void;
    };
    ServerCredentials: { createInsecure(): unknown };
    status: { UNIMPLEMENTED: number };
}

interface MockMonitorLike {
    resources: Map<string, { urn: string; state: unknown }>;
    [method: string]: unknown;
}

export interface MonitorServer {
    /** `127.0.0.1:<port>`, for `--monitor`. */
    address: string;
    mocks: RecordingMocks;
    /** The outputs the program registered for its stack, deserialized. */
    stackOutputs(): Record<string, unknown>;
    close(): void;
}

export async function startMonitorServer(): Promise<MonitorServer> {
    const mocks = new RecordingMocks();
    const monitor = new MockMonitor(mocks);
    const handlers: Record<string, Handler> = {
        supportsFeature: (request, callback) => {
            const response = new resproto.SupportsFeatureResponse();
            // MockMonitor's own answer: every feature but output values.
            response.setHassupport((request as { getId(): string }).getId() !== "outputValues");
            callback(null, response);
        },
        registerResourceOutputs: (request, callback) =>
            (monitor.registerResourceOutputs as Handler).call(monitor, request, (error) => callback(error, error ? undefined : new Empty())),
    };
    const implementation: Record<string, (call: { request: unknown }, callback: Callback) => void> = {};
    for (const name of Object.keys(resrpc.ResourceMonitorService)) {
        implementation[name] = (call, callback) => {
            const handler = handlers[name] ?? (typeof monitor[name] === "function" ? (monitor[name] as Handler).bind(monitor) : undefined);
            if (!handler) return callback({ code: grpc.status.UNIMPLEMENTED, details: `the mock monitor has no ${name}` });
            handler(call.request, callback);
        };
    }
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, implementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return {
        address: `127.0.0.1:${port}`,
        mocks,
        stackOutputs: () => {
            const stack = [...monitor.resources.values()].find((resource) => /::pulumi:pulumi:Stack::[^:]+$/.test(resource.urn));
            return stack ? deserializeProperties(stack.state) : {};
        },
        close: () => server.forceShutdown(),
    };
}
