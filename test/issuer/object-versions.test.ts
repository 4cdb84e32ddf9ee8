/**
 * Listing and permanently deleting stored versions (issuer/object-versions.ts)
 * against real S3 servers on loopback: in moto's versioned S3, every version
 * and delete marker of exactly one key (not of keys that merely start with
 * it) or of the keys right under a folder (not deeper ones), each with its
 * version id, deleted for good by version id, harmlessly again, with S3's
 * refusals and a missing bucket reported as the issuer's errors; in s3rver,
 * which keeps no versions and refuses ListObjectVersions, the same scopes
 * listed as current objects without ids and deleted by key. The moto part
 * is pending, with a message, where moto_server is not installed.
 */
import { expect } from "chai";
import {
    CreateBucketCommand,
    DeleteObjectCommand,
    ListObjectsV2Command,
    ListObjectVersionsCommand,
    PutBucketVersioningCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes } from "crypto";
import { ConfigError, UpstreamError } from "../../issuer/errors";
import { deleteVersions, listVersions, StoredVersion } from "../../issuer/object-versions";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalServer, startLocalS3 } from "../../local/aws";
import { MOTO_MISSING, motoServerPath, MotoServer, startMoto } from "../support/moto";
import { rejection } from "../support/rejection";

const KEY = "uploads/user-7/photo.png";
const FOLDER = "variants/uploads/user-7/photo.png/";
/** Keys that share the key's or the folder's start and must never be listed with them. */
const NEIGHBOURS = [`${KEY}.bak`, `${KEY}/inner.png`, "uploads/user-7/photo.pn", `${FOLDER}deeper/thumb.avif`, "variants/uploads/user-7/photo.png.bak/thumb.avif"];

function s3Client(endpoint: string): S3Client {
    return new S3Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
}

/** Versions as comparable strings: `key` plus ` marker` for a delete marker, sorted. */
function shapes(versions: readonly StoredVersion[]): string[] {
    return versions.map((v) => `${v.key}${v.deleteMarker ? " marker" : ""}`).sort();
}

describe("issuer/object-versions", function () {
    this.timeout(120_000);

    describe("in a versioned bucket (moto S3)", () => {
        if (motoServerPath() === undefined) {
            it(`pending: ${MOTO_MISSING}`);
            return;
        }
        let moto: MotoServer;
        let s3: S3Client;
        before(async () => {
            moto = await startMoto();
            s3 = s3Client(moto.endpoint);
        });
        after(async () => {
            s3?.destroy();
            await moto?.close();
        });

        const put = (bucket: string, key: string, body = "v") => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        const remove = (bucket: string, key: string) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

        /** A fresh versioned bucket: the key put twice, deleted, put again; two objects in the folder, one deleted; each neighbour put twice. */
        async function scene(): Promise<string> {
            const bucket = `versions-${randomBytes(4).toString("hex")}`;
            await s3.send(new CreateBucketCommand({ Bucket: bucket }));
            await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
            await put(bucket, KEY, "first");
            await put(bucket, KEY, "second");
            await remove(bucket, KEY);
            await put(bucket, KEY, "third");
            await put(bucket, `${FOLDER}thumb.avif`);
            await put(bucket, `${FOLDER}large.webp`);
            await remove(bucket, `${FOLDER}large.webp`);
            for (const neighbour of NEIGHBOURS) {
                await put(bucket, neighbour, "n1");
                await put(bucket, neighbour, "n2");
            }
            return bucket;
        }

        /** Every version id in the bucket under `prefix`, as the S3 lists it. */
        async function allVersionIds(bucket: string, prefix = ""): Promise<string[]> {
            const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
            return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => `${v.Key} ${v.VersionId}`).sort();
        }

        it("lists every version and delete marker of exactly the key, each with its version id", async () => {
            const bucket = await scene();
            const listed = await listVersions(s3, bucket, { key: KEY });
            expect(shapes(listed)).to.deep.equal([KEY, KEY, KEY, `${KEY} marker`]);
            expect(new Set(listed.map((v) => v.versionId)).size).to.equal(4);
            expect(listed.map((v) => `${v.key} ${v.versionId}`).sort()).to.deep.equal(await allVersionIds(bucket, KEY).then((all) => all.filter((line) => line.startsWith(`${KEY} `))));
        });

        it("lists the versions of the keys right under a folder, not of deeper keys or look-alike folders", async () => {
            const bucket = await scene();
            const listed = await listVersions(s3, bucket, { folder: FOLDER });
            expect(shapes(listed)).to.deep.equal([`${FOLDER}large.webp`, `${FOLDER}large.webp marker`, `${FOLDER}thumb.avif`]);
            for (const version of listed) expect(version.versionId).to.be.a("string").and.not.equal("");
        });

        it("lists nothing for a key or folder with no versions", async () => {
            const bucket = await scene();
            expect(await listVersions(s3, bucket, { key: "uploads/none.png" })).to.deep.equal([]);
            expect(await listVersions(s3, bucket, { folder: "variants/none/" })).to.deep.equal([]);
        });

        it("deletes the listed versions for good, markers included, leaving every other version as it was", async () => {
            const bucket = await scene();
            const before = await allVersionIds(bucket);
            const listed = [...(await listVersions(s3, bucket, { key: KEY })), ...(await listVersions(s3, bucket, { folder: FOLDER }))];
            await deleteVersions(s3, bucket, listed);
            expect(await listVersions(s3, bucket, { key: KEY })).to.deep.equal([]);
            expect(await listVersions(s3, bucket, { folder: FOLDER })).to.deep.equal([]);
            const gone = new Set(listed.map((v) => `${v.key} ${v.versionId}`));
            expect(await allVersionIds(bucket)).to.deep.equal(before.filter((line) => !gone.has(line)));
            expect((await allVersionIds(bucket)).length).to.equal(NEIGHBOURS.length * 2);
            // Again: the versions are already gone, and that is no error.
            await deleteVersions(s3, bucket, listed);
            await deleteVersions(s3, bucket, []);
        });

        it("a missing bucket is a ConfigError naming it, for listing and deleting", async () => {
            const listing = await rejection(listVersions(s3, "no-such-bucket-here", { key: KEY }), ConfigError);
            expect(listing.message).to.equal(
                "S3 ListObjectVersions in bucket no-such-bucket-here: bucket 'no-such-bucket-here' does not exist (check the service's configuration and region)",
            );
            const deleting = await rejection(deleteVersions(s3, "no-such-bucket-here", [{ key: KEY, deleteMarker: false }]), ConfigError);
            expect(deleting.message).to.match(/^S3 DeleteObjects in bucket no-such-bucket-here: bucket 'no-such-bucket-here' does not exist/);
        });
    });

    describe("in an S3 that keeps no versions (s3rver)", () => {
        let server: LocalServer;
        let s3: S3Client;
        const bucket = "plain-bucket";
        before(async () => {
            server = await startLocalS3({ buckets: [bucket] });
            s3 = s3Client(server.endpoint);
            for (const key of [KEY, `${FOLDER}thumb.avif`, `${FOLDER}large.webp`, ...NEIGHBOURS]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "v" }));
        });
        after(async () => {
            s3?.destroy();
            await server?.close();
        });

        it("lists the key's current object, without a version id", async () => {
            expect(await listVersions(s3, bucket, { key: KEY })).to.deep.equal([{ key: KEY, deleteMarker: false }]);
        });

        it("lists the objects right under a folder, not deeper ones or look-alikes", async () => {
            expect(await listVersions(s3, bucket, { folder: FOLDER })).to.deep.equal([
                { key: `${FOLDER}large.webp`, deleteMarker: false },
                { key: `${FOLDER}thumb.avif`, deleteMarker: false },
            ]);
        });

        it("deletes by key, leaving every other object", async () => {
            await deleteVersions(s3, bucket, await listVersions(s3, bucket, { folder: FOLDER }));
            expect(await listVersions(s3, bucket, { folder: FOLDER })).to.deep.equal([]);
            const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
            expect((left.Contents ?? []).map((o) => o.Key).sort()).to.deep.equal([KEY, ...NEIGHBOURS].sort());
        });

        it("a missing bucket is a ConfigError naming it, not a fallback", async () => {
            const error = await rejection(listVersions(s3, "no-such-bucket", { key: KEY }), ConfigError);
            expect(error.message).to.equal("S3 ListObjectVersions in bucket no-such-bucket: bucket 'no-such-bucket' does not exist (check the service's configuration and region)");
        });

        it("an S3 that cannot be reached is an UpstreamError, not a fallback", async () => {
            const closed = s3Client("http://127.0.0.1:1");
            try {
                const error = await rejection(listVersions(closed, bucket, { key: KEY }), UpstreamError);
                expect(error.message).to.match(/^S3 ListObjectVersions in bucket plain-bucket: the service could not be reached/);
            } finally {
                closed.destroy();
            }
        });
    });
});
