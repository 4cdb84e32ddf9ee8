/**
 * The edge's one HTTP exchange, against a loopback server: the call goes
 * out as given (method, path, headers, body) and its answer comes back with
 * its status; connections are kept alive between calls; and every failure
 * is a result, never a throw: an answer over the size cap, no answer within
 * the time limit, nothing listening, a connection cut mid-answer.
 */
import { expect } from "chai";
import * as http from "http";
import type { Socket } from "net";
import { parseEndpoint } from "../../edge/endpoints";
import { createTransport, OutgoingCall } from "../../edge/http-call";
import { closeServer, listenOn } from "../../local/net";
import { closedPortEndpoint } from "../support/dynamo-proxy";

interface Seen {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    clientPort: number;
}

const CALL: OutgoingCall = { method: "POST", path: "/table", headers: { "Content-Type": "application/json", "X-Target": "GetItem" }, body: '{"a":1}', timeoutMs: 5000, maxResponseBytes: 100 };

describe("edge/http-call (a loopback server)", () => {
    let server: http.Server;
    let endpoint: string;
    const seen: Seen[] = [];
    const sockets = new Set<Socket>();
    /** How the server answers the next requests. */
    let answer: (res: http.ServerResponse) => void;

    before(async () => {
        server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", () => {
                seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), clientPort: req.socket.remotePort ?? 0 });
                answer(res);
            });
        });
        server.on("connection", (socket: Socket) => {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
        });
        const port = await listenOn(server, 0, "http-call test server");
        endpoint = `http://127.0.0.1:${port}`;
    });
    beforeEach(() => {
        seen.length = 0;
        answer = (res) => res.writeHead(200).end("ok");
    });
    after(async () => {
        for (const socket of sockets) socket.destroy();
        await closeServer(server);
    });

    it("sends the call as given to host:port and returns the status and body", async () => {
        answer = (res) => res.writeHead(400, { "Content-Type": "application/json" }).end('{"__type":"ValidationException"}');
        const transport = createTransport(parseEndpoint(endpoint));
        expect(transport.host).to.equal(new URL(endpoint).host);
        expect(await transport.send(CALL)).to.deep.equal({ ok: true, status: 400, body: '{"__type":"ValidationException"}' });
        expect(seen).to.have.length(1);
        expect(seen[0]).to.include({ method: "POST", url: "/table", body: '{"a":1}' });
        expect(seen[0].headers).to.include({ "content-type": "application/json", "x-target": "GetItem" });
    });

    it("keeps the connection alive between calls", async () => {
        const transport = createTransport(parseEndpoint(endpoint));
        for (let i = 0; i < 3; i++) expect(await transport.send(CALL)).to.deep.equal({ ok: true, status: 200, body: "ok" });
        expect(new Set(seen.map((request) => request.clientPort)).size).to.equal(1);
    });

    it("an answer up to the cap is read; one byte over is too_large", async () => {
        const transport = createTransport(parseEndpoint(endpoint));
        answer = (res) => res.writeHead(200).end("x".repeat(100));
        expect(await transport.send(CALL)).to.deep.equal({ ok: true, status: 200, body: "x".repeat(100) });
        answer = (res) => res.writeHead(200).end("x".repeat(101));
        expect(await transport.send(CALL)).to.deep.equal({ ok: false, failure: "too_large" });
    });

    it("no answer within the time limit is a timeout", async () => {
        answer = () => undefined;
        expect(await createTransport(parseEndpoint(endpoint)).send({ ...CALL, timeoutMs: 50 })).to.deep.equal({ ok: false, failure: "timeout" });
    });

    it("nothing listening is a network failure", async () => {
        expect(await createTransport(parseEndpoint(await closedPortEndpoint())).send(CALL)).to.deep.equal({ ok: false, failure: "network" });
    });

    it("a connection cut mid-answer is a network failure, not a short body", async () => {
        answer = (res) => {
            res.writeHead(200, { "Content-Length": "50" });
            res.write("partial", () => res.socket?.destroy());
        };
        expect(await createTransport(parseEndpoint(endpoint)).send(CALL)).to.deep.equal({ ok: false, failure: "network" });
    });
});
