import { expect } from "chai";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoStore, DynamoStoreOptions, getItemBody } from "../../edge/dynamo";
import { parseEndpoint } from "../../edge/endpoints";
import { createTransport } from "../../edge/http-call";
import { createMappingTable, localDynamoClient, LocalServer, LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamo } from "../../local/aws";
import { closedPortEndpoint, dynamoError, DynamoProxy, startDynamoProxy, throttled } from "../support/dynamo-proxy";
import { HASH, OTHER_HASH } from "./fixtures";

const TABLE = "edge-dynamo-test";

function store(endpoint: string, overrides: Partial<DynamoStoreOptions> = {}) {
    return createDynamoStore({
        tableName: TABLE,
        region: LOCAL_REGION,
        transport: createTransport(parseEndpoint(endpoint)),
        credentials: () => LOCAL_CREDENTIALS,
        attemptTimeoutMs: 1000,
        now: () => Date.now(),
        random: () => 0.5,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...overrides,
    });
}

const inOneSecond = () => Date.now() + 1000;

/** The stored item as the edge's projected read returns it. */
const STORED = { s3_url: { S: "s3://bucket-name/a b.jpg" }, expires_at: { N: "1702592000" } };

describe("edge GetItem client", () => {
    let dynamo: LocalServer;
    let client: DynamoDBClient;
    /** Between the store and dynalite: records every call and injects the faults. */
    let proxy: DynamoProxy;

    before(async () => {
        dynamo = await startLocalDynamo();
        client = localDynamoClient(dynamo.endpoint);
        await createMappingTable(client, TABLE);
        await client.send(
            new PutItemCommand({
                TableName: TABLE,
                Item: {
                    hash: { S: HASH },
                    s3_url: { S: "s3://bucket-name/a b.jpg" },
                    created_at: { N: "1700000000" },
                    expires_at: { N: "1702592000" },
                    ttl: { N: "1702592000" },
                },
            }),
        );
        proxy = await startDynamoProxy(dynamo.endpoint);
    });

    afterEach(() => proxy.reset());

    after(async () => {
        await proxy?.close();
        client?.destroy();
        await dynamo?.close();
    });

    describe("against dynalite", () => {
        it("reads only the attributes the edge needs, eventually consistent or consistent", async () => {
            for (const consistent of [false, true]) {
                const read = await store(dynamo.endpoint).read(HASH, consistent, inOneSecond());
                expect(read, String(consistent)).to.deep.equal({ ok: true, attempts: 1, item: STORED });
            }
        });

        it("reads no item for an unknown hash", async () => {
            expect(await store(dynamo.endpoint).read(OTHER_HASH, true, inOneSecond())).to.deep.equal({ ok: true, attempts: 1, item: undefined });
        });

        it("does not retry a missing table", async () => {
            const read = await store(dynamo.endpoint, { tableName: "no-such-table" }).read(HASH, false, inOneSecond());
            expect(read).to.deep.equal({ ok: false, failure: "rejected", attempts: 1, errorType: "ResourceNotFoundException" });
        });
    });

    describe("on the wire", () => {
        it("sends a SigV4-signed GetItem for the table's region, with the projection and the read mode", async () => {
            await store(proxy.endpoint, { region: "eu-west-1" }).read(HASH, true, inOneSecond());
            const [request] = proxy.seen;
            expect(request.method).to.equal("POST");
            expect(request.url).to.equal("/");
            expect(request.headers["x-amz-target"]).to.equal("DynamoDB_20120810.GetItem");
            expect(request.headers["content-type"]).to.equal("application/x-amz-json-1.0");
            expect(request.headers["host"]).to.equal(new URL(proxy.endpoint).host);
            expect(request.headers["authorization"]).to.match(
                /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
            );
            expect(JSON.parse(request.body)).to.deep.equal(JSON.parse(getItemBody(TABLE, HASH, true)));
            expect(JSON.parse(request.body)).to.deep.include({
                ConsistentRead: true,
                ProjectionExpression: "#u, #e",
                ExpressionAttributeNames: { "#u": "s3_url", "#e": "expires_at" },
            });
        });

        it("reuses one keep-alive connection for consecutive reads", async () => {
            const s = store(proxy.endpoint);
            for (let i = 0; i < 5; i++) expect(await s.read(HASH, false, inOneSecond())).to.include({ ok: true });
            expect(new Set(proxy.seen.map((request) => request.clientPort)).size).to.equal(1);
        });

        it("sends the session token when the role has one", async () => {
            await store(proxy.endpoint, { credentials: () => ({ ...LOCAL_CREDENTIALS, sessionToken: "token-1" }) }).read(HASH, false, inOneSecond());
            expect(proxy.seen[0].headers["x-amz-security-token"]).to.equal("token-1");
            expect(proxy.seen[0].headers["authorization"]).to.include("x-amz-security-token");
        });

        it("sends nothing without credentials", async () => {
            expect(await store(proxy.endpoint, { credentials: () => undefined }).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "no_credentials", attempts: 0 });
            expect(proxy.seen).to.have.length(0);
        });
    });

    describe("faults", () => {
        it("retries throttling once, with a pause, then gives up", async () => {
            proxy.plan = () => throttled("ProvisionedThroughputExceededException");
            const pauses: number[] = [];
            const read = await store(proxy.endpoint, { sleep: async (ms) => void pauses.push(ms) }).read(HASH, false, inOneSecond());
            // Two attempts: the first and one retry.
            expect(read).to.deep.equal({ ok: false, failure: "throttled", attempts: 2, errorType: "ProvisionedThroughputExceededException" });
            expect(proxy.seen).to.have.length(2);
            expect(pauses).to.deep.equal([30]);
        });

        it("recovers when the retry succeeds", async () => {
            proxy.plan = (_operation, sequence) => (sequence === 1 ? dynamoError(500, "InternalServerError", "Internal server error") : { kind: "pass" });
            expect(await store(proxy.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: true, attempts: 2, item: STORED });
        });

        it("times out a server that never answers, on each attempt, within the budget", async () => {
            proxy.plan = () => ({ kind: "hang" });
            const started = Date.now();
            const read = await store(proxy.endpoint, { attemptTimeoutMs: 150 }).read(HASH, false, Date.now() + 600);
            expect(read).to.deep.equal({ ok: false, failure: "timeout", attempts: 2 });
            expect(proxy.connections(), "the retry opens a fresh connection").to.equal(2);
            // A property of the configured budget (600 ms), with generous slack for a loaded machine.
            expect(Date.now() - started).to.be.below(600 + 2000);
        });

        it("starts no attempt once the budget is spent", async () => {
            proxy.plan = () => ({ kind: "hang" });
            expect(await store(proxy.endpoint).read(HASH, false, Date.now() - 1)).to.deep.equal({ ok: false, failure: "timeout", attempts: 0 });
            expect(proxy.connections()).to.equal(0);
        });

        it("fails fast, once retried, when nothing listens", async () => {
            const read = await store(await closedPortEndpoint()).read(HASH, false, inOneSecond());
            expect(read).to.deep.equal({ ok: false, failure: "network", attempts: 2 });
        });

        it("fails on a connection cut mid-answer", async () => {
            proxy.plan = () => ({ kind: "cut-answer" });
            expect(await store(proxy.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "network", attempts: 2 });
        });

        it("refuses an oversized answer without retrying, and garbage with one retry", async () => {
            proxy.plan = () => ({ kind: "answer", status: 200, body: JSON.stringify({ Item: { s3_url: { S: "x".repeat(100_000) } } }) });
            expect(await store(proxy.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "too_large", attempts: 1 });
            proxy.plan = () => ({ kind: "answer", status: 200, body: "<html>captive portal</html>", headers: { "Content-Type": "text/html" } });
            expect(await store(proxy.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "bad_response", attempts: 2 });
        });
    });
});
