/**
 * Only the playground's own page may use its API: requests from another
 * origin (a form post, an `<img>`, a fetch, a DNS-rebound name) get 403, and
 * nothing is read or changed. The local stack runs in-process, over real
 * HTTP; the browser's headers are written by hand, as a hostile page's
 * browser would send them.
 */
import { expect } from "chai";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { checkerPng } from "../../../local/png";
import { refusal } from "../../../local/playground/guard";
import type { LocalStack, RunningService } from "../../../local/stack";
import { headerOf, RawRequest, sendRaw } from "../../reliability/support/raw-http";
import { startTestStack } from "../../support/local-stack";

describe("playground: only its own origin may use the API", function () {
    this.timeout(120_000);
    const image = checkerPng({ width: 4, height: 4, square: 2, colors: [[10, 20, 30], [200, 200, 200]] });
    let stack: LocalStack;
    let secured: RunningService;
    let port: number;
    let live: { hash: string; url: string };

    before(async () => {
        stack = await startTestStack({ services: { services: ["regulatory"] }, region: "eu-west-1" });
        secured = stack.services[0];
        port = Number(new URL(stack.state.playgroundUrl).port);
        const uploaded = await secured.local.issuer.upload(image);
        live = { hash: uploaded.hash as string, url: uploaded.url };
    });
    after(async () => {
        await stack?.close();
    });

    const own = () => `http://127.0.0.1:${port}`;
    const send = (request: RawRequest) => sendRaw(port, request);
    const revokeBody = () => Buffer.from(JSON.stringify({ hash: live.hash }));
    /** The hash still works and its mapping is still there: the refused request changed nothing. */
    async function expectUntouched(): Promise<void> {
        expect((await fetch(live.url)).status).to.equal(200);
        expect((await secured.local.issuer.inspect(live.hash)).live).to.equal(true);
    }

    it("the page's own calls work: same Host, same Origin, the proof header", async () => {
        const listed = await send({ method: "GET", target: "/api/services", headers: [["Origin", own()], ["Sec-Fetch-Site", "same-origin"], ["X-Playground", "1"]] });
        expect(listed.status).to.equal(200);
        expect(listed.body.toString()).to.include('"regulatory"');
    });

    const attacks: [string, RawRequest][] = [
        ["a form post from another site (no proof header, foreign Origin)", {
            method: "POST",
            target: "/api/services/regulatory/revoke",
            headers: [["Origin", "https://evil.example"], ["Sec-Fetch-Site", "cross-site"], ["Content-Type", "text/plain"]],
        }],
        ["a fetch from another site that sets the proof header (its preflight was never answered; here it is sent anyway)", {
            method: "POST",
            target: "/api/services/regulatory/revoke",
            headers: [["Origin", "https://evil.example"], ["Sec-Fetch-Site", "cross-site"], ["X-Playground", "1"], ["Content-Type", "application/json"]],
        }],
        ["a sandboxed page (Origin: null)", {
            method: "POST",
            target: "/api/services/regulatory/revoke",
            headers: [["Origin", "null"], ["X-Playground", "1"]],
        }],
        ["a DNS-rebound name: same IP, the attacker's host name (same-origin to the browser)", {
            method: "POST",
            target: "/api/services/regulatory/revoke",
            headers: [["Host", `evil.example:${0}`], ["Origin", "http://evil.example"], ["Sec-Fetch-Site", "same-origin"], ["X-Playground", "1"]],
        }],
        ["an <img> from another site (no Origin, cross-site)", {
            method: "POST",
            target: "/api/services/regulatory/revoke",
            headers: [["Sec-Fetch-Site", "cross-site"]],
        }],
        ["a request with no proof at all", { method: "POST", target: "/api/services/regulatory/revoke", headers: [] }],
    ];
    for (const [name, attack] of attacks) {
        it(`revoke by ${name}: 403, and the hash still works`, async () => {
            const body = revokeBody();
            const headers = (attack.headers ?? []).map(([key, value]): [string, string] => (key === "Host" ? [key, value.replace(/:0$/, `:${port}`)] : [key, value]));
            const answer = await send({ ...attack, headers: [...headers, ["Content-Length", String(body.length)]], body });
            expect(answer.status).to.equal(403);
            expect(answer.body.toString()).to.match(/"code":"FORBIDDEN"/);
            expect(headerOf(answer, "access-control-allow-origin")).to.equal(undefined);
            await expectUntouched();
        });
    }

    it("an upload from another origin is refused and stores nothing", async () => {
        const count = async () => (await secured.local.clients.s3.send(new ListObjectsV2Command({ Bucket: secured.plan.bucket }))).KeyCount;
        const before = await count();
        const answer = await send({
            method: "POST",
            target: "/api/services/regulatory/upload",
            headers: [["Origin", "https://evil.example"], ["Content-Type", "image/png"], ["Content-Length", String(image.length)]],
            body: image,
        });
        expect(answer.status).to.equal(403);
        expect(await count()).to.equal(before);
    });

    it("reads from another origin get 403 and no data: the live hash URLs in the request log stay private", async () => {
        // Make sure the log holds the live URL's path, so a leak would show.
        await fetch(live.url);
        for (const target of ["/api/services", "/api/services/regulatory/requests?since=0", `/api/services/regulatory/inspect?hash=${live.hash}`, "/api/stats"]) {
            for (const headers of [
                [["Origin", "https://evil.example"], ["X-Playground", "1"]],
                [["Sec-Fetch-Site", "cross-site"]],
                [["Host", "rebound.example"], ["X-Playground", "1"]],
            ] as [string, string][][]) {
                const answer = await send({ method: "GET", target, headers });
                expect(answer.status, `${target} ${JSON.stringify(headers)}`).to.equal(403);
                expect(answer.body.toString()).to.not.include(live.hash.slice(0, 8));
            }
        }
    });

    it("a CORS preflight is never granted", async () => {
        const answer = await send({
            method: "OPTIONS",
            target: "/api/services/regulatory/revoke",
            headers: [["Origin", "https://evil.example"], ["Access-Control-Request-Method", "POST"], ["Access-Control-Request-Headers", "x-playground"]],
        });
        expect(answer.status).to.equal(403);
        expect(headerOf(answer, "access-control-allow-origin")).to.equal(undefined);
        expect(headerOf(answer, "access-control-allow-headers")).to.equal(undefined);
    });

    it("the page itself is served only under the playground's own host names", async () => {
        expect((await send({ method: "GET", target: "/" })).status).to.equal(200);
        expect((await send({ method: "GET", target: "/", headers: [["Host", `localhost:${port}`]] })).status).to.equal(200);
        expect((await send({ method: "GET", target: "/", headers: [["Host", `attacker.example:${port}`]] })).status).to.equal(403);
        expect((await send({ method: "GET", target: "/", omitHost: true })).status).to.be.oneOf([400, 403]);
    });

    it("the rule itself, case by case", () => {
        const ok = { path: "/api/services", host: "127.0.0.1:4000", proof: "1" };
        expect(refusal(ok, 4000)).to.equal(undefined);
        expect(refusal({ ...ok, host: "LOCALHOST:4000", origin: "http://localhost:4000", secFetchSite: "same-origin" }, 4000)).to.equal(undefined);
        expect(refusal({ ...ok, host: "127.0.0.1:4001" }, 4000)).to.match(/answers only to/);
        expect(refusal({ ...ok, origin: "http://127.0.0.1:4000.evil.example" }, 4000)).to.match(/Origin/);
        expect(refusal({ ...ok, origin: "https://127.0.0.1:4000" }, 4000)).to.match(/Origin/);
        expect(refusal({ ...ok, secFetchSite: "same-site" }, 4000)).to.match(/Sec-Fetch-Site/);
        expect(refusal({ ...ok, proof: undefined }, 4000)).to.match(/x-playground/);
        // The page and its files need no proof, only the right host.
        expect(refusal({ path: "/app.js", host: "127.0.0.1:4000" }, 4000)).to.equal(undefined);
    });
});
