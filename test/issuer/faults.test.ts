import { expect } from "chai";
import { IssuerError, ThrottledError, UpstreamError } from "../../issuer";
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
});
