/**
 * Edge settings exactly as the component resolves them for a stack that
 * passes nothing but the service name (the defaults of components/args/, then
 * components/edge-settings.ts), placed in a made-up account, optionally
 * pointed at a local DynamoDB.
 */
import { isGuarded, resolveArgs } from "../../components/resolve-args";
import { edgeSettingsFor } from "../../components/edge-settings";
import type { DeliveryMode } from "../../core/enums";
import type { EdgeSettings } from "../../core/edge-settings";

export const BENCH_BUCKET = "chat-images-bench";
export const BENCH_REGION = "eu-west-1";
export const BENCH_TABLE = "chat-image-mappings-bench";

/** Credentials put in the environment, as Lambda does for the function's role (never checked locally). */
export const BENCH_ENV_CREDENTIALS = {
    AWS_ACCESS_KEY_ID: "AKIDBENCHEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "benchSecretKeyExampleExampleExample0000",
    AWS_SESSION_TOKEN: "bench-session-token",
} as const;

export interface SettingsChoice {
    mode: DeliveryMode;
    /** Local DynamoDB endpoint; AWS's regional endpoint when unset. */
    dynamoEndpoint?: string;
    tableName?: string;
}

export function deployedEdgeSettings(choice: SettingsChoice): EdgeSettings {
    const resolved = resolveArgs({ service: "chat", mode: choice.mode });
    if (!isGuarded(resolved)) throw new Error("the chat service must resolve to a guarded level");
    const settings = edgeSettingsFor(resolved, {
        tableName: choice.tableName ?? BENCH_TABLE,
        tableRegion: BENCH_REGION,
        bucket: BENCH_BUCKET,
        bucketRegion: BENCH_REGION,
    });
    return choice.dynamoEndpoint ? { ...settings, endpoints: { dynamodb: choice.dynamoEndpoint } } : settings;
}

/** Sets the role credentials in this process's environment; returns a function that puts back what was there. */
export function useBenchCredentials(): () => void {
    const saved: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(BENCH_ENV_CREDENTIALS)) {
        saved[name] = process.env[name];
        process.env[name] = value;
    }
    return () => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}
