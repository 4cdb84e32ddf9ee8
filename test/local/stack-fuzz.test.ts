/**
 * The local stack survives any request on any of its ports: `npm start` in a
 * child process (as a user runs it), then generated requests (fast-check)
 * against every port it opens: each service's CDN, the local S3, DynamoDB,
 * the CloudFront API and the playground. Keys up to and past 1,024 bytes,
 * every segment shape, raw and broken percent-encodings, multipart form posts
 * with such keys, multipart-upload parameters, odd methods, headers and
 * bodies. Afterwards the process is still running and every port still
 * answers; an object write to S3 never gets a 5xx (a key the local S3 cannot
 * hold is a 4xx).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { checkerPng } from "../../local/png";
import type { LocalStackState } from "../../local/state-file";
import { encodeRequest, RawRequest, RawResponse, sendAndAbandon, sendRaw } from "../reliability/support/raw-http";
import { sharedBuild } from "../support/shared-build";
import { runCli, Runner, startStackProcess, StackProcess, tempDir, waitForState } from "./stack-process";

const STACK_YAML = `config:
  aws:region: eu-west-1
  secure-image-cdn:services:
    - discussion
    - chat
    - marketplace
    - regulatory
  secure-image-cdn:overrides:
    chat:
      mode: redirect
`;

interface Port {
    name: string;
    port: number;
    /** A well-formed request this port answers with `expect`. */
    probe: RawRequest;
    expect: number;
}

/** Key material: what broke the old store (long segments), what parsers trip on, and plain text. */
const KEY_PIECES = [
    "a".repeat(255),
    "b".repeat(312),
    "é".repeat(200),
    "😀".repeat(100),
    "%",
    "%25",
    "%2F",
    "%00",
    "%E0%A4%A",
    "%ZZ",
    ".",
    "..",
    "/",
    "//",
    "\\",
    " ",
    "+",
    "?",
    "#",
    "uploads/",
    "uploads/incoming/",
    "x.png",
];

const key = fc
    .array(fc.oneof(fc.constantFrom(...KEY_PIECES), fc.string({ unit: "grapheme", maxLength: 30 })), { minLength: 1, maxLength: 8 })
    .map((pieces) => pieces.join(""))
    .filter((k) => Buffer.byteLength(k) <= 2100);

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "get", "X"];
const QUERIES = ["", "?uploads", "?uploadId=00000000000000000000000000000000&partNumber=1", "?uploadId=../../x&partNumber=1", "?partNumber=99999&uploadId=z", "?list-type=2&prefix=", "?acl", "?versioning", "?delete", "?tagging", "?X-Amz-Expires=1&X-Amz-Date=20200101T000000Z&X-Amz-Signature=0", "?hash=0&since=x"];
const HEADERS: [string, string][] = [
    ["Content-Type", "multipart/form-data; boundary=zz"],
    ["Content-Type", "application/x-amz-json-1.0"],
    ["Content-Type", "application/json"],
    ["X-Amz-Target", "DynamoDB_20120810.GetItem"],
    ["X-Amz-Target", "DynamoDB_20120810.CreateTable"],
    ["X-Amz-Target", "Nope.Nope"],
    ["Host", "evil.example"],
    ["Origin", "https://evil.example"],
    ["X-Playground", "1"],
    ["Range", "bytes=5-1"],
    ["If-None-Match", '"x"'],
    ["x-amz-copy-source", "/local-chat-images/../../etc/passwd"],
    ["x-amz-copy-source", "%%%"],
    ["Authorization", "AWS4-HMAC-SHA256 Credential=broken"],
    ["Expect", "100-continue"],
];

/** A multipart body with a `key` field and a file, the way a browser posts an upload form. */
function formBody(formKey: string, file: Buffer): Buffer {
    return Buffer.concat([
        Buffer.from(`--zz\r\nContent-Disposition: form-data; name="key"\r\n\r\n${formKey}\r\n--zz\r\nContent-Disposition: form-data; name="Content-Type"\r\n\r\nimage/png\r\n`),
        Buffer.from(`--zz\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n`),
        file,
        Buffer.from("\r\n--zz--\r\n"),
    ]);
}

/** A DynamoDB call as the SDK sends it (dynalite checks the signature's shape, not its value). */
function dynamoCall(operation: string, body: Buffer): RawRequest {
    return {
        method: "POST",
        target: "/",
        headers: [
            ["Content-Type", "application/x-amz-json-1.0"],
            ["X-Amz-Target", `DynamoDB_20120810.${operation}`],
            ["Content-Length", String(body.length)],
            ["X-Amz-Date", "20200101T000000Z"],
            ["Authorization", "AWS4-HMAC-SHA256 Credential=S3RVER/20200101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"],
        ],
        body,
    };
}

/** The request bytes with the body cut to its first `keep` bytes (the headers still promise all of it). */
function cut(port: number, request: RawRequest, keep: number): Buffer {
    const whole = encodeRequest(port, request);
    return whole.subarray(0, whole.length - (request.body?.length ?? 0) + keep);
}

describe("local stack: survives any request on any of its ports (generated requests)", function () {
    this.timeout(240_000);
    const home = tempDir("sic-fuzz-");
    const configFile = path.join(home, "Pulumi.fuzz.yaml");
    let stack: StackProcess;
    let runner: Runner;
    let state: LocalStackState;
    let ports: Port[];

    before(async () => {
        fs.writeFileSync(configFile, STACK_YAML);
        // A replica region too, so a replica's DynamoDB is among the ports.
        runner = { compiledDir: (await sharedBuild()).compiledDir };
        stack = startStackProcess(["--fresh", "--port", "0", "--config", configFile, "--replicas", "us-west-2"], path.join(home, "data"), {}, runner);
        state = await waitForState(stack, 120_000);
        const portOf = (url: string) => Number(new URL(url).port);
        const buckets = Object.values(state.services).map((service) => service.issuer.bucket);
        const probeOf = (part: string): Pick<Port, "probe" | "expect"> => {
            if (part.startsWith("CDN ")) {
                const service = state.services[part.slice("CDN ".length)];
                return { probe: { method: "GET", target: service.level === "public" ? "/uploads/none.png" : `/images/${"0".repeat(32)}` }, expect: 404 };
            }
            if (part.startsWith("DynamoDB")) return { probe: dynamoCall("ListTables", Buffer.from("{}")), expect: 200 };
            if (part === "S3") return { probe: { method: "GET", target: `/${buckets[0]}?list-type=2` }, expect: 200 };
            if (part === "CloudFront API") return { probe: { method: "GET", target: "/local/stats" }, expect: 200 };
            if (part === "playground") return { probe: { method: "GET", target: "/" }, expect: 200 };
            throw new Error(`no probe for ${part}`);
        };
        ports = state.listening.map(({ part, url }) => ({ name: part, port: portOf(url), ...probeOf(part) }));
    });
    after(async () => {
        stack?.kill();
        await stack?.exited;
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("every port answers its probe before the run", async () => {
        for (const port of ports) expect((await sendRaw(port.port, port.probe)).status, port.name).to.equal(port.expect);
    });

    it("every part the stack listens on is probed: CDNs, S3, DynamoDB and a replica, the CloudFront API, the playground", () => {
        expect(ports.map((port) => port.name).sort()).to.deep.equal(
            ["CDN chat", "CDN discussion", "CDN marketplace", "CDN regulatory", "CloudFront API", "DynamoDB", "DynamoDB us-west-2", "S3", "playground"].sort(),
        );
    });

    it("partial and aborted requests on every port (a body cut short, headers cut short, a chunk cut short, RST): the process keeps running and every port answers", async () => {
        const bucket = state.services.discussion.issuer.bucket;
        const form = formBody("uploads/partial.png", Buffer.alloc(4096, 7));
        const shapes: [string, (port: number) => Buffer][] = [
            // The request that ended npm start: Content-Length 100, 6 bytes sent, socket closed.
            ["a POST promising 100 bytes, 6 sent", (port) => cut(port, { method: "POST", target: "/", headers: [["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "DynamoDB_20120810.ListTables"], ["Content-Length", "100"]], body: Buffer.alloc(100, 0x7b) }, 6)],
            ["a DynamoDB call cut inside its JSON", (port) => cut(port, dynamoCall("PutItem", Buffer.from(JSON.stringify({ TableName: "local-discussion-mappings", Item: { hash: { S: "0".repeat(32) } } }))), 20)],
            ["an S3 PUT cut inside the object", (port) => cut(port, { method: "PUT", target: `/${bucket}/uploads/cut.png`, headers: [["Content-Type", "image/png"], ["Content-Length", "4096"]], body: Buffer.alloc(4096, 1) }, 1000)],
            ["an S3 form post cut inside the file", (port) => cut(port, { method: "POST", target: `/${bucket}`, headers: [["Content-Type", "multipart/form-data; boundary=zz"], ["Content-Length", String(form.length)]], body: form }, 300)],
            ["a playground upload cut short", (port) => cut(port, { method: "POST", target: "/api/services/discussion/upload", headers: [["X-Playground", "1"], ["Content-Type", "image/png"], ["Content-Length", "5000"]], body: Buffer.alloc(5000, 2) }, 100)],
            ["an invalidation cut short", (port) => cut(port, { method: "POST", target: "/2020-05-31/distribution/ELOCALDISCUSSION/invalidation", headers: [["Content-Type", "text/xml"], ["Content-Length", "2000"]], body: Buffer.alloc(2000, 0x3c) }, 40)],
            ["a chunked body cut inside a chunk", (port) => Buffer.from(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-amz-json-1.0\r\n\r\n64\r\n{"Tab`)],
            ["headers cut mid-line", (port) => Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Amz-Tar`)],
            ["a request line only", () => Buffer.from("POST /")],
            ["Expect: 100-continue and no body", (port) => Buffer.from(`PUT /${bucket}/uploads/never.png HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n`)],
            ["a complete request, gone before the answer", (port) => encodeRequest(port, dynamoCall("ListTables", Buffer.from("{}")))],
        ];
        for (const port of ports) {
            for (const [shape, bytes] of shapes) {
                for (const how of ["end", "reset"] as const) await sendAndAbandon(port.port, bytes(port.port), how);
                expect(stack.child.exitCode, `npm start exited after "${shape}" on ${port.name}:\n${stack.output().slice(-2000)}`).to.equal(null);
            }
        }
        for (const port of ports) expect((await sendRaw(port.port, port.probe)).status, `${port.name} after the partial requests`).to.equal(port.expect);
        const faults = stack.output().split("\n").filter((line) => /uncaught|Error: aborted|failed \(|emulator fault/i.test(line));
        expect(faults, stack.output().slice(-3000)).to.deep.equal([]);
    });

    it("a DynamoDB call whose body is JSON null (dynalite threw on it) is a 500 on every DynamoDB port, and the stack keeps running", async () => {
        for (const port of ports.filter((p) => p.name.startsWith("DynamoDB"))) {
            for (const body of ["null", "[]", "0", '"x"']) {
                const answer = await sendRaw(port.port, dynamoCall("GetItem", Buffer.from(body)));
                expect(answer.status, `${port.name} ${body}`).to.be.oneOf([400, 500]);
            }
            expect((await sendRaw(port.port, port.probe)).status, port.name).to.equal(200);
        }
        expect(stack.child.exitCode, stack.output().slice(-2000)).to.equal(null);
    });

    it("generated requests: the process keeps running, every port answers afterwards, and S3 never answers an object write with a 5xx", async () => {
        const buckets = Object.values(state.services).map((service) => service.issuer.bucket);
        const s3 = ports.findIndex((port) => port.name === "S3");
        const request = fc.record({
            // Half the requests go to S3, where keys are stored; the rest are spread over every port.
            port: fc.oneof({ weight: 1, arbitrary: fc.constant(s3) }, { weight: 1, arbitrary: fc.nat(ports.length - 1) }),
            method: fc.oneof({ weight: 2, arbitrary: fc.constantFrom("PUT", "POST", "GET") }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
            bucket: fc.constantFrom(...buckets, ...buckets, "no-such-bucket", ""),
            key,
            raw: fc.constantFrom(false, false, true),
            query: fc.oneof({ weight: 3, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom(...QUERIES) }),
            headers: fc.subarray(HEADERS, { maxLength: 3 }),
            body: fc.oneof(
                fc.constant(undefined),
                fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ form: false, bytes: Buffer.from(bytes) })),
                key.map((formKey) => ({ form: true, bytes: formBody(formKey, Buffer.from("89504e470d0a1a0a", "hex")) })),
            ),
            bucketLevel: fc.boolean(),
        });
        const problems: string[] = [];
        const seen = new Map<string, number>();
        await fc.assert(
            fc.asyncProperty(request, async (r) => {
                const target = ports[r.port];
                // Raw UTF-8 in the target, or percent-encoded as a client library would send it.
                const keyPart = r.raw ? r.key : r.key.split("/").map(encodeURIComponent).join("/");
                // A form post goes to the bucket itself, its key in the body.
                const pathPart = r.bucketLevel ? `/${r.bucket}` : `/${r.bucket}/${keyPart}`;
                const headers: [string, string][] = r.headers.map(([name, value]) => [name, name === "Host" && value === "evil.example" ? `${value}:${target.port}` : value]);
                const body = r.body?.bytes;
                if (r.body?.form) headers.push(["Content-Type", "multipart/form-data; boundary=zz"]);
                if (body) headers.push(["Content-Length", String(body.length)]);
                let response: RawResponse;
                try {
                    response = await sendRaw(target.port, { method: r.method, target: Buffer.from(pathPart + r.query, "utf8"), headers, body }, 3000);
                } catch (error) {
                    // A server that keeps waiting (e.g. for 100-continue) is not a crash; the liveness check below decides.
                    seen.set(`${target.name} no answer`, (seen.get(`${target.name} no answer`) ?? 0) + 1);
                    return;
                }
                seen.set(`${target.name} ${response.status}`, (seen.get(`${target.name} ${response.status}`) ?? 0) + 1);
                // PutObject, and PostObject (a form post to the bucket): whatever the key, stored or a 4xx. Not judged:
                // operations s3rver does not implement (its own 501) and a copy whose source header it cannot
                // decode (its handled 500; S3 says 400). Neither stops the server, which is checked below.
                const copy = headers.some(([name]) => name === "x-amz-copy-source");
                const objectWrite =
                    target.name === "S3" && buckets.includes(r.bucket) && r.query === "" && !copy && ((r.method === "PUT" && !r.bucketLevel) || (r.method === "POST" && r.bucketLevel && r.body?.form === true));
                if (objectWrite && response.status >= 500) {
                    problems.push(`S3 ${r.method} ${pathPart.slice(0, 80)}${r.query}: ${response.status} ${response.body.toString().slice(0, 200)}`);
                }
            }),
            { numRuns: 400 },
        );
        expect(stack.child.exitCode, `npm start exited:\n${stack.output().slice(-2000)}`).to.equal(null);
        for (const port of ports) expect((await sendRaw(port.port, port.probe)).status, `${port.name} after the run`).to.equal(port.expect);
        expect(problems).to.deep.equal([]);
        // Every port was reached.
        for (const port of ports) expect([...seen.keys()].some((k) => k.startsWith(`${port.name} `)), port.name).to.equal(true);
        const faults = stack.output().split("\n").filter((line) => /uncaught|ENAMETOOLONG|emulator fault/i.test(line));
        expect(faults, stack.output().slice(-3000)).to.deep.equal([]);
    });

    it("the CLI uploads under a 312-byte key (what used to end npm start) and the hash URL serves it", async () => {
        const file = path.join(home, "photo.png");
        fs.writeFileSync(file, checkerPng({ width: 3, height: 3, square: 1, colors: [[1, 1, 1], [2, 2, 2]] }));
        const key = "uploads/" + "k".repeat(300) + ".png";
        expect(Buffer.byteLength(key)).to.equal(312);
        const run = await runCli(["upload", file, "--service", "discussion", "--key", key, "--json"], { stateFile: stack.stateFile }, runner);
        expect(run.code, run.stderr).to.equal(0);
        const { url, s3Url } = JSON.parse(run.stdout) as { url: string; s3Url: string };
        expect(s3Url.endsWith(`/${key}`)).to.equal(true);
        const served = await fetch(url);
        expect(served.status).to.equal(200);
        expect(Buffer.from(await served.arrayBuffer()).equals(fs.readFileSync(file))).to.equal(true);
        expect(stack.child.exitCode).to.equal(null);
    });

    it("S3 in the running stack holds a 1,024-byte key and refuses a 1,025-byte one with a 4xx, by form post", async () => {
        const s3 = Number(new URL(state.endpoints.s3).port);
        const bucket = state.services.discussion.issuer.bucket;
        for (const [formKey, status] of [
            ["uploads/" + "k".repeat(1016), 204],
            ["uploads/" + "k".repeat(1017), 400],
        ] as const) {
            const body = formBody(formKey, Buffer.from("89504e470d0a1a0a", "hex"));
            const response = await sendRaw(s3, {
                method: "POST",
                target: `/${bucket}`,
                headers: [["Content-Type", "multipart/form-data; boundary=zz"], ["Content-Length", String(body.length)]],
                body,
            });
            expect(response.status, `${Buffer.byteLength(formKey)} bytes`).to.equal(status);
        }
        const stored = await sendRaw(s3, { method: "GET", target: `/${bucket}/uploads/${"k".repeat(1016)}` });
        expect(stored.status).to.equal(200);
        expect(stored.body.equals(Buffer.from("89504e470d0a1a0a", "hex"))).to.equal(true);
        expect(stack.child.exitCode).to.equal(null);
    });
});
