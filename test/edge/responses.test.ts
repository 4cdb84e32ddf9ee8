/**
 * The responses the edge generates: a tiny generic body, the status as a
 * string, only headers a function may set, and each answer's lifetime
 * (404 and 414 for the configured not-found time, 403 for a minute, 405
 * and 503 never stored, 503 with Retry-After). Replacing an origin
 * response keeps only its read-only headers and takes every other header,
 * the status and the body from the generated answer.
 */
import { expect } from "chai";
import type { CloudFrontResponse } from "aws-lambda";
import {
    badMethodResponse,
    expiredResponse,
    notFoundResponse,
    plainResponse,
    redirectResponse,
    replaceOriginResponse,
    unavailableResponse,
    uriTooLongResponse,
} from "../../edge/responses";
import { headerValue } from "../../edge/events";

const SETTINGS = { notFoundTtlSeconds: 45 };

describe("edge/responses", () => {
    it("a plain response: the status as a string, its description as the body, text type, nosniff, extra headers", () => {
        expect(plainResponse(418, "Teapot", "no-store", { "X-Extra": "1" })).to.deep.equal({
            status: "418",
            statusDescription: "Teapot",
            headers: {
                "content-type": [{ key: "Content-Type", value: "text/plain; charset=utf-8" }],
                "cache-control": [{ key: "Cache-Control", value: "no-store" }],
                "x-content-type-options": [{ key: "X-Content-Type-Options", value: "nosniff" }],
                "x-extra": [{ key: "X-Extra", value: "1" }],
            },
            bodyEncoding: "text",
            body: "Teapot\n",
        });
    });

    it("each refusal: its status and lifetime", () => {
        const cases: [ReturnType<typeof plainResponse>, string, string][] = [
            [notFoundResponse(SETTINGS), "404", "max-age=45"],
            [notFoundResponse({ notFoundTtlSeconds: 0 }), "404", "no-store"],
            [uriTooLongResponse(SETTINGS), "414", "max-age=45"],
            [expiredResponse(SETTINGS), "403", "max-age=60"],
            [badMethodResponse(), "405", "no-store"],
            [unavailableResponse(), "503", "no-store"],
        ];
        for (const [response, status, cacheControl] of cases) {
            expect(response.status).to.equal(status);
            expect(headerValue(response.headers, "Cache-Control"), status).to.equal(cacheControl);
        }
        expect(headerValue(badMethodResponse().headers, "Allow")).to.equal("GET, HEAD");
        expect(headerValue(unavailableResponse().headers, "Retry-After")).to.equal("1");
    });

    it("no generated body names anything but its status", () => {
        for (const response of [notFoundResponse(SETTINGS), expiredResponse(SETTINGS), uriTooLongResponse(SETTINGS), badMethodResponse(), unavailableResponse()]) {
            expect(response.body).to.equal(`${response.statusDescription}\n`);
        }
    });

    it("a redirect: 302 with its Location and lifetime, and no body", () => {
        expect(redirectResponse("https://bucket.s3.amazonaws.com/a?X-Amz-Signature=1", "max-age=30")).to.deep.equal({
            status: "302",
            statusDescription: "Found",
            headers: {
                location: [{ key: "Location", value: "https://bucket.s3.amazonaws.com/a?X-Amz-Signature=1" }],
                "cache-control": [{ key: "Cache-Control", value: "max-age=30" }],
            },
        });
    });

    it("replacing an origin response keeps only its read-only headers, in the same object", () => {
        const origin: CloudFrontResponse = {
            status: "404",
            statusDescription: "Not Found",
            headers: {
                server: [{ key: "Server", value: "AmazonS3" }],
                "x-amz-request-id": [{ key: "x-amz-request-id", value: "ABC" }],
                "cache-control": [{ key: "Cache-Control", value: "max-age=86400" }],
                "content-type": [{ key: "Content-Type", value: "application/xml" }],
                via: [{ key: "Via", value: "1.1 abc.cloudfront.net (CloudFront)" }],
                "transfer-encoding": [{ key: "Transfer-Encoding", value: "chunked" }],
            },
        };
        const generated = notFoundResponse(SETTINGS);
        const replaced = replaceOriginResponse(origin, generated);
        expect(replaced).to.equal(origin);
        expect(replaced.status).to.equal("404");
        expect(replaced.body).to.equal("Not Found\n");
        expect(replaced.bodyEncoding).to.equal("text");
        expect(replaced.headers).to.deep.equal({
            via: [{ key: "Via", value: "1.1 abc.cloudfront.net (CloudFront)" }],
            "transfer-encoding": [{ key: "Transfer-Encoding", value: "chunked" }],
            ...generated.headers,
        });
    });

    it("a generated answer without a description replaces the origin's with an empty one", () => {
        const origin: CloudFrontResponse = { status: "200", statusDescription: "OK", headers: {} };
        expect(replaceOriginResponse(origin, { status: "503" }).statusDescription).to.equal("");
    });
});
