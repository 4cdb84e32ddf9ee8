/**
 * The resizer's request handler, for Lambda function URL events (payload
 * format 2.0). The function URL takes `AWS_IAM` auth and only CloudFront,
 * through its origin access control, may invoke it; the request it gets is
 * the one the edge gate rewrote after the hash checked out. So the handler
 * trusts nothing else: the path must be exactly what the gate writes
 * (`/variant/<preset>/<token>/<original key>`, core/variants.ts), for a
 * preset of the catalogue in its settings and an original under the upload
 * prefix but outside its staging folder; anything else is a 403, logged.
 *
 * Then: the stored copy if there is one; else the original, transformed,
 * stored unless another instance stored it first, and returned. Concurrent
 * requests for one variant in this process share one run (single flight).
 * Across instances each makes its own and the conditional write keeps the
 * first; the encoders are deterministic, so every instance returns the same
 * bytes as the stored copy (docs/variants.md, "Concurrency").
 *
 * The handler never throws: S3 failures and anything unexpected are a 503
 * that is never cached; a corrupt or hostile original is a 422 cached for
 * `errorMaxAgeSeconds`, and the next request is served as usual.
 */
import type { LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { parseResizerPath, VARIANT_CONTENT_TYPES, variantKey, VariantToken, FALLBACK_TOKEN } from "../core/variants";
import { MAX_VARIANT_BYTES } from "./limits";
import type { ResizerLogLine } from "./log";
import { forbidden, imageResponse, methodNotAllowed, notFound, unavailable, unprocessable } from "./responses";
import type { ResizerSettings } from "./settings";
import { SingleFlight } from "./single-flight";
import type { VariantStore } from "./store";
import { makeVariant, UnprocessableImageError, VariantTransform } from "./transform";

export interface ResizerDependencies {
    settings: ResizerSettings;
    store: VariantStore;
    /** The clock, epoch milliseconds (durations in log lines). */
    now: () => number;
    /** @default makeVariant */
    transform?: VariantTransform;
    /** Where log lines go. */
    log: (line: ResizerLogLine) => void;
}

/** What producing one variant came to, shared by the requests that joined it. */
type Produced =
    | { kind: "image"; body: Buffer; contentType: string; source: "stored" | "made"; storeFailed?: string }
    | { kind: "missing" }
    | { kind: "unprocessable"; reason: string };

export type ResizerHandler = (event: LambdaFunctionURLEvent) => Promise<APIGatewayProxyStructuredResultV2>;

/** A handler for one set of settings and dependencies; its single-flight map lives as long as it does. */
export function createResizerHandler(deps: ResizerDependencies): ResizerHandler {
    const { settings, store, now, log } = deps;
    const transform = deps.transform ?? makeVariant;
    const flights = new SingleFlight<Produced>();
    const limits = { limitInputPixels: settings.limitInputPixels, maxOutputBytes: MAX_VARIANT_BYTES };

    async function produce(key: string, derived: string, preset: string, token: VariantToken): Promise<Produced> {
        const stored = await store.read(derived, MAX_VARIANT_BYTES);
        if (stored.found && isStoredType(stored.object.contentType, token)) {
            return { kind: "image", body: stored.object.body, contentType: stored.object.contentType as string, source: "stored" };
        }
        const original = await store.read(key, settings.maxOriginalBytes);
        if (!original.found) return original.why === "missing" ? { kind: "missing" } : { kind: "unprocessable", reason: "original_too_large" };
        let image;
        try {
            image = await transform(original.object.body, settings.presets[preset], token, limits);
        } catch (error) {
            if (error instanceof UnprocessableImageError) return { kind: "unprocessable", reason: error.reason };
            throw error;
        }
        let storeFailed: string | undefined;
        try {
            await store.storeIfAbsent(derived, image.body, image.contentType);
        } catch (error) {
            // The viewer still gets the image; the next request makes it again.
            storeFailed = error instanceof Error ? error.name : "unknown";
        }
        return { kind: "image", body: image.body, contentType: image.contentType, source: "made", storeFailed };
    }

    return async (event) => {
        const started = now();
        const line = (fields: Omit<ResizerLogLine, "service" | "ms">): void => log({ service: settings.service, ms: now() - started, ...fields });
        try {
            const method = event?.requestContext?.http?.method;
            if (method !== "GET" && method !== "HEAD") {
                line({ outcome: "bad_method", status: 405 });
                return methodNotAllowed();
            }
            const parsed = event.rawQueryString ? ({ ok: false, problem: "query" } as const) : parseResizerPath(event.rawPath, settings.presets, settings.uploadPrefix);
            if (!parsed.ok) {
                line({ outcome: "bad_path", status: 403, reason: parsed.problem });
                return forbidden();
            }
            const { preset, token, key } = parsed.request;
            const derived = variantKey(key, preset, token);
            if (derived === undefined) {
                line({ outcome: "key_too_long", status: 422, preset, token });
                return unprocessable(settings.errorMaxAgeSeconds);
            }
            const { value, joined } = await flights.run(derived, () => produce(key, derived, preset, token));
            if (value.kind === "missing") {
                line({ outcome: "original_missing", status: 404, preset, token });
                return notFound(settings.errorMaxAgeSeconds);
            }
            if (value.kind === "unprocessable") {
                line({ outcome: "unprocessable", status: 422, preset, token, reason: value.reason });
                return unprocessable(settings.errorMaxAgeSeconds);
            }
            line({
                outcome: "served",
                status: 200,
                preset,
                token,
                source: joined ? "joined" : value.source,
                format: formatOf(value.contentType),
                bytes: value.body.length,
                ...(value.storeFailed && !joined ? { storeFailed: value.storeFailed } : {}),
            });
            return imageResponse(value.body, value.contentType, settings.variantMaxAgeSeconds, method === "HEAD");
        } catch (error) {
            line({ outcome: "unavailable", status: 503, reason: error instanceof Error ? error.name : "unknown" });
            return unavailable();
        }
    };
}

/** A stored copy is served only with a Content-Type its token can have; anything else is made again. */
function isStoredType(contentType: string | undefined, token: VariantToken): boolean {
    if (token === FALLBACK_TOKEN) return contentType === VARIANT_CONTENT_TYPES.jpeg || contentType === VARIANT_CONTENT_TYPES.png;
    return contentType === VARIANT_CONTENT_TYPES[token];
}

function formatOf(contentType: string): string {
    return contentType.slice("image/".length);
}
