/**
 * What a correct CDN answer looks like, independent of the code under test:
 * the good answer for the hash URL (the exact image, or a 302 that no shared
 * cache may keep, to a URL presigned for the request's own method, checked by
 * an independent SigV4 computation, for exactly its key in its own bucket), and for everything
 * else an answer that gives nothing away (no image, no redirect, no bucket,
 * key, table or S3 endpoint, no S3 headers). Also: which request paths may
 * cost a DynamoDB read at all.
 */
import { headerOf, RawRequest, RawResponse } from "../../reliability/support/raw-http";
import type { Expectation } from "./corpus";
import { independentPresignSignature } from "../../support/sigv4-oracle";

export interface ServiceFacts {
    mode: "origin" | "redirect";
    image: Buffer;
    bucket: string;
    key: string;
    tableName: string;
    /** Port of the local S3 (it would show in a presigned URL). */
    s3Port: number;
    signedUrlTtlSeconds: number;
    /** The secret the edge signs with (the local stack's dummy one), to check signatures independently. */
    secretAccessKey: string;
}

/** The hash URL's path pattern, written here from the documented format (not imported from the edge). */
const HASH_URL = /^\/images\/[0-9a-f]{32}$/;

/** The path CloudFront gives the function for a request target: no query, no absolute-form authority. */
export function effectivePath(target: string | Buffer): string {
    const text = typeof target === "string" ? target : target.toString("latin1");
    const withoutQuery = text.split("?")[0];
    return withoutQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
}

/** True when a request may cost a DynamoDB read: GET or HEAD of exactly `/images/<32 lowercase hex>`. */
export function mayRead(request: RawRequest): boolean {
    return (request.method === "GET" || request.method === "HEAD") && HASH_URL.test(effectivePath(request.target));
}

/**
 * S3's percent-encoding of a key in a path (RFC 3986 unreserved kept,
 * slashes kept). Written here from RFC 3986 on purpose, as an oracle for
 * edge/endpoints.ts `encodeObjectKey`, not imported from it.
 */
export function encodeKey(key: string): string {
    return key
        .split("/")
        .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()))
        .join("/");
}

/** The SigV4 query parameters, plus the two response headers the edge has S3 send (signed, so fixed). */
const PRESIGN_PARAMS = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "response-cache-control",
    "response-content-disposition",
];

/** Why a redirect is not the good one for a request with `method`, or `undefined` when it is. */
function badRedirect(response: RawResponse, method: string, facts: ServiceFacts): string | undefined {
    const location = headerOf(response, "location");
    if (location === undefined) return "302 without Location";
    const url = new URL(location);
    if (url.host !== `127.0.0.1:${facts.s3Port}`) return `Location names another host: ${url.host}`;
    if (url.pathname !== `/${facts.bucket}/${encodeKey(facts.key)}`) return `Location names another object: ${url.pathname}`;
    const names = [...url.searchParams.keys()].sort();
    if (names.join(",") !== [...PRESIGN_PARAMS].sort().join(",")) return `Location carries other parameters: ${names.join(",")}`;
    const expires = Number(url.searchParams.get("X-Amz-Expires"));
    if (!(expires >= 1 && expires <= facts.signedUrlTtlSeconds)) return `X-Amz-Expires ${expires} is outside 1..${facts.signedUrlTtlSeconds}`;
    if (url.searchParams.get("response-content-disposition") !== "attachment") return "S3 is not told to send Content-Disposition: attachment";
    if (url.searchParams.get("response-cache-control") !== `private, max-age=${expires}`) return "S3 is not told to keep the bytes private for the URL's life";
    // SigV4 signs the method: a client that follows the redirect with its own method must find a URL signed for it.
    const signedFor = method === "HEAD" ? "HEAD" : "GET";
    if (url.searchParams.get("X-Amz-Signature") !== independentPresignSignature({ method: signedFor, url, secretAccessKey: facts.secretAccessKey })) {
        return `the URL is not signed for ${signedFor}`;
    }
    if (!/(^|,)\s*private\s*(,|$)/.test(headerOf(response, "cache-control") ?? "")) return "a 302 that CloudFront may keep (its cache key cannot tell GET from HEAD)";
    if (response.body.length !== 0) return "302 with a body";
    return undefined;
}

/** Why an image answer is not the good one, or `undefined` when it is. */
function badImage(response: RawResponse, method: string, facts: ServiceFacts): string | undefined {
    if (response.status === 304) return response.body.length === 0 ? undefined : "304 with a body";
    if (headerOf(response, "content-type") !== "image/png") return `content type ${headerOf(response, "content-type")}`;
    if (response.status === 206) {
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headerOf(response, "content-range") ?? "");
        if (!range || Number(range[3]) !== facts.image.length) return "206 without a matching Content-Range";
        return response.body.equals(facts.image.subarray(Number(range[1]), Number(range[2]) + 1)) ? undefined : "206 body is not that slice of the image";
    }
    if (response.status !== 200) return `status ${response.status}`;
    if (method === "HEAD") return headerOf(response, "content-length") === String(facts.image.length) ? undefined : "HEAD with another Content-Length";
    return response.body.equals(facts.image) ? undefined : "the body is not the image";
}

/** True when the answer is the good one for the hash URL. */
/**
 * Why an answer to the hash URL is not the good one (the image in origin
 * mode, the presigned redirect for the request's method in redirect mode),
 * or `undefined` when it is.
 */
export function answerProblem(response: RawResponse, method: string, facts: ServiceFacts): string | undefined {
    const snippet = () => response.body.subarray(0, 60).toString("latin1");
    if (facts.mode === "redirect") return response.status === 302 ? badRedirect(response, method, facts) : `expected a 302 to the presigned URL, got ${response.status}: ${snippet()}`;
    return [200, 206, 304].includes(response.status) ? badImage(response, method, facts) : `expected the image, got ${response.status}: ${snippet()}`;
}

/** Everything in an answer a client can read, as text. */
function visibleText(response: RawResponse): string {
    return [response.reason, ...response.headers.map(([name, value]) => `${name}: ${value}`), response.body.toString("latin1")].join("\n");
}

/** What an answer that is not the image gives away, if anything. */
export function leaks(response: RawResponse, facts: ServiceFacts): string[] {
    const found: string[] = [];
    const text = visibleText(response);
    const secrets: [string, string][] = [
        ["the bucket name", facts.bucket],
        ["the object key", facts.key],
        ["the table name", facts.tableName],
        ["the S3 endpoint", `:${facts.s3Port}`],
        ["an s3:// URL", "s3://"],
        ["an AWS endpoint", "amazonaws.com"],
    ];
    for (const [what, value] of secrets) if (text.includes(value)) found.push(what);
    if (headerOf(response, "location") !== undefined) found.push("a Location header");
    for (const [name] of response.headers) {
        if (name.startsWith("x-amz-") && name !== "x-amz-cf-pop" && name !== "x-amz-cf-id") found.push(`S3 header ${name}`);
    }
    if (/amazons3/i.test(headerOf(response, "server") ?? "")) found.push("Server: AmazonS3");
    if (response.body.includes(facts.image.subarray(0, 16))) found.push("the image's bytes");
    return found;
}

/** Every problem with one answer to one case: 5xx, wrong serve/refuse, leaks. */
export function judge(request: RawRequest, expect: Expectation, response: RawResponse, facts: ServiceFacts): string[] {
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`answered ${response.status}`);
    const problem = answerProblem(response, request.method, facts);
    const good = problem === undefined;
    if (expect === "serve" && !good) problems.push(`not served: ${problem}`);
    if (expect === "refuse" && good) problems.push("served the image for a name that is not the hash URL");
    if (!good) problems.push(...leaks(response, facts).map((what) => `gave away ${what}`));
    if (good && facts.mode === "origin") {
        for (const [name] of response.headers) if (name.startsWith("x-amz-") && !name.startsWith("x-amz-cf-")) problems.push(`passed on S3 header ${name}`);
    }
    return problems;
}

/** An answer with what changes per request taken out (request id, date, age), for comparing two answers. */
export function normalized(response: RawResponse): string {
    const varying = new Set(["date", "x-amz-cf-id", "age"]);
    const headers = response.headers.filter(([name]) => !varying.has(name)).map(([name, value]) => `${name}: ${value}`);
    return [`${response.status} ${response.reason}`, ...headers, "", response.body.toString("base64")].join("\n");
}
