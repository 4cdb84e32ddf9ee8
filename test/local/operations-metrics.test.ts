/**
 * The playground's operations view (GET /api/services/{name}/metrics) on the
 * real local stack: dynalite, s3rver and the CloudFront emulator running the
 * deployed edge code. Each figure is the one the deployed CloudWatch
 * dashboard shows, counted from what the stack really did: a miss, a hit and
 * an unknown hash on a `required` service.
 */
import { expect } from "chai";
import type { ServiceMetrics } from "../../local/playground/api";
import { checkerPng } from "../../local/png";
import type { LocalStack } from "../../local/stack";
import { cdnGet } from "../support/cdn-get";
import { captureEdgeLogs, EdgeLogCapture } from "../support/edge-logs";
import { startTestStack } from "../support/local-stack";

describe("local stack: the playground shows what the dashboard shows", function () {
    this.timeout(60000);
    let stack: LocalStack;
    let logs: EdgeLogCapture;

    before(async () => {
        logs = captureEdgeLogs({ keep: false });
        // Without variants: an upload would make chat's eager thumbnail through the CDN, requests this test counts otherwise.
        stack = await startTestStack({ services: { services: ["chat", "marketplace"], overrides: { chat: { variants: {} } } } });
    });
    after(async () => {
        logs.restore();
        await stack?.close();
    });

    /** The playground API as its own page calls it. */
    async function metrics(service: string): Promise<ServiceMetrics> {
        const response = await fetch(new URL(`/api/services/${service}/metrics`, stack.state.playgroundUrl), { headers: { "X-Playground": "1" } });
        expect(response.status).to.equal(200);
        return (await response.json()) as ServiceMetrics;
    }

    it("before any request: no rates, no durations, no reads by the edge", async () => {
        const fresh = await metrics("chat");
        expect(fresh).to.deep.include({ service: "chat", requests: 0, cacheHitRatePercent: null, errorRate4xxPercent: null, errorRate5xxPercent: null });
        expect(fresh.edge).to.deep.equal({ invocations: 0, errors: 0, durationP50Ms: null, durationP99Ms: null });
        expect(fresh.dynamodb?.tableName).to.equal(stack.services.find((s) => s.name === "chat")?.local.config.tableName);
    });

    it("a miss, a hit and an unknown hash: requests, hit rate, 4xx rate, edge invocations and duration, table reads", async () => {
        const chat = stack.services.find((s) => s.name === "chat");
        if (!chat) throw new Error("no chat service");
        const uploaded = await chat.local.issuer.upload(checkerPng({ width: 8, height: 8, square: 2, colors: [[0, 0, 128], [255, 255, 255]] }));
        const before = await metrics("chat");

        expect((await cdnGet(uploaded.url)).xCache).to.match(/^Miss/);
        expect((await cdnGet(uploaded.url)).xCache).to.match(/^Hit/);
        expect((await cdnGet(`${chat.cdn.server.baseUrl}/images/${"0".repeat(32)}`)).status).to.equal(404);

        const after = await metrics("chat");
        expect(after.requests - before.requests).to.equal(3);
        // Of the two cacheable answers (200s), one came from the cache; the 404 is an error, not cacheable.
        expect(after.cacheHitRatePercent).to.equal(50);
        expect(after.errorRate4xxPercent).to.equal(33.3);
        expect(after.errorRate5xxPercent).to.equal(0);
        // required + origin: origin-request and origin-response for the miss, origin-request for the unknown hash.
        expect(after.edge.invocations - before.edge.invocations).to.equal(3);
        expect(after.edge.errors).to.equal(0);
        expect(after.edge.durationP50Ms).to.be.a("number").and.at.least(0);
        expect(after.edge.durationP99Ms).to.be.a("number").and.at.least(after.edge.durationP50Ms as number);
        // The miss reads the hash once (eventually consistent); the unknown hash is read twice, the second time consistently.
        const reads = (field: "getItem" | "consistentGetItem" | "getItemReadUnits") => (after.dynamodb?.[field] ?? NaN) - (before.dynamodb?.[field] ?? NaN);
        expect([reads("getItem"), reads("consistentGetItem"), reads("getItemReadUnits")]).to.deep.equal([3, 1, 2]);
    });

    it("a public service has CloudFront figures and no table", async () => {
        const market = stack.services.find((s) => s.name === "marketplace");
        if (!market) throw new Error("no marketplace service");
        const uploaded = await market.local.issuer.upload(checkerPng({ width: 4, height: 4, square: 1, colors: [[10, 10, 10], [250, 250, 250]] }));
        await cdnGet(uploaded.url);
        const figures = await metrics("marketplace");
        expect(figures.requests).to.equal(1);
        expect(figures.edge.invocations).to.equal(0);
        expect(figures).to.not.have.property("dynamodb");
    });
});
