/**
 * The local stack in-process (startLocalStack), for the levels the other
 * tests do not start: `secured` (the edge function checks every viewer
 * request) and `public` (no function: objects served by key).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { startTestStack } from "../support/local-stack";
import { cdnGet as get } from "../support/cdn-get";
import { rejection } from "../support/rejection";
import { tempDir } from "./stack-process";

describe("local stack in-process: secured and public levels", function () {
    this.timeout(120_000);
    const home = tempDir("sic-levels-");
    const image = checkerPng({ width: 8, height: 8, square: 2, colors: [[0, 128, 0], [255, 255, 255]] });
    let stack: LocalStack;
    let secured: RunningService;
    let open: RunningService;
    /** Function failures and emulator faults reported by the stack: there must be none. */
    const faults: string[] = [];

    before(async () => {
        stack = await startTestStack({
            services: { services: ["marketplace", "regulatory"] },
            region: "eu-west-1",
            dataDir: path.join(home, "data"),
            log: (line) => faults.push(line),
        });
        secured = stack.services.find((service) => service.name === "regulatory") as RunningService;
        open = stack.services.find((service) => service.name === "marketplace") as RunningService;
    });
    after(async () => {
        await stack?.close();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("writes the state file while running, with one issuer config per service", () => {
        const state = JSON.parse(fs.readFileSync(stack.layout.state, "utf8")) as { services: Record<string, { issuer: { level: string } }> };
        expect(state.services.regulatory.issuer.level).to.equal("secured");
        expect(state.services.marketplace.issuer.level).to.equal("public");
    });

    it("secured: the check runs on every request, so a revoked hash stops at once even while its bytes stay cached", async () => {
        const uploaded = await secured.local.issuer.upload(image);
        const first = await get(uploaded.url);
        expect(first.status).to.equal(200);
        expect(first.body).to.deep.equal(image);
        expect(first.xCache).to.equal("Miss from cloudfront");
        // Browsers are told to come back every time (response headers policy of the secured level).
        expect(first.cacheControl).to.equal("private, no-cache");
        const second = await get(uploaded.url);
        expect(second.xCache).to.equal("Hit from cloudfront");

        const counters = secured.cdn.distribution.stats.counters;
        expect(counters.edgeInvocations["viewer-request"]).to.equal(2);
        expect(counters.edgeInvocations["origin-request"]).to.equal(0);

        // Delete the mapping without invalidating anything: the viewer-request check alone must stop it.
        await secured.local.issuer.revoke(uploaded.hash as string);
        const entriesBefore = secured.cdn.distribution.cache.size;
        const after = await get(uploaded.url);
        expect(after.status).to.equal(404);
        expect(after.body).to.not.deep.equal(image);
        expect(counters.edgeInvocations["viewer-request"]).to.equal(3);
        expect(secured.cdn.distribution.cache.size).to.equal(entriesBefore);
        expect(faults).to.deep.equal([]);
    });

    it("public: no function; the object's CDN URL by key is served from the bucket and cached", async () => {
        const uploaded = await open.local.issuer.upload(image);
        expect(uploaded.hash).to.equal(undefined);
        expect(uploaded.url.slice(0, open.cdn.server.baseUrl.length + 1)).to.equal(`${open.cdn.server.baseUrl}/`);
        const first = await get(uploaded.url);
        expect(first.status).to.equal(200);
        expect(first.body).to.deep.equal(image);
        expect(first.xCache).to.equal("Miss from cloudfront");
        expect((await get(uploaded.url)).xCache).to.equal("Hit from cloudfront");
        const head = await fetch(uploaded.url, { method: "HEAD" });
        expect(head.status).to.equal(200);
        expect(head.headers.get("content-length")).to.equal(String(image.length));
        expect(head.headers.get("x-cache")).to.equal("Hit from cloudfront");
        const counters = open.cdn.distribution.stats.counters;
        expect(counters.edgeInvocations).to.deep.equal({ "viewer-request": 0, "origin-request": 0, "origin-response": 0 });
        expect((await get(`${open.cdn.server.baseUrl}/uploads/missing.png`)).status).to.equal(404);
    });

    it("a Host header that names another site is refused, as CloudFront refuses unknown hosts", async () => {
        const url = new URL(`${open.cdn.server.baseUrl}/uploads/x.png`);
        const status = await new Promise<number>((resolve, reject) => {
            const request = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { Host: "evil.example" } }, (response) => {
                response.resume();
                resolve(response.statusCode ?? 0);
            });
            request.on("error", reject);
            request.end();
        });
        expect(status).to.equal(403);
    });

    it("playground: serves the page with a CSP that admits only the local CDN and S3 origins for images", async () => {
        const page = await fetch(stack.state.playgroundUrl);
        expect(page.status).to.equal(200);
        expect(await page.text()).to.contain("<title>secure-image-cdn");
        const csp = page.headers.get("content-security-policy") ?? "";
        const imgSrc = csp.split(";").find((part) => part.trim().startsWith("img-src"))?.trim().split(/\s+/).slice(1) ?? [];
        expect(imgSrc).to.have.members(["'self'", secured.cdn.server.baseUrl, open.cdn.server.baseUrl, stack.state.endpoints.s3]);
        expect(csp).to.contain("script-src 'self'");
        expect((await fetch(new URL("/nothing-here", stack.state.playgroundUrl))).status).to.equal(404);
    });

    it("playground API: lists services, refuses non-images and bad input with the issuer's error codes", async () => {
        // The playground's own page sends this header on every API call (a page elsewhere cannot).
        const api = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, stack.state.playgroundUrl), { ...init, headers: { "X-Playground": "1" } });
        const listed = (await (await api("/api/services")).json()) as { services: Array<{ name: string; level: string; memoTtlSeconds: number }> };
        // memoTtlSeconds: how long the page warns that a revoked image may still be served (none here: public, and secured's memo is off).
        expect(listed.services.map((service) => [service.name, service.level, service.memoTtlSeconds])).to.deep.equal([
            ["marketplace", "public", 0],
            ["regulatory", "secured", 0],
        ]);

        const text = await api("/api/services/regulatory/upload", { method: "POST", body: "not an image" });
        expect(text.status).to.equal(415);
        expect(((await text.json()) as { code: string }).code).to.equal("REFUSED_CONTENT");

        const badHash = await api("/api/services/regulatory/revoke", { method: "POST", body: JSON.stringify({ hash: "../../etc" }) });
        expect(badHash.status).to.equal(400);
        expect(((await badHash.json()) as { code: string }).code).to.equal("INVALID_INPUT");

        expect((await api("/api/services/regulatory/revoke", { method: "POST", body: "{" })).status).to.equal(400);
        expect((await api("/api/services/nope/upload", { method: "POST", body: "x" })).status).to.equal(404);
        expect((await api("/api/services/regulatory/upload")).status).to.equal(405);

        const uploaded = (await (await api("/api/services/regulatory/upload", { method: "POST", body: image })).json()) as { hash: string };
        const inspected = (await (await api(`/api/services/regulatory/inspect?hash=${uploaded.hash}`)).json()) as { live: boolean };
        expect(inspected).to.include({ live: true });
        const log = (await (await api("/api/services/regulatory/requests?since=0")).json()) as { entries: Array<{ seq: number }> };
        expect(log.entries.length).to.be.at.least(3);
    });

    it("playground API: refuses an upload larger than the service's limit without reading it all", async () => {
        const limit = open.local.config.maxUploadBytes;
        const response = await fetch(new URL("/api/services/marketplace/upload", stack.state.playgroundUrl), {
            method: "POST",
            headers: { "X-Playground": "1" },
            body: Buffer.alloc(limit + 64 * 1024),
        });
        expect(response.status).to.equal(413);
    });

    it("stops every server and removes the state file on close", async () => {
        const base = open.cdn.server.baseUrl;
        await stack.close();
        expect(fs.readdirSync(stack.layout.root), "the state file is removed").to.not.include(path.basename(stack.layout.state));
        // fetch rejects with a TypeError when the connection is refused.
        await rejection(fetch(`${base}/x`), TypeError);
    });
});
