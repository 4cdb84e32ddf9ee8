/**
 * The resizer's answers as Lambda function URL results: a variant's bytes
 * base64-encoded with its type and lifetime (no body for HEAD), and the
 * plain-text refusals, each with the status, lifetime and extra headers
 * CloudFront and the viewer rely on (never cached when the lifetime is 0).
 */
import { expect } from "chai";
import { forbidden, imageResponse, methodNotAllowed, notFound, textResponse, unavailable, unprocessable } from "../../resizer/responses";

describe("resizer/responses", () => {
    it("a variant: base64 body, its type and max-age, nosniff", () => {
        const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
        const response = imageResponse(bytes, "image/webp", 3600, false);
        expect(response).to.deep.equal({
            statusCode: 200,
            headers: { "Content-Type": "image/webp", "Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff" },
            body: bytes.toString("base64"),
            isBase64Encoded: true,
        });
        expect(Buffer.from(String(response.body), "base64")).to.deep.equal(bytes);
    });

    it("a variant for HEAD: the same headers, an empty body not marked base64", () => {
        const response = imageResponse(Buffer.from("image"), "image/avif", 60, true);
        expect(response.body).to.equal("");
        expect(response.isBase64Encoded).to.equal(false);
        expect(response.headers).to.deep.equal({ "Content-Type": "image/avif", "Cache-Control": "max-age=60", "X-Content-Type-Options": "nosniff" });
    });

    it("a refusal is cached for its lifetime, and no-store at 0; extra headers are added", () => {
        expect(textResponse(404, "Not Found", 30).headers).to.deep.equal({ "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "max-age=30" });
        expect(textResponse(404, "Not Found", 0).headers?.["Cache-Control"]).to.equal("no-store");
        expect(textResponse(400, "Bad", 0, { "X-Extra": "1" }).headers?.["X-Extra"]).to.equal("1");
        expect(textResponse(400, "Bad", 0)).to.include({ statusCode: 400, body: "Bad", isBase64Encoded: false });
    });

    it("each named refusal: its status, text, lifetime and headers", () => {
        expect(forbidden()).to.deep.include({ statusCode: 403, body: "Forbidden" });
        expect(forbidden().headers?.["Cache-Control"]).to.equal("no-store");
        expect(methodNotAllowed()).to.deep.include({ statusCode: 405, body: "Method Not Allowed" });
        expect(methodNotAllowed().headers).to.include({ Allow: "GET, HEAD", "Cache-Control": "no-store" });
        expect(notFound(120)).to.deep.include({ statusCode: 404, body: "Not Found" });
        expect(notFound(120).headers?.["Cache-Control"]).to.equal("max-age=120");
        expect(unprocessable(300)).to.deep.include({ statusCode: 422, body: "Unprocessable Image" });
        expect(unprocessable(300).headers?.["Cache-Control"]).to.equal("max-age=300");
        expect(unavailable()).to.deep.include({ statusCode: 503, body: "Service Unavailable" });
        expect(unavailable().headers).to.include({ "Retry-After": "1", "Cache-Control": "no-store" });
    });
});
