/**
 * The local stack with replicated tables: one DynamoDB per region, the
 * replicator copying home writes to the replicas after a lag, each CDN
 * emulator's edge function running in a chosen region, the request log
 * naming the copy that answered, and an invalidator per copy of the table.
 * The lag is long and the test moves replication along itself (`flush`),
 * so nothing here waits on time.
 */
import { expect } from "chai";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { startTestStack } from "../support/local-stack";
import { cdnGet } from "../support/cdn-get";

describe("local stack with replicated tables", function () {
    this.timeout(120_000);
    const image = checkerPng({ width: 8, height: 8, square: 2, colors: [[0, 0, 128], [255, 255, 255]] });
    let stack: LocalStack;
    let chat: RunningService;
    let regulatory: RunningService;
    const faults: string[] = [];

    before(async () => {
        stack = await startTestStack({
            services: { services: ["chat", "regulatory"], overrides: { chat: { edge: { memoTtlSeconds: 0 } } } },
            region: "eu-west-1",
            replication: { regions: ["us-east-1", "ap-southeast-2"], lagMs: 3_600_000 },
            edgeRegions: { "*": "ap-southeast-2" },
            log: (line) => faults.push(line),
        });
        chat = stack.services.find((service) => service.name === "chat") as RunningService;
        regulatory = stack.services.find((service) => service.name === "regulatory") as RunningService;
    });
    after(async () => {
        await stack?.close();
        expect(faults, "no function failure or emulator fault").to.deep.equal([]);
    });

    /** The copy named in the request log for the last request of a path. */
    function copyFor(service: RunningService, url: string): string | undefined {
        const path = new URL(url).pathname;
        return service.cdn.distribution.stats
            .entriesSince(0)
            .filter((entry) => entry.uri === path)
            .pop()?.tableCopy;
    }

    it("runs one DynamoDB per replica region, and one invalidator per copy of the required + origin table", () => {
        const replication = stack.replication;
        expect(replication && Object.keys(replication.replicaEndpoints)).to.deep.equal(["us-east-1", "ap-southeast-2"]);
        expect(chat.local.config.endpoints?.dynamodb, "writers go to home: the replicator follows its stream").to.equal(stack.servers.dynamo.endpoint);
        expect(stack.state.endpoints.dynamodb).to.equal(stack.servers.dynamo.endpoint);
        expect(chat.local.config.replicaReads, "revoke says to add the replication lag").to.equal(true);
        expect(regulatory.local.config.replicaReads, "secured reads home").to.equal(undefined);
        expect(stack.invalidators.map((invalidator) => `${invalidator.service} ${invalidator.region}`)).to.deep.equal(["chat eu-west-1", "chat us-east-1", "chat ap-southeast-2"]);
    });

    it("serves a hash issued a moment ago, before it reaches the replica: home confirms the replica's miss", async () => {
        const uploaded = await chat.local.issuer.upload(image);
        expect(stack.replication?.pending(), "the mapping has not replicated yet").to.be.above(0);
        const answer = await cdnGet(uploaded.url);
        expect(answer.status).to.equal(200);
        expect(answer.body).to.deep.equal(image);
        expect(copyFor(chat, uploaded.url)).to.equal("eu-west-1");
    });

    it("once replicated, the function in ap-southeast-2 reads the replica there", async () => {
        const uploaded = await chat.local.issuer.upload(image);
        await stack.replication?.flush();
        expect(stack.replication?.pending()).to.equal(0);
        const answer = await cdnGet(uploaded.url);
        expect(answer.status).to.equal(200);
        expect(copyFor(chat, uploaded.url)).to.equal("ap-southeast-2");
    });

    it("required: a revoked hash is served from a replica until the delete replicates, then answered 404", async () => {
        const uploaded = await chat.local.issuer.upload(image);
        await stack.replication?.flush();
        const hash = new URL(uploaded.url).pathname.split("/").pop() as string;
        await chat.local.issuer.revoke(hash);
        const stale = await cdnGet(uploaded.url);
        expect(stale.status, "within the replication lag the replica still vouches for it").to.equal(200);
        expect(copyFor(chat, uploaded.url)).to.equal("ap-southeast-2");
        await stack.replication?.flush();
        // The 200 above is cached at the edge: the replica's invalidator drops it once the delete reaches that copy.
        await Promise.all(stack.invalidators.map((invalidator) => invalidator.settled()));
        const gone = await cdnGet(uploaded.url);
        expect(gone.status).to.equal(404);
        expect(copyFor(chat, uploaded.url), "the 404 comes after home's consistent read").to.equal("eu-west-1");
    });

    it("secured reads home with a consistent read even where a replica is, so a revocation holds on the next request", async () => {
        const uploaded = await regulatory.local.issuer.upload(image);
        await stack.replication?.flush();
        expect((await cdnGet(uploaded.url)).status).to.equal(200);
        expect(copyFor(regulatory, uploaded.url)).to.equal("eu-west-1");
        await regulatory.local.issuer.revoke(new URL(uploaded.url).pathname.split("/").pop() as string);
        expect((await cdnGet(uploaded.url)).status, "the replica still holds it; home does not").to.equal(404);
    });
});

describe("local stack: replicas named per service in the stack config", function () {
    this.timeout(120_000);
    let stack: LocalStack;

    before(async () => {
        stack = await startTestStack({
            // chat without variants: making its eager thumbnail at upload would look the hash up first, and the
            // request this test reads would be answered from the edge's memo, naming no table copy.
            services: { services: ["discussion", "chat"], overrides: { chat: { replicaRegions: ["ap-southeast-2"], variants: {} } } },
            region: "eu-west-1",
            edgeRegions: { "*": "ap-southeast-2" },
        });
    });
    after(async () => {
        await stack?.close();
    });

    it("replicates the services that name replicas, and only those read them", async () => {
        expect(Object.keys(stack.replication?.replicaEndpoints ?? {})).to.deep.equal(["ap-southeast-2"]);
        const image = checkerPng({ width: 4, height: 4, square: 2, colors: [[0, 0, 0], [255, 255, 255]] });
        const served: Record<string, string | undefined> = {};
        for (const name of ["discussion", "chat"]) {
            const service = stack.services.find((s) => s.name === name) as RunningService;
            const uploaded = await service.local.issuer.upload(image);
            await stack.replication?.flush();
            expect((await cdnGet(uploaded.url)).status, name).to.equal(200);
            served[name] = service.cdn.distribution.stats.entriesSince(0).pop()?.tableCopy;
        }
        // discussion has one table (its log line names no copy); chat reads its replica in its own region.
        expect(served).to.deep.equal({ discussion: undefined, chat: "ap-southeast-2" });
    });
});
