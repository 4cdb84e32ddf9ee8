/**
 * Watches for resources registered while an Output's `apply` callback runs:
 * a component that creates children inside an apply hides them from
 * previews, from `transforms` given too early and from anyone who reads the
 * component's properties. Rather than assume it never happens, this wraps
 * `Output.prototype.apply` so that every callback (and whatever it awaits)
 * runs with a depth counter raised, and `registerResource`, the runtime
 * function every resource constructor calls, so that a registration made
 * while the counter is above zero is recorded.
 */
import { AsyncLocalStorage } from "async_hooks";

/* eslint-disable @typescript-eslint/no-require-imports */
const outputModule = require("@pulumi/pulumi/output") as { Output: { prototype: { apply: ApplyFunction } } };
const resourceRuntime = require("@pulumi/pulumi/runtime/resource") as { registerResource: RegisterFunction };
/* eslint-enable @typescript-eslint/no-require-imports */

type ApplyFunction = (this: unknown, func: (value: unknown) => unknown, runWithUnknowns?: boolean) => unknown;
type RegisterFunction = (res: unknown, parent: unknown, type: string, name: string, ...rest: unknown[]) => void;

export interface ApplyWatch {
    /** `type::name` of every resource registered inside an apply callback, in order. */
    readonly registeredInApply: string[];
    /** How many apply callbacks ran while watching (to show the watch saw any). */
    readonly callbacks: number;
    /** Restores the original functions. */
    stop(): void;
}

/** Starts watching; call `stop()` when done (in a `finally`). */
export function watchApplies(): ApplyWatch {
    const depth = new AsyncLocalStorage<number>();
    const originalApply = outputModule.Output.prototype.apply;
    const originalRegister = resourceRuntime.registerResource;
    const watch = { registeredInApply: [] as string[], callbacks: 0, stop };

    outputModule.Output.prototype.apply = function (func, runWithUnknowns) {
        const counted = (value: unknown) => {
            watch.callbacks += 1;
            return depth.run((depth.getStore() ?? 0) + 1, () => func(value));
        };
        return originalApply.call(this, counted, runWithUnknowns);
    };
    resourceRuntime.registerResource = function (res, parent, type, name, ...rest) {
        if ((depth.getStore() ?? 0) > 0) watch.registeredInApply.push(`${type}::${name}`);
        return originalRegister.call(this, res, parent, type, name, ...rest);
    };

    function stop(): void {
        outputModule.Output.prototype.apply = originalApply;
        resourceRuntime.registerResource = originalRegister;
    }
    return watch;
}
