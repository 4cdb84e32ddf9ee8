/**
 * An upload posted through a form is never served before `confirmUpload`
 * has checked it, at any level: the local stack in-process with a service
 * of each level and mode, a real form post to the local S3, then the CDN
 * asked for the posted key by every spelling of it. `public` serves objects
 * by key, so there only the bucket policy stands in the way (its staging
 * deny, applied by the local origin as S3 applies it); the guarded levels'
 * edge functions answer only `/images/<hash>` anyway.
 */
import { expect } from "chai";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { startTestStack } from "../support/local-stack";

/** POSTs an upload form to the local S3 as a browser would (fields first, then the file). */
async function postForm(url: string, fields: Record<string, string>, bytes: Buffer): Promise<number> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", new Blob([bytes], { type: "image/png" }), "photo.png");
    return (await fetch(url, { method: "POST", body: form })).status;
}

describe("local stack: the staging prefix is never served, at any level", function () {
    this.timeout(120_000);
    const image = checkerPng({ width: 6, height: 6, square: 3, colors: [[200, 0, 0], [0, 0, 200]] });
    let stack: LocalStack;

    before(async () => {
        stack = await startTestStack({
            services: {
                services: ["discussion", "chat", "regulatory", "marketplace", "nudges"],
                overrides: { chat: { mode: "redirect" }, nudges: { uploadPrefix: "promo/" } },
            },
            region: "eu-west-1",
        });
    });
    after(async () => {
        await stack?.close();
    });

    const service = (name: string) => stack.services.find((s) => s.name === name) as RunningService;
    const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");
    const spellings = (key: string) => [encodeKey(key), encodeKey(key).replace("incoming", "%69ncoming"), encodeKey(key).replace(/\//g, "%2F")];

    for (const [name, refusedWith] of [
        ["discussion", 404],
        ["chat", 404],
        ["regulatory", 404],
        ["marketplace", 403],
        ["nudges", 403],
    ] as const) {
        it(`${name}: a posted, unconfirmed upload is not served (${refusedWith}); once confirmed, its copy is`, async () => {
            const svc = service(name);
            const form = await svc.local.issuer.createUploadForm({ contentType: "image/png" });
            expect(form.key.startsWith(`${svc.local.config.uploadPrefix}incoming/`)).to.equal(true);
            expect(await postForm(form.url, form.fields, image)).to.equal(204);
            for (const spelling of spellings(form.key)) {
                for (const method of ["GET", "HEAD"]) {
                    const answer = await fetch(`${svc.cdn.server.baseUrl}/${spelling}`, { method, redirect: "manual" });
                    const body = Buffer.from(await answer.arrayBuffer());
                    expect(answer.status, `${method} /${spelling}`).to.equal(refusedWith);
                    expect(body.includes(image.subarray(0, 16)), `${method} /${spelling}: no byte of the upload`).to.equal(false);
                }
            }
            const confirmed = await svc.local.issuer.confirmUpload(form.s3Url);
            const served = await fetch(confirmed.url);
            expect(served.status).to.equal(200);
            expect(Buffer.from(await served.arrayBuffer()).equals(image)).to.equal(true);
        });
    }

    it("public: the refusal is the bucket policy's, for that instance's own prefix: a folder of that name elsewhere is an ordinary key", async () => {
        const nudges = service("nudges");
        const key = "promo/uploads/incoming/not-staging-here.png";
        await nudges.local.issuer.upload(image, { s3Key: key });
        const answer = await fetch(`${nudges.cdn.server.baseUrl}/${key}`);
        expect(answer.status).to.equal(200);
        const denied = await fetch(`${nudges.cdn.server.baseUrl}/promo/incoming/x.png`);
        expect(denied.status).to.equal(403);
        expect(await denied.text()).to.include("<Code>AccessDenied</Code>");
    });
});
