/**
 * No web page the developer visits can use the ports beside the
 * playground: the local stack in-process (with a replica region, so the
 * replica's DynamoDB is there too), driven over raw HTTP
 * with the headers a browser sends for a hostile page's requests (a CORS
 * preflight, a cross-site fetch or form post, an `<img>`, a DNS-rebound
 * name), and with the legitimate ones: the AWS SDK and the CLI's clients,
 * the playground's own page, and any page's image GETs from the CDNs (and
 * the presigned S3 URLs redirect mode sends them to).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LOCAL_CREDENTIALS } from "../../local/aws";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { headerOf, RawRequest, RawResponse, sendRaw } from "../reliability/support/raw-http";
import { cliInProcess } from "../issuer/cli-in-process";
import { startTestStack } from "../support/local-stack";

const EVIL = "https://evil.example";

/** What a browser adds to a cross-site request from a page on EVIL. */
const CROSS_SITE: [string, string][] = [
    ["Origin", EVIL],
    ["Sec-Fetch-Site", "cross-site"],
];

/** A multipart form post body, as a browser encodes `<form enctype="multipart/form-data">`. */
function formBody(fields: Record<string, string>, file: Buffer, type: string): Buffer {
    const parts = Object.entries(fields).map(([name, value]) => `--zz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    return Buffer.concat([
        Buffer.from(parts.join("")),
        Buffer.from(`--zz\r\nContent-Disposition: form-data; name="file"; filename="x"\r\nContent-Type: ${type}\r\n\r\n`),
        file,
        Buffer.from("\r\n--zz--\r\n"),
    ]);
}

function noCors(answer: RawResponse, what: string): void {
    for (const name of ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "access-control-allow-credentials"]) {
        expect(headerOf(answer, name), `${what}: ${name}`).to.equal(undefined);
    }
}

describe("local stack: every port keeps web pages out (DNS rebinding, cross-site requests, CORS), and lets the SDK, the CLI and the playground in", function () {
    this.timeout(120_000);
    const image = checkerPng({ width: 4, height: 4, square: 2, colors: [[1, 2, 3], [250, 250, 250]] });
    let stack: LocalStack;
    let discussion: RunningService;
    let chat: RunningService;
    let live: { hash: string; url: string; key: string };
    const portOf = (part: string) => Number(new URL(stack.state.listening.find((entry) => entry.part === part)?.url ?? "http://x:0").port);

    before(async () => {
        stack = await startTestStack({
            services: { services: ["discussion", "chat"], overrides: { chat: { mode: "redirect" } } },
            region: "eu-west-1",
            replication: { regions: ["us-west-2"], lagMs: 3_600_000 },
        });
        discussion = stack.services.find((s) => s.name === "discussion") as RunningService;
        chat = stack.services.find((s) => s.name === "chat") as RunningService;
        const uploaded = await discussion.local.issuer.upload(image);
        live = { hash: uploaded.hash as string, url: uploaded.url, key: uploaded.s3Url.slice(`s3://${discussion.plan.bucket}/`.length) };
        await stack.replication?.flush();
        expect((await fetch(live.url)).status).to.equal(200);
    });
    after(async () => {
        await stack?.close();
    });

    describe("DynamoDB: home and a replica", () => {
        const parts = ["DynamoDB", "DynamoDB us-west-2"];
        const call = (operation: string, body: object, headers: [string, string][]): RawRequest => {
            const bytes = Buffer.from(JSON.stringify(body));
            return {
                method: "POST",
                target: "/",
                headers: [["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", `DynamoDB_20120810.${operation}`], ["Content-Length", String(bytes.length)], ...headers],
                body: bytes,
            };
        };

        for (const part of parts) {
            it(`${part}: a CORS preflight from another site is refused, with no CORS headers (dynalite granted any origin)`, async () => {
                const answer = await sendRaw(portOf(part), {
                    method: "OPTIONS",
                    target: "/",
                    headers: [["Origin", EVIL], ["Access-Control-Request-Method", "POST"], ["Access-Control-Request-Headers", "content-type,x-amz-target,authorization"]],
                });
                expect(answer.status).to.equal(403);
                noCors(answer, part);
            });

            it(`${part}: a page's Scan, DeleteItem or text/plain form post is refused and reads or changes nothing`, async () => {
                const table = discussion.plan.tableName as string;
                for (const request of [
                    call("Scan", { TableName: table }, CROSS_SITE),
                    call("Scan", { TableName: table }, [["Origin", "null"]]),
                    call("DeleteItem", { TableName: table, Key: { hash: { S: live.hash } } }, CROSS_SITE),
                    { ...call("DeleteItem", { TableName: table, Key: { hash: { S: live.hash } } }, CROSS_SITE), headers: [["Content-Type", "text/plain"], ...CROSS_SITE] as [string, string][] },
                    // DNS rebinding: the page's own name now points at 127.0.0.1, so to the browser it is same-origin.
                    call("Scan", { TableName: table }, [["Host", `rebound.example:${portOf(part)}`], ["Sec-Fetch-Site", "same-origin"]]),
                ]) {
                    const answer = await sendRaw(portOf(part), request);
                    expect(answer.status, `${part} ${JSON.stringify(request.headers)}`).to.equal(403);
                    expect(answer.body.toString()).to.not.include(live.hash);
                    noCors(answer, part);
                }
                expect((await discussion.local.issuer.inspect(live.hash)).live).to.equal(true);
            });

            it(`${part}: the AWS SDK (no Origin) still reads it`, async () => {
                const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${portOf(part)}`, region: "eu-west-1", credentials: LOCAL_CREDENTIALS });
                try {
                    const scanned = await client.send(new ScanCommand({ TableName: discussion.plan.tableName }));
                    expect(scanned.Items?.some((item) => item.hash?.S === live.hash)).to.equal(true);
                } finally {
                    client.destroy();
                }
            });
        }
    });

    describe("the CloudFront API", () => {
        it("the request log (live hash URLs) is refused to a DNS-rebound name and to any page, and still answers the stack itself (no Origin)", async () => {
            const port = portOf("CloudFront API");
            const log = `/local/requests?distribution=${discussion.plan.distributionId}&since=0`;
            expect((await sendRaw(port, { method: "GET", target: log })).body.toString(), "the log holds the live hash").to.include(live.hash);
            for (const headers of [
                [["Host", `rebound.example:${port}`], ["Sec-Fetch-Site", "same-origin"]],
                CROSS_SITE,
                [["Sec-Fetch-Site", "cross-site"]],
                [["Origin", "null"]],
            ] as [string, string][][]) {
                const answer = await sendRaw(port, { method: "GET", target: log, headers });
                expect(answer.status, JSON.stringify(headers)).to.equal(403);
                expect(answer.body.toString()).to.not.include(live.hash);
                expect(answer.body.toString()).to.include("<Code>AccessDenied</Code>");
                noCors(answer, "CloudFront API");
            }
        });

        it("a page's invalidation (a cross-site form post) is refused and changes nothing", async () => {
            const port = portOf("CloudFront API");
            const before = discussion.cdn.distribution.cache.size;
            expect(before).to.be.above(0);
            const body = Buffer.from(`<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths><CallerReference>x</CallerReference></InvalidationBatch>`);
            const answer = await sendRaw(port, {
                method: "POST",
                target: `/2020-05-31/distribution/${discussion.plan.distributionId}/invalidation`,
                headers: [["Content-Type", "text/plain"], ["Content-Length", String(body.length)], ...CROSS_SITE],
                body,
            });
            expect(answer.status).to.equal(403);
            expect(discussion.cdn.distribution.cache.size).to.equal(before);
        });
    });

    describe("S3", () => {
        const html = Buffer.from("<html><script>alert(document.domain)</script></html>");
        const stored = async (key: string) => {
            const object = await discussion.local.clients.s3.send(new GetObjectCommand({ Bucket: discussion.plan.bucket, Key: key }));
            return { type: object.ContentType, bytes: Buffer.from(await object.Body!.transformToByteArray()) };
        };

        it("a cross-site form post that would overwrite a served key with text/html is refused; the image is untouched", async () => {
            const port = portOf("S3");
            const body = formBody({ key: live.key, "Content-Type": "text/html" }, html, "text/html");
            for (const headers of [CROSS_SITE, [["Origin", "null"]], [["Host", `rebound.example:${port}`], ["Origin", `http://rebound.example:${port}`], ["Sec-Fetch-Site", "same-origin"]]] as [string, string][][]) {
                const answer = await sendRaw(port, {
                    method: "POST",
                    target: `/${discussion.plan.bucket}`,
                    headers: [["Content-Type", "multipart/form-data; boundary=zz"], ["Content-Length", String(body.length)], ...headers],
                    body,
                });
                expect(answer.status, JSON.stringify(headers)).to.equal(403);
                expect(answer.body.toString()).to.include("<Code>AccessDenied</Code>");
            }
            const after = await stored(live.key);
            expect(after.type).to.equal("image/png");
            expect(after.bytes.equals(image)).to.equal(true);
        });

        it("a page's PUT, DELETE, listing or preflight is refused, with no CORS headers", async () => {
            const port = portOf("S3");
            const bucket = discussion.plan.bucket;
            for (const request of [
                { method: "PUT", target: `/${bucket}/${live.key}`, headers: [["Content-Type", "text/html"], ["Content-Length", String(html.length)], ...CROSS_SITE], body: html },
                { method: "DELETE", target: `/${bucket}/${live.key}`, headers: CROSS_SITE },
                { method: "GET", target: `/${bucket}?list-type=2`, headers: [["Sec-Fetch-Site", "cross-site"]] },
                { method: "GET", target: `/${bucket}/${live.key}`, headers: [["Sec-Fetch-Site", "cross-site"]] },
                { method: "OPTIONS", target: `/${bucket}/${live.key}`, headers: [["Origin", EVIL], ["Access-Control-Request-Method", "PUT"]] },
            ] as RawRequest[]) {
                const answer = await sendRaw(port, request);
                expect(answer.status, `${request.method} ${String(request.target)}`).to.equal(403);
                expect(answer.body.toString()).to.not.include(live.key.split("/").pop() as string);
                noCors(answer, `${request.method} ${String(request.target)}`);
            }
            expect((await stored(live.key)).bytes.equals(image)).to.equal(true);
        });

        it("the playground's own page may post an upload form; no CORS is granted even to it", async () => {
            const port = portOf("S3");
            const playground = `http://127.0.0.1:${portOf("playground")}`;
            const form = await discussion.local.issuer.createUploadForm({ contentType: "image/png" });
            const body = formBody(form.fields, image, "image/png");
            const posted = await sendRaw(port, {
                method: "POST",
                target: `/${discussion.plan.bucket}`,
                headers: [["Content-Type", "multipart/form-data; boundary=zz"], ["Content-Length", String(body.length)], ["Origin", playground], ["Sec-Fetch-Site", "same-site"]],
                body,
            });
            expect(posted.status).to.equal(204);
            noCors(posted, "the playground's post");
            expect((await stored(form.key)).bytes.equals(image)).to.equal(true);
            const preflight = await sendRaw(port, { method: "OPTIONS", target: `/${discussion.plan.bucket}`, headers: [["Origin", playground], ["Access-Control-Request-Method", "POST"]] });
            noCors(preflight, "the playground's preflight");
        });

        it("any page's <img> follows a redirect-mode 302 to the presigned S3 URL and gets the image; the SDK still works", async () => {
            const uploaded = await chat.local.issuer.upload(image);
            const redirect = await fetch(uploaded.url, { redirect: "manual" });
            expect(redirect.status).to.equal(302);
            const location = new URL(redirect.headers.get("location") as string);
            expect(Number(location.port)).to.equal(portOf("S3"));
            const answer = await sendRaw(portOf("S3"), { method: "GET", target: `${location.pathname}${location.search}`, headers: [["Sec-Fetch-Site", "cross-site"], ["Sec-Fetch-Dest", "image"]] });
            expect(answer.status).to.equal(200);
            expect(answer.body.equals(image)).to.equal(true);
            noCors(answer, "presigned GET");
            const client = new S3Client({ endpoint: stack.state.endpoints.s3, region: "eu-west-1", credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
            try {
                const object = await client.send(new GetObjectCommand({ Bucket: discussion.plan.bucket, Key: live.key }));
                expect(object.ContentType).to.equal("image/png");
            } finally {
                client.destroy();
            }
        });
    });

    describe("the CDNs", () => {
        it("serve any page's image GETs (as a deployed distribution does), without CORS headers, and refuse a DNS-rebound name", async () => {
            const port = Number(new URL(discussion.cdn.server.baseUrl).port);
            const path = new URL(live.url).pathname;
            for (const headers of [[["Sec-Fetch-Site", "cross-site"], ["Sec-Fetch-Dest", "image"]], CROSS_SITE, [["Host", `localhost:${port}`]]] as [string, string][][]) {
                const answer = await sendRaw(port, { method: "GET", target: path, headers });
                expect(answer.status, JSON.stringify(headers)).to.equal(200);
                expect(answer.body.equals(image)).to.equal(true);
                noCors(answer, "CDN");
            }
            const rebound = await sendRaw(port, { method: "GET", target: path, headers: [["Host", `rebound.example:${port}`], ["Sec-Fetch-Site", "same-origin"]] });
            expect(rebound.status).to.equal(403);
            expect(rebound.body.equals(image)).to.equal(false);
        });
    });

    describe("the CLI", () => {
        it("uploads, inspects and revokes through the guarded ports (its SDK clients send no Origin)", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-guard-cli-"));
            try {
                fs.writeFileSync(path.join(dir, "photo.png"), image);
                const cli = (argv: string[]) => cliInProcess([...argv, "--service", "discussion", "--outputs", stack.layout.state, "--json"], dir);
                const uploaded = await cli(["upload", "photo.png"]);
                expect(uploaded.code, uploaded.stderr.join("\n")).to.equal(0);
                const { hash } = JSON.parse(uploaded.stdout.join("\n")) as { hash: string };
                expect((await cli(["inspect", hash])).code).to.equal(0);
                const revoked = await cli(["revoke", hash]);
                expect(revoked.code, revoked.stderr.join("\n")).to.equal(0);
                expect(JSON.parse(revoked.stdout.join("\n"))).to.deep.include({ hash, found: true });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the playground", () => {
        it("a request target that only looks like a page path is still the API, and still guarded", async () => {
            const port = portOf("playground");
            for (const target of [`/./api/services/discussion/requests?since=0`, `api/services/discussion/requests?since=0`, `/api/../api/services/discussion/requests?since=0`]) {
                const answer = await sendRaw(port, { method: "GET", target, headers: [["Sec-Fetch-Site", "cross-site"]] });
                // Node's parser refuses a target without a leading slash (400) before the playground sees it.
                expect(answer.status, target).to.be.oneOf(target.startsWith("/") ? [403] : [400, 403]);
                expect(answer.body.toString()).to.not.include(live.hash);
            }
        });
    });
});
