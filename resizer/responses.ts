/**
 * The resizer's answers, as Lambda function URL results (payload format
 * 2.0): the image base64-encoded, or a short plain-text refusal. Every
 * answer says how long it may be cached.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

const TEXT = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

/** A variant: its bytes (none for HEAD), its type and `Cache-Control: max-age`. */
export function imageResponse(body: Buffer, contentType: string, maxAgeSeconds: number, head: boolean): APIGatewayProxyStructuredResultV2 {
    return {
        statusCode: 200,
        headers: { "Content-Type": contentType, "Cache-Control": `max-age=${maxAgeSeconds}`, "X-Content-Type-Options": "nosniff" },
        body: head ? "" : body.toString("base64"),
        isBase64Encoded: !head,
    };
}

/** A refusal with a plain-text body; cached `maxAgeSeconds`, never when 0. */
export function textResponse(statusCode: number, text: string, maxAgeSeconds: number, extra: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
    return {
        statusCode,
        headers: { ...TEXT, "Cache-Control": maxAgeSeconds > 0 ? `max-age=${maxAgeSeconds}` : "no-store", ...extra },
        body: text,
        isBase64Encoded: false,
    };
}

/** 403: not a path the gate writes (or not a preset of this catalogue). Not cached. */
export const forbidden = (): APIGatewayProxyStructuredResultV2 => textResponse(403, "Forbidden", 0);
/** 405: only GET and HEAD. */
export const methodNotAllowed = (): APIGatewayProxyStructuredResultV2 => textResponse(405, "Method Not Allowed", 0, { Allow: "GET, HEAD" });
/** 404: the original is gone. */
export const notFound = (maxAgeSeconds: number): APIGatewayProxyStructuredResultV2 => textResponse(404, "Not Found", maxAgeSeconds);
/** 422: the original cannot be made into this variant (corrupt, hostile, too large). */
export const unprocessable = (maxAgeSeconds: number): APIGatewayProxyStructuredResultV2 => textResponse(422, "Unprocessable Image", maxAgeSeconds);
/** 503: S3 failed or something unexpected happened; never cached. */
export const unavailable = (): APIGatewayProxyStructuredResultV2 => textResponse(503, "Service Unavailable", 0, { "Retry-After": "1" });
