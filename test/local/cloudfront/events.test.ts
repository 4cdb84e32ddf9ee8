/**
 * Lambda@Edge events as the CloudFront emulator builds them and the checks
 * it applies to what a function returns (local/cloudfront/events.ts): the
 * event's config and S3 origin, no body in an origin-response event's
 * request, the headers CloudFront hides from functions, the read-only
 * headers of each event, and a generated response's status, headers, body
 * encoding and size limit. Pure: the distribution's answer to a failed
 * check (502) is in distribution.test.ts.
 */
import { expect } from "chai";
import type { CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import { edgeTriggerLimits } from "../../../core/limits";
import {
    EdgeValidationError,
    generatedBody,
    isDisallowedHeader,
    isGeneratedResponse,
    requestEvent,
    responseEvent,
    s3Origin,
    validateGeneratedResponse,
    validateRequestResult,
    validateResponseResult,
} from "../../../local/cloudfront/events";

const IDENTITY = { distributionId: "ELOCALTEST", distributionDomainName: "127.0.0.1:4511" };

function request(): CloudFrontRequest {
    return {
        clientIp: "127.0.0.1",
        method: "GET",
        uri: "/images/a",
        querystring: "",
        headers: { host: [{ key: "Host", value: "b.s3.eu-west-1.amazonaws.com" }], via: [{ key: "Via", value: "1.1 x (CloudFront)" }] },
    };
}

/** The message of the EdgeValidationError `check` throws, or undefined when it passes. */
function refusal(check: () => unknown): string | undefined {
    try {
        check();
        return undefined;
    } catch (error) {
        expect(error).to.be.instanceOf(EdgeValidationError);
        return (error as Error).message;
    }
}

describe("local CloudFront emulator: Lambda@Edge events and result checks", () => {
    it("builds the event's config, the S3 origin of a bucket reached through OAC, and no body in an origin-response event", () => {
        const event = requestEvent(IDENTITY, "origin-request", "rid", request());
        expect(event.Records[0].cf.config).to.deep.equal({ ...IDENTITY, eventType: "origin-request", requestId: "rid" });
        expect(s3Origin("b", "eu-west-1")).to.deep.equal({ authMethod: "none", customHeaders: {}, domainName: "b.s3.eu-west-1.amazonaws.com", path: "" });
        const withBody = { ...request(), body: { action: "read-only" as const, data: "", encoding: "text" as const, inputTruncated: false } };
        const response = responseEvent(IDENTITY, "rid", withBody, { status: "200", statusDescription: "OK", headers: {} });
        expect(response.Records[0].cf.config.eventType).to.equal("origin-response");
        expect(response.Records[0].cf.request).to.not.have.property("body");
        expect(withBody, "the request given is left alone").to.have.property("body");
    });

    it("tells a generated response (a status, as text or number) from a request", () => {
        expect(isGeneratedResponse({ status: "403" })).to.equal(true);
        expect(isGeneratedResponse({ status: 403 } as unknown as CloudFrontResultResponse)).to.equal(true);
        expect(isGeneratedResponse(request())).to.equal(false);
    });

    it("hides the headers CloudFront never shows a function: listed names and the x-amz-cf- and x-edge- prefixes", () => {
        for (const name of ["connection", "x-cache", "x-forwarded-proto", "x-amz-cf-id", "x-amz-cf-pop", "x-edge-location"]) expect(isDisallowedHeader(name), name).to.equal(true);
        for (const name of ["host", "x-amz-meta-owner", "x-amz-date", "x-edged", "cache-control"]) expect(isDisallowedHeader(name), name).to.equal(false);
    });

    it("a request result: the uri, query string, method and client IP checked, and each event's read-only headers", () => {
        const before = request();
        expect(refusal(() => validateRequestResult("origin-request", before, { ...request(), uri: "/uploads/a.png", querystring: "x=1" }))).to.equal(undefined);
        expect(refusal(() => validateRequestResult("origin-request", before, { ...request(), uri: "uploads/a.png" }))).to.match(/uri must be a string starting with "\/"/);
        expect(refusal(() => validateRequestResult("origin-request", before, { ...request(), method: "POST" }))).to.match(/method is read-only/);
        expect(refusal(() => validateRequestResult("origin-request", before, { ...request(), clientIp: "10.0.0.1" }))).to.match(/clientIp is read-only/);
        const otherHost = { ...request(), headers: { ...request().headers, host: [{ key: "Host", value: "elsewhere.example" }] } };
        expect(refusal(() => validateRequestResult("origin-request", before, otherHost)), "origin-request may change the Host").to.equal(undefined);
        expect(refusal(() => validateRequestResult("viewer-request", before, otherHost))).to.match(/read-only header "host"/);
        const noVia = { ...request(), headers: { host: request().headers.host } };
        expect(refusal(() => validateRequestResult("origin-request", before, noVia))).to.match(/read-only header "via"/);
    });

    it("a result's headers: lowercase names, arrays of string values, keys matching their name, nothing disallowed", () => {
        const before = request();
        const withHeaders = (headers: unknown) => ({ ...request(), headers: { ...request().headers, ...(headers as object) } }) as CloudFrontRequest;
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "X-Custom": [{ value: "1" }] })))).to.match(/"X-Custom" is not lowercase/);
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "x-custom": { value: "1" } })))).to.match(/is not an array/);
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "x-custom": [{ value: 1 }] })))).to.match(/non-string value/);
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "x-custom": [{ key: "X-Other", value: "1" }] })))).to.match(/key that does not match/);
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "x-custom": [{ key: "X-CUSTOM", value: "1" }] })))).to.equal(undefined);
        expect(refusal(() => validateRequestResult("origin-request", before, withHeaders({ "x-amz-cf-id": [{ value: "1" }] })))).to.match(/disallowed header "x-amz-cf-id"/);
    });

    it("a generated response: a three-digit status from 200 to 599, no Content-Length, and its body within the event's limit", () => {
        expect(validateGeneratedResponse("origin-request", { status: "404" })).to.equal(404);
        for (const status of ["199", "600", "20", "2000", "abc"]) expect(refusal(() => validateGeneratedResponse("origin-request", { status })), status).to.match(/status/);
        expect(refusal(() => validateGeneratedResponse("viewer-request", { status: "200", headers: { "content-length": [{ key: "Content-Length", value: "1" }] } }))).to.match(
            /read-only header "content-length"/,
        );
        const limit = edgeTriggerLimits("viewer-request").maxGeneratedResponseBytes;
        expect(generatedBody("viewer-request", { status: "200", body: "a".repeat(limit) })).to.have.length(limit);
        expect(refusal(() => generatedBody("viewer-request", { status: "200", body: "a".repeat(limit + 1) }))).to.match(new RegExp(`exceeds the ${limit}-byte limit`));
    });

    it("a generated body: text as UTF-8, base64 decoded and checked, no other encoding", () => {
        expect(generatedBody("origin-request", { status: "200", body: "é" }).toString("hex")).to.equal("c3a9");
        expect(generatedBody("origin-request", { status: "200", body: "aGk=", bodyEncoding: "base64" }).toString()).to.equal("hi");
        expect(generatedBody("origin-request", { status: "200" })).to.have.length(0);
        expect(refusal(() => generatedBody("origin-request", { status: "200", body: "not base64!", bodyEncoding: "base64" }))).to.match(/not valid base64/);
        expect(refusal(() => generatedBody("origin-request", { status: "200", body: "x", bodyEncoding: "hex" as "text" }))).to.match(/bodyEncoding/);
    });

    it("an origin-response result: its status checked, and Transfer-Encoding and Via read-only", () => {
        const before = { status: "200", statusDescription: "OK", headers: { via: [{ key: "Via", value: "1.1 x (CloudFront)" }] } };
        expect(validateResponseResult(before, { ...before, status: "304" })).to.equal(304);
        expect(refusal(() => validateResponseResult(before, { ...before, headers: {} }))).to.match(/read-only header "via"/);
        expect(refusal(() => validateResponseResult(before, { ...before, headers: { ...before.headers, "transfer-encoding": [{ value: "chunked" }] } }))).to.match(
            /read-only header "transfer-encoding"/,
        );
        expect(refusal(() => validateResponseResult(before, { ...before, status: "100" }))).to.match(/outside 200-599/);
    });
});
