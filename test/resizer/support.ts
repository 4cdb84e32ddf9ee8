/**
 * The resizer tests' surroundings: function URL events as Lambda delivers
 * them (payload format 2.0), settings for a bucket, a store that counts
 * what it is asked, and a transform that counts runs and can be held.
 */
import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { VariantPreset } from "../../core/variants";
import type { ResizerSettings } from "../../resizer/settings";
import type { VariantStore } from "../../resizer/store";
import { makeVariant, VariantTransform } from "../../resizer/transform";

/** A function URL request event (AWS Lambda Developer Guide, "Invoking Lambda function URLs", request payload format). */
export function urlEvent(rawPath: string, method = "GET", rawQueryString = ""): LambdaFunctionURLEvent {
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        headers: { host: "abcdefghijklmnop.lambda-url.eu-west-1.on.aws", "x-forwarded-proto": "https" },
        requestContext: {
            accountId: "anonymous",
            apiId: "abcdefghijklmnop",
            domainName: "abcdefghijklmnop.lambda-url.eu-west-1.on.aws",
            domainPrefix: "abcdefghijklmnop",
            http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "130.176.0.1", userAgent: "Amazon CloudFront" },
            requestId: "5f5b3f2b-0000-4000-8000-000000000000",
            routeKey: "$default",
            stage: "$default",
            time: "01/Jan/2030:00:00:00 +0000",
            timeEpoch: 1893456000000,
        },
        isBase64Encoded: false,
    };
}

export const TEST_PRESETS: Record<string, VariantPreset> = {
    thumb: { width: 64, height: 64, fit: "cover", quality: 75, formats: ["avif", "webp", "jpeg", "png"], eager: true },
    small: { width: 160, height: 160, fit: "inside", quality: 80, formats: ["webp", "jpeg"], eager: false },
};

export function testSettings(bucket: string, endpoint: string, overrides: Partial<ResizerSettings> = {}): ResizerSettings {
    return {
        service: "chat",
        bucket,
        region: "us-east-1",
        uploadPrefix: "uploads/",
        presets: TEST_PRESETS,
        variantMaxAgeSeconds: 2592000,
        errorMaxAgeSeconds: 60,
        limitInputPixels: 100_000_000,
        maxOriginalBytes: 10 * 1024 * 1024,
        endpoints: { s3: endpoint },
        ...overrides,
    };
}

/** A store that records the keys read and the results of each conditional write. */
export interface CountingStore extends VariantStore {
    reads: string[];
    writes: { key: string; result: string }[];
}

export function countingStore(inner: VariantStore): CountingStore {
    const reads: string[] = [];
    const writes: { key: string; result: string }[] = [];
    return {
        reads,
        writes,
        read(key, maxBytes) {
            reads.push(key);
            return inner.read(key, maxBytes);
        },
        async storeIfAbsent(key, body, contentType) {
            const result = await inner.storeIfAbsent(key, body, contentType);
            writes.push({ key, result });
            return result;
        },
    };
}

/** The real transform, counted; with `hold`, each run waits for it before returning. */
export function countingTransform(hold?: Promise<void>): VariantTransform & { runs: number } {
    const transform = Object.assign(
        async (...args: Parameters<VariantTransform>) => {
            transform.runs++;
            const made = await makeVariant(...args);
            if (hold) await hold;
            return made;
        },
        { runs: 0 },
    );
    return transform;
}

/** A promise and the function that settles it. */
export function latch(): { promise: Promise<void>; open: () => void } {
    let open = (): void => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
}
