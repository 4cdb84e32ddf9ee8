/**
 * The local S3 (s3rver with local/s3-store.ts) holds every key S3 does, up to
 * 1,024 bytes in any segment shape, and answers what it cannot hold with a
 * clear 4xx instead of crashing the process. s3rver used to throw
 * ENAMETOOLONG out of its write stream for a segment over 255 bytes, which
 * ended `npm start`.
 */
import { expect } from "chai";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalServer, startLocalS3 } from "../../local/aws";
import { decodeKeyPath, encodeKeyPath, MAX_COMPONENT_BYTES } from "../../local/s3-store";
import { sendRaw } from "../reliability/support/raw-http";

const BUCKET = "keys-bucket";

/** Keys S3 accepts that the old store could not hold, and shapes the mapping must keep apart. */
const KEYS = [
    "uploads/" + "a".repeat(312) + ".png",
    "a".repeat(1024),
    "é".repeat(512),
    "😀".repeat(256),
    "x/".repeat(511) + "y",
    "uploads/" + "b".repeat(MAX_COMPONENT_BYTES - 1) + "%25" + "c",
    "uploads/" + "%".repeat(300),
    "uploads/" + "d".repeat(MAX_COMPONENT_BYTES) + "/" + "e".repeat(MAX_COMPONENT_BYTES + 1),
    "uploads/./..",
    "uploads/../../../../escape",
    "uploads/.hidden",
    "folder/",
    "with space & symbols $@=;:+,?",
];

describe("local S3: keys up to 1,024 bytes, and a clear 4xx for what it cannot hold", function () {
    this.timeout(60_000);
    let s3: LocalServer;
    let client: S3Client;
    let dir: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-s3-keys-"));
        s3 = await startLocalS3({ dataDir: dir, buckets: [BUCKET] });
        client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    });
    after(async () => {
        client.destroy();
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    async function roundTrip(key: string, body: Buffer): Promise<void> {
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: "image/png" }));
        const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body), key).to.equal(true);
        expect(got.ContentType, key).to.equal("image/png");
        expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength, key).to.equal(body.length);
        const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));
        expect((listed.Contents ?? []).map((o) => o.Key), key).to.deep.equal([key]);
        await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
        expect(((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).length, key).to.equal(0);
    }

    it("stores, serves, lists and deletes keys of every shape S3 takes, each path component within NAME_MAX, all inside the bucket's folder", async () => {
        for (const key of KEYS) {
            expect(Buffer.byteLength(key), key).to.be.at.most(1024);
            await roundTrip(key, Buffer.from(`bytes of ${key.length}`));
        }
        // Nothing was written outside the bucket's folder, and deleting left no folders behind.
        expect(fs.readdirSync(dir).sort()).to.deep.equal([BUCKET]);
        expect(fs.readdirSync(path.join(dir, BUCKET))).to.deep.equal([]);
    });

    it("keeps keys apart whose pieces could look alike, and lists each under its own prefix", async () => {
        const long = "p".repeat(MAX_COMPONENT_BYTES);
        const keys = [`k/${long}`, `k/${long}%`, `k/${long}/x`, `k/${long}x`, "k/%25", "k/%", "k/.x", "k/%2Ex"];
        for (const key of keys) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(key) }));
        for (const key of keys) {
            const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
            expect(Buffer.from(await got.Body!.transformToByteArray()).toString(), key).to.equal(key);
        }
        const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "k/" }));
        expect((listed.Contents ?? []).map((o) => o.Key).sort()).to.deep.equal([...keys].sort());
        const under = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `k/${long}` }));
        expect((under.Contents ?? []).map((o) => o.Key).sort()).to.deep.equal([`k/${long}`, `k/${long}%`, `k/${long}/x`, `k/${long}x`].sort());
        for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    });

    it("the key mapping keeps prefixes and is undone exactly (generated keys)", () => {
        const key = fc.string({ unit: "grapheme", maxLength: 400 }).filter((k) => !k.split("/").slice(0, -1).includes("") && Buffer.byteLength(k) <= 1024);
        fc.assert(
            fc.property(key, fc.nat(), (k, cut) => {
                const encoded = encodeKeyPath(k);
                expect(decodeKeyPath(encoded)).to.equal(k);
                for (const component of encoded.split("/")) expect(Buffer.byteLength(component)).to.be.at.most(MAX_COMPONENT_BYTES + 1);
                expect(encoded.split("/")).to.not.include.members([".", ".."]);
                const prefix = [...k].slice(0, cut % ([...k].length + 1)).join("");
                expect(encoded.startsWith(encodeKeyPath(prefix)), prefix).to.equal(true);
            }),
            { numRuns: 300 },
        );
    });

    it("generated keys up to 1,024 bytes round-trip through the S3 API", async () => {
        const key = fc
            .string({ unit: fc.constantFrom("a", "é", "😀", "/", "%", ".", " ", "+", "~", "Z"), minLength: 1, maxLength: 600 })
            .filter((k) => !k.split("/").slice(0, -1).includes("") && Buffer.byteLength(k) <= 1024 && !k.startsWith("/"));
        await fc.assert(
            fc.asyncProperty(key, async (k) => roundTrip(k, Buffer.from("x"))),
            { numRuns: 40 },
        );
    });

    it("a key over 1,024 bytes is S3's KeyTooLongError (400), by PUT, by form POST and by multipart upload, and the server goes on", async () => {
        const tooLong = "k".repeat(1025);
        const put = await fetch(`${s3.endpoint}/${BUCKET}/${tooLong}`, { method: "PUT", body: "x" });
        expect(put.status).to.equal(400);
        expect(await put.text()).to.include("<Code>KeyTooLongError</Code>");
        const form = new FormData();
        form.append("key", tooLong);
        form.append("file", new Blob([Buffer.from("x")]), "f.png");
        const post = await fetch(`${s3.endpoint}/${BUCKET}`, { method: "POST", body: form });
        expect(post.status).to.equal(400);
        expect(await post.text()).to.include("<Code>KeyTooLongError</Code>");
        const multipart = await fetch(`${s3.endpoint}/${BUCKET}/${tooLong}?uploads`, { method: "POST" });
        expect(multipart.status).to.equal(400);
        await roundTrip("still/answers.png", Buffer.from("y"));
    });

    it("what a folder-per-segment store cannot hold is a 4xx naming why; upload ids cannot leave the uploads folder", async () => {
        const form = new FormData();
        form.append("key", "a//b");
        form.append("file", new Blob([Buffer.from("x")]), "f.png");
        const post = await fetch(`${s3.endpoint}/${BUCKET}`, { method: "POST", body: form });
        expect(post.status).to.equal(400);
        expect(await post.text()).to.match(/<Code>InvalidArgument<\/Code><Message>The local S3 \(s3rver\) stores one folder per key segment/);
        for (const uploadId of ["../../../../tmp/x", "..%2F..%2Fx", "ZZ"]) {
            const part = await sendRaw(s3.port, { method: "PUT", target: `/${BUCKET}/k?partNumber=1&uploadId=${uploadId}`, headers: [["Content-Length", "1"]], body: Buffer.from("x") });
            expect(part.status, uploadId).to.equal(404);
            expect(part.body.toString(), uploadId).to.include("NoSuchUpload");
        }
        expect(fs.readdirSync(dir).sort()).to.deep.equal([BUCKET]);
    });
});
