import { expect } from "chai";
import { amzDate, createPresigner, presignObjectUrl } from "../../edge/presign";
import { encodeObjectKey } from "../../edge/endpoints";
import { CREDENTIALS, NOW_MS, settings } from "./fixtures";
import { independentPresignSignature } from "../support/sigv4-oracle";

/** The independent oracle's signature for a GET URL. */
function expectedSignature(url: URL): string {
    return independentPresignSignature({ method: "GET", url, secretAccessKey: CREDENTIALS.secretAccessKey });
}

describe("edge presigned URLs", () => {
    it("the independent oracle reproduces the S3 documentation's example presigned URL signature", () => {
        const example = new URL(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
                "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
                "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host",
        );
        const secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        expect(independentPresignSignature({ method: "GET", url: example, secretAccessKey })).to.equal("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
        expect(independentPresignSignature({ method: "HEAD", url: example, secretAccessKey }), "the method is signed").to.not.equal(
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        );
    });

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
        expect(url.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(url));
        expect(url.toString(), "the secret never appears").not.to.include(CREDENTIALS.secretAccessKey);
    });

    it("uses path style for dotted bucket names and for the local endpoint", () => {
        const dotted = new URL(createPresigner(settings({ bucket: "images.example.com", bucketRegion: "eu-west-1" })).presign("a.jpg", 60, NOW_MS, CREDENTIALS));
        expect(dotted.origin + dotted.pathname).to.equal("https://s3.eu-west-1.amazonaws.com/images.example.com/a.jpg");
        expect(dotted.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(dotted));
        const local = new URL(createPresigner(settings({ endpoints: { s3: "http://127.0.0.1:4569" } })).presign("a b.jpg", 60, NOW_MS, CREDENTIALS));
        expect(local.origin + local.pathname).to.equal("http://127.0.0.1:4569/chat-images-bucket/a%20b.jpg");
        expect(local.searchParams.get("X-Amz-Signature")).to.equal(expectedSignature(local));
    });

    it("keeps the lifetime within SigV4's 1 s to 7 days", () => {
        const presigner = createPresigner(settings());
        const expiresOf = (seconds: number) => new URL(presigner.presign("a.jpg", seconds, NOW_MS, CREDENTIALS)).searchParams.get("X-Amz-Expires");
        expect(expiresOf(0)).to.equal("1");
        expect(expiresOf(10 ** 9)).to.equal("604800");
        expect(expiresOf(12.9)).to.equal("12");
    });

    it("signs GET and HEAD URLs, each verified by the independent oracle, with the response headers S3 must send", () => {
        const presigner = createPresigner(settings());
        for (const method of ["GET", "HEAD"] as const) {
            const url = new URL(presigner.presign("a b.jpg", 120, NOW_MS, CREDENTIALS, method));
            expect(url.searchParams.get("X-Amz-Signature"), method).to.equal(independentPresignSignature({ method, url, secretAccessKey: CREDENTIALS.secretAccessKey }));
            expect(url.searchParams.get("response-cache-control"), method).to.equal("private, max-age=120");
            expect(url.searchParams.get("response-content-disposition"), method).to.equal("attachment");
        }
    });

    it("gives a different signature a second later (the date is signed)", () => {
        const presigner = createPresigner(settings());
        const a = presigner.presign("a.jpg", 60, NOW_MS, CREDENTIALS);
        expect(presigner.presign("a.jpg", 60, NOW_MS, CREDENTIALS)).to.equal(a);
        expect(presigner.presign("a.jpg", 60, NOW_MS + 1000, CREDENTIALS)).to.not.equal(a);
    });
});
