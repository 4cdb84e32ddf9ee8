/**
 * The HTTP front of a dynalite server: how a request reaches dynalite.
 *
 * dynalite reads each request through listeners it adds to the request
 * itself, and throws from them: it rethrows the request's `error` event, so
 * a client that closed mid-body (`aborted`) was an uncaught exception, and a
 * body of JSON `null` with a known operation was a TypeError in its
 * validation. Either ended the whole process: `npm start` with every port.
 * Here the request is read first, up to dynalite's own 16 MiB limit; a
 * request that never completes never reaches dynalite, and a complete one
 * is replayed to it from memory, so what it throws while reading and
 * judging the request comes back to this code, which answers DynamoDB's 500
 * `InternalServerError` and reports the fault instead of letting it escape.
 * (What dynalite throws later, from its storage callbacks, is beyond reach
 * here; local/main.ts stops the stack cleanly if that ever happens.)
 *
 * Given a stream (dynamo-stream.ts), the front also hands it every write
 * call: the stream runs it, with the reads of the items before and after,
 * against dynalite in process, and the caller gets dynalite's answer once
 * the stream has recorded what changed.
 */
import { EventEmitter } from "events";
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "http";
import type { Item, LocalTableStream } from "./dynamo-stream";
import { WRITE_OPERATIONS } from "./dynamo-stream";
import type { PortPolicy, RefusalWriter } from "./guard";

/** dynalite's own limit on a request body (MAX_REQUEST_BYTES in its index.js), bytes; more is its 413. */
export const DYNALITE_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** The parts of a request dynalite's handler reads: its headers, method and URL, and the body as events. */
interface ReplayedRequest extends EventEmitter {
    headers: IncomingHttpHeaders;
    method?: string;
    url?: string;
}

/** The parts of a response dynalite's handler writes. */
interface DynaliteResponse {
    statusCode: number;
    setHeader(name: string, value: string | number | string[]): unknown;
    end(body?: string | Buffer): unknown;
}

type DynaliteHandler = (request: ReplayedRequest, response: DynaliteResponse) => void;

/** dynalite's answer to a call made in process. */
interface CapturedAnswer {
    status: number;
    headers: OutgoingHttpHeaders;
    body: Buffer;
}

export interface DynaliteFrontOptions {
    /** Sees each complete request before dynalite does: its operation (from `X-Amz-Target`) and its JSON body (`undefined` when not JSON). */
    observe?: (operation: string, body: unknown) => void;
    /** What dynalite threw while handling a request (the caller got a 500). */
    onFault?: (error: unknown) => void;
    /** Runs first on every request; true when it has answered the request itself (which then never reaches dynalite). */
    screen?: (request: IncomingMessage, response: ServerResponse) => boolean;
    /** The DynamoDB's stream: every write call goes through it (dynamo-stream.ts). */
    stream?: LocalTableStream;
}

/** Headers of the reads the stream makes in process: what dynalite checks before it answers (an AWS4 authorization, a date). */
const STREAM_READ_HEADERS: IncomingHttpHeaders = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810.GetItem",
    "x-amz-date": "20250101T000000Z",
    authorization: "AWS4-HMAC-SHA256 Credential=LOCAL/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
};

/** Calls dynalite's handler in process with a request it reads as it reads any, and captures its answer. */
function callDynalite(handler: DynaliteHandler, server: Server, request: { headers: IncomingHttpHeaders; method?: string; url?: string }, body: Buffer): Promise<CapturedAnswer> {
    return new Promise((resolve, reject) => {
        const headers: CapturedAnswer["headers"] = {};
        const response: DynaliteResponse & { contentType?: string } = {
            statusCode: 200,
            setHeader(name, value) {
                headers[name] = value;
                return response;
            },
            end(chunk) {
                resolve({ status: response.statusCode, headers, body: chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk) });
                return response;
            },
        };
        const replay: ReplayedRequest = Object.assign(new EventEmitter(), { headers: request.headers, method: request.method, url: request.url });
        try {
            handler.call(server, replay, response);
            if (body.length > 0) replay.emit("data", body);
            replay.emit("end");
        } catch (error) {
            reject(error);
        }
    });
}

/**
 * A DynamoDB port on the local stack's guard (local/guard.ts): every call
 * reads or writes the tables (a page that could call `Scan` would read every
 * live hash), dynalite checks no signature, and only the AWS SDK, the CLI
 * and the stack itself call it, none of which is a web page: no page of any
 * origin may. (dynalite itself grants any origin CORS; refused requests
 * never reach it.)
 */
export function dynamoPolicy(name = "the local DynamoDB"): PortPolicy {
    return { name };
}

/** DynamoDB's own shape for a refusal: 403 `AccessDeniedException`. */
export const dynamoRefusal: RefusalWriter = (response, message) => {
    const body = JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", message });
    response.writeHead(403, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
};

/** `onFault` for a dynalite: a line on `log` naming it (`which`) and what it threw; its caller got a 500. */
export function dynaliteFault(log: (line: string) => void, which: string): (error: unknown) => void {
    return (error) => log(`${which} (dynalite) failed on a request, answered 500: ${error instanceof Error ? error.message : String(error)}`);
}

function internalError(response: ServerResponse): void {
    if (response.headersSent) {
        response.destroy();
        return;
    }
    const body = JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "The local DynamoDB (dynalite) failed on this request." });
    response.writeHead(500, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
}

/**
 * Puts the front before dynalite's handler on `server` (as dynalite made
 * it: its one `request` listener becomes the one this calls).
 */
export function frontDynalite(server: Server, options: DynaliteFrontOptions = {}): void {
    const handlers = server.listeners("request") as DynaliteHandler[];
    if (handlers.length !== 1) throw new Error(`expected dynalite's one request listener, found ${handlers.length}`);
    const [handler] = handlers;
    server.removeAllListeners("request");
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
        if (options.screen?.(request, response)) return;
        const chunks: Buffer[] = [];
        let size = 0;
        let refused = false;
        // A client gone mid-request: nothing reached dynalite, and there is no one to answer.
        request.on("error", () => response.destroy());
        request.on("data", (chunk: Buffer) => {
            if (refused) return;
            size += chunk.length;
            if (size > DYNALITE_MAX_REQUEST_BYTES) {
                refused = true;
                chunks.length = 0;
                // dynalite's own answer to a body over its limit; the rest is not read.
                response.writeHead(413, { Connection: "close" });
                response.end(() => request.destroy());
                return;
            }
            chunks.push(chunk);
        });
        request.on("end", () => {
            if (refused) return;
            const body = Buffer.concat(chunks);
            if (options.observe) options.observe(operationOf(request.headers["x-amz-target"]), parsedJson(body));
            const stream = options.stream;
            const operation = operationOf(request.headers["x-amz-target"]);
            if (stream && WRITE_OPERATIONS.has(operation)) {
                const read = async (table: string, key: Item): Promise<Item | undefined> => {
                    const answer = await callDynalite(handler, server, { headers: STREAM_READ_HEADERS, method: "POST", url: "/" }, Buffer.from(JSON.stringify({ TableName: table, Key: key, ConsistentRead: true })));
                    return answer.status === 200 ? (JSON.parse(answer.body.toString("utf8")) as { Item?: Item }).Item : undefined;
                };
                stream.write(operation, parsedJson(body), { write: () => callDynalite(handler, server, request, body), read }).then(
                    (answer) => {
                        response.writeHead(answer.status, answer.headers);
                        response.end(answer.body);
                    },
                    (error: unknown) => {
                        options.onFault?.(error);
                        internalError(response);
                    },
                );
                return;
            }
            const replay: ReplayedRequest = Object.assign(new EventEmitter(), { headers: request.headers, method: request.method, url: request.url });
            // dynalite's listeners run inside these emits: whatever they throw lands here.
            try {
                handler.call(server, replay, response);
                if (body.length > 0) replay.emit("data", body);
                replay.emit("end");
            } catch (error) {
                options.onFault?.(error);
                internalError(response);
            }
        });
    });
}

/** The operation an `X-Amz-Target` names (`DynamoDB_20120810.GetItem` → `GetItem`); "" without one. */
function operationOf(target: string | string[] | undefined): string {
    return typeof target === "string" ? target.slice(target.lastIndexOf(".") + 1) : "";
}

/** A request body as JSON, or `undefined` when it is not JSON. */
function parsedJson(body: Buffer): unknown {
    try {
        return JSON.parse(body.toString("utf8"));
    } catch {
        return undefined;
    }
}
