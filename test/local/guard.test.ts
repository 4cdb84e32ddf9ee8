/**
 * The local stack's guard, rule by rule (local/guard.ts), and the policies
 * of the ports that are not the playground (whose own rules are in
 * playground/guard.test.ts): a DynamoDB port, the CloudFront API, the
 * local S3 and a CDN.
 */
import { expect } from "chai";
import { CONTROL_API_POLICY } from "../../local/cloudfront/control-api";
import { CDN_POLICY } from "../../local/cloudfront/server";
import { dynamoPolicy } from "../../local/dynalite-front";
import { GuardInput, localOrigins, refusal } from "../../local/guard";
import { isPresignedObjectRead, s3Policy } from "../../local/s3-front";

const PORT = 4502;
const sdk: GuardInput = { method: "POST", path: "/", query: "", host: `127.0.0.1:${PORT}` };
const PLAYGROUND = localOrigins(4500);
const PRESIGNED = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20300101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20300101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=ab12";

describe("the local stack's guard", () => {
    it("Host: this machine at this port (or no port), in any case; anything else is refused on every port", () => {
        for (const policy of [dynamoPolicy(), CONTROL_API_POLICY, s3Policy(), CDN_POLICY]) {
            for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `LOCALHOST:${PORT}`, "127.0.0.1", "localhost"]) {
                expect(refusal({ ...sdk, host }, PORT, policy), `${policy.name} ${host}`).to.equal(undefined);
            }
            for (const host of [undefined, "", `evil.example:${PORT}`, `127.0.0.1:${PORT + 1}`, `127.0.0.1.evil.example:${PORT}`, `[::1]:${PORT}`, `localhost.:${PORT}`]) {
                expect(refusal({ ...sdk, host }, PORT, policy), `${policy.name} ${String(host)}`).to.match(/answers only to http:\/\/127\.0\.0\.1:4502\/ \(Host\)/);
            }
        }
    });

    it("DynamoDB and the CloudFront API: the SDK and the CLI (no Origin, no Sec-Fetch-Site) pass; any web page is refused", () => {
        for (const policy of [dynamoPolicy(), dynamoPolicy("the local DynamoDB of a replica region"), CONTROL_API_POLICY]) {
            expect(refusal(sdk, PORT, policy)).to.equal(undefined);
            expect(refusal({ ...sdk, secFetchSite: "none" }, PORT, policy), "typed into the address bar").to.equal(undefined);
            for (const origin of ["https://evil.example", "null", `http://127.0.0.1:${PORT}`, ...PLAYGROUND]) {
                expect(refusal({ ...sdk, origin }, PORT, policy), `${policy.name} Origin ${origin}`).to.match(/\(Origin\)$/);
            }
            for (const site of ["cross-site", "same-site", "same-origin"]) {
                expect(refusal({ ...sdk, method: "GET", secFetchSite: site }, PORT, policy), `${policy.name} ${site}`).to.match(/\(Sec-Fetch-Site\)$/);
            }
        }
    });

    it("S3: the playground's page may post and read; a presigned object read is open to any page; nothing else from a page", () => {
        const policy = s3Policy(() => PLAYGROUND);
        expect(refusal(sdk, PORT, policy)).to.equal(undefined);
        const formPost = { ...sdk, path: "/local-chat-images" };
        expect(refusal({ ...formPost, origin: PLAYGROUND[0], secFetchSite: "same-site" }, PORT, policy), "the playground's form post").to.equal(undefined);
        expect(refusal({ ...formPost, origin: PLAYGROUND[1], secFetchSite: "cross-site" }, PORT, policy), "from localhost to 127.0.0.1").to.equal(undefined);
        expect(refusal({ ...formPost, origin: "https://evil.example", secFetchSite: "cross-site" }, PORT, policy)).to.match(/\(Origin\)$/);
        expect(refusal({ ...formPost, origin: `http://127.0.0.1:${PORT}` }, PORT, policy), "a page S3 itself served").to.match(/\(Origin\)$/);
        expect(refusal({ ...formPost, method: "GET", secFetchSite: "same-origin" }, PORT, policy), "a script on a page S3 itself served").to.match(/Sec-Fetch-Site/);

        const img = { method: "GET", path: "/local-chat-images/uploads/a.png", host: `127.0.0.1:${PORT}`, secFetchSite: "cross-site" };
        expect(refusal({ ...img, query: PRESIGNED }, PORT, policy), "a presigned GET from any page").to.equal(undefined);
        expect(refusal({ ...img, query: PRESIGNED, origin: "https://evil.example" }, PORT, policy), "even with an Origin (no CORS is granted)").to.equal(undefined);
        expect(refusal({ ...img, query: "" }, PORT, policy), "the same GET unsigned").to.match(/Sec-Fetch-Site/);
        expect(refusal({ ...img, query: PRESIGNED, host: `evil.example:${PORT}` }, PORT, policy), "a rebound host, even presigned").to.match(/Host/);
    });

    it("what counts as a presigned object read: GET or HEAD of a key with SigV4's credential and signature", () => {
        const read = { method: "GET", path: "/bucket/uploads/a.png", query: PRESIGNED, host: "127.0.0.1" };
        expect(isPresignedObjectRead(read)).to.equal(true);
        expect(isPresignedObjectRead({ ...read, method: "HEAD" })).to.equal(true);
        for (const [why, input] of [
            ["PUT", { ...read, method: "PUT" }],
            ["POST", { ...read, method: "POST" }],
            ["DELETE", { ...read, method: "DELETE" }],
            ["a listing (no key)", { ...read, path: "/bucket" }],
            ["a listing (empty key)", { ...read, path: "/bucket/" }],
            ["no signature", { ...read, query: "X-Amz-Credential=x" }],
            ["no credential", { ...read, query: "X-Amz-Signature=x" }],
            ["look-alike names", { ...read, query: "X-Amz-Credentials=x&X-Amz-Signatures=y" }],
        ] as const) {
            expect(isPresignedObjectRead(input), why).to.equal(false);
        }
    });

    it("a CDN answers any page (a distribution serves its images to every page): only the Host is checked", () => {
        for (const input of [
            { method: "GET", path: "/images/x", query: "", host: `localhost:${PORT}`, secFetchSite: "cross-site" },
            { method: "GET", path: "/images/x", query: "", host: `127.0.0.1:${PORT}`, origin: "https://evil.example" },
            { method: "POST", path: "/", query: "", host: "127.0.0.1", origin: "null" },
        ]) {
            expect(refusal(input, PORT, CDN_POLICY)).to.equal(undefined);
        }
        expect(refusal({ method: "GET", path: "/images/x", query: "", host: "rebound.example" }, PORT, CDN_POLICY)).to.match(/Host/);
    });
});
