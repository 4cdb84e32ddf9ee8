/**
 * The closure the component serializes: a factory that runs once per
 * container (cold start), builds the clients from the captured settings and
 * returns the Lambda handler. Kept thin: the logic is in plain modules
 * (runtime.ts builds the clients, handler.ts answers events).
 */
import type { EdgeEvent } from "./events";
import { createEdgeHandler } from "./runtime";
import type { EdgeSettings } from "../core/edge-settings";

export function edgeHandlerFactory(settings: EdgeSettings) {
    return () => {
        const handler = createEdgeHandler(settings);
        return (event: EdgeEvent) => handler(event);
    };
}
