/**
 * Erasure in a versioned bucket: against moto's S3 (versioning, delete
 * markers, ListObjectVersions), dynalite and the CloudFront recorder. After
 * `deleteObject` no version and no delete marker is left under the key or
 * its derived folder, and every other version in the bucket is exactly as
 * it was (the whole bucket is listed, every version, before and after).
 * Pending, with a message, where moto_server is not installed.
 */
import { expect } from "chai";
import {
    CreateBucketCommand,
    DeleteObjectCommand,
    ListObjectVersionsCommand,
    ListObjectVersionsCommandOutput,
    PutBucketVersioningCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes } from "crypto";
import { variantKey } from "../../core/variants";
import { createClients, destroyClients, IssuerClients, IssuerConfig, UpstreamError } from "../../issuer";
import { ImageIssuer } from "../../issuer/issuer";
import { createMappingTable, LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient, LocalServer, startLocalDynamo } from "../../local/aws";
import { checkerPng } from "../../local/png";
import { MOTO_MISSING, motoServerPath, MotoServer, startMoto } from "../support/moto";
import { rejection } from "../support/rejection";
import { CloudFrontRecorder, startCloudFrontRecorder } from "./cloudfront-recorder";

/** One version as ListObjectVersions shows it. */
interface Listed {
    key: string;
    versionId: string;
    deleteMarker: boolean;
    etag?: string;
}

const available = motoServerPath() !== undefined;

describe("issuer: deleteObject in a versioned bucket (moto S3 + dynalite + CloudFront recorder)", function () {
    this.timeout(120_000);
    if (!available) {
        it(`pending: ${MOTO_MISSING}`);
        return;
    }
    let moto: MotoServer;
    let dynamo: LocalServer;
    let cloudfront: CloudFrontRecorder;
    let admin: S3Client;
    const made: IssuerClients[] = [];
    const image = checkerPng({ width: 4, height: 4, square: 2, colors: [[10, 120, 60], [255, 255, 255]] });

    before(async () => {
        [moto, dynamo, cloudfront] = await Promise.all([startMoto(), startLocalDynamo(), startCloudFrontRecorder()]);
        admin = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    });
    after(async () => {
        made.forEach(destroyClients);
        admin?.destroy();
        await Promise.all([moto?.close(), dynamo?.close(), cloudfront?.close()]);
    });

    /** A fresh versioned bucket and table, and an issuer on them. */
    async function service(): Promise<{ config: IssuerConfig; clients: IssuerClients; issuer: ImageIssuer }> {
        const id = randomBytes(4).toString("hex");
        const config: IssuerConfig = {
            service: "chat",
            level: "required",
            region: LOCAL_REGION,
            tableName: `erase-map-${id}`,
            bucket: `erase-images-${id}`,
            cdnBaseUrl: "https://cdn.example.test",
            distributionId: "ETESTDIST1",
            hashTtlSeconds: 30 * 24 * 3600,
            uploadPrefix: "uploads/",
            maxUploadBytes: 1024 * 1024,
            endpoints: { dynamodb: dynamo.endpoint, s3: moto.endpoint, cloudfront: cloudfront.endpoint },
        };
        const ddb = localDynamoClient(dynamo.endpoint);
        await createMappingTable(ddb, config.tableName as string);
        ddb.destroy();
        await admin.send(new CreateBucketCommand({ Bucket: config.bucket }));
        await admin.send(new PutBucketVersioningCommand({ Bucket: config.bucket, VersioningConfiguration: { Status: "Enabled" } }));
        const clients = createClients(config, { maxAttempts: 1 });
        made.push(clients);
        return { config, clients, issuer: new ImageIssuer(config, clients) };
    }

    /** Every version and delete marker in the bucket (all pages). */
    async function versions(bucket: string, prefix?: string): Promise<Listed[]> {
        const all: Listed[] = [];
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        for (;;) {
            const page: ListObjectVersionsCommandOutput = await admin.send(
                new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
            );
            for (const v of page.Versions ?? []) all.push({ key: v.Key as string, versionId: v.VersionId as string, deleteMarker: false, etag: v.ETag });
            for (const m of page.DeleteMarkers ?? []) all.push({ key: m.Key as string, versionId: m.VersionId as string, deleteMarker: true });
            if (page.IsTruncated !== true) return all;
            keyMarker = page.NextKeyMarker;
            versionIdMarker = page.NextVersionIdMarker;
        }
    }

    const put = (bucket: string, key: string, body: string | Uint8Array) => admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const remove = (bucket: string, key: string) => admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

    /**
     * The object: uploaded, replaced (a hidden version), deleted and uploaded
     * again (a delete marker between); a variant made twice, another deleted
     * (its delete marker is current). Neighbours with versions of their own.
     */
    async function scene(bucket: string, issuer: ImageIssuer) {
        const key = "uploads/user-7/photo.png";
        const uploaded = await issuer.upload(image, { s3Key: key });
        await put(bucket, key, "replaced bytes");
        await remove(bucket, key);
        await issuer.upload(image, { s3Key: key });
        const thumb = variantKey(key, "thumb", "avif") as string;
        const large = variantKey(key, "large", "webp") as string;
        await put(bucket, thumb, "thumb v1");
        await put(bucket, thumb, "thumb v2");
        await put(bucket, large, "large");
        await remove(bucket, large);
        for (const neighbour of ["uploads/user-8/photo.png", `${key}.bak`, `${key}/inner.png`, variantKey(`${key}/inner.png`, "thumb", "avif") as string]) {
            await put(bucket, neighbour, "v1");
            await put(bucket, neighbour, "v2");
        }
        await remove(bucket, "uploads/user-8/photo.png");
        return { key, s3Url: uploaded.s3Url, hash: uploaded.hash as string, erased: new Set([key, thumb, large]) };
    }

    it("deletes every version and delete marker of the original and its derived copies, and every other version stays as it was", async () => {
        const { config, issuer } = await service();
        const { key, s3Url, hash, erased } = await scene(config.bucket, issuer);
        const before = await versions(config.bucket);
        const mine = before.filter((v) => erased.has(v.key));
        // 3 + 1 marker for the original, 2 for thumb, 1 + 1 marker for large.
        expect(mine.filter((v) => !v.deleteMarker)).to.have.length(6);
        expect(mine.filter((v) => v.deleteMarker)).to.have.length(2);
        const seen = cloudfront.invalidations.length;

        const result = await issuer.deleteObject(s3Url);

        expect(result.counts).to.deep.equal({ hashes: 1, keys: 3, versions: 6, deleteMarkers: 2 });
        expect(result.removed.map((v) => `${v.key}@${v.versionId}:${v.deleteMarker}`)).to.have.members(mine.map((v) => `${v.key}@${v.versionId}:${v.deleteMarker}`));
        expect(cloudfront.invalidations.slice(seen).flatMap((i) => i.paths)).to.deep.equal([`/images/${hash}*`]);
        // The keys that merely start with the erased key keep every version.
        expect(await versions(config.bucket, key)).to.have.deep.members(before.filter((v) => v.key.startsWith(key) && !erased.has(v.key)));
        const after = await versions(config.bucket);
        expect(after.filter((v) => erased.has(v.key)), "nothing left under the erased keys").to.deep.equal([]);
        expect(after).to.have.deep.members(before.filter((v) => !erased.has(v.key)));
        // A second run finds nothing.
        const again = await issuer.deleteObject(s3Url);
        expect(again.counts).to.deep.equal({ hashes: 0, keys: 0, versions: 0, deleteMarkers: 0 });
        expect(await versions(config.bucket)).to.have.deep.members(after);
    });

    it("more than 1,000 versions: listed over several pages, deleted in DeleteObjects of at most 1,000", async () => {
        const { config, clients, issuer } = await service();
        const key = "uploads/many.png";
        const uploaded = await issuer.upload(image, { s3Key: key });
        // Distinct keys (moto can lose a version when one key is written concurrently), two versions of the first.
        await put(config.bucket, variantKey(key, "p0", "avif") as string, "first");
        for (let i = 0; i < 1010; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => put(config.bucket, variantKey(key, `p${i + j}`, "avif") as string, `v${i + j}`)));
        const listed = await versions(config.bucket);
        const stored = listed.length;
        const keys = new Set(listed.map((v) => v.key)).size;
        expect(stored, "p0 has two versions").to.equal(keys + 1);
        expect(stored).to.be.above(1000);
        const sizes: number[] = [];
        clients.s3.middlewareStack.add(
            (next, context) => async (args) => {
                if (context.commandName === "DeleteObjectsCommand") sizes.push(((args.input as { Delete: { Objects: unknown[] } }).Delete.Objects).length);
                return next(args);
            },
            { step: "initialize", name: "countDeletes" },
        );
        const result = await issuer.deleteObject(uploaded.s3Url);
        expect(result.counts).to.include({ keys, versions: stored, deleteMarkers: 0 });
        expect(Math.max(...sizes)).to.equal(1000);
        expect(sizes.reduce((a, b) => a + b, 0)).to.equal(stored);
        expect(await versions(config.bucket)).to.deep.equal([]);
    });

    it("interrupted while deleting versions (S3 fails the second DeleteObjects): a rerun deletes what is left, and only that", async () => {
        const { config, clients, issuer } = await service();
        const { s3Url, hash, erased } = await scene(config.bucket, issuer);
        const before = await versions(config.bucket);
        let deletes = 0;
        clients.s3.middlewareStack.add(
            (next, context) => async (args) => {
                if (context.commandName === "DeleteObjectsCommand" && ++deletes === 2) {
                    throw Object.assign(new Error("injected"), { name: "InternalError", $metadata: { httpStatusCode: 500 } });
                }
                return next(args);
            },
            { step: "initialize", name: "failSecondDelete" },
        );
        await rejection(issuer.deleteObject(s3Url), UpstreamError);
        // The original's versions are gone, the derived copies' are not, and the hash is still recorded.
        const partial = await versions(config.bucket);
        expect(partial.filter((v) => v.key === "uploads/user-7/photo.png")).to.deep.equal([]);
        expect(partial.filter((v) => erased.has(v.key))).to.not.deep.equal([]);
        const seen = cloudfront.invalidations.length;

        const rerun = await issuer.deleteObject(s3Url);
        expect(rerun.hashes).to.deep.equal([hash]);
        expect(rerun.counts).to.include({ keys: 2, versions: 3, deleteMarkers: 1 });
        expect(cloudfront.invalidations.slice(seen).flatMap((i) => i.paths)).to.deep.equal([`/images/${hash}*`]);
        expect(await versions(config.bucket)).to.have.deep.members(before.filter((v) => !erased.has(v.key)));
    });
});
