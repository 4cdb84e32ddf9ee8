/**
 * Deployments shared by the tests of one file that read the same one.
 *
 * `sharedDeploys(run)`, called while a suite is being defined (inside a
 * `describe`), returns a function with `run`'s parameters that the suite's
 * tests (or its `before` hooks) call instead of `run`. It guarantees:
 *
 * - One deployment per key. The key is `run`'s arguments serialized with
 *   object keys sorted ({@link stableKey}), or what `options.key` makes of
 *   them. The first ask runs `run`; every later ask for that key, while the
 *   first is still running or after, gets the very same object. Different
 *   keys never share: each runs `run` once for itself.
 * - A failure is everyone's. When `run` rejects, every ask for that key
 *   rejects with the same error; it is neither kept as a success nor run
 *   again.
 * - Read-only. What `run` resolves to is frozen deeply ({@link deepFreeze})
 *   before any test sees it, so a test that writes to a shared deployment
 *   throws a TypeError (test modules are strict) instead of changing what the
 *   next test reads.
 * - Nothing outlives the suite. The memo lives in the returned function, not
 *   in this module, and an `after` hook on the suite that created it forgets
 *   every deployment, so no two test files (mocha reuses its parallel
 *   workers) and no two calls of `sharedDeploys` ever share one.
 */

/** A memoized deployment function: `run`'s parameters, its result frozen and shared per key. */
export interface SharedDeploy<A extends unknown[], D> {
    (...args: A): Promise<Readonly<D>>;
    /** How many deployments it holds (each key asked for since the last `clear`). */
    readonly size: number;
    /** Forgets every deployment (the `after` hook calls it). */
    clear(): void;
}

export interface SharedDeployOptions<A extends unknown[]> {
    /**
     * The key of a deployment, for arguments {@link stableKey} cannot
     * serialize (a function, an Output, a provider). It must tell apart
     * every two calls whose deployments differ.
     */
    key?: (...args: A) => string;
}

/** Shares `run`'s deployments among the tests of the suite being defined; see the module's comment for what it guarantees. */
export function sharedDeploys<A extends unknown[], D extends object>(run: (...args: A) => Promise<D>, options: SharedDeployOptions<A> = {}): SharedDeploy<A, D> {
    const keyOf = options.key ?? ((...args: A) => stableKey(args));
    const deployments = new Map<string, Promise<Readonly<D>>>();
    const ask = (...args: A): Promise<Readonly<D>> => {
        const key = keyOf(...args);
        let deployment = deployments.get(key);
        if (deployment === undefined) {
            deployment = run(...args).then(deepFreeze);
            deployments.set(key, deployment);
        }
        return deployment;
    };
    const shared = Object.assign(ask, {
        clear: () => deployments.clear(),
    });
    Object.defineProperty(shared, "size", { get: () => deployments.size });
    after(() => shared.clear());
    return shared as SharedDeploy<A, D>;
}

/**
 * A value as a key: the same for equal plain data whatever the order of
 * object keys, different for any difference (an `undefined` field is not
 * an absent one). Only plain data is keyed: strings, numbers, booleans,
 * bigints, null, undefined, arrays and plain objects; anything else (a
 * function, an Output, a class instance) throws, naming where it is.
 */
export function stableKey(value: unknown, path = "args"): string {
    switch (typeof value) {
        case "undefined":
            return "undefined";
        case "string":
            return JSON.stringify(value);
        case "boolean":
            return String(value);
        case "number":
            return Object.is(value, -0) ? "-0" : String(value);
        case "bigint":
            return `${value}n`;
        case "object": {
            if (value === null) return "null";
            const prototype: unknown = Object.getPrototypeOf(value);
            if (Array.isArray(value) && prototype === Array.prototype) {
                return `[${Array.from(value, (item: unknown, index) => stableKey(item, `${path}[${index}]`)).join(",")}]`;
            }
            if (prototype === Object.prototype || prototype === null) {
                if (Object.getOwnPropertySymbols(value).length > 0) throw new TypeError(`${path} has symbol keys: give the deployment an explicit key`);
                const record = value as Record<string, unknown>;
                const fields = Object.keys(record)
                    .sort()
                    .map((field) => `${JSON.stringify(field)}:${stableKey(record[field], `${path}.${field}`)}`);
                return `{${fields.join(",")}}`;
            }
            throw new TypeError(`${path} is a ${kindOf(value)}, not plain data: give the deployment an explicit key`);
        }
        default:
            throw new TypeError(`${path} is a ${typeof value}, not plain data: give the deployment an explicit key`);
    }
}

/**
 * Freezes a value and every object reachable from it through own data
 * properties, and returns it. A Promise is frozen but what it resolves to is
 * out of reach; a Map, a Set, a Date, an ArrayBuffer or a typed array (whose
 * contents freezing cannot protect) throws instead.
 */
export function deepFreeze<T>(value: T): T {
    const seen = new Set<object>();
    const visit = (item: unknown, path: string): void => {
        if ((typeof item !== "object" && typeof item !== "function") || item === null || seen.has(item)) return;
        seen.add(item);
        if (item instanceof Map || item instanceof Set || item instanceof Date || item instanceof ArrayBuffer || ArrayBuffer.isView(item)) {
            throw new TypeError(`${path} is a ${kindOf(item)}, which freezing does not make read-only`);
        }
        Object.freeze(item);
        for (const key of Reflect.ownKeys(item)) {
            const property = Object.getOwnPropertyDescriptor(item, key);
            if (property !== undefined && "value" in property) visit(property.value, `${path}.${String(key)}`);
        }
    };
    visit(value, "deployment");
    return value;
}

function kindOf(value: object): string {
    const prototype: unknown = Object.getPrototypeOf(value);
    const name = typeof prototype === "object" && prototype !== null && typeof prototype.constructor === "function" ? prototype.constructor.name : "";
    return name === "" ? "non-plain object" : name;
}
