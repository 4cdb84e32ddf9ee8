/**
 * The answers the CloudFront emulator makes itself when it cannot serve a
 * request (local/cloudfront/error-pages.ts): CloudFront's status text for
 * each status it uses ("Error" for any other), `Server: CloudFront`, and a
 * small HTML page naming the status and the problem. Pure.
 */
import { expect } from "chai";
import { cloudFrontErrorPage, ORIGIN_UNREACHABLE_TEXT } from "../../../local/cloudfront/error-pages";

describe("local CloudFront emulator: its own error pages", () => {
    it("gives each status CloudFront's reason phrase, and Error for any other", () => {
        const reasons = [400, 403, 414, 502, 503, 504, 500].map((status) => [status, cloudFrontErrorPage(status, "x").statusDescription]);
        expect(reasons).to.deep.equal([
            [400, "Bad Request"],
            [403, "Forbidden"],
            [414, "Request-URI Too Large"],
            [502, "Bad Gateway"],
            [503, "Service Unavailable"],
            [504, "Gateway Timeout"],
            [500, "Error"],
        ]);
    });

    it("is an HTML page from CloudFront naming the status and the explanation", () => {
        const page = cloudFrontErrorPage(502, ORIGIN_UNREACHABLE_TEXT);
        expect(page.status).to.equal(502);
        expect(page.headers).to.deep.equal([
            ["Server", "CloudFront"],
            ["Content-Type", "text/html"],
        ]);
        const html = page.body.toString("utf8");
        expect(html).to.match(/^<!DOCTYPE html>/);
        expect(html).to.include("<h1>502 ERROR</h1>");
        expect(html).to.include("<title>ERROR: The request could not be satisfied</title>");
        expect(html).to.include(`<p>${ORIGIN_UNREACHABLE_TEXT}</p>`);
    });
});
