/**
 * The deployed edge code as Lambda runs it: `buildEdgeCode` (Pulumi
 * serialization of the component's own factory, bundled), loaded from a
 * file in a fresh container, optionally on a test's clock
 * (test/support/edge-module.ts). Invocations collect the JSON lines the
 * bundle logs.
 */
import { buildEdgeCode } from "../../components/edge-code";
import type { EdgeSettings } from "../../core/edge-settings";
import { captureEdgeLogs, EdgeLogLine } from "../support/edge-logs";
import { requireEdgeCode, RequireOptions } from "../support/edge-module";

export interface LoadedEdge {
    file: string;
    code: string;
    invoke(event: unknown): Promise<{ result: unknown; lines: EdgeLogLine[] }>;
}

type Handler = (event: unknown) => Promise<unknown>;

export async function loadEdge(name: string, settings: EdgeSettings, options: RequireOptions = {}): Promise<LoadedEdge> {
    const code = await buildEdgeCode(settings);
    const { exports, file } = requireEdgeCode(code, name, options);
    const handler = exports.handler as Handler;
    if (typeof handler !== "function") throw new Error(`${file} exports no handler`);
    return {
        file,
        code,
        async invoke(event) {
            const logs = captureEdgeLogs({ keep: true });
            try {
                return { result: await handler(event), lines: logs.lines };
            } finally {
                logs.restore();
            }
        },
    };
}
