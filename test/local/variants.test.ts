/**
 * Variants on the local stack (startLocalStack: dynalite, s3rver, the
 * CloudFront emulator running the published CloudFront Function's source,
 * the deployed edge bundle and the deployed resizer module), at `required`
 * (chat, the services table's default catalogue) and `secured`
 * (regulatory, a catalogue of its own), on a clock the test moves
 * (support/shifted-clock.ts):
 *
 * - an unknown preset or format is the generic 404, with no table read;
 * - every browser's `Accept` lands on one cache key per format;
 * - revoked and expired hashes refuse every variant, and variants cached
 *   before the revocation are gone within the bound the issuer states;
 * - no variant stays in the CDN's cache past its hash's life;
 * - the resizer answers only the gate's paths;
 * - uploads make the eager presets, stored under `derived/`;
 * - a stored copy answers once the CDN's cache has let go.
 */
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { newHash } from "../../core/contract";
import { resizerPath } from "../../core/variants";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/aws";
import { checkerPng } from "../../local/png";
import { planLocalServices } from "../../local/plan";
import type { LocalStack, RunningService } from "../../local/stack";
import { BROWSER_IMAGE_ACCEPT } from "../support/browser-accept";
import { startTestStack } from "../support/local-stack";
import { installShiftedClock, ShiftedClock } from "../support/shifted-clock";

/** What a viewer gets: status, type, cache headers, bytes. */
async function view(url: string, accept?: string): Promise<{ status: number; type: string | null; xCache: string | null; cacheControl: string | null; body: Buffer }> {
    const response = await fetch(url, { headers: accept === undefined ? {} : { Accept: accept }, redirect: "manual" });
    return {
        status: response.status,
        type: response.headers.get("content-type"),
        xCache: response.headers.get("x-cache"),
        cacheControl: response.headers.get("cache-control"),
        body: Buffer.from(await response.arrayBuffer()),
    };
}

const TYPE_OF_TOKEN: Record<string, string> = { avif: "image/avif", webp: "image/webp", fallback: "image/jpeg" };

describe("variants on the local stack (required and secured)", function () {
    this.timeout(180_000);
    const image = checkerPng({ width: 320, height: 240, square: 16, colors: [[30, 120, 200], [250, 250, 250]] });
    let stack: LocalStack;
    let chat: RunningService;
    let notices: RunningService;
    let clock: ShiftedClock;
    const faults: string[] = [];

    before(async () => {
        clock = installShiftedClock();
        stack = await startTestStack({
            services: {
                services: ["chat", "regulatory"],
                overrides: {
                    // Ten minutes of life, so the test can walk past a hash's expiry (within the 15 minutes of
                    // clock skew S3 tolerates in a signed request: every part signs with the moved clock).
                    chat: { hashTtlSeconds: 600 },
                    regulatory: { variants: { thumb: { width: 64, height: 64, fit: "cover", eager: true }, small: { width: 160, height: 160, formats: ["webp", "jpeg"] } } },
                },
            },
            region: "eu-west-1",
            log: (line) => faults.push(line),
        });
        chat = stack.services.find((service) => service.name === "chat") as RunningService;
        notices = stack.services.find((service) => service.name === "regulatory") as RunningService;
    });
    after(async () => {
        await stack?.close();
        clock?.restore();
    });
    afterEach(() => expect(faults, "function failures and emulator faults").to.deep.equal([]));

    /** The table's reads so far (the local DynamoDB counts each request it serves). */
    const reads = (service: RunningService) => stack.tableReads.of(service.plan.tableName as string).getItem;

    for (const name of ["chat", "regulatory"]) {
        const service = () => (name === "chat" ? chat : notices);

        describe(`${name}`, () => {
            it("an unknown preset or format is the very 404 of an unknown hash, decided from the path: no table read", async () => {
                const uploaded = await service().local.issuer.upload(image);
                const base = service().cdn.server.baseUrl;
                const unknownHash = await view(`${base}/images/${newHash()}`);
                expect(unknownHash.status).to.equal(404);
                const before = reads(service());
                for (const path of ["huge", "thumb.gif", "thumb.tiff", "small.avif.webp", "Thumb", "thumb%2Eavif", "thumb.", ""]) {
                    const answer = await view(`${uploaded.url}/${path}`);
                    expect([answer.status, answer.body.toString(), answer.cacheControl], path).to.deep.equal([404, unknownHash.body.toString(), unknownHash.cacheControl]);
                }
                // regulatory's small allows webp and jpeg only: its avif is unknown too.
                if (name === "regulatory") expect((await view(`${uploaded.url}/small.avif`)).status).to.equal(404);
                expect(reads(service()) - before, "table reads").to.equal(0);
                // The same hash's real variants are served: the 404s were about the path alone.
                expect((await view(`${uploaded.url}/thumb.webp`)).status).to.equal(200);
            });

            it("uploads make the eager preset ahead, stored under derived/, for every token a browser can be given", async () => {
                const uploaded = await service().local.issuer.upload(image);
                expect(uploaded.eager?.ok, JSON.stringify(uploaded.eager)).to.equal(true);
                expect(uploaded.eager?.variants.map((variant) => `${variant.preset}.${variant.token}`)).to.deep.equal(["thumb.avif", "thumb.webp", "thumb.fallback"]);
                const key = uploaded.s3Url.replace(/^s3:\/\/[^/]+\//, "");
                const s3 = new S3Client({ region: LOCAL_REGION, endpoint: stack.state.endpoints.s3, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
                try {
                    const listed = await s3.send(new ListObjectsV2Command({ Bucket: service().plan.bucket, Prefix: `derived/${key}/` }));
                    expect((listed.Contents ?? []).map((object) => object.Key).sort()).to.deep.equal([`derived/${key}/thumb.avif`, `derived/${key}/thumb.fallback`, `derived/${key}/thumb.webp`]);
                } finally {
                    s3.destroy();
                }
                // What a browser asks for next is already made: the resizer is not called again.
                const invocations = service().cdn.resizer?.invocations ?? 0;
                const thumb = await view(uploaded.variants?.thumb as string, BROWSER_IMAGE_ACCEPT[0].accept);
                expect([thumb.status, thumb.type]).to.deep.equal([200, "image/avif"]);
                expect(service().cdn.resizer?.invocations).to.equal(invocations);
                expect(uploaded.variants).to.deep.equal(
                    Object.fromEntries(Object.keys(service().plan.settings.level === "required" ? { thumb: 1, small: 1, large: 1 } : { thumb: 1, small: 1 }).map((preset) => [preset, `${uploaded.url}/${preset}`])),
                );
            });

            it("every browser's Accept lands on one cache entry per format: one resize each, the rest from the cache", async () => {
                const uploaded = await service().local.issuer.upload(image);
                const invocations = service().cdn.resizer?.invocations ?? 0;
                const formats = name === "chat" ? ["avif", "webp", "fallback"] : ["webp", "fallback"];
                for (const { browser, accept, token } of BROWSER_IMAGE_ACCEPT) {
                    // regulatory's small has no AVIF: what would be AVIF is WebP there.
                    const expected = name === "regulatory" && token === "avif" ? "webp" : token;
                    const answer = await view(`${uploaded.url}/small`, accept);
                    expect([answer.status, answer.type], browser).to.deep.equal([200, TYPE_OF_TOKEN[expected]]);
                }
                expect((service().cdn.resizer?.invocations ?? 0) - invocations, "one resize per format").to.equal(formats.length);
                const keys = [...cacheKeys(service())].filter((key) => key.includes("small"));
                if (name === "chat") expect(keys.filter((key) => key.includes(uploaded.hash as string)).sort()).to.deep.equal(formats.map((format) => `/images/${uploaded.hash}/small.${format}`).sort());
                // At secured the gate rewrites before the lookup: one key per format of the original's key.
                else expect(keys.filter((key) => key.startsWith("/variant/small/")).length).to.be.at.least(formats.length);
            });

            it("a stored copy answers once the CDN's cache has let go of a variant", async () => {
                const uploaded = await service().local.issuer.upload(image);
                const first = await view(`${uploaded.url}/small.webp`);
                expect(first.status).to.equal(200);
                service().cdn.distribution.cache.invalidate(["/*"]);
                const again = await view(`${uploaded.url}/small.webp`);
                expect(again.body.equals(first.body), "the same bytes").to.equal(true);
                const entry = service().cdn.distribution.stats.entriesSince(0).filter((candidate) => candidate.uri === new URL(`${uploaded.url}/small.webp`).pathname).pop();
                expect([entry?.result, entry?.originDetail]).to.deep.equal(["Miss", "stored"]);
            });
        });
    }

    describe("revocation and expiry", () => {
        it("required: a revoked hash's variants, cached before, are dropped by its invalidation and refused once the memo lets go, within the bound revoke states", async () => {
            const uploaded = await chat.local.issuer.upload(image);
            const presets = ["thumb", "small", "large"];
            for (const preset of presets) expect((await view(`${uploaded.url}/${preset}`)).status, preset).to.equal(200);
            const cachedBefore = [...cacheKeys(chat)].filter((key) => key.startsWith(`/images/${uploaded.hash}/`));
            expect(cachedBefore.length).to.be.at.least(presets.length);
            const revoked = await chat.local.issuer.revoke(uploaded.hash as string);
            // required + origin: the instance's invalidator, following the table's stream, invalidates /images/<hash>*.
            expect(revoked.invalidatedBy).to.equal("stream");
            await Promise.all(stack.invalidators.map((invalidator) => invalidator.settled()));
            expect([...cacheKeys(chat)].filter((key) => key.startsWith(`/images/${uploaded.hash}`)), "the invalidation drops every variant").to.deep.equal([]);
            const at = clock.now();
            let lastServed = -1;
            for (let t = 0; t <= revoked.stops.hashUrlWithinSeconds + 3; t++) {
                clock.set(at + t * 1000);
                for (const preset of presets) {
                    const here = await view(`${uploaded.url}/${preset}`);
                    chat.cdn.distribution.cache.invalidate(["/*"]);
                    const elsewhere = await view(`${uploaded.url}/${preset}.webp`);
                    if (here.status === 200 || elsewhere.status === 200) lastServed = t;
                    if (t > revoked.stops.hashUrlWithinSeconds) expect([here.status, elsewhere.status], `${preset} at ${t} s`).to.deep.equal([404, 404]);
                }
            }
            // A warm gate's memo vouches for the mapping up to its window, never longer.
            expect(lastServed).to.be.at.most(60);
            // What revoke states covers a read racing it too: the invalidator's second invalidation, 75 s after the removal.
            expect(revoked.stops.hashUrlWithinSeconds).to.equal(75);
        });

        it("secured: a revoked hash's variants are refused on the very next request, though their bytes stay in the CDN's cache", async () => {
            const uploaded = await notices.local.issuer.upload(image);
            for (const preset of ["thumb", "small"]) expect((await view(`${uploaded.url}/${preset}`)).status).to.equal(200);
            const entries = notices.cdn.distribution.cache.size;
            // Deleted without any invalidation: the viewer-request gate alone must refuse.
            await (notices.local.clients.dynamo as DynamoDBClient).send(new DeleteItemCommand({ TableName: notices.plan.tableName, Key: { hash: { S: uploaded.hash as string } } }));
            for (const path of ["thumb", "small", "thumb.avif", "small.jpeg"]) expect((await view(`${uploaded.url}/${path}`)).status, path).to.equal(404);
            expect(notices.cdn.distribution.cache.size).to.equal(entries);
        });

        it("expired: every variant is refused (403) once the hash's life is over, and no cached copy outlived it", async () => {
            const uploaded = await chat.local.issuer.upload(image);
            const expiresAtMs = (uploaded.expiresAt as number) * 1000;
            // Half-way through its life, a variant is first made: its cache life ends with the hash's.
            clock.set(expiresAtMs - 300 * 1000);
            const large = await view(`${uploaded.url}/large`, BROWSER_IMAGE_ACCEPT[0].accept);
            expect(large.status).to.equal(200);
            expect(maxAge(large.cacheControl), "the browser's copy").to.be.within(1, 300);
            for (const entry of cacheEntries(chat).filter((candidate) => candidate.key.startsWith(`/images/${uploaded.hash}/`))) {
                expect(entry.storedAtMs + entry.ttlSeconds * 1000, `${entry.key} leaves the cache by the hash's expiry`).to.be.at.most(expiresAtMs);
            }
            clock.set(expiresAtMs + 1000);
            for (const path of ["thumb", "small", "large", "large.webp", "thumb.fallback"]) {
                const answer = await view(`${uploaded.url}/${path}`);
                // The gate's 403, or that very 403 kept by CloudFront (`thumb` without Accept is `thumb.fallback`).
                expect(answer.status, path).to.equal(403);
                expect(answer.xCache, path).to.be.oneOf(["LambdaGeneratedResponse from cloudfront", "Error from cloudfront"]);
            }
        });
    });

    describe("the resizer", () => {
        it("answers only the paths the gate writes: a viewer's URI, the staging folder, another prefix, other methods are refused", async () => {
            const uploaded = await chat.local.issuer.upload(image);
            const resizer = chat.cdn.resizer;
            if (!resizer) throw new Error("chat has a resizer");
            const key = uploaded.s3Url.replace(/^s3:\/\/[^/]+\//, "");
            const call = (uri: string, method: "GET" | "HEAD" = "GET") => resizer.fetch({ method, uri, headers: [] });
            expect((await call(resizerPath("thumb", "webp", key))).status, "the gate's path").to.equal(200);
            for (const uri of [
                `/images/${uploaded.hash}/thumb.webp`,
                resizerPath("thumb", "webp", "uploads/incoming/0123456789abcdef0123456789abcdef.png"),
                resizerPath("thumb", "webp", "elsewhere/x.png"),
                resizerPath("huge", "webp", key),
                `${resizerPath("thumb", "webp", key)}?x=1`,
                resizerPath("thumb", "webp", key).replace("uploads/", "uploads%2F"),
            ]) {
                const answer = await call(uri);
                expect([answer.status, answer.body.toString()], uri).to.deep.equal([403, "Forbidden"]);
            }
        });
    });

    describe("the playground", () => {
        const api = (pathname: string, init: RequestInit = {}) => fetch(new URL(pathname, stack.state.playgroundUrl), { ...init, headers: { "X-Playground": "1", ...(init.headers ?? {}) } });

        it("lists an upload's presets with their URLs, and empties the CDN's cache of them so the stored copies answer", async () => {
            const uploaded = await chat.local.issuer.upload(image);
            const listed = (await (await api(`/api/services/chat/variants?hash=${uploaded.hash}`)).json()) as { presets: { name: string; url: string; width: number; eager: boolean }[] };
            expect(listed.presets.map((preset) => [preset.name, preset.url, preset.width, preset.eager])).to.deep.equal([
                ["thumb", `${uploaded.url}/thumb`, 256, true],
                ["small", `${uploaded.url}/small`, 640, false],
                ["large", `${uploaded.url}/large`, 1600, false],
            ]);
            const services = (await (await api("/api/services")).json()) as { services: { name: string; variants: string[] }[] };
            expect(services.services.find((service) => service.name === "chat")?.variants).to.deep.equal(["thumb", "small", "large"]);
            // The eager thumbnail is in the CDN's cache; emptying it leaves the stored copies.
            const emptied = (await (await api("/api/services/chat/invalidate", { method: "POST", body: JSON.stringify({ hash: uploaded.hash }) })).json()) as { removed: number };
            expect(emptied.removed).to.equal(3);
            await view(`${uploaded.url}/thumb`, BROWSER_IMAGE_ACCEPT[0].accept);
            const entry = chat.cdn.distribution.stats.entriesSince(0).filter((candidate) => candidate.uri === new URL(`${uploaded.url}/thumb`).pathname).pop();
            expect([entry?.result, entry?.originDetail, entry?.contentType]).to.deep.equal(["Miss", "stored", "image/avif"]);
            expect((await api("/api/services/chat/variants?hash=nope")).status).to.equal(400);
        });
    });

    describe("configuration", () => {
        it("a redirect or public service with variants is refused before the stack starts, the field named", () => {
            expect(() => planLocalServices({ services: ["chat"], overrides: { chat: { mode: "redirect", variants: { thumb: { width: 64, height: 64 } } } } })).to.throw(
                /^secure-image-cdn:overrides\.chat: variants apply to mode "origin" only/,
            );
            expect(() => planLocalServices({ services: ["marketplace"], overrides: { marketplace: { variants: { thumb: { width: 64, height: 64 } } } } })).to.throw(/variants does not apply to level "public"/);
        });
    });
});

/** The distribution's cache keys. */
function cacheKeys(service: RunningService): string[] {
    return cacheEntries(service).map((entry) => entry.key);
}

/** Every live entry of the distribution's cache. */
function cacheEntries(service: RunningService): { key: string; storedAtMs: number; ttlSeconds: number }[] {
    return service.cdn.distribution.cache.entries();
}

/** The `max-age` of a Cache-Control value; 0 when there is none. */
function maxAge(cacheControl: string | null): number {
    const match = /(?:^|,)\s*max-age=(\d+)/.exec(cacheControl ?? "");
    return match ? Number(match[1]) : 0;
}
