/**
 * The closure the component serializes: a factory that runs once per
 * container (cold start), builds the clients from the captured settings and
 * returns the Lambda handler. Kept thin: the logic is in handler.ts.
 */
import type { CloudFrontRequestEvent } from "aws-lambda";
import { handleRequest, MappingStore } from "./handler";
import type { EdgeSettings } from "./settings";

export function edgeHandlerFactory(settings: EdgeSettings) {
    return () => {
        const store: MappingStore = { get: async () => undefined };
        const ctx = { settings, store, now: () => Date.now() };
        return (event: CloudFrontRequestEvent) => handleRequest(event, ctx);
    };
}
