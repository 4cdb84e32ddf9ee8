/**
 * Erasure (`deleteObject`) end to end against dynalite, s3rver and the
 * CloudFront recorder: every hash revoked (index and pointer), the original
 * and every derived copy deleted, every hash's paths invalidated, and
 * nothing else touched: the whole bucket (keys and bytes) and the whole
 * table are compared before and after. s3rver keeps no versions (it answers
 * ListObjectVersions with NotImplemented); versions and delete markers are
 * tested against moto in erase-versions.test.ts.
 */
import { expect } from "chai";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { variantKey } from "../../core/variants";
import { InvalidInputError, objectPointerKey, ThrottledError, UpstreamError } from "../../issuer";
import { dynamoError, PASS } from "../support/dynamo-proxy";
import { manualClock } from "../support/clock";
import { rejection } from "../support/rejection";
import { checkerPng } from "../../local/png";
import { TEST_START_MS, TestService, useWorld } from "./world";

type Snapshot = Record<string, string>;

describe("issuer: deleteObject, erasure of every copy (dynalite + s3rver + CloudFront recorder)", () => {
    const world = useWorld();
    const image = checkerPng({ width: 4, height: 4, square: 2, colors: [[200, 30, 30], [255, 255, 255]] });

    /** Every object in the bucket, key → bytes as hex. */
    async function bucket(svc: TestService): Promise<Snapshot> {
        const result: Snapshot = {};
        for (const key of await svc.objectKeys()) result[key] = (await svc.getObject(key)).bytes.toString("hex");
        return result;
    }

    /** Every item in the table, by its key. */
    async function table(svc: TestService): Promise<Record<string, unknown>> {
        return Object.fromEntries((await svc.items()).map((item) => [String(item.hash), item]));
    }

    async function put(svc: TestService, key: string, body: string): Promise<void> {
        await world.admin.s3.send(new PutObjectCommand({ Bucket: svc.config.bucket, Key: key, Body: body }));
    }

    /**
     * A service holding the object to erase (two hashes: one rotated out, one
     * current; three variants) and neighbours that must survive: another
     * upload with its hash and variant, a key that starts with the erased
     * key, and an object one folder below it whose variants live under the
     * erased key's derived folder.
     */
    async function scene() {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const uploaded = await issuer.upload(image, { s3Key: "uploads/user-7/photo.png" });
        clock.advanceSeconds(29.5 * 24 * 3600);
        const second = await issuer.generateSecureUrl(uploaded.s3Url);
        expect(second.hash).to.not.equal(uploaded.hash);
        const key = "uploads/user-7/photo.png";
        const variants = [variantKey(key, "thumb", "avif"), variantKey(key, "thumb", "fallback"), variantKey(key, "large", "webp")] as string[];
        for (const variant of variants) await put(svc, variant, `variant ${variant}`);
        // Neighbours.
        const other = await issuer.upload(image, { s3Key: "uploads/user-8/photo.png" });
        await put(svc, variantKey("uploads/user-8/photo.png", "thumb", "avif") as string, "other variant");
        await put(svc, "uploads/user-7/photo.png.bak", "a key that starts with the erased one");
        await put(svc, "uploads/user-7/photo.png/inner.png", "an object one folder below");
        await put(svc, variantKey("uploads/user-7/photo.png/inner.png", "thumb", "avif") as string, "its variant, under the erased key's derived folder");
        return { svc, issuer, clock, key, uploaded, hashes: [uploaded.hash as string, second.hash], variants, other };
    }

    it("revokes every hash, deletes the original and every derived copy, invalidates each hash's paths, and touches nothing else", async () => {
        const { svc, issuer, key, uploaded, hashes, variants, other } = await scene();
        const bucketBefore = await bucket(svc);
        const tableBefore = await table(svc);
        expect(Object.keys(tableBefore)).to.include.members([...hashes, objectPointerKey(uploaded.s3Url)]);
        const seen = world.cloudfront.invalidations.length;

        const result = await issuer.deleteObject(uploaded.s3Url);

        expect(result.s3Url).to.equal(uploaded.s3Url);
        expect(result.key).to.equal(key);
        expect(result.hashes).to.have.members(hashes);
        expect(result.removed).to.have.deep.members([key, ...variants].map((k) => ({ key: k, deleteMarker: false })));
        expect(result.counts).to.deep.equal({ hashes: 2, keys: 4, versions: 4, deleteMarkers: 0 });
        const sent = world.cloudfront.invalidations.slice(seen);
        expect(sent).to.have.length(1);
        expect(sent[0].paths).to.have.members(hashes.map((hash) => `/images/${hash}*`));
        expect(result.invalidations.map((i) => i.paths)).to.deep.equal(sent.map((i) => i.paths));

        // Exactly these went: every other object and item is as it was, bytes and attributes alike.
        const bucketExpected = { ...bucketBefore };
        for (const gone of [key, ...variants]) delete bucketExpected[gone];
        expect(await bucket(svc)).to.deep.equal(bucketExpected);
        const tableExpected = { ...tableBefore };
        for (const gone of [...hashes, objectPointerKey(uploaded.s3Url)]) delete tableExpected[gone];
        expect(await table(svc)).to.deep.equal(tableExpected);
        expect(Object.keys(tableExpected)).to.include(other.hash);
    });

    it("states the bound: required + origin (the component's defaults assumed) from the moment it returned, cached copies until the invalidation completes, a raced copy until the invalidator's second one", async () => {
        const { issuer, uploaded, clock } = await scene();
        const result = await issuer.deleteObject(uploaded.s3Url);
        expect(result.stops).to.deep.include({
            level: "required",
            mode: "origin",
            goneAt: Math.ceil(clock.now() / 1000),
            untilInvalidationCompletes: true,
            hashUrlWithinSeconds: 60,
            racedCopyWithinSeconds: 75,
            basis: "defaults",
        });
        expect(result.stops.summary).to.match(/^required \+ origin: no byte of it is served by any route from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .*until the invalidation completes/);
    });

    it("secured: no byte from the moment it returned, cached copies included (the edge checks every request)", async () => {
        const svc = await world.newService({ level: "secured", mode: "redirect", memoTtlSeconds: 0, signedUrlTtlSeconds: 300 });
        const issuer = svc.issuer();
        const uploaded = await issuer.upload(image);
        const result = await issuer.deleteObject(uploaded.s3Url);
        expect(result.stops).to.deep.include({ level: "secured", mode: "redirect", untilInvalidationCompletes: false, hashUrlWithinSeconds: 0, basis: "settings" });
        expect(result.stops).to.not.have.property("racedCopyWithinSeconds");
        expect(result.stops.summary).to.include("the edge checks every request");
        expect(await svc.objectKeys()).to.deep.equal([]);
    });

    it("is idempotent: a second run finds nothing, sends no invalidation and changes nothing", async () => {
        const { svc, issuer, uploaded } = await scene();
        await issuer.deleteObject(uploaded.s3Url);
        const [bucketAfter, tableAfter, sent] = [await bucket(svc), await table(svc), world.cloudfront.invalidations.length];
        const again = await issuer.deleteObject(uploaded.s3Url);
        expect(again.counts).to.deep.equal({ hashes: 0, keys: 0, versions: 0, deleteMarkers: 0 });
        expect(again.removed).to.deep.equal([]);
        expect(again.invalidations).to.deep.equal([]);
        expect(world.cloudfront.invalidations.length).to.equal(sent);
        expect(await bucket(svc)).to.deep.equal(bucketAfter);
        expect(await table(svc)).to.deep.equal(tableAfter);
    });

    it("interrupted at the invalidation (CloudFront refuses): the bytes are gone, the hashes kept; a rerun invalidates them and finishes", async () => {
        const { svc, issuer, uploaded, hashes, variants, key } = await scene();
        world.cloudfront.failWith = "TooManyInvalidationsInProgress";
        const error = await rejection(issuer.deleteObject(uploaded.s3Url), ThrottledError);
        expect(error.message).to.include("run the erasure again");
        world.cloudfront.failWith = undefined;
        // The partial state: no byte left, every hash still in the table (the record a rerun needs).
        const keys = await svc.objectKeys();
        for (const gone of [key, ...variants]) expect(keys).to.not.include(gone);
        expect(Object.keys(await table(svc))).to.include.members([...hashes, objectPointerKey(uploaded.s3Url)]);

        const seen = world.cloudfront.invalidations.length;
        const rerun = await issuer.deleteObject(uploaded.s3Url);
        expect(rerun.hashes).to.have.members(hashes);
        expect(rerun.counts).to.include({ keys: 0, versions: 0 });
        expect(world.cloudfront.invalidations.slice(seen).flatMap((i) => i.paths)).to.have.members(hashes.map((hash) => `/images/${hash}*`));
        expect(Object.keys(await table(svc))).to.not.include.any.members([...hashes, objectPointerKey(uploaded.s3Url)]);
    });

    it("interrupted while deleting the mappings (DynamoDB fails the second DeleteItem): a rerun deletes the rest", async () => {
        const { svc, uploaded, hashes } = await scene();
        const through = svc.through({ dynamodb: world.proxy.endpoint }, { maxAttempts: 1 });
        try {
            let deletes = 0;
            world.proxy.plan = (operation) =>
                operation === "DeleteItem" && ++deletes === 2 ? dynamoError(500, "InternalServerError", "Internal server error") : { kind: "pass" };
            await rejection(through.issuer.deleteObject(uploaded.s3Url), UpstreamError);
            const left = Object.keys(await table(svc));
            // One mapping went, one stayed, and so did the pointer.
            expect(hashes.filter((hash) => left.includes(hash))).to.have.length(1);
            expect(left).to.include(objectPointerKey(uploaded.s3Url));

            world.proxy.plan = PASS;
            const rerun = await through.issuer.deleteObject(uploaded.s3Url);
            expect(rerun.hashes).to.have.length(1);
            expect(Object.keys(await table(svc))).to.not.include.any.members([...hashes, objectPointerKey(uploaded.s3Url)]);
        } finally {
            through.done();
        }
    });

    it("a variant a resize stores while the derived copies are being deleted is swept up before it returns", async () => {
        const { svc, uploaded, key } = await scene();
        const late = variantKey(key, "small", "webp") as string;
        let wrote = false;
        const own = svc.through({}, { maxAttempts: 1 });
        try {
            own.clients.s3.middlewareStack.add(
                (next, context) => async (args) => {
                    const result = await next(args);
                    const objects = (args.input as { Delete?: { Objects?: { Key?: string }[] } }).Delete?.Objects ?? [];
                    if (context.commandName === "DeleteObjectsCommand" && !wrote && objects.some((o) => o.Key?.startsWith("derived/"))) {
                        wrote = true;
                        await put(svc, late, "made by a resize that read the original before it was deleted");
                    }
                    return result;
                },
                { step: "initialize", name: "racingResize" },
            );
            const result = await own.issuer.deleteObject(uploaded.s3Url);
            expect(wrote).to.equal(true);
            expect(result.removed.map((v) => v.key)).to.include(late);
            expect(await svc.objectKeys()).to.not.include(late);
        } finally {
            own.done();
        }
    });

    it("refuses a key outside the upload prefix and one under the staging prefix, naming the prefix, and touches nothing", async () => {
        const { svc, issuer } = await scene();
        const [bucketBefore, tableBefore, sent] = [await bucket(svc), await table(svc), world.cloudfront.invalidations.length];
        const outside = await rejection(issuer.deleteObject(`s3://${svc.config.bucket}/derived/uploads/user-8/photo.png/thumb.avif`), InvalidInputError);
        expect(outside.message).to.include("outside this service's upload prefix 'uploads/'");
        await put(svc, "uploads/incoming/post.png", "a post");
        const staging = await rejection(issuer.deleteObject(`s3://${svc.config.bucket}/uploads/incoming/post.png`), InvalidInputError);
        expect(staging.message).to.include("under the staging prefix 'uploads/incoming/'");
        const other = await rejection(issuer.deleteObject(`s3://another-bucket/uploads/user-8/photo.png`), InvalidInputError);
        expect(other.message).to.include(`not in this service's bucket (${svc.config.bucket})`);
        expect(await bucket(svc)).to.deep.equal({ ...bucketBefore, "uploads/incoming/post.png": Buffer.from("a post").toString("hex") });
        expect(await table(svc)).to.deep.equal(tableBefore);
        expect(world.cloudfront.invalidations.length).to.equal(sent);
    });

    it("a public service has no hashes to revoke: ConfigError before anything is deleted", async () => {
        const svc = await world.newService({ level: "public", tableName: undefined });
        const issuer = svc.issuer();
        await put(svc, "uploads/a.png", "bytes");
        const error = await rejection(issuer.deleteObject(`s3://${svc.config.bucket}/uploads/a.png`), Error);
        expect(error).to.have.property("code", "CONFIG");
        expect(await svc.objectKeys()).to.deep.equal(["uploads/a.png"]);
    });
});
