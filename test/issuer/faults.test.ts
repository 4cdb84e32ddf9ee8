import { expect } from "chai";
import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { IssuerError, ThrottledError, UpstreamError, ConfigError } from "../../issuer";
import { toIssuerError } from "../../issuer/aws-errors";
import { PNG_1X1 } from "./fixtures";
import { closedPortEndpoint, firstCalls, onOperation, throttled } from "../support/dynamo-proxy";
import { rejection } from "../support/rejection";
import { TestService, useWorld } from "./world";

describe("issuer: faults (throttling through a proxy to dynalite, unreachable services)", () => {
    const world = useWorld();

    /** DynamoDB's provisioned-throughput error, whose message names the account. */
    const THROTTLED = throttled("ProvisionedThroughputExceededException");

    /** An issuer whose DynamoDB calls go through the fault world.proxy. */
    function throughProxy(svc: TestService, maxAttempts: number) {
        return svc.through({ dynamodb: world.proxy.endpoint }, { maxAttempts });
    }

    it("retries throttled writes with backoff and succeeds when DynamoDB lets them through", async () => {
        const svc = await world.newService();
        const { issuer, done } = throughProxy(svc, 4);
        try {
            world.proxy.plan = firstCalls("PutItem", 2, THROTTLED);
            const issued = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/retry.png`);
            expect(world.proxy.calls("PutItem")).to.equal(4); // 2 throttled + mapping + pointer
            expect((await svc.items()).map((i) => i.hash)).to.include(issued.hash);
        } finally {
            done();
        }
    });

    it("ThrottledError after the retries, with nothing stored and no account details in the message", async () => {
        const svc = await world.newService();
        const { issuer, done } = throughProxy(svc, 2);
        try {
            world.proxy.plan = onOperation("PutItem", THROTTLED);
            const error = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/never.png`), IssuerError);
            expect(error).to.be.instanceOf(ThrottledError);
            expect(error.code).to.equal("THROTTLED");
            expect(error.message).to.match(/throttling/);
            expect(error.message).to.not.match(/123456789012|FAULT-PROXY|S3RVER/);
            expect(world.proxy.calls("PutItem")).to.equal(2);
            expect(await svc.items()).to.deep.equal([]);
        } finally {
            done();
        }
    });

    it("a throttled pointer claim reports ThrottledError, never a URL, and removes the unclaimed mapping", async () => {
        const svc = await world.newService();
        const { issuer, done } = throughProxy(svc, 2);
        try {
            // The mapping write passes; the pointer claim (the PutItem with `current`) is throttled every time.
            world.proxy.plan = (operation, _sequence, body) => (operation === "PutItem" && body.includes('"current"') ? THROTTLED : { kind: "pass" });
            const error = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/claim.png`), IssuerError);
            expect(error).to.be.instanceOf(ThrottledError);
            expect(world.proxy.calls("PutItem")).to.equal(3); // mapping + 2 claim attempts
            expect(world.proxy.calls("DeleteItem")).to.equal(1);
            expect(await svc.items()).to.deep.equal([]);
        } finally {
            done();
        }
    });

    it("upload removes its object when DynamoDB throttles the mapping write", async () => {
        const svc = await world.newService();
        const { issuer, done } = throughProxy(svc, 1);
        try {
            world.proxy.plan = onOperation("PutItem", THROTTLED);
            const error = await rejection(issuer.upload(PNG_1X1), IssuerError);
            expect(error).to.be.instanceOf(ThrottledError);
            expect(await svc.objectKeys()).to.deep.equal([]);
            expect(await svc.items()).to.deep.equal([]);
        } finally {
            done();
        }
    });

    it("DynamoDB unreachable: UpstreamError naming the service as unreachable", async () => {
        const svc = await world.newService();
        const { issuer, done } = svc.through({ dynamodb: await closedPortEndpoint() }, { maxAttempts: 2 });
        try {
            const error = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/x.png`), IssuerError);
            expect(error).to.be.instanceOf(UpstreamError);
            expect(error.message).to.match(/^DynamoDB GetItem on table test-map-[0-9a-f]+: the service could not be reached \(ECONNREFUSED\)/);
        } finally {
            done();
        }
    });

    it("S3 unreachable during upload: UpstreamError, and no mapping written", async () => {
        const svc = await world.newService();
        const { issuer, done } = svc.through({ s3: await closedPortEndpoint() }, { maxAttempts: 1 });
        try {
            const error = await rejection(issuer.upload(PNG_1X1), IssuerError);
            expect(error).to.be.instanceOf(UpstreamError);
            expect(error.message).to.match(/S3 PutObject/);
            expect(await svc.items()).to.deep.equal([]);
        } finally {
            done();
        }
    });

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
});
