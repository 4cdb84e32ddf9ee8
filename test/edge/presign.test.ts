import { expect } from "chai";
import { createHash, createHmac } from "crypto";
import { amzDate, createPresigner, presignObjectUrl } from "../../edge/presign";
import { encodeObjectKey } from "../../edge/endpoints";
import { CREDENTIALS, NOW_MS, settings } from "./fixtures";

/** SigV4 query signing for S3 GET, written from the specification as an independent oracle. */
function expectedSignature(url: URL, region: string, secret: string): string {
    const params = [...url.searchParams.entries()].filter(([name]) => name !== "X-Amz-Signature");
    const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
    const query = params
        .map(([name, value]) => [rfc3986(name), rfc3986(value)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${name}=${value}`)
        .join("&");
    const canonical = ["GET", url.pathname, query, `host:${url.host}\n`, "host", "UNSIGNED-PAYLOAD"].join("\n");
    const date = url.searchParams.get("X-Amz-Date") ?? "";
    const scope = `${date.slice(0, 8)}/${region}/s3/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", date, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
    let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(date.slice(0, 8)).digest();
    for (const part of [region, "s3", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("edge presigned URLs", () => {
    it("reproduces the S3 documentation's example signature", () => {
        const url = presignObjectUrl({
            location: { endpoint: { protocol: "https:", hostname: "examplebucket.s3.amazonaws.com" }, pathPrefix: "/" },
            region: "us-east-1",
            key: "test.txt",
            expiresInSeconds: 86400,
            nowMs: Date.UTC(2013, 4, 24),
            credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        });
        expect(new URL(url).searchParams.get("X-Amz-Signature")).to.equal("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    });

    it("signs the bucket's regional virtual-hosted URL with the session token, for the given lifetime", () => {
        const presigner = createPresigner(settings({ bucket: "chat-images-bucket", bucketRegion: "ap-southeast-2" }));
        const key = "users/42/holiday photo (1)+ü.jpg";
        const url = new URL(presigner.presign(key, 300, NOW_MS, { ...CREDENTIALS, sessionToken: "FQoGZXIvYXdzEXAMPLE/+=token" }));
        expect(url.origin).to.equal("https://chat-images-bucket.s3.ap-southeast-2.amazonaws.com");
        expect(url.pathname).to.equal("/" + encodeObjectKey(key));
        expect(url.pathname).to.equal("/users/42/holiday%20photo%20%281%29%2B%C3%BC.jpg");
        expect(url.searchParams.get("X-Amz-Expires")).to.equal("300");
        expect(url.searchParams.get("X-Amz-Date")).to.equal(amzDate(NOW_MS)).and.equal("20300101T000000Z");
        expect(url.searchParams.get("X-Amz-Credential")).to.equal(`${CREDENTIALS.accessKeyId}/20300101/ap-southeast-2/s3/aws4_request`);
        expect(url.searchParams.get("X-Amz-Security-Token")).to.equal("FQoGZXIvYXdzEXAMPLE/+=token");
        expect(url.searchParams.get("X-Amz-SignedHeaders")).to.equal("host");
        expect(url.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(url, "ap-southeast-2", CREDENTIALS.secretAccessKey));
        expect(url.toString(), "the secret never appears").not.to.include(CREDENTIALS.secretAccessKey);
    });

    it("uses path style for dotted bucket names and for the local endpoint", () => {
        const dotted = new URL(createPresigner(settings({ bucket: "images.example.com", bucketRegion: "eu-west-1" })).presign("a.jpg", 60, NOW_MS, CREDENTIALS));
        expect(dotted.origin + dotted.pathname).to.equal("https://s3.eu-west-1.amazonaws.com/images.example.com/a.jpg");
        expect(dotted.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(dotted, "eu-west-1", CREDENTIALS.secretAccessKey));
        const local = new URL(createPresigner(settings({ endpoints: { s3: "http://127.0.0.1:4569" } })).presign("a b.jpg", 60, NOW_MS, CREDENTIALS));
        expect(local.origin + local.pathname).to.equal("http://127.0.0.1:4569/chat-images-bucket/a%20b.jpg");
        expect(local.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(local, "eu-west-1", CREDENTIALS.secretAccessKey));
    });

    it("keeps the lifetime within SigV4's 1 s to 7 days", () => {
        const presigner = createPresigner(settings());
        const expiresOf = (seconds: number) => new URL(presigner.presign("a.jpg", seconds, NOW_MS, CREDENTIALS)).searchParams.get("X-Amz-Expires");
        expect(expiresOf(0)).to.equal("1");
        expect(expiresOf(10 ** 9)).to.equal("604800");
        expect(expiresOf(12.9)).to.equal("12");
    });

    it("gives a different signature a second later (the date is signed)", () => {
        const presigner = createPresigner(settings());
        const a = presigner.presign("a.jpg", 60, NOW_MS, CREDENTIALS);
        expect(presigner.presign("a.jpg", 60, NOW_MS, CREDENTIALS)).to.equal(a);
        expect(presigner.presign("a.jpg", 60, NOW_MS + 1000, CREDENTIALS)).to.not.equal(a);
    });
});
