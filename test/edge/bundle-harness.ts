/**
 * Loads the deployed edge code the way Lambda does: `buildEdgeCode` (Pulumi
 * serialization of the component's own factory, bundled) written to a file
 * under `.edge-build/` in the project tree, then `require`d. Invocations
 * collect the JSON lines the bundle logs.
 */
import * as fs from "fs";
import * as path from "path";
import { buildEdgeCode } from "../../components/edge-code";
import type { EdgeSettings } from "../../edge/settings";

export const BUILD_DIR = path.join(__dirname, "..", "..", ".edge-build");

export interface LoadedEdge {
    file: string;
    code: string;
    invoke(event: unknown): Promise<{ result: unknown; lines: Record<string, unknown>[] }>;
}

type Handler = (event: unknown) => Promise<unknown>;

export async function loadEdge(name: string, settings: EdgeSettings): Promise<LoadedEdge> {
    const code = await buildEdgeCode(settings);
    fs.mkdirSync(BUILD_DIR, { recursive: true });
    const file = path.join(BUILD_DIR, `${name}.js`);
    fs.writeFileSync(file, code);
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = (require(file) as { handler: Handler }).handler;
    return {
        file,
        code,
        async invoke(event) {
            const lines: Record<string, unknown>[] = [];
            const original = console.log;
            console.log = (...args: unknown[]) => {
                const text = args.map(String).join(" ");
                try {
                    lines.push(JSON.parse(text) as Record<string, unknown>);
                } catch {
                    original(...args);
                }
            };
            try {
                return { result: await handler(event), lines };
            } finally {
                console.log = original;
            }
        },
    };
}

/** Sets AWS credentials in the environment for a test and gives back a function that restores what was there. */
export function useEnvCredentials(values: Record<string, string>): () => void {
    const saved: Record<string, string | undefined> = {};
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
        saved[name] = process.env[name];
        delete process.env[name];
    }
    Object.assign(process.env, values);
    return () => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
