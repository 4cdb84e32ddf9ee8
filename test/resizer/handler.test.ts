/**
 * The resizer's handler against s3rver: it answers only paths the gate
 * writes, never reads a staging key, makes a variant once and serves the
 * stored copy after, shares one transform among 50 concurrent requests,
 * and answers a hostile original with a 422 without harming the next
 * request. Function URL events as Lambda delivers them.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { randomBytes } from "crypto";
import sharp from "sharp";
import { resizerPath, variantKey } from "../../core/variants";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalServer, startLocalS3 } from "../../local/aws";
import { createResizerHandler, ResizerHandler } from "../../resizer/handler";
import type { ResizerLogLine } from "../../resizer/log";
import type { ResizerSettings } from "../../resizer/settings";
import { s3VariantStore, VariantStore } from "../../resizer/store";
import { manualClock } from "../support/clock";
import { alphaPng, solid } from "./fixtures";
import { countingStore, countingTransform, CountingStore, latch, testSettings, urlEvent } from "./support";

describe("resizer/handler (function URL events, s3rver)", function () {
    this.timeout(60_000);
    let s3: LocalServer;
    let client: S3Client;

    before(async () => {
        s3 = await startLocalS3();
        client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    });
    after(async () => {
        client.destroy();
        await s3.close();
    });

    interface World {
        settings: ResizerSettings;
        store: CountingStore;
        transform: ReturnType<typeof countingTransform>;
        logs: ResizerLogLine[];
        handler: ResizerHandler;
        put(key: string, body: Buffer, contentType?: string): Promise<void>;
        get(key: string): Promise<{ body: Buffer; contentType?: string } | undefined>;
    }

    /** A fresh bucket and handler for one test. */
    async function world(options: { hold?: Promise<void>; overrides?: Partial<ResizerSettings>; store?: (inner: VariantStore) => VariantStore } = {}): Promise<World> {
        const bucket = `resizer-${randomBytes(4).toString("hex")}`;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        const settings = testSettings(bucket, s3.endpoint, options.overrides);
        const inner = s3VariantStore(client, bucket);
        const store = countingStore(options.store ? options.store(inner) : inner);
        const transform = countingTransform(options.hold);
        const logs: ResizerLogLine[] = [];
        const clock = manualClock(Date.UTC(2030, 0, 1));
        const handler = createResizerHandler({ settings, store, transform, now: clock.now, log: (line) => logs.push(line) });
        return {
            settings,
            store,
            transform,
            logs,
            handler,
            put: async (key, body, contentType = "image/jpeg") => void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }))),
            get: async (key) => {
                try {
                    const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
                    return { body: Buffer.from(await output.Body!.transformToByteArray()), contentType: output.ContentType };
                } catch (error) {
                    if ((error as { name?: string }).name === "NoSuchKey") return undefined;
                    throw error;
                }
            },
        };
    }

    const ORIGINAL = "uploads/0123456789abcdef0123456789abcdef.jpg";
    const photo = (): Promise<Buffer> => solid(400, 300, "#2a6fb0").jpeg().toBuffer();

    it("makes a variant, stores it under its derived key and returns it with its type and lifetime", async () => {
        const w = await world();
        await w.put(ORIGINAL, await photo());
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect(response.statusCode).to.equal(200);
        expect(response.headers).to.deep.include({ "Content-Type": "image/webp", "Cache-Control": "max-age=2592000", "X-Content-Type-Options": "nosniff" });
        expect(response.isBase64Encoded).to.equal(true);
        const body = Buffer.from(response.body as string, "base64");
        const meta = await sharp(body).metadata();
        expect([meta.format, meta.width, meta.height]).to.deep.equal(["webp", 64, 64]);
        const stored = await w.get(variantKey(ORIGINAL, "thumb", "webp")!);
        expect(stored?.contentType).to.equal("image/webp");
        expect(stored?.body.equals(body)).to.equal(true);
        expect(w.transform.runs).to.equal(1);
        expect(w.logs).to.deep.equal([{ service: "chat", ms: 0, outcome: "served", status: 200, preset: "thumb", token: "webp", source: "made", format: "webp", bytes: body.length }]);
    });

    it("serves the stored copy the second time, without a transform or reading the original", async () => {
        const w = await world();
        await w.put(ORIGINAL, await photo());
        const first = await w.handler(urlEvent(resizerPath("thumb", "avif", ORIGINAL)));
        w.store.reads.length = 0;
        const second = await w.handler(urlEvent(resizerPath("thumb", "avif", ORIGINAL)));
        expect(second.statusCode).to.equal(200);
        expect(second.body).to.equal(first.body);
        expect(second.headers?.["Content-Type"]).to.equal("image/avif");
        expect(w.transform.runs).to.equal(1);
        expect(w.store.reads).to.deep.equal([variantKey(ORIGINAL, "thumb", "avif")]);
        expect(w.logs[1]).to.include({ outcome: "served", source: "stored" });
    });

    it("stores a fallback as what it became (PNG for a transparent original) and serves it as such later", async () => {
        const w = await world();
        await w.put("uploads/logo.png", await alphaPng(true), "image/png");
        const first = await w.handler(urlEvent(resizerPath("thumb", "fallback", "uploads/logo.png")));
        expect(first.headers?.["Content-Type"]).to.equal("image/png");
        const second = await w.handler(urlEvent(resizerPath("thumb", "fallback", "uploads/logo.png")));
        expect(second.headers?.["Content-Type"]).to.equal("image/png");
        expect(w.transform.runs).to.equal(1);
        expect((await w.get("derived/uploads/logo.png/thumb.fallback"))?.contentType).to.equal("image/png");
    });

    it("answers HEAD like GET, without a body", async () => {
        const w = await world();
        await w.put(ORIGINAL, await photo());
        const response = await w.handler(urlEvent(resizerPath("small", "jpeg", ORIGINAL), "HEAD"));
        expect(response.statusCode).to.equal(200);
        expect(response.headers?.["Content-Type"]).to.equal("image/jpeg");
        expect(response.body).to.equal("");
    });

    it("shares one transform among 50 concurrent first requests for one variant", async () => {
        const hold = latch();
        const w = await world({ hold: hold.promise });
        await w.put(ORIGINAL, await photo());
        const responses = Array.from({ length: 50 }, () => w.handler(urlEvent(resizerPath("thumb", "jpeg", ORIGINAL))));
        // Every request has reached the handler before the one transform may finish.
        await new Promise((resolve) => setImmediate(resolve));
        hold.open();
        const answered = await Promise.all(responses);
        expect(w.transform.runs).to.equal(1);
        expect(new Set(answered.map((r) => r.statusCode))).to.deep.equal(new Set([200]));
        expect(new Set(answered.map((r) => r.body)).size).to.equal(1);
        expect(w.store.writes).to.have.length(1);
        expect(w.logs.filter((l) => l.source === "made")).to.have.length(1);
        expect(w.logs.filter((l) => l.source === "joined")).to.have.length(49);
        // Another variant of the same original is its own flight.
        await w.handler(urlEvent(resizerPath("thumb", "png", ORIGINAL)));
        expect(w.transform.runs).to.equal(2);
    });

    describe("refuses what the gate never writes: 403, logged, nothing read", () => {
        const cases: [string, string, string, string?][] = [
            ["the viewer's URI", "/images/0123456789abcdef0123456789abcdef/thumb.webp", "shape"],
            ["an unknown preset", resizerPath("thumb", "webp", ORIGINAL).replace("/thumb/", "/huge/"), "preset"],
            ["a token the preset does not allow", resizerPath("small", "jpeg", ORIGINAL).replace("/jpeg/", "/avif/"), "token"],
            ["a staging key", resizerPath("thumb", "webp", "uploads/incoming/0123456789abcdef0123456789abcdef.jpg"), "staging"],
            ["a key outside the upload prefix", resizerPath("thumb", "webp", "private/secret.jpg"), "outside_uploads"],
            ["a stored variant", resizerPath("thumb", "webp", "derived/uploads/a.jpg/thumb.webp"), "outside_uploads"],
            ["a non-canonical encoding", "/variant/thumb/webp/uploads/%30123.jpg", "key"],
            ["a query string", resizerPath("thumb", "webp", ORIGINAL), "query", "versionId=1"],
        ];
        for (const [what, path, reason, query] of cases) {
            it(what, async () => {
                const w = await world();
                await w.put("uploads/incoming/0123456789abcdef0123456789abcdef.jpg", await photo());
                await w.put("private/secret.jpg", await photo());
                const response = await w.handler(urlEvent(path, "GET", query));
                expect(response.statusCode).to.equal(403);
                expect(response.headers?.["Cache-Control"]).to.equal("no-store");
                expect(response.body).to.equal("Forbidden");
                expect(w.store.reads).to.deep.equal([]);
                expect(w.transform.runs).to.equal(0);
                expect(w.logs).to.deep.equal([{ service: "chat", ms: 0, outcome: "bad_path", status: 403, reason }]);
            });
        }
    });

    it("allows only GET and HEAD, and answers a malformed event without throwing", async () => {
        const w = await world();
        const post = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL), "POST"));
        expect([post.statusCode, post.headers?.Allow]).to.deep.equal([405, "GET, HEAD"]);
        const empty = await w.handler({} as never);
        expect(empty.statusCode).to.equal(405);
        const noPath = await w.handler({ ...urlEvent("/"), rawPath: undefined } as never);
        expect(noPath.statusCode).to.equal(403);
        expect(w.store.reads).to.deep.equal([]);
    });

    it("answers a missing original with a 404 cached briefly, and stores nothing", async () => {
        const w = await world();
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", "uploads/gone.jpg")));
        expect([response.statusCode, response.headers?.["Cache-Control"]]).to.deep.equal([404, "max-age=60"]);
        expect(w.store.writes).to.deep.equal([]);
        expect(w.logs[0]).to.include({ outcome: "original_missing", status: 404 });
    });

    it("answers a corrupt original with a 422 cached briefly, then serves the next request as usual", async () => {
        const w = await world();
        const jpeg = await photo();
        await w.put("uploads/broken.jpg", jpeg.subarray(0, jpeg.length >> 1));
        await w.put(ORIGINAL, jpeg);
        const broken = await w.handler(urlEvent(resizerPath("thumb", "webp", "uploads/broken.jpg")));
        expect([broken.statusCode, broken.headers?.["Cache-Control"], broken.body]).to.deep.equal([422, "max-age=60", "Unprocessable Image"]);
        expect(w.logs[0]).to.include({ outcome: "unprocessable", reason: "corrupt" });
        expect(await w.get(variantKey("uploads/broken.jpg", "thumb", "webp")!)).to.equal(undefined);
        const next = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect(next.statusCode).to.equal(200);
    });

    it("refuses an original over maxOriginalBytes without transforming it", async () => {
        const w = await world({ overrides: { maxOriginalBytes: 100 } });
        await w.put(ORIGINAL, await photo());
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect(response.statusCode).to.equal(422);
        expect(w.transform.runs).to.equal(0);
        expect(w.logs[0]).to.include({ reason: "original_too_large" });
    });

    it("a failed S3 read is a 503 that is never cached, naming only the error's kind", async () => {
        const w = await world({
            store: (inner) => ({ ...inner, read: async () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED s3 bucket key"), { name: "TimeoutError" })) }),
        });
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect([response.statusCode, response.headers?.["Cache-Control"], response.headers?.["Retry-After"]]).to.deep.equal([503, "no-store", "1"]);
        expect(w.logs).to.deep.equal([{ service: "chat", ms: 0, outcome: "unavailable", status: 503, reason: "TimeoutError" }]);
    });

    it("a failed store still serves the variant, and says so in the log", async () => {
        const w = await world({ store: (inner) => ({ ...inner, storeIfAbsent: async () => Promise.reject(Object.assign(new Error("slow down"), { name: "SlowDown" })) }) });
        await w.put(ORIGINAL, await photo());
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect(response.statusCode).to.equal(200);
        expect(w.logs[0]).to.include({ outcome: "served", source: "made", storeFailed: "SlowDown" });
    });

    it("does not serve a stored object whose type its token cannot have: it makes the variant again", async () => {
        const w = await world();
        await w.put(ORIGINAL, await photo());
        await w.put(variantKey(ORIGINAL, "thumb", "webp")!, Buffer.from("<html>"), "text/html");
        const response = await w.handler(urlEvent(resizerPath("thumb", "webp", ORIGINAL)));
        expect(response.headers?.["Content-Type"]).to.equal("image/webp");
        expect(w.transform.runs).to.equal(1);
    });
});
