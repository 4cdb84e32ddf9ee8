/**
 * The local S3's port on the local stack's guard (local/guard.ts). s3rver
 * checks no signature and no policy, so without the guard any web page the
 * developer visits could write to it: a cross-site form post needs no CORS
 * preflight, and one replaced a served object with `text/html`. Here:
 *
 * - any page may follow a presigned URL to read an object (GET or HEAD of
 *   a key, with SigV4's `X-Amz-Credential` and `X-Amz-Signature` in the
 *   query): a redirect-mode hash URL sends every page's `<img>` there, as
 *   the deployed bucket serves a presigned URL to anyone who holds it.
 *   s3rver does not check the signature, so locally the shape is all that
 *   is checked; it does refuse one past its `X-Amz-Expires`;
 * - the playground's own page may use it (its origins are trusted), as an
 *   application's page posts an upload form to its bucket;
 * - nothing else from a web page: any other `Origin`, or a `Sec-Fetch-Site`
 *   of another site without a trusted `Origin`, is S3's 403 AccessDenied.
 *
 * No bucket of the local stack has a CORS configuration, so s3rver grants
 * no page the right to read an answer.
 */
import type { GuardInput, PortPolicy, RefusalWriter } from "./guard";

/** A presigned read of one object: GET or HEAD of `/<bucket>/<key>` carrying SigV4 query authentication. */
export function isPresignedObjectRead(input: GuardInput): boolean {
    if (input.method !== "GET" && input.method !== "HEAD") return false;
    const [bucket, ...key] = input.path.replace(/^\//, "").split("/");
    if (bucket === "" || key.join("/") === "") return false;
    const names = new Set(input.query.split("&").map((pair) => pair.split("=")[0]));
    return names.has("X-Amz-Credential") && names.has("X-Amz-Signature");
}

/** The local S3's policy; `trustedOrigins` is asked at each request (the playground starts after S3). */
export function s3Policy(trustedOrigins: () => readonly string[] = () => []): PortPolicy {
    return { name: "the local S3", trustedOrigins, open: isPresignedObjectRead };
}

function escapeXml(text: string): string {
    return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** S3's own shape for a refusal: 403 `AccessDenied` in XML. */
export const s3Refusal: RefusalWriter = (response, message) => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message></Error>`;
    response.writeHead(403, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
};
