/**
 * toIssuerError: an AWS SDK error turned into the library's typed error
 * (throttling, a missing resource, access denied, an unreachable or failing
 * service), with a message written here that never carries the SDK's own
 * text, which can name the account or the caller.
 */
import { expect } from "chai";
import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { ThrottledError, UpstreamError, ConfigError } from "../../issuer";
import { toIssuerError } from "../../issuer/aws-errors";

describe("toIssuerError (SDK error → typed error)", () => {
    it("maps the SDK's own throttling exception class to ThrottledError and hides its message", () => {
        const sdkError = new ProvisionedThroughputExceededException({ message: "secret detail arn:aws:dynamodb:eu-west-1:123456789012:table/x", $metadata: { httpStatusCode: 400 } });
        const error = toIssuerError(sdkError, "DynamoDB PutItem on table x");
        expect(error).to.be.instanceOf(ThrottledError);
        expect(error.message).to.not.match(/123456789012|secret/);
        expect(Object.keys(error)).to.not.include("cause");
        expect((error as { cause?: unknown }).cause).to.equal(sdkError);
        expect(JSON.stringify(error)).to.equal(JSON.stringify({ code: "THROTTLED", message: error.message }));
    });

    it("maps HTTP 429 and $retryable.throttling to ThrottledError", () => {
        expect(toIssuerError({ name: "Whatever", $metadata: { httpStatusCode: 429 } }, "op")).to.be.instanceOf(ThrottledError);
        expect(toIssuerError({ name: "Whatever", $retryable: { throttling: true } }, "op")).to.be.instanceOf(ThrottledError);
    });

    it("maps a missing table to ConfigError, access denied and 5xx to UpstreamError without the SDK text", () => {
        expect(toIssuerError({ name: "ResourceNotFoundException", message: "x" }, "op", "table 't'").message).to.equal(
            "op: table 't' does not exist (check the service's configuration and region)",
        );
        expect(toIssuerError({ name: "ResourceNotFoundException" }, "op")).to.be.instanceOf(ConfigError);
        const denied = toIssuerError({ name: "AccessDeniedException", message: "User: arn:aws:iam::123456789012:user/bob is not authorized" }, "op");
        expect(denied).to.be.instanceOf(UpstreamError);
        expect(denied.message).to.equal("op: access denied (the credentials in use lack permission, or are invalid or expired)");
        expect(toIssuerError({ name: "InternalServerError", $metadata: { httpStatusCode: 500 } }, "op").message).to.match(/HTTP 500/);
        expect(toIssuerError({ name: "<script>", message: "m" }, "op").message).to.equal("op: failed (unknown error)");
    });
});
