/**
 * The deployed edge code with a replicated table, loaded as Lambda@Edge
 * loads it in each region: a fresh container per region, `AWS_REGION` set
 * to that region, endpoints unset (as deployed). One dynalite per region
 * holds that region's copy of the table; `https://dynamodb.<region>.amazonaws.com`
 * is routed to it (test/support/region-routing.ts), a region without one to
 * a closed loopback port. A fault proxy in front of each copy counts its
 * reads and makes it hang or throttle on demand.
 */
import { expect } from "chai";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { createMappingTable, localDynamoClient, LocalServer, startLocalDynamo, useEnv, useLocalEdgeCredentials } from "../../local/aws";
import { buildEdgeCode } from "../../components/edge-code";
import { newHash } from "../../core/contract";
import type { EdgeSettings } from "../../core/edge-settings";
import { captureEdgeLogs, EdgeLogLine } from "../support/edge-logs";
import { requireEdgeCode } from "../support/edge-module";
import { closedPortEndpoint, DynamoProxy, onOperation, startDynamoProxy, throttled } from "../support/dynamo-proxy";
import { routeDynamoRegions, RegionRouting } from "../support/region-routing";
import { requestEvent, settings } from "./fixtures";

const TABLE = "global-mappings";
const BUCKET = "global-images";
const HOME = "eu-west-1";
/** Regions with a copy of the table (home first). ap-northeast-1 is a replica whose server is never started: a dead copy. */
const SERVED = [HOME, "us-east-1", "ap-southeast-2"] as const;
const REPLICAS = ["us-east-1", "ap-southeast-2", "ap-northeast-1"];

type Served = (typeof SERVED)[number];

describe("edge reads with replicas: the deployed code in each region, one dynalite per region", function () {
    this.timeout(60_000);
    const servers = new Map<Served, LocalServer>();
    const proxies = new Map<Served, DynamoProxy>();
    const clients = new Map<Served, DynamoDBClient>();
    let routing: RegionRouting;
    let restoreEnv: () => void;
    const codes = new Map<string, string>();
    let loads = 0;

    const nowS = () => Math.floor(Date.now() / 1000);
    const proxy = (region: Served) => proxies.get(region) as DynamoProxy;

    function edgeSettings(overrides: Partial<EdgeSettings> = {}): EdgeSettings {
        return settings({ tableName: TABLE, tableRegion: HOME, bucket: BUCKET, bucketRegion: HOME, replicaRegions: REPLICAS, lookupTimeoutMs: 1200, ...overrides });
    }

    /** The deployed code for these settings, loaded in a fresh container running in `region`. */
    async function edgeIn(region: string, overrides: Partial<EdgeSettings> = {}) {
        const chosen = edgeSettings(overrides);
        const key = JSON.stringify(chosen);
        if (!codes.has(key)) codes.set(key, await buildEdgeCode(chosen));
        const restore = useEnv({ AWS_REGION: region });
        let handler: (event: unknown) => Promise<unknown>;
        try {
            loads += 1;
            handler = requireEdgeCode(codes.get(key) as string, `global-${region}-${loads}`).exports.handler as typeof handler;
        } finally {
            restore();
        }
        return async (hash: string, eventType: "origin-request" | "viewer-request" = chosen.level === "secured" ? "viewer-request" : "origin-request") => {
            const logs = captureEdgeLogs({ keep: true });
            try {
                const result = (await handler(requestEvent(eventType, { uri: `/images/${hash}` }))) as { status?: string; uri?: string };
                return { result, line: logs.lines[0] as EdgeLogLine };
            } finally {
                logs.restore();
            }
        };
    }

    async function put(hash: string, regions: readonly Served[], expiresAt = nowS() + 3600): Promise<void> {
        for (const region of regions) {
            await (clients.get(region) as DynamoDBClient).send(
                new PutItemCommand({
                    TableName: TABLE,
                    Item: { hash: { S: hash }, s3_url: { S: `s3://${BUCKET}/users/1/${hash}.jpg` }, created_at: { N: String(nowS()) }, expires_at: { N: String(expiresAt) }, ttl: { N: String(expiresAt) } },
                }),
            );
        }
    }

    /** GetItem reads each copy received, as `consistent`/`eventual`. */
    function readsSeen(): Record<string, string[]> {
        const seen: Record<string, string[]> = {};
        for (const region of SERVED) {
            const reads = proxy(region)
                .seen.filter((call) => call.operation === "GetItem")
                .map((call) => ((JSON.parse(call.body) as { ConsistentRead?: boolean }).ConsistentRead ? "consistent" : "eventual"));
            if (reads.length > 0) seen[region] = reads;
        }
        return seen;
    }

    before(async () => {
        const routes: Record<string, string> = {};
        for (const region of SERVED) {
            const server = await startLocalDynamo();
            servers.set(region, server);
            const client = localDynamoClient(server.endpoint);
            clients.set(region, client);
            await createMappingTable(client, TABLE);
            const front = await startDynamoProxy(server.endpoint);
            proxies.set(region, front);
            routes[region] = front.endpoint;
        }
        routing = routeDynamoRegions(routes, await closedPortEndpoint());
        restoreEnv = useLocalEdgeCredentials();
    });

    beforeEach(() => {
        for (const front of proxies.values()) front.reset();
    });

    after(async () => {
        routing?.restore();
        restoreEnv?.();
        for (const client of clients.values()) client.destroy();
        for (const front of proxies.values()) await front.close();
        for (const server of servers.values()) await server.close();
    });

    describe("required: the nearest copy first", () => {
        it("reads the replica in its own region, and only that one, for a hash every copy has", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            const { result, line } = await (await edgeIn("ap-southeast-2"))(hash);
            expect(result.uri).to.equal(`/users/1/${hash}.jpg`);
            expect(line).to.deep.include({ outcome: "rewritten", copy: "ap-southeast-2", attempts: 1 });
            expect(readsSeen()).to.deep.equal({ "ap-southeast-2": ["eventual"] });
        });

        it("without a replica in its region, reads the nearest copy by distance", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            // Ohio: Virginia is nearer than Ireland.
            expect((await (await edgeIn("us-east-2"))(hash)).line).to.deep.include({ outcome: "rewritten", copy: "us-east-1" });
            // London: home (Ireland) is nearer than any replica; Frankfurt likewise.
            expect((await (await edgeIn("eu-west-2"))(hash)).line).to.deep.include({ outcome: "rewritten", copy: HOME });
            expect((await (await edgeIn("eu-central-1"))(hash)).line).to.deep.include({ outcome: "rewritten", copy: HOME });
            expect(readsSeen()).to.deep.equal({ [HOME]: ["eventual", "eventual"], "us-east-1": ["eventual"] });
        });

        it("at home reads home only, as a table without replicas would", async () => {
            const hash = newHash();
            await put(hash, [HOME]);
            expect((await (await edgeIn(HOME))(hash)).line).to.deep.include({ outcome: "rewritten", copy: HOME, attempts: 1 });
            expect(readsSeen()).to.deep.equal({ [HOME]: ["eventual"] });
        });

        it("serves a hash that has not replicated yet: the replica's miss is confirmed at home with a consistent read", async () => {
            const hash = newHash();
            await put(hash, [HOME]);
            const { result, line } = await (await edgeIn("ap-southeast-2"))(hash);
            expect(result.uri).to.equal(`/users/1/${hash}.jpg`);
            expect(line).to.deep.include({ outcome: "rewritten", copy: HOME, attempts: 2 });
            expect(readsSeen()).to.deep.equal({ "ap-southeast-2": ["eventual"], [HOME]: ["consistent"] });
        });

        it("answers an unknown hash 404 only after home's consistent read agrees", async () => {
            const { result, line } = await (await edgeIn("us-east-1"))(newHash());
            expect(result.status).to.equal("404");
            expect(line).to.deep.include({ outcome: "not_found", copy: HOME, attempts: 2 });
            expect(readsSeen()).to.deep.equal({ "us-east-1": ["eventual"], [HOME]: ["consistent"] });
        });

        it("checks expires_at on a replica's item too", async () => {
            const hash = newHash();
            await put(hash, ["ap-southeast-2"], nowS() - 1);
            const { result, line } = await (await edgeIn("ap-southeast-2"))(hash);
            expect(result.status).to.equal("403");
            expect(line).to.deep.include({ outcome: "expired", copy: "ap-southeast-2" });
        });

        it("believes a replica's hit even when home has no item: the staleness a revocation can meet at required", async () => {
            const hash = newHash();
            await put(hash, ["us-east-1"]);
            expect((await (await edgeIn("us-east-1"))(hash)).line).to.deep.include({ outcome: "rewritten", copy: "us-east-1" });
        });
    });

    describe("failed copies fall over to the next nearest, home last, within one lookup budget", () => {
        it("a dead replica (connection refused) → the next copy answers", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            // Tokyo: its own replica (dead), then Sydney (nearer than Ireland); Virginia is farther than Ireland.
            const { result, line } = await (await edgeIn("ap-northeast-1"))(hash);
            expect(result.uri).to.equal(`/users/1/${hash}.jpg`);
            expect(line).to.deep.include({ outcome: "rewritten", copy: "ap-southeast-2", attempts: 2 });
            expect(readsSeen()).to.deep.equal({ "ap-southeast-2": ["eventual"] });
        });

        it("a hanging replica is given up within its share of the budget; the next copies still answer", async () => {
            const hash = newHash();
            await put(hash, [HOME]);
            proxy("ap-southeast-2").plan = onOperation("GetItem", { kind: "hang" });
            // Sydney: itself (hangs), Tokyo (dead), Virginia (does not have it: home confirms).
            // One attempt may take the whole budget here: had the hang been given it, home
            // would get no attempt and the answer would be 503.
            const { result, line } = await (await edgeIn("ap-southeast-2", { lookupAttemptTimeoutMs: 1200 }))(hash);
            expect(result.uri).to.equal(`/users/1/${hash}.jpg`);
            expect(line).to.deep.include({ outcome: "rewritten", copy: HOME, attempts: 4 });
            expect(readsSeen()).to.deep.equal({ "ap-southeast-2": ["eventual"], "us-east-1": ["eventual"], [HOME]: ["consistent"] });
        });

        it("a throttled replica is not retried: the next copy is the second try", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            proxy("us-east-1").plan = onOperation("GetItem", throttled());
            const { line } = await (await edgeIn("us-east-2"))(hash);
            expect(line).to.deep.include({ outcome: "rewritten", copy: HOME, attempts: 2 });
            expect(readsSeen()).to.deep.equal({ "us-east-1": ["eventual"], [HOME]: ["eventual"] });
        });

        it("every replica failing is still no 503 while home answers; home failing too is a 503, never a 404", async () => {
            const hash = newHash();
            await put(hash, [HOME]);
            proxy("ap-southeast-2").plan = onOperation("GetItem", { kind: "hang" });
            proxy("us-east-1").plan = onOperation("GetItem", throttled());
            const served = await (await edgeIn("ap-southeast-2", { lookupAttemptTimeoutMs: 1200 }))(hash);
            expect(served.line).to.deep.include({ outcome: "rewritten", copy: HOME });
            expect(readsSeen()[HOME], "home's eventually consistent read first, as without replicas").to.deep.equal(["eventual"]);
            proxy(HOME).plan = onOperation("GetItem", throttled());
            const failed = await (await edgeIn("ap-southeast-2"))(hash);
            expect(failed.result.status).to.equal("503");
            expect(failed.line).to.deep.include({ outcome: "unavailable", copy: HOME, reason: "ThrottlingException" });
        });

        it("a replica that holds the item answers while home is down", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            proxy(HOME).plan = onOperation("GetItem", { kind: "hang" });
            expect((await (await edgeIn("us-east-1"))(hash)).line).to.deep.include({ outcome: "rewritten", copy: "us-east-1" });
        });
    });

    describe("secured", () => {
        it("reads home with one consistent read by default, wherever it runs", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            const read = await edgeIn("ap-southeast-2", { level: "secured", memoTtlSeconds: 0 });
            expect((await read(hash)).line).to.deep.include({ outcome: "rewritten", copy: HOME, attempts: 1 });
            expect((await read(newHash())).line).to.deep.include({ outcome: "not_found", copy: HOME, attempts: 1 });
            expect(readsSeen()).to.deep.equal({ [HOME]: ["consistent", "consistent"] });
        });

        it("a revoked hash stops on the next request even while a replica still holds it", async () => {
            const hash = newHash();
            await put(hash, ["ap-southeast-2"]);
            const { result } = await (await edgeIn("ap-southeast-2", { level: "secured", memoTtlSeconds: 0 }))(hash);
            expect(result.status).to.equal("404");
        });

        it("with securedReads nearest, reads like required: the nearest copy first", async () => {
            const hash = newHash();
            await put(hash, SERVED);
            const { line } = await (await edgeIn("ap-southeast-2", { level: "secured", memoTtlSeconds: 0, securedReads: "nearest" }))(hash);
            expect(line).to.deep.include({ outcome: "rewritten", copy: "ap-southeast-2" });
            expect(readsSeen()).to.deep.equal({ "ap-southeast-2": ["eventual"] });
        });
    });

    it("routes every read by its region: nothing reached a copy the read plan did not name", () => {
        expect(routing.routed.every((region) => [...SERVED, "ap-northeast-1"].includes(region))).to.equal(true);
    });
});
