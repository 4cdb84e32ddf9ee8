/**
 * A function URL origin (local/cloudfront/function-url-origin.ts), the
 * resizer's origin behind an ordered cache behavior: an origin request
 * turned into a payload-format-2.0 event (path, query string, headers joined
 * by name, the function URL's Host), the handler's base64 answer turned
 * back into bytes, with what its log line said. No HTTP: the handler is a
 * function of the test.
 */
import { expect } from "chai";
import { functionUrlOrigin, urlEvent } from "../../../local/cloudfront/function-url-origin";
import { getHeader } from "../../../local/cloudfront/headers";

const HOST = "abcdefghij.lambda-url.eu-west-1.on.aws";

describe("local CloudFront emulator: ordered cache behaviors", () => {
    describe("a function URL origin", () => {
        it("turns an origin request into a payload-format-2.0 event and the handler's base64 answer into bytes, with what its log line said", async () => {
            const events: unknown[] = [];
            const origin = functionUrlOrigin(HOST, (log) => async (event) => {
                events.push(event);
                log({ service: "chat", outcome: "served", status: 200, ms: 1, source: "stored" });
                return { statusCode: 200, headers: { "Content-Type": "image/webp" }, body: Buffer.from("WEBPDATA").toString("base64"), isBase64Encoded: true };
            });
            const response = await origin.fetch({ method: "GET", uri: "/variant/thumb/webp/uploads/a.png", headers: [["User-Agent", "Amazon CloudFront"], ["X-Image-Expires-At", "1"]] });
            expect(response).to.deep.include({ status: 200, detail: "stored" });
            expect(response.body.toString()).to.equal("WEBPDATA");
            expect(getHeader(response.headers, "content-type")).to.equal("image/webp");
            expect(origin.invocations).to.equal(1);
            const event = urlEvent(HOST, { method: "HEAD", uri: "/variant/thumb/webp/uploads/a.png?x=1", headers: [["Accept", "a"], ["accept", "b"]] });
            expect(event).to.deep.include({ version: "2.0", rawPath: "/variant/thumb/webp/uploads/a.png", rawQueryString: "x=1", isBase64Encoded: false });
            expect(event.headers).to.deep.equal({ accept: "a,b", host: HOST });
            expect(event.requestContext.http.method).to.equal("HEAD");
            expect((events[0] as { headers: Record<string, string> }).headers["x-image-expires-at"]).to.equal("1");
        });
    });
});
