/**
 * The deployed resizer's module: `handler` is what Lambda calls
 * (`index.handler` in the package). Settings come from the
 * `RESIZER_SETTINGS` environment variable, read once per execution
 * environment; invalid settings make every request a logged 503 rather
 * than a crash loop. `@aws-sdk/client-s3` is the Lambda runtime's own.
 */
import { S3Client } from "@aws-sdk/client-s3";
import type { LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createResizerHandler, ResizerHandler } from "./handler";
import { logToConsole, ResizerLogLine } from "./log";
import { unavailable } from "./responses";
import { parseResizerSettings, RESIZER_SETTINGS_ENV, ResizerSettings } from "./settings";
import { s3VariantStore } from "./store";

/** Credentials for an overridden (local) endpoint, which checks no signature. */
const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The S3 client for the settings: the bucket's region, or a local endpoint path-style. */
export function resizerS3Client(settings: ResizerSettings): S3Client {
    const endpoint = settings.endpoints?.s3;
    return new S3Client({
        region: settings.region,
        maxAttempts: 2,
        ...(endpoint ? { endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS } : {}),
    });
}

/** The handler for an environment: the settings it holds, checked, or a handler that answers 503 and says why. */
export function handlerFromEnvironment(env: Record<string, string | undefined>, log: (line: ResizerLogLine) => void = logToConsole): ResizerHandler {
    let settings: ResizerSettings;
    try {
        settings = parseResizerSettings(env[RESIZER_SETTINGS_ENV]);
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return async () => {
            log({ service: "unknown", outcome: "bad_settings", status: 503, ms: 0, reason });
            return unavailable();
        };
    }
    return createResizerHandler({ settings, store: s3VariantStore(resizerS3Client(settings), settings.bucket), now: Date.now, log });
}

let current: ResizerHandler | undefined;

/** Lambda's entry point. */
export async function handler(event: LambdaFunctionURLEvent): Promise<APIGatewayProxyStructuredResultV2> {
    current ??= handlerFromEnvironment(process.env);
    return current(event);
}
