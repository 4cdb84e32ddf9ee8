/**
 * s3VariantStore against the local S3 (s3rver): reading a stored object
 * gives its bytes and Content-Type, a missing key is `missing` (not a
 * failure), an object over the cap is `too_large` with its size and is not
 * read, and a write stores the bytes with their type. A failure other than
 * a missing key (here, no S3 listening) is thrown, never taken for a
 * missing key. That a conditional write never replaces an object is shown
 * against moto_server in conditional-write.test.ts (s3rver ignores
 * `If-None-Match`).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalServer, startLocalS3 } from "../../local/aws";
import { s3VariantStore } from "../../resizer/store";
import { closedPortEndpoint } from "../support/dynamo-proxy";
import { rejection } from "../support/rejection";

const BUCKET = "variants";

function s3Client(endpoint: string): S3Client {
    return new S3Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
}

describe("resizer/store (s3rver)", () => {
    let s3: LocalServer;
    let client: S3Client;

    before(async () => {
        s3 = await startLocalS3({ buckets: [BUCKET] });
        client = s3Client(s3.endpoint);
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "originals/a.png", Body: Buffer.from("0123456789"), ContentType: "image/png" }));
    });
    after(async () => {
        client?.destroy();
        await s3?.close();
    });

    it("reads an object's bytes and Content-Type, up to and including the cap", async () => {
        const store = s3VariantStore(client, BUCKET);
        expect(await store.read("originals/a.png", 10)).to.deep.equal({ found: true, object: { body: Buffer.from("0123456789"), contentType: "image/png" } });
    });

    it("a missing key is missing, not a failure", async () => {
        expect(await s3VariantStore(client, BUCKET).read("originals/none.png", 10)).to.deep.equal({ found: false, why: "missing" });
    });

    it("an object over the cap is too_large, with its size", async () => {
        expect(await s3VariantStore(client, BUCKET).read("originals/a.png", 9)).to.deep.equal({ found: false, why: "too_large", size: 10 });
    });

    it("storeIfAbsent writes the bytes with their type", async () => {
        const store = s3VariantStore(client, BUCKET);
        expect(await store.storeIfAbsent("variants/thumb.webp", Buffer.from("webp bytes"), "image/webp")).to.equal("stored");
        const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "variants/thumb.webp" }));
        expect(stored.ContentType).to.equal("image/webp");
        expect(Buffer.from(await (stored.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()))).toString()).to.equal("webp bytes");
    });

    it("a failure other than a missing key is thrown, for reads and writes", async () => {
        const unreachable = s3Client(await closedPortEndpoint());
        try {
            const store = s3VariantStore(unreachable, BUCKET);
            await rejection(store.read("originals/a.png", 10), Error);
            await rejection(store.storeIfAbsent("variants/x.webp", Buffer.from("x"), "image/webp"), Error);
        } finally {
            unreachable.destroy();
        }
    });
});
