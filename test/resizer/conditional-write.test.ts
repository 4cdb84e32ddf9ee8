/**
 * Across instances: two resizer instances (two handlers, each with its own
 * single-flight map, as two Lambda execution environments) making the same
 * variant at once, against moto_server, which honours S3's conditional
 * write (`If-None-Match: *`; s3rver ignores it). The first write wins, the
 * second is told an object is there; both viewers get the same bytes, which
 * are the stored copy's. Skipped, saying so, where moto_server is missing.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import { resizerPath, variantKey } from "../../core/variants";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/aws";
import { createResizerHandler } from "../../resizer/handler";
import type { ResizerLogLine } from "../../resizer/log";
import { s3VariantStore } from "../../resizer/store";
import { manualClock } from "../support/clock";
import { solid } from "./fixtures";
import { countingStore, countingTransform, latch, testSettings, urlEvent } from "./support";

/** Starts moto_server on a free loopback port; `undefined` when it is not installed. */
async function startMoto(): Promise<{ endpoint: string; process: ChildProcess } | undefined> {
    const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`moto_server did not say where it listens within 30 s: ${output}`));
        }, 30_000);
        const read = (chunk: Buffer): void => {
            output += chunk.toString("utf8");
            const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
            if (match) {
                clearTimeout(timer);
                resolve({ endpoint: match[1], process: child });
            }
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        child.on("error", (error: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            if (error.code === "ENOENT") resolve(undefined);
            else reject(error);
        });
    });
}

describe("resizer across instances (conditional writes, moto_server)", function () {
    this.timeout(60_000);
    let moto: { endpoint: string; process: ChildProcess } | undefined;
    let client: S3Client;

    before(async function () {
        moto = await startMoto();
        if (moto === undefined) {
            console.log("        moto_server is not installed: skipped");
            this.skip();
        }
        client = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
        await client.send(new CreateBucketCommand({ Bucket: "variants" }));
    });
    after(() => {
        client?.destroy();
        moto?.process.kill();
    });

    async function read(key: string): Promise<Buffer> {
        const output = await client.send(new GetObjectCommand({ Bucket: "variants", Key: key }));
        return Buffer.from(await output.Body!.transformToByteArray());
    }

    it("storeIfAbsent writes once and never replaces what is there", async () => {
        const store = s3VariantStore(client, "variants");
        expect(await store.storeIfAbsent("derived/x/thumb.webp", Buffer.from("first"), "image/webp")).to.equal("stored");
        expect(await store.storeIfAbsent("derived/x/thumb.webp", Buffer.from("second"), "image/webp")).to.equal("already_stored");
        expect((await read("derived/x/thumb.webp")).toString()).to.equal("first");
    });

    it("two instances making one variant at once: one write lands, both serve the stored bytes", async () => {
        const original = "uploads/0123456789abcdef0123456789abcdef.jpg";
        await client.send(new PutObjectCommand({ Bucket: "variants", Key: original, Body: await solid(500, 400, "#5577aa").jpeg().toBuffer(), ContentType: "image/jpeg" }));
        const settings = testSettings("variants", moto!.endpoint);
        // Both transforms finish before either stores: the race the conditional write settles.
        const bothMade = latch();
        let made = 0;
        const instances = [0, 1].map(() => {
            const transform = countingTransform(bothMade.promise);
            const store = countingStore(s3VariantStore(client, "variants"));
            const logs: ResizerLogLine[] = [];
            const handler = createResizerHandler({
                settings,
                store,
                now: manualClock(0).now,
                log: (line) => logs.push(line),
                transform: async (...args) => {
                    if (++made === 2) bothMade.open();
                    return transform(...args);
                },
            });
            return { handler, store, transform, logs };
        });
        const path = resizerPath("thumb", "avif", original);
        const [a, b] = await Promise.all(instances.map((instance) => instance.handler(urlEvent(path))));
        expect([a.statusCode, b.statusCode]).to.deep.equal([200, 200]);
        expect(instances.map((instance) => instance.transform.runs)).to.deep.equal([1, 1]);
        const results = instances.flatMap((instance) => instance.store.writes.map((write) => write.result)).sort();
        expect(results).to.deep.equal(["already_stored", "stored"]);
        expect(a.body).to.equal(b.body);
        expect((await read(variantKey(original, "thumb", "avif")!)).equals(Buffer.from(a.body as string, "base64"))).to.equal(true);
    });
});
