/**
 * What a DynamoDB GetItem answer means (core/dynamo-errors.ts): an item or no
 * item from a 200, throttling and server errors worth one retry, the rest
 * final, garbage in a 200 a bad response, and only a plain error name kept
 * for the log.
 */
import { expect } from "chai";
import { classifyGetItem, errorTypeOf } from "../../core/dynamo-errors";

const error = (name: string) => JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message: "details" });

describe("DynamoDB answers (core/dynamo-errors.ts)", () => {
    it("reads the item, or no item, from a 200", () => {
        expect(classifyGetItem(200, JSON.stringify({ Item: { a: { S: "x" } } }))).to.deep.equal({ ok: true, item: { a: { S: "x" } } });
        expect(classifyGetItem(200, "{}")).to.deep.equal({ ok: true, item: undefined });
    });

    it("retries throttling, once", () => {
        for (const name of ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException"]) {
            expect(classifyGetItem(400, error(name)), name).to.deep.equal({ ok: false, failure: "throttled", retryable: true, errorType: name });
        }
        expect(classifyGetItem(400, JSON.stringify({ __type: "com.amazon.coral.availability#ThrottlingException" }))).to.include({ failure: "throttled" });
    });

    it("retries server errors, by status or by name", () => {
        expect(classifyGetItem(500, error("InternalServerError"))).to.deep.equal({ ok: false, failure: "server_error", retryable: true, errorType: "InternalServerError" });
        expect(classifyGetItem(503, "<html>busy</html>")).to.deep.equal({ ok: false, failure: "server_error", retryable: true, errorType: undefined });
        expect(classifyGetItem(400, error("ServiceUnavailable"))).to.include({ failure: "server_error", retryable: true });
    });

    it("does not retry what a retry cannot fix", () => {
        for (const name of ["ResourceNotFoundException", "AccessDeniedException", "ValidationException", "UnrecognizedClientException", "ExpiredTokenException"]) {
            expect(classifyGetItem(400, error(name)), name).to.deep.equal({ ok: false, failure: "rejected", retryable: false, errorType: name });
        }
        expect(classifyGetItem(403, "forbidden")).to.deep.equal({ ok: false, failure: "rejected", retryable: false, errorType: undefined });
    });

    it("treats garbage in a 200 as a bad response worth one retry", () => {
        for (const body of ["", "not json", "[]", "null", "42"]) expect(classifyGetItem(200, body), body).to.deep.equal({ ok: false, failure: "bad_response", retryable: true });
    });

    it("keeps only a plain error name", () => {
        expect(errorTypeOf({ __type: "x#Name_1" })).to.equal("Name_1");
        expect(errorTypeOf({ __type: "x#<script>" })).to.equal(undefined);
        expect(errorTypeOf({})).to.equal(undefined);
    });
});
