/**
 * HTTP/1.1 over a bare TCP socket, byte for byte. `fetch` and `http.request`
 * normalise or refuse what hostile clients send (dot segments, raw UTF-8,
 * null bytes, absolute-form targets, duplicate Host headers), so requests
 * here are written exactly as given and the answer is parsed by hand.
 * Loopback only.
 */
import * as net from "net";

export interface RawRequest {
    method: string;
    /** Request target exactly as sent (a string is written as UTF-8). */
    target: string | Buffer;
    /** Headers in order, names as written. `Host` is added first unless `omitHost` or a Host is given. */
    headers?: Array<[string, string]>;
    body?: Buffer;
    /** Protocol token of the request line. @default "HTTP/1.1" */
    version?: string;
    omitHost?: boolean;
}

export interface RawResponse {
    /** 0 when the server closed the connection without answering. */
    status: number;
    reason: string;
    /** Headers in order, names lower-cased. */
    headers: Array<[string, string]>;
    body: Buffer;
}

/** The first value of a header (case-insensitive), or `undefined`. */
export function headerOf(response: RawResponse, name: string): string | undefined {
    const wanted = name.toLowerCase();
    return response.headers.find(([key]) => key === wanted)?.[1];
}

/** The request's bytes: request line, headers (with `Connection: close`), blank line, body. */
export function encodeRequest(port: number, request: RawRequest): Buffer {
    const headers = [...(request.headers ?? [])];
    const hasHost = headers.some(([name]) => name.toLowerCase() === "host");
    if (!hasHost && !request.omitHost) headers.unshift(["Host", `127.0.0.1:${port}`]);
    if (!headers.some(([name]) => name.toLowerCase() === "connection")) headers.push(["Connection", "close"]);
    const target = typeof request.target === "string" ? Buffer.from(request.target, "utf8") : request.target;
    const head = Buffer.concat([
        Buffer.from(`${request.method} `, "latin1"),
        target,
        Buffer.from(` ${request.version ?? "HTTP/1.1"}\r\n`, "latin1"),
        ...headers.map(([name, value]) => Buffer.from(`${name}: ${value}\r\n`, "utf8")),
        Buffer.from("\r\n", "latin1"),
    ]);
    return request.body ? Buffer.concat([head, request.body]) : head;
}

/**
 * Sends one request on a fresh connection and reads the answer: complete
 * once its Content-Length has arrived (or the server closed the connection).
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
    const bytes = encodeRequest(port, request);
    const isHead = request.method === "HEAD";
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        const chunks: Buffer[] = [];
        let settled = false;
        const settle = (outcome: () => RawResponse) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            socket.destroy();
            try {
                resolve(outcome());
            } catch (error) {
                reject(error);
            }
        };
        const timer = setTimeout(() => {
            settled = true;
            socket.destroy();
            reject(new Error(`no complete answer within ${timeoutMs} ms to ${request.method} ${String(request.target).slice(0, 80)}`));
        }, timeoutMs);
        socket.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            const raw = Buffer.concat(chunks);
            if (isComplete(raw, isHead)) settle(() => parseResponse(raw, isHead));
        });
        // The server may answer and close before it has read everything (over-long requests).
        socket.on("error", (error: NodeJS.ErrnoException) => {
            if (error.code === "ECONNRESET" || error.code === "EPIPE") return;
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                reject(error);
            }
        });
        socket.on("close", () => settle(() => parseResponse(Buffer.concat(chunks), isHead)));
        // No half-close: Node's server drops a connection whose client has ended
        // before a slow answer is ready. `Connection: close` ends it after the answer.
        socket.write(bytes);
    });
}

/** True once `raw` holds a final response whose body length is known and has fully arrived. */
function isComplete(raw: Buffer, isHead: boolean): boolean {
    const final = skipInterim(raw);
    const end = final.indexOf("\r\n\r\n");
    if (end < 0) return false;
    const head = final.subarray(0, end).toString("latin1");
    if (isHead || /^HTTP\/1\.[01] (204|304)/.test(head)) return true;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    return length !== null && final.length - (end + 4) >= Number(length[1]);
}

/** The bytes after any interim (1xx) answers. */
function skipInterim(raw: Buffer): Buffer {
    let rest = raw;
    while (/^HTTP\/1\.[01] 1\d\d/.test(rest.subarray(0, 12).toString("latin1"))) {
        const end = rest.indexOf("\r\n\r\n");
        if (end < 0) break;
        rest = rest.subarray(end + 4);
    }
    return rest;
}

/** Parses one HTTP/1.x response (Content-Length, chunked, or read-to-close body). */
export function parseResponse(raw: Buffer, isHead: boolean): RawResponse {
    if (raw.length === 0) return { status: 0, reason: "closed without an answer", headers: [], body: raw };
    raw = skipInterim(raw);
    const end = raw.indexOf("\r\n\r\n");
    if (end < 0) throw new Error(`incomplete response (${raw.length} bytes): ${JSON.stringify(raw.subarray(0, 200).toString("latin1"))}`);
    const lines = raw.subarray(0, end).toString("latin1").split("\r\n");
    const statusLine = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]);
    if (!statusLine) throw new Error(`not an HTTP status line: ${JSON.stringify(lines[0])}`);
    const headers = lines.slice(1).map((line): [string, string] => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
    let body = raw.subarray(end + 4);
    const response: RawResponse = { status: Number(statusLine[1]), reason: statusLine[2], headers, body };
    if (isHead) return { ...response, body: Buffer.alloc(0) };
    if (headerOf(response, "transfer-encoding")?.toLowerCase() === "chunked") body = decodeChunked(body);
    const length = headerOf(response, "content-length");
    if (length !== undefined) body = body.subarray(0, Number(length));
    return { ...response, body };
}

function decodeChunked(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
        const lineEnd = data.indexOf("\r\n", at);
        if (lineEnd < 0) break;
        const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
        if (!(size > 0)) break;
        parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
    }
    return Buffer.concat(parts);
}

/**
 * Sends `bytes` on a fresh connection and goes away without waiting for an
 * answer: `end` closes the connection normally (FIN), `reset` aborts it
 * (RST), as a client that crashed or lost its network would. Resolves once
 * the connection is closed (by the server, or after 5 s by this side).
 */
export function sendAndAbandon(port: number, bytes: Buffer, how: "end" | "reset"): Promise<void> {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.on("error", (error: NodeJS.ErrnoException) => {
            if (error.code === "ECONNRESET" || error.code === "EPIPE") return;
            reject(error);
        });
        // A server that keeps a half-closed connection open is not waited for past this.
        const timer = setTimeout(() => socket.destroy(), 5_000);
        socket.on("close", () => {
            clearTimeout(timer);
            resolve();
        });
        socket.on("connect", () => {
            socket.write(bytes, () => {
                if (how === "reset") socket.resetAndDestroy();
                else socket.end();
            });
        });
        // Whatever the server sends back is read and dropped, so the close is not held up.
        socket.resume();
    });
}
