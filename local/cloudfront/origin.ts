/**
 * The distribution's origin: the service's private bucket in the local S3
 * (s3rver), reached path-style (`/<bucket><uri>`) and signed with SigV4 as
 * an Origin Access Control does ("always sign"). s3rver does not check the
 * signature, but the request is the one CloudFront would send.
 */
import * as aws4 from "aws4";
import * as http from "http";
import { S3_ORIGIN_TIMEOUTS } from "../../core/bounds";
import { fromIncomingHeaders, HeaderList, withoutHopByHop } from "./headers";

export interface OriginRequest {
    method: "GET" | "HEAD";
    /** Request path as the edge left it (already percent-encoded). */
    uri: string;
    /** Headers of the origin request as CloudFront and the origin-request function left them (`Host` and signing are the origin's). */
    headers: HeaderList;
}

export interface OriginResponse {
    status: number;
    statusDescription: string;
    headers: HeaderList;
    body: Buffer;
    /** What the origin's own log says of this answer, for the request log (the resizer's `source`: stored, made, joined). */
    detail?: string;
}

export interface Origin {
    fetch(request: OriginRequest): Promise<OriginResponse>;
}

/** The origin could not be reached or did not answer in time (CloudFront answers 502/504). */
export class OriginUnreachableError extends Error {
    constructor(message: string, readonly timedOut: boolean) {
        super(message);
        this.name = "OriginUnreachableError";
    }
}

export interface BucketOriginOptions {
    /** Local S3 endpoint, `http://127.0.0.1:<port>`. */
    endpoint: string;
    bucket: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    /**
     * CloudFront's origin response timeout ("Request and response behavior for
     * Amazon S3 origins", section "Origin response timeout"); past it the
     * viewer gets 504 ("HTTP 504 status code (Gateway Timeout)"). No product
     * test waits for it: it is kept so that a stuck origin cannot hold a
     * viewer request open for ever. @default the S3 origin's, 30000
     */
    responseTimeoutMs?: number;
    /**
     * The longest the whole answer may take, as the distribution's
     * `responseCompletionTimeout` says (core/bounds.ts S3_ORIGIN_TIMEOUTS);
     * past it CloudFront ends the request (a 504 here).
     * @default the S3 origin's, 30000
     */
    responseCompletionTimeoutMs?: number;
    /** Largest object body read into memory. @default 64 MiB */
    maxBodyBytes?: number;
}

/**
 * Characters allowed as-is in the path sent to S3; anything else (spaces,
 * non-ASCII, quotes…) is percent-encoded, as CloudFront does before it
 * forwards a request.
 */
function normalizePath(uri: string): string {
    return uri.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (char) => encodeURIComponent(char));
}

export function bucketOrigin(options: BucketOriginOptions): Origin {
    const url = new URL(options.endpoint);
    const timeoutMs = options.responseTimeoutMs ?? S3_ORIGIN_TIMEOUTS.readTimeoutSeconds * 1000;
    const completionMs = options.responseCompletionTimeoutMs ?? S3_ORIGIN_TIMEOUTS.responseCompletionTimeoutSeconds * 1000;
    const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
    return {
        fetch(request) {
            const headers: Record<string, string> = {};
            for (const [name, value] of request.headers) headers[name.toLowerCase()] = value;
            // SigV4 for S3 signs the decoded path; a viewer path with a broken percent-encoding
            // (`%E0%A4%A`) cannot be decoded, and S3 answers such a request 400 InvalidURI
            // ("Error responses", S3 API reference).
            if (objectKeyOf(request.uri) === undefined) return Promise.resolve(invalidUri());
            const signed = aws4.sign(
                {
                    host: url.host,
                    method: request.method,
                    path: `/${options.bucket}${normalizePath(request.uri)}`,
                    service: "s3",
                    region: options.region,
                    headers: { ...headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
                    doNotEncodePath: true,
                },
                options.credentials,
            );
            return new Promise<OriginResponse>((resolve, reject) => {
                const outgoing = http.request(
                    {
                        hostname: url.hostname,
                        port: url.port,
                        method: signed.method,
                        path: signed.path,
                        headers: signed.headers,
                        agent: false,
                    },
                    (response) => {
                        const chunks: Buffer[] = [];
                        let size = 0;
                        response.on("data", (chunk: Buffer) => {
                            size += chunk.length;
                            if (size > maxBody) {
                                outgoing.destroy(new OriginUnreachableError(`origin object larger than ${maxBody} bytes`, false));
                                return;
                            }
                            chunks.push(chunk);
                        });
                        response.on("end", () =>
                            resolve({
                                status: response.statusCode ?? 502,
                                statusDescription: response.statusMessage ?? "",
                                headers: withoutHopByHop(fromIncomingHeaders(response.headers)),
                                body: Buffer.concat(chunks),
                            }),
                        );
                        response.on("error", (error) => reject(new OriginUnreachableError(`origin response failed: ${error.message}`, false)));
                    },
                );
                outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new OriginUnreachableError(`origin did not answer within ${timeoutMs} ms`, true)));
                const completion = setTimeout(() => outgoing.destroy(new OriginUnreachableError(`origin did not complete its answer within ${completionMs} ms`, true)), completionMs);
                completion.unref();
                outgoing.on("close", () => clearTimeout(completion));
                outgoing.on("error", (error) => {
                    reject(error instanceof OriginUnreachableError ? error : new OriginUnreachableError(`origin unreachable: ${error.message}`, false));
                });
                outgoing.end();
            });
        },
    };
}

/**
 * The object key S3 reads for a request path: the path as it is sent
 * (normalised), percent-decoded, without its leading `/`; `undefined` when
 * it cannot be decoded (as SigV4 for S3 must).
 */
export function objectKeyOf(uri: string): string | undefined {
    try {
        return normalizePath(uri).split("/").map(decodeURIComponent).join("/").slice(1);
    } catch {
        return undefined;
    }
}

/** S3's answer to a request URI it cannot parse. */
function invalidUri(): OriginResponse {
    const body = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidURI</Code><Message>Couldn\'t parse the specified URI.</Message></Error>');
    return { status: 400, statusDescription: "Bad Request", headers: [["Content-Type", "application/xml"]], body };
}
