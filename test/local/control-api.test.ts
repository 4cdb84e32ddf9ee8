import { expect } from "chai";
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { LOCAL_CREDENTIALS } from "../../local/aws";
import { ControlApiServer, startControlApi } from "../../local/cloudfront/control-api";
import { Distribution } from "../../local/cloudfront/distribution";
import { CloudFrontApiError, parseInvalidationBatch } from "../../local/cloudfront/invalidation-xml";
import type { Origin } from "../../local/cloudfront/origin";
import { thrown } from "../support/rejection";

const XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

function batch(paths: string[], ref = "ref-1", quantity = paths.length): string {
    const items = paths.map((p) => `<Path>${p}</Path>`).join("");
    return `<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="${XMLNS}"><Paths><Quantity>${quantity}</Quantity><Items>${items}</Items></Paths><CallerReference>${ref}</CallerReference></InvalidationBatch>`;
}

function errorCode(fn: () => unknown): string {
    return thrown(fn, CloudFrontApiError).code;
}

describe("local CloudFront API: invalidations", () => {
    describe("InvalidationBatch XML (pure)", () => {
        it("reads the paths and the caller reference, decoding XML entities", () => {
            expect(parseInvalidationBatch(batch(["/images/a", "/images/b&amp;c*"], "r&lt;1&gt;"))).to.deep.equal({
                paths: ["/images/a", "/images/b&c*"],
                callerReference: "r<1>",
            });
        });
        it("refuses what CloudFront refuses", () => {
            expect(errorCode(() => parseInvalidationBatch(batch(["/a", "/b"], "r", 3)))).to.equal("InconsistentQuantities");
            expect(errorCode(() => parseInvalidationBatch(batch(["images/a"])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch(batch(["/a*b"])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch(batch([])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch("<Nope/>"))).to.equal("MalformedXML");
            expect(errorCode(() => parseInvalidationBatch(batch(["/a"], "")))).to.equal("MalformedXML");
        });
    });

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
