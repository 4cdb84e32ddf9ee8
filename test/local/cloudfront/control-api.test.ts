/**
 * The local CloudFront API (local/cloudfront/control-api.ts) over HTTP, driven
 * by the AWS SDK's own CloudFront client: CreateInvalidation and
 * GetInvalidation on a distribution's edge cache, CallerReference reuse,
 * an unknown distribution, and the emulator's counters at /local/stats.
 */
import { expect } from "chai";
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { LOCAL_CREDENTIALS } from "../../../local/aws";
import { ControlApiServer, startControlApi } from "../../../local/cloudfront/control-api";
import { Distribution } from "../../../local/cloudfront/distribution";
import type { Origin } from "../../../local/cloudfront/origin";

describe("local CloudFront API: invalidations", () => {
    describe("over HTTP, with the AWS SDK's CloudFront client", () => {
        const noOrigin: Origin = {
            fetch: async () => ({ status: 200, statusDescription: "OK", headers: [["Content-Type", "image/png"]], body: Buffer.from("img") }),
        };
        let distribution: Distribution;
        let api: ControlApiServer;
        let client: CloudFrontClient;

        before(async () => {
            distribution = new Distribution({
                id: "ELOCALCHAT",
                domainName: "127.0.0.1:1",
                bucket: "local-chat-images",
                region: "us-east-1",
                origin: noOrigin,
                ttls: { minTtl: 0, defaultTtl: 86400, maxTtl: 2592000 },
                errorCachingTtls: {},
                responseHeaders: { headers: [] },
            });
            api = await startControlApi({ distributions: [distribution], port: 0 });
            client = new CloudFrontClient({ endpoint: api.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
        });
        after(async () => {
            client.destroy();
            await api.close();
        });

        const get = (uri: string) =>
            distribution.handle({ method: "GET", uri, querystring: "", headers: [["Host", "127.0.0.1:1"]], clientIp: "127.0.0.1", hasBody: false });

        it("CreateInvalidation removes the cached copy and answers what the SDK parses", async () => {
            await get("/images/a");
            await get("/images/b");
            expect(distribution.cache.size).to.equal(2);
            const out = await client.send(
                new CreateInvalidationCommand({ DistributionId: "ELOCALCHAT", InvalidationBatch: { CallerReference: "c-1", Paths: { Quantity: 1, Items: ["/images/a"] } } }),
            );
            expect(out.$metadata.httpStatusCode).to.equal(201);
            expect(out.Invalidation?.Id).to.match(/^I[0-9A-F]+$/);
            expect(out.Invalidation?.Status).to.equal("Completed");
            expect(out.Invalidation?.InvalidationBatch?.Paths?.Items).to.deep.equal(["/images/a"]);
            expect(out.Location).to.equal(`${api.endpoint}/2020-05-31/distribution/ELOCALCHAT/invalidation/${out.Invalidation?.Id}`);
            expect(distribution.cache.lookup("/images/a", Date.now()).state).to.equal("absent");
            expect(distribution.cache.lookup("/images/b", Date.now()).state).to.equal("fresh");

            const again = await client.send(new GetInvalidationCommand({ DistributionId: "ELOCALCHAT", Id: out.Invalidation?.Id }));
            expect(again.Invalidation?.InvalidationBatch?.CallerReference).to.equal("c-1");
        });

        it("the same CallerReference with the same paths returns the same invalidation; with other paths it is refused", async () => {
            const send = (items: string[]) =>
                client.send(new CreateInvalidationCommand({ DistributionId: "ELOCALCHAT", InvalidationBatch: { CallerReference: "c-2", Paths: { Quantity: items.length, Items: items } } }));
            const first = await send(["/images/x"]);
            const second = await send(["/images/x"]);
            expect(second.Invalidation?.Id).to.equal(first.Invalidation?.Id);
            const error = await send(["/images/y"]).then(
                () => undefined,
                (e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number } },
            );
            expect(error?.name).to.equal("InvalidationBatchAlreadyExists");
            expect(error?.$metadata?.httpStatusCode).to.equal(409);
        });

        it("an unknown distribution is NoSuchDistribution (404), as the SDK names it", async () => {
            const error = await client
                .send(new CreateInvalidationCommand({ DistributionId: "ENOPE", InvalidationBatch: { CallerReference: "c-3", Paths: { Quantity: 1, Items: ["/a"] } } }))
                .then(
                    () => undefined,
                    (e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number } },
                );
            expect(error?.name).to.equal("NoSuchDistribution");
            expect(error?.$metadata?.httpStatusCode).to.equal(404);
        });

        it("serves the emulator's counters as JSON at /local/stats", async () => {
            const response = await fetch(`${api.endpoint}/local/stats`);
            expect(response.status).to.equal(200);
            const body = (await response.json()) as { distributions: Record<string, { requests: number; invalidations: number }> };
            expect(body.distributions.ELOCALCHAT.requests).to.be.at.least(2);
            expect(body.distributions.ELOCALCHAT.invalidations).to.be.at.least(1);
        });
    });
});
