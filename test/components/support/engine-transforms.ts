/**
 * Pulumi's `transforms` resource option is carried out by the engine, not
 * by the SDK: the program registers each transform as a callback, the
 * registration of a resource names its callbacks, and the engine, before it
 * registers any resource, calls that resource's own transforms and then
 * those of each ancestor, nearest first, each with the properties and
 * options the previous one returned. So a transform given to a component
 * reaches every resource parented to it.
 *
 * Runtime mocks have no engine (they mark transforms unsupported), and the
 * tests run without the Pulumi CLI, so this module plays that part of the
 * engine on the mock monitor: it calls the SDK's own callback
 * server with the engine's request and applies its answer, the properties
 * and the `protect`, `ignoreChanges` and `retainOnDelete` options, before
 * the mock sees the registration.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const callbackproto = require("@pulumi/pulumi/proto/callback_pb");
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsTransforms: boolean } };
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): MonitorLike | undefined;
    getCallbacks(): CallbackServerLike | undefined;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Callback = { getToken(): string };
type Struct = unknown;

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getObject(): Struct;
    setObject(value: Struct): void;
    getProtect(): boolean | undefined;
    setProtect(value: boolean): void;
    getIgnorechangesList(): string[];
    setIgnorechangesList(value: string[]): void;
    getRetainondelete(): boolean | undefined;
    setRetainondelete(value: boolean): void;
    getTransformsList(): Callback[];
}

type GrpcCallback<T> = (error: Error | null, response?: T) => void;

interface MonitorLike {
    registerResource(request: RegisterRequest, callback: GrpcCallback<{ getUrn(): string }>): void;
}

interface CallbackServerLike {
    invoke(call: { request: unknown }, callback: GrpcCallback<{ getResponse_asU8(): Uint8Array }>): void;
}

/** The engine's answer to one transform callback. */
async function callTransform(callbacks: CallbackServerLike, callback: Callback, request: RegisterRequest): Promise<void> {
    const options = new resproto.TransformResourceOptions();
    options.setProtect(request.getProtect() ?? false);
    options.setIgnoreChangesList(request.getIgnorechangesList());
    options.setRetainOnDelete(request.getRetainondelete() ?? false);
    const transformRequest = new resproto.TransformRequest();
    transformRequest.setType(request.getType());
    transformRequest.setName(request.getName());
    transformRequest.setCustom(request.getCustom());
    transformRequest.setParent(request.getParent());
    transformRequest.setProperties(request.getObject());
    transformRequest.setOptions(options);
    const invoke = new callbackproto.CallbackInvokeRequest();
    invoke.setToken(callback.getToken());
    invoke.setRequest(transformRequest.serializeBinary());
    const answer = await new Promise<{ getResponse_asU8(): Uint8Array }>((resolve, reject) =>
        callbacks.invoke({ request: invoke }, (error, response) => (error || !response ? reject(error ?? new Error("no response")) : resolve(response))),
    );
    const response = resproto.TransformResponse.deserializeBinary(answer.getResponse_asU8());
    request.setObject(response.getProperties());
    const changed = response.getOptions();
    if (changed) {
        request.setProtect(changed.getProtect() ?? false);
        request.setIgnorechangesList(changed.getIgnoreChangesList());
        request.setRetainondelete(changed.getRetainOnDelete() ?? false);
    }
}

/**
 * Makes the mock monitor of the current mocked stack run `transforms` the
 * way the engine does. Call right after `pulumi.runtime.setMocks`.
 */
export function emulateEngineTransforms(): void {
    const monitor = settings.getMonitor();
    if (!monitor) throw new Error("emulateEngineTransforms: call it after pulumi.runtime.setMocks");
    getStore().supportsTransforms = true;
    const register = monitor.registerResource.bind(monitor);
    /** By URN: the parent's URN and the resource's own transforms, known once it is registered. */
    const registered = new Map<string, { parent: string; transforms: Callback[] }>();

    monitor.registerResource = (request, callback) => {
        const chain = [...request.getTransformsList()];
        for (let parent = request.getParent(); parent !== ""; parent = registered.get(parent)?.parent ?? "") {
            chain.push(...(registered.get(parent)?.transforms ?? []));
        }
        const run = async () => {
            if (chain.length > 0) {
                const callbacks = settings.getCallbacks();
                if (!callbacks) throw new Error("transforms were given but the SDK started no callback server");
                for (const transform of chain) await callTransform(callbacks, transform, request);
            }
        };
        run().then(
            () =>
                register(request, (error, response) => {
                    if (!error && response) registered.set(response.getUrn(), { parent: request.getParent(), transforms: request.getTransformsList() });
                    callback(error, response);
                }),
            (error: Error) => callback(error),
        );
    };
}
