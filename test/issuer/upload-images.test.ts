/**
 * What upload and confirmUpload store and say about an image, against
 * s3rver and dynalite: the stored object has no personal metadata (read back
 * with exifr and a byte search), its pixels are the uploaded ones, and the
 * result and the mapping carry the displayed size and the placeholder.
 */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import exifr from "exifr";
import sharp from "sharp";
import { thumbHashToRGBA } from "thumbhash";
import { ConfigError, RefusedContentError } from "../../issuer";
import { ImageIssuer } from "../../issuer/issuer";
import { manualClock } from "../support/clock";
import { rejection, thrown } from "../support/rejection";
import { JPEG_SIGNATURE_ONLY, PNG_1X1 } from "./fixtures";
import { exifrSees, expectNoSecrets, expectUprightForOrientation6, PERSONAL_TAGS, rawPixels } from "./image/checks";
import { phoneAvif, phoneJpeg, phoneWebp, textPng } from "./image/fixtures";
import { TEST_START_MS, TestService, useWorld } from "./world";

async function postForm(url: string, fields: Record<string, string>, bytes: Buffer, contentType: string): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", new Blob([bytes], { type: contentType }), "upload.bin");
    return fetch(url, { method: "POST", body: form });
}

function keyOf(svc: TestService, s3Url: string): string {
    return s3Url.slice(`s3://${svc.config.bucket}/`.length);
}

describe("issuer: uploaded images lose their personal metadata and gain a size and a placeholder (s3rver + dynalite)", () => {
    const world = useWorld();
    let jpeg: Buffer;
    before(async () => {
        jpeg = await phoneJpeg(6);
    });

    it("upload() stores the JPEG without GPS, device or serial, pixels unchanged, and returns its displayed size and placeholder", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const result = await issuer.upload(jpeg);

        const stored = (await svc.getObject(keyOf(svc, result.s3Url))).bytes;
        expect(result.bytes).to.equal(stored.length);
        expect(stored.length).to.be.below(jpeg.length);
        const seen = await exifrSees(stored);
        for (const tag of PERSONAL_TAGS) expect(seen, tag).to.not.have.property(tag);
        expect(await exifr.gps(stored)).to.equal(undefined);
        expectNoSecrets(stored);
        expect((await rawPixels(stored)).data.equals((await rawPixels(jpeg)).data)).to.equal(true);
        expectUprightForOrientation6(await rawPixels(stored, { orient: true }));

        expect(result.metadata).to.deep.include({ stripped: true, reencoded: false, kept: ["exif:orientation", "icc"] });
        expect(result.metadata.removed).to.include.members(["exif:gps", "exif:device", "exif:serial", "exif:maker-notes", "exif:thumbnail", "xmp", "iptc", "comment", "mpf", "trailer"]);
        expect([result.width, result.height]).to.deep.equal([48, 64]);
        const decoded = thumbHashToRGBA(Buffer.from(result.placeholder, "base64"));
        expect(decoded.w / decoded.h).to.be.closeTo(48 / 64, 0.1);
        expect(result.placeholder.length).to.be.at.most(40);
    });

    it("stores the size and placeholder with the mapping: issuing and inspecting again return them, the edge's attributes unchanged", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const result = await issuer.upload(jpeg);
        const items = await svc.items();
        const mapping = items.find((item) => item.hash === result.hash);
        expect(mapping).to.deep.include({ s3_url: result.s3Url, expires_at: result.expiresAt, width: 48, height: 64, placeholder: result.placeholder });

        const again = await issuer.generateSecureUrl(result.s3Url);
        expect(again).to.deep.include({ reused: true, hash: result.hash, width: 48, height: 64, placeholder: result.placeholder });
        const inspected = await issuer.inspect(result.hash as string);
        expect(inspected).to.deep.include({ width: 48, height: 64, placeholder: result.placeholder });
    });

    it("a new hash for the same object (the old one near its end) carries the size and placeholder over", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const first = await issuer.upload(jpeg);
        clock.advanceSeconds(svc.config.hashTtlSeconds - 3600);
        const renewed = await issuer.generateSecureUrl(first.s3Url);
        expect(renewed.reused).to.equal(false);
        expect(renewed.hash).to.not.equal(first.hash);
        expect(renewed).to.deep.include({ width: 48, height: 64, placeholder: first.placeholder });
    });

    it("an object the issuer never described gets a mapping without them (the fields are absent, not made up)", async () => {
        const svc = await world.newService();
        const issued = await svc.issuer().generateSecureUrl(`s3://${svc.config.bucket}/elsewhere/photo.jpg`);
        expect(issued).to.not.have.any.keys("width", "height", "placeholder");
        const [mapping] = (await svc.items()).filter((item) => item.hash === issued.hash);
        expect(mapping).to.not.have.any.keys("width", "height", "placeholder");
    });

    it("a mapping whose description is malformed still resolves, without the description", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const issued = await issuer.upload(jpeg);
        const item = (await svc.items()).find((i) => i.hash === issued.hash) as Record<string, string | number>;
        for (const [attribute, bad] of [
            ["placeholder", { S: "<script>" }],
            ["width", { N: "0" }],
            ["height", { S: "64" }],
        ] as const) {
            const raw = Object.fromEntries(Object.entries(item).map(([name, value]) => [name, typeof value === "number" ? { N: String(value) } : { S: value }]));
            await world.admin.dynamo.send(new PutItemCommand({ TableName: svc.config.tableName, Item: { ...raw, [attribute]: bad } }));
            const inspected = await issuer.inspect(issued.hash as string);
            expect(inspected.s3Url, attribute).to.equal(issued.s3Url);
            expect(inspected, attribute).to.not.have.any.keys("width", "height", "placeholder");
        }
    });

    it("a new image uploaded under a key whose hash is reused replaces the size and placeholder in the mapping", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const key = "uploads/avatar.png";
        const first = await issuer.upload(PNG_1X1, { s3Key: key });
        expect([first.width, first.height]).to.deep.equal([1, 1]);
        const second = await issuer.upload(await textPng(1), { s3Key: key });
        expect(second.hash).to.equal(first.hash);
        expect([second.width, second.height]).to.deep.equal([64, 48]);
        expect(await issuer.generateSecureUrl(second.s3Url)).to.deep.include({ width: 64, height: 48, placeholder: second.placeholder });
    });

    it("confirmUpload stores the stripped bytes under the fresh key, deletes the post, and returns the size and placeholder", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const png = await textPng(6);
        const form = await issuer.createUploadForm({ contentType: "image/png" });
        expect((await postForm(form.url, form.fields, png, "image/png")).status).to.equal(204);
        const confirmed = await issuer.confirmUpload(form.s3Url);

        expect(await svc.objectKeys()).to.deep.equal([keyOf(svc, confirmed.s3Url)]);
        const stored = await svc.getObject(keyOf(svc, confirmed.s3Url));
        expect(stored.contentType).to.equal("image/png");
        expect(confirmed.bytes).to.equal(stored.bytes.length);
        const seen = await exifrSees(stored.bytes);
        for (const tag of PERSONAL_TAGS) expect(seen, tag).to.not.have.property(tag);
        expectNoSecrets(stored.bytes);
        expect((await rawPixels(stored.bytes)).data.equals((await rawPixels(png)).data)).to.equal(true);
        expect(confirmed).to.deep.include({ width: 48, height: 64 });
        expect(confirmed.metadata.removed).to.include.members(["exif:gps", "png:text", "xmp"]);
        expect(await issuer.generateSecureUrl(confirmed.s3Url)).to.deep.include({ reused: true, width: 48, height: 64, placeholder: confirmed.placeholder });
    });

    it("confirmUpload refuses a post that sniffs as its type but does not decode, and deletes it; nothing is written", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const form = await issuer.createUploadForm({ contentType: "image/jpeg" });
        await postForm(form.url, form.fields, JPEG_SIGNATURE_ONLY, "image/jpeg");
        const error = await rejection(issuer.confirmUpload(form.s3Url), RefusedContentError);
        expect(error.message).to.match(/^refused: the JPEG is malformed/);
        expect(await svc.objectKeys()).to.deep.equal([]);
        expect(await svc.items()).to.deep.equal([]);
        await rejection(issuer.upload(JPEG_SIGNATURE_ONLY), RefusedContentError);
        expect(await svc.objectKeys()).to.deep.equal([]);
    });

    it("with stripMetadata off, the bytes are stored as uploaded and the result says so; size and placeholder still come", async () => {
        const svc = await world.newService();
        const issuer = new ImageIssuer(svc.config, svc.clients, { stripMetadata: false });
        const result = await issuer.upload(jpeg);
        expect((await svc.getObject(keyOf(svc, result.s3Url))).bytes.equals(jpeg)).to.equal(true);
        expect(result.metadata).to.deep.equal({ stripped: false, removed: [], kept: [], reencoded: false });
        expect([result.width, result.height]).to.deep.equal([48, 64]);
    });

    it("stripMetadata must be a boolean: anything else is a ConfigError naming it", async () => {
        const svc = await world.newService();
        const error = thrown(() => new ImageIssuer(svc.config, svc.clients, { stripMetadata: "no" as unknown as boolean }), ConfigError);
        expect(error.message).to.equal("stripMetadata must be true or false");
    });

    it("a WebP and an AVIF are stored without their EXIF and XMP, neither re-encoded (same pixels)", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const webp = await issuer.upload(await phoneWebp(6));
        const avif = await issuer.upload(await phoneAvif());
        for (const result of [webp, avif]) {
            const stored = (await svc.getObject(keyOf(svc, result.s3Url))).bytes;
            expectNoSecrets(stored);
            expect((await sharp(stored).metadata()).xmp).to.equal(undefined);
        }
        expect([webp.width, webp.height, webp.metadata.reencoded]).to.deep.equal([48, 64, false]);
        expect([avif.width, avif.height, avif.metadata.reencoded]).to.deep.equal([64, 48, false]);
        const stored = (await svc.getObject(keyOf(svc, avif.s3Url))).bytes;
        expect((await sharp(stored).raw().toBuffer()).equals(await sharp(await phoneAvif()).raw().toBuffer())).to.equal(true);
    });

    it("a public service stores the stripped image and returns its size and placeholder, with no mapping", async () => {
        const svc = await world.newService({ level: "public", tableName: undefined, service: "marketplace" });
        const result = await svc.issuer().upload(jpeg);
        expect(result.hash).to.equal(undefined);
        expect([result.width, result.height]).to.deep.equal([48, 64]);
        expectNoSecrets((await svc.getObject(keyOf(svc, result.s3Url))).bytes);
    });
});
