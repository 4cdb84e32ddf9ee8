/**
 * An independent SigV4 computation for presigned S3 URLs, written from the
 * S3 API reference ("Authenticating Requests: Using Query Parameters (AWS
 * Signature Version 4)") with node:crypto alone, so that the edge's signer
 * (`aws4`) is checked against something that is not itself. Its own test
 * reproduces the signature of AWS's published example.
 */
import { createHash, createHmac } from "crypto";

const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding of one query name or value, as SigV4 wants it. */
function uriEncode(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface PresignedUrlCheck {
    /** The method the URL must have been signed for. */
    method: string;
    /** The presigned URL as handed out. */
    url: URL;
    secretAccessKey: string;
}

/**
 * The `X-Amz-Signature` a correct SigV4 signer produces for this URL's
 * parameters (signed header `host`, `UNSIGNED-PAYLOAD`) and `method`.
 */
export function independentPresignSignature({ method, url, secretAccessKey }: PresignedUrlCheck): string {
    const params = [...url.searchParams.entries()].filter(([name]) => name !== "X-Amz-Signature");
    const canonicalQuery = params
        .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${name}=${value}`)
        .join("&");
    const signedHeaders = url.searchParams.get("X-Amz-SignedHeaders");
    if (signedHeaders !== "host") throw new Error(`this oracle handles SignedHeaders=host only (got ${String(signedHeaders)})`);
    const canonicalRequest = [method, url.pathname, canonicalQuery, `host:${url.host}\n`, "host", "UNSIGNED-PAYLOAD"].join("\n");
    const amzDate = url.searchParams.get("X-Amz-Date") ?? "";
    const credential = url.searchParams.get("X-Amz-Credential") ?? "";
    const [, date, region, service, terminator] = credential.split("/");
    if (terminator !== "aws4_request" || !date || !region || !service) throw new Error(`malformed X-Amz-Credential: ${credential}`);
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonicalRequest, "utf8").digest("hex")].join("\n");
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
    return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}
