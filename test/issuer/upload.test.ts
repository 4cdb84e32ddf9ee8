import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, InvalidInputError, IssuerError, NotFoundError, RefusedContentError } from "../../issuer";
import { ImageIssuer } from "../../issuer/issuer";
import { AVIF_1X1, GIF_1X1, HTML_PAGE, JPEG_1X1, PDF_SIGNATURE, PNG_1X1, SVG_WITH_SCRIPT, TEXT, WEBP_1X1 } from "./fixtures";
import { TestService, useWorld } from "./world";
import { rejection } from "../support/rejection";

async function expectNothingWritten(svc: TestService): Promise<void> {
    expect(await svc.objectKeys()).to.deep.equal([]);
    expect(await svc.items()).to.deep.equal([]);
}

/** The decoded policy document of a presigned POST. */
function decodePolicy(fields: Record<string, string>): { expiration: string; conditions: unknown[] } {
    return JSON.parse(Buffer.from(fields.Policy, "base64").toString("utf8")) as { expiration: string; conditions: unknown[] };
}

/** POSTs a form to s3rver the way a browser would (fields first, then the file). */
async function postForm(url: string, fields: Record<string, string>, bytes: Buffer, contentType: string): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", new Blob([bytes], { type: contentType }), "upload.bin");
    return fetch(url, { method: "POST", body: form });
}

describe("issuer: uploads (s3rver + dynalite)", () => {
    const world = useWorld();
    let tmp: string;
    before(async () => {
        tmp = await fs.mkdtemp(path.join(os.tmpdir(), "sic-upload-"));
    });
    after(async () => {
        await fs.rm(tmp, { recursive: true, force: true });
    });

    describe("upload()", () => {
        it("stores a PNG under the upload prefix with its sniffed type and issues its URL", async () => {
            const svc = await world.newService();
            const result = await svc.issuer().upload(PNG_1X1);

            expect(result.contentType).to.equal("image/png");
            expect(result.bytes).to.equal(PNG_1X1.length);
            expect(result.s3Url).to.match(new RegExp(`^s3://${svc.config.bucket}/uploads/[0-9a-f]{32}\\.png$`));
            expect(result.url).to.equal(`https://cdn.example.test/images/${result.hash}`);
            const key = result.s3Url.slice(`s3://${svc.config.bucket}/`.length);
            const stored = await svc.getObject(key);
            expect(stored.contentType).to.equal("image/png");
            expect(stored.bytes).to.deep.equal(PNG_1X1);
            const inspected = await svc.issuer().inspect(result.hash as string);
            expect(inspected.s3Url).to.equal(result.s3Url);
            expect(inspected.expiresAt).to.equal(result.expiresAt);
        });

        it("reads a file path, and judges it by its bytes whatever its name", async () => {
            const svc = await world.newService();
            const file = path.join(tmp, "no-extension");
            await fs.writeFile(file, GIF_1X1);
            const result = await svc.issuer().upload(file);
            expect(result.contentType).to.equal("image/gif");
            expect(result.s3Url).to.match(/\.gif$/);
        });

        const allowed: [string, Buffer, string][] = [
            ["JPEG", JPEG_1X1, "image/jpeg"],
            ["WebP", WEBP_1X1, "image/webp"],
            ["AVIF", AVIF_1X1, "image/avif"],
        ];
        for (const [name, bytes, type] of allowed) {
            it(`accepts ${name} as ${type}`, async () => {
                const svc = await world.newService();
                const result = await svc.issuer().upload(bytes);
                expect(result.contentType).to.equal(type);
                const key = result.s3Url.slice(`s3://${svc.config.bucket}/`.length);
                expect((await svc.getObject(key)).contentType).to.equal(type);
            });
        }

        it("stores under an explicit key inside the upload prefix", async () => {
            const svc = await world.newService();
            const result = await svc.issuer().upload(PNG_1X1, { s3Key: "uploads/user/42/avatar.png" });
            expect(result.s3Url).to.equal(`s3://${svc.config.bucket}/uploads/user/42/avatar.png`);
            expect(await svc.objectKeys()).to.deep.equal(["uploads/user/42/avatar.png"]);
        });

        const refused: [string, Buffer, RegExp][] = [
            ["SVG (it can carry script)", SVG_WITH_SCRIPT, /SVG or other markup/],
            ["HTML", HTML_PAGE, /markup/],
            ["a PDF", PDF_SIGNATURE, /application\/pdf/],
            ["text", TEXT, /unrecognised type/],
            ["empty content", Buffer.alloc(0), /empty/],
            ["a PNG over maxUploadBytes", Buffer.concat([PNG_1X1, Buffer.alloc(1024 * 1024)]), /over the limit of 1048576 bytes/],
            ["a truncated PNG signature", PNG_1X1.subarray(0, 4), /unrecognised type/],
        ];
        for (const [name, bytes, message] of refused) {
            it(`refuses ${name} with RefusedContentError and writes nothing`, async () => {
                const svc = await world.newService();
                const error = await rejection(svc.issuer().upload(bytes), IssuerError);
                expect(error).to.be.instanceOf(RefusedContentError);
                expect(error.code).to.equal("REFUSED_CONTENT");
                expect(error.message).to.match(message);
                await expectNothingWritten(svc);
            });
        }

        it("refuses a text file named photo.png (judged by bytes) and writes nothing", async () => {
            const svc = await world.newService();
            const file = path.join(tmp, "photo.png");
            await fs.writeFile(file, TEXT);
            const error = await rejection(svc.issuer().upload(file), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            await expectNothingWritten(svc);
        });

        it("refuses an oversized file from its size, before reading it", async () => {
            const svc = await world.newService({ maxUploadBytes: 100 });
            const file = path.join(tmp, "big.png");
            await fs.writeFile(file, Buffer.concat([PNG_1X1, Buffer.alloc(200)]));
            const error = await rejection(svc.issuer().upload(file), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.message).to.match(new RegExp(`${PNG_1X1.length + 200} bytes is over the limit of 100 bytes`));
            await expectNothingWritten(svc);
        });

        it("a missing file is InvalidInputError without the full error internals", async () => {
            const svc = await world.newService();
            const error = await rejection(svc.issuer().upload(path.join(tmp, "missing.png")), IssuerError);
            expect(error).to.be.instanceOf(InvalidInputError);
            expect(error.message).to.match(/cannot read .*missing\.png.*\(ENOENT\)/);
            await expectNothingWritten(svc);
        });

        const badKeys = ["images/outside.png", "uploads/../secrets/x.png", "uploads/./x.png", "uploads//x.png", "uploads/", "/uploads/x.png", "uploads/x\u0000.png", "UPLOADS/x.png"];
        for (const key of badKeys) {
            it(`refuses key ${JSON.stringify(key)} (outside the prefix or traversal) with InvalidInputError and writes nothing`, async () => {
                const svc = await world.newService();
                const error = await rejection(svc.issuer().upload(PNG_1X1, { s3Key: key }), IssuerError);
                expect(error).to.be.instanceOf(InvalidInputError);
                expect(error.message).to.match(/must be under 'uploads\/'/);
                await expectNothingWritten(svc);
            });
        }

        it("removes the stored object again when the mapping cannot be stored, and reports the failure", async () => {
            const svc = await world.newService();
            const broken = { ...svc.config, tableName: "table-that-does-not-exist" };
            const error = await rejection(new ImageIssuer(broken, svc.clients).upload(PNG_1X1), IssuerError);
            expect(error).to.be.instanceOf(ConfigError);
            expect(error.message).to.match(/table 'table-that-does-not-exist' does not exist/);
            expect(await svc.objectKeys()).to.deep.equal([]);
        });

        it("a public service stores the image and returns its CDN URL by key, with no hash", async () => {
            const svc = await world.newService({ level: "public", service: "marketplace", tableName: undefined });
            const result = await svc.issuer().upload(PNG_1X1, { s3Key: "uploads/listing 7/photo.png" });
            expect(result.url).to.equal("https://cdn.example.test/uploads/listing%207/photo.png");
            expect(result).to.not.have.property("hash");
            expect(result).to.not.have.property("expiresAt");
        });
    });

    describe("createUploadForm() (presigned POST)", () => {
        it("pins bucket, exact key under the staging prefix, Content-Type and size 1..maxBytes, for five minutes", async () => {
            const svc = await world.newService();
            const form = await svc.issuer().createUploadForm({ contentType: "image/png", maxBytes: 5000 });

            // Forms write only under uploads/incoming/, where no hash is ever issued.
            expect(form.key).to.match(/^uploads\/incoming\/[0-9a-f]{32}\.png$/);
            expect(form.s3Url).to.equal(`s3://${svc.config.bucket}/${form.key}`);
            expect(form.url).to.equal(`${world.s3.endpoint}/${svc.config.bucket}`);
            expect(form.fields).to.include({ key: form.key, "Content-Type": "image/png", bucket: svc.config.bucket, "X-Amz-Algorithm": "AWS4-HMAC-SHA256" });
            expect(form.fields["X-Amz-Signature"]).to.match(/^[0-9a-f]{64}$/);

            const policy = decodePolicy(form.fields);
            expect(policy.conditions).to.deep.include(["content-length-range", 1, 5000]);
            expect(policy.conditions).to.deep.include({ "Content-Type": "image/png" });
            expect(policy.conditions).to.deep.include({ key: form.key });
            expect(policy.conditions).to.deep.include({ bucket: svc.config.bucket });
            expect(policy.conditions).to.deep.include({ "X-Amz-Algorithm": "AWS4-HMAC-SHA256" });
            // No condition lets the key or the type vary.
            expect(policy.conditions.filter((c) => Array.isArray(c) && c[0] === "starts-with")).to.deep.equal([]);
            const signedAt = form.fields["X-Amz-Date"].replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z");
            expect((Date.parse(policy.expiration) - Date.parse(signedAt)) / 1000).to.equal(300);
            expect(form.expiresAt).to.equal(Date.parse(policy.expiration) / 1000);
        });

        it("reports the expiry the signed policy carries, even when signing crosses a second boundary", async () => {
            const svc = await world.newService();
            // The first clock reading is the last millisecond of a second; every
            // later one (the SDK's, when it signs) is in the next second.
            const realNow = Date.now;
            const start = Math.floor(realNow() / 1000) * 1000 + 999;
            let readings = 0;
            Date.now = () => (readings++ === 0 ? start : start + 1);
            let form;
            try {
                form = await svc.issuer().createUploadForm({ contentType: "image/png" });
            } finally {
                Date.now = realNow;
            }
            const policy = decodePolicy(form.fields);
            expect(form.expiresAt, "expiresAt = the policy's expiration").to.equal(Date.parse(policy.expiration) / 1000);
        });

        it("defaults the size limit to the service's maxUploadBytes", async () => {
            const svc = await world.newService();
            const form = await svc.issuer().createUploadForm({ contentType: "image/webp" });
            expect(decodePolicy(form.fields).conditions).to.deep.include(["content-length-range", 1, 1024 * 1024]);
            expect(form.key).to.match(/\.webp$/);
        });

        it("refuses SVG and non-image types, a size over the service limit, and a long expiry", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            expect(await rejection(issuer.createUploadForm({ contentType: "image/svg+xml" }), IssuerError)).to.be.instanceOf(RefusedContentError);
            expect(await rejection(issuer.createUploadForm({ contentType: "text/html" }), IssuerError)).to.be.instanceOf(RefusedContentError);
            expect(await rejection(issuer.createUploadForm({ contentType: "image/png", maxBytes: 1024 * 1024 + 1 }), IssuerError)).to.be.instanceOf(InvalidInputError);
            expect(await rejection(issuer.createUploadForm({ contentType: "image/png", maxBytes: 0 }), IssuerError)).to.be.instanceOf(InvalidInputError);
            expect(await rejection(issuer.createUploadForm({ contentType: "image/png", expiresInSeconds: 7200 }), IssuerError)).to.be.instanceOf(InvalidInputError);
        });

        it("a real PNG posted with the form lands in s3rver; confirmUpload checks its bytes and issues its URL", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            const response = await postForm(form.url, form.fields, PNG_1X1, "image/png");
            expect(response.status).to.equal(204);

            const stored = await svc.getObject(form.key);
            expect(stored.bytes).to.deep.equal(PNG_1X1);
            expect(stored.contentType).to.equal("image/png");

            const confirmed = await issuer.confirmUpload(form.s3Url);
            expect(confirmed).to.include({ contentType: "image/png", bytes: PNG_1X1.length });
            expect(confirmed.url).to.equal(`https://cdn.example.test/images/${confirmed.hash}`);
            // The hash names a checked copy under a fresh key, outside the staging prefix; the post itself is gone.
            expect(confirmed.s3Url).to.match(new RegExp(`^s3://${svc.config.bucket}/uploads/[0-9a-f]{32}\\.png$`));
            expect((await issuer.inspect(confirmed.hash as string)).s3Url).to.equal(confirmed.s3Url);
            const servedKey = confirmed.s3Url.slice(`s3://${svc.config.bucket}/`.length);
            expect(await svc.objectKeys()).to.deep.equal([servedKey]);
            const served = await svc.getObject(servedKey);
            expect(served.bytes.equals(PNG_1X1)).to.equal(true);
            expect(served.contentType).to.equal("image/png");
        });

        it("bytes posted through the same, still valid form after the check never reach the hash (enforced by s3rver's own storage)", async () => {
            // s3rver accepts the second post, as real S3 does: the form's policy is still met (same key,
            // a declared image/png, within the size range). What stops the swap is that the hash names the
            // checked copy, not the form's key.
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            expect((await postForm(form.url, form.fields, PNG_1X1, "image/png")).status).to.equal(204);
            const confirmed = await issuer.confirmUpload(form.s3Url);
            const servedKey = confirmed.s3Url.slice(`s3://${svc.config.bucket}/`.length);

            expect((await postForm(form.url, form.fields, SVG_WITH_SCRIPT, "image/png")).status).to.equal(204);
            expect((await svc.getObject(form.key)).bytes.equals(SVG_WITH_SCRIPT), "the second post landed, in staging").to.equal(true);
            const served = await svc.getObject(servedKey);
            expect(served.bytes.equals(PNG_1X1), "the checked copy is untouched").to.equal(true);
            expect(served.contentType).to.equal("image/png");
            expect((await issuer.inspect(confirmed.hash as string)).s3Url).to.equal(confirmed.s3Url);
            // And nothing can point a hash at the form's key: issuing for it is refused.
            const error = await rejection(issuer.generateSecureUrl(form.s3Url), InvalidInputError);
            expect(error.message).to.match(/upload forms write.*confirmUpload/);
        });

        it("confirmUpload serves the bytes it judged: a post replacing the staging object after it was read cannot get an SVG served", async () => {
            // The race the staging prefix exists for: a PNG is posted and read, and an SVG is posted through the same,
            // still valid form before the checked bytes are stored. Storing the staging object (a copy of it, or a
            // second read) instead of the bytes that were judged would serve the SVG.
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            expect((await postForm(form.url, form.fields, PNG_1X1, "image/png")).status).to.equal(204);
            const calls: { command: string; key: string }[] = [];
            let swapped = false;
            svc.clients.s3.middlewareStack.add(
                (next, context) => async (args) => {
                    const { Key } = args.input as { Key?: string };
                    const command = context.commandName ?? "";
                    calls.push({ command, key: Key ?? "" });
                    if ((command === "PutObjectCommand" || command === "CopyObjectCommand") && !swapped) {
                        swapped = true;
                        expect((await postForm(form.url, form.fields, SVG_WITH_SCRIPT, "image/png")).status, "the second post lands").to.equal(204);
                    }
                    return next(args);
                },
                { step: "initialize", name: "secondPostBeforeTheWrite" },
            );

            const confirmed = await issuer.confirmUpload(form.s3Url);
            expect(swapped, "the served object was written after the second post").to.equal(true);
            const servedKey = confirmed.s3Url.slice(`s3://${svc.config.bucket}/`.length);
            const served = await svc.getObject(servedKey);
            expect(served.bytes.subarray(0, 8).equals(PNG_1X1.subarray(0, 8)), "a PNG is served").to.equal(true);
            expect(served.bytes.includes(Buffer.from("<svg")), "no byte of the SVG").to.equal(false);
            expect(served.contentType).to.equal("image/png");
            // The post was read once, from staging, and never again: what is stored is what was judged.
            const reads = calls.filter((call) => ["GetObjectCommand", "HeadObjectCommand", "CopyObjectCommand"].includes(call.command));
            expect(reads).to.deep.equal([{ command: "GetObjectCommand", key: form.key }]);
            expect(calls.filter((call) => call.command === "PutObjectCommand").map((call) => call.key)).to.deep.equal([servedKey]);
        });

        it("the form's policy can write only its own staging key, never a served one (the contract real S3 enforces and s3rver does not)", async () => {
            // s3rver ignores POST policies, so this is shown on the signed policy itself: an exact key condition, no
            // starts-with, and that key is under uploads/incoming/ while every served key is outside it.
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            const keyConditions = decodePolicy(form.fields).conditions.filter(
                (c) => (typeof c === "object" && c !== null && !Array.isArray(c) && "key" in c) || (Array.isArray(c) && (c[1] === "$key" || c[0] === "starts-with")),
            );
            expect(keyConditions).to.deep.equal([{ key: form.key }]);
            expect(form.key.startsWith("uploads/incoming/")).to.equal(true);
            await postForm(form.url, form.fields, PNG_1X1, "image/png");
            const confirmed = await issuer.confirmUpload(form.s3Url);
            const uploaded = await issuer.upload(PNG_1X1);
            for (const served of [confirmed.s3Url, uploaded.s3Url]) expect(served, served).to.not.include("/uploads/incoming/");
            await rejection(issuer.upload(PNG_1X1, { s3Key: "uploads/incoming/mine.png" }), InvalidInputError);
        });

        it("s3rver does NOT enforce POST policies: it stores an SVG posted against a PNG form (real S3 refuses it); confirmUpload refuses and deletes it", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png", maxBytes: 10 });
            // Breaks the policy twice: another Content-Type, and over 10 bytes. s3rver accepts it anyway.
            const response = await postForm(form.url, { ...form.fields, "Content-Type": "image/svg+xml" }, SVG_WITH_SCRIPT, "image/svg+xml");
            expect(response.status).to.equal(204);
            expect(await svc.objectKeys()).to.deep.equal([form.key]);

            const error = await rejection(issuer.confirmUpload(form.s3Url), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(await svc.objectKeys()).to.deep.equal([]);
            expect(await svc.items()).to.deep.equal([]);
        });

        it("confirmUpload refuses an image whose stored Content-Type differs from its bytes, and deletes it", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            await postForm(form.url, { ...form.fields, "Content-Type": "image/png" }, GIF_1X1, "image/png");
            const error = await rejection(issuer.confirmUpload(form.s3Url), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.message).to.match(/claims "image\/png" but its bytes are image\/gif/);
            expect(await svc.objectKeys()).to.deep.equal([]);
        });

        it("confirmUpload refuses and deletes an empty posted object", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            expect((await postForm(form.url, form.fields, Buffer.alloc(0), "image/png")).status).to.equal(204);
            const error = await rejection(issuer.confirmUpload(form.s3Url), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.message).to.match(/empty/);
            expect(await svc.objectKeys()).to.deep.equal([]);
        });

        it("confirmUpload refuses and deletes a posted object over maxUploadBytes without downloading it", async () => {
            const svc = await world.newService({ maxUploadBytes: 100 });
            const issuer = svc.issuer();
            const form = await issuer.createUploadForm({ contentType: "image/png" });
            const big = Buffer.concat([PNG_1X1, Buffer.alloc(200)]);
            expect((await postForm(form.url, form.fields, big, "image/png")).status).to.equal(204); // s3rver ignores content-length-range
            const error = await rejection(issuer.confirmUpload(form.s3Url), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.message).to.match(new RegExp(`${big.length} bytes is over the limit of 100 bytes`));
            expect(await svc.objectKeys()).to.deep.equal([]);
            expect(await svc.items()).to.deep.equal([]);
        });

        it("confirmUpload of a key never posted is NotFoundError; outside the prefix is InvalidInputError", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            expect(await rejection(issuer.confirmUpload(`s3://${svc.config.bucket}/uploads/incoming/${"0".repeat(32)}.png`), IssuerError)).to.be.instanceOf(NotFoundError);
            expect(await rejection(issuer.confirmUpload(`s3://${svc.config.bucket}/private/x.png`), IssuerError)).to.be.instanceOf(InvalidInputError);
            // Only a form's own key: an object outside staging was never posted through a form.
            expect(await rejection(issuer.confirmUpload(`s3://${svc.config.bucket}/uploads/never.png`), IssuerError)).to.be.instanceOf(InvalidInputError);
            expect(await svc.items()).to.deep.equal([]);
            expect(await svc.objectKeys()).to.deep.equal([]);
        });
    });
});
