import { expect } from "chai";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoStore, DynamoStoreOptions, getItemBody, MAX_ATTEMPTS } from "../../edge/dynamo";
import { parseEndpoint } from "../../edge/endpoints";
import { createTransport } from "../../edge/http-call";
import { createMappingTable, localDynamoClient, LocalServer, LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamo } from "../../local/aws";
import { closedPortEndpoint, json, startReplyServer, startSilentServer } from "./fault-servers";
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

describe("edge GetItem client", () => {
    describe("against dynalite", () => {
        let dynamo: LocalServer;
        let client: DynamoDBClient;

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
        });

        after(async () => {
            client.destroy();
            await dynamo.close();
        });

        it("reads only the attributes the edge needs, eventually consistent or consistent", async () => {
            for (const consistent of [false, true]) {
                const read = await store(dynamo.endpoint).read(HASH, consistent, inOneSecond());
                expect(read, String(consistent)).to.deep.equal({ ok: true, attempts: 1, item: { s3_url: { S: "s3://bucket-name/a b.jpg" }, expires_at: { N: "1702592000" } } });
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
            const server = await startReplyServer((_request, response) => json(response, 200, {}));
            try {
                await store(server.endpoint, { region: "eu-west-1" }).read(HASH, true, inOneSecond());
                const [request] = server.seen;
                expect(request.method).to.equal("POST");
                expect(request.url).to.equal("/");
                expect(request.headers["x-amz-target"]).to.equal("DynamoDB_20120810.GetItem");
                expect(request.headers["content-type"]).to.equal("application/x-amz-json-1.0");
                expect(request.headers["host"]).to.equal(new URL(server.endpoint).host);
                expect(request.headers["authorization"]).to.match(
                    /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
                );
                expect(JSON.parse(request.body)).to.deep.equal(JSON.parse(getItemBody(TABLE, HASH, true)));
                expect(JSON.parse(request.body)).to.deep.include({
                    ConsistentRead: true,
                    ProjectionExpression: "#u, #e",
                    ExpressionAttributeNames: { "#u": "s3_url", "#e": "expires_at" },
                });
            } finally {
                await server.close();
            }
        });

        it("reuses one keep-alive connection for consecutive reads", async () => {
            const server = await startReplyServer((_request, response) => json(response, 200, {}));
            try {
                const s = store(server.endpoint);
                for (let i = 0; i < 5; i++) expect(await s.read(HASH, false, inOneSecond())).to.include({ ok: true });
                expect(new Set(server.seen.map((request) => request.clientPort)).size).to.equal(1);
            } finally {
                await server.close();
            }
        });

        it("sends the session token when the role has one", async () => {
            const server = await startReplyServer((_request, response) => json(response, 200, {}));
            try {
                await store(server.endpoint, { credentials: () => ({ ...LOCAL_CREDENTIALS, sessionToken: "token-1" }) }).read(HASH, false, inOneSecond());
                expect(server.seen[0].headers["x-amz-security-token"]).to.equal("token-1");
                expect(server.seen[0].headers["authorization"]).to.include("x-amz-security-token");
            } finally {
                await server.close();
            }
        });

        it("sends nothing without credentials", async () => {
            const server = await startReplyServer((_request, response) => json(response, 200, {}));
            try {
                expect(await store(server.endpoint, { credentials: () => undefined }).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "no_credentials", attempts: 0 });
                expect(server.seen).to.have.length(0);
            } finally {
                await server.close();
            }
        });
    });

    describe("faults", () => {
        it("retries throttling once, with a pause, then gives up", async () => {
            const server = await startReplyServer((_request, response) =>
                json(response, 400, { __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", message: "slow down" }),
            );
            const pauses: number[] = [];
            try {
                const read = await store(server.endpoint, { sleep: async (ms) => void pauses.push(ms) }).read(HASH, false, inOneSecond());
                expect(read).to.deep.equal({ ok: false, failure: "throttled", attempts: MAX_ATTEMPTS, errorType: "ProvisionedThroughputExceededException" });
                expect(server.seen).to.have.length(2);
                expect(pauses).to.deep.equal([30]);
            } finally {
                await server.close();
            }
        });

        it("recovers when the retry succeeds", async () => {
            const server = await startReplyServer((_request, response, index) =>
                index === 0 ? json(response, 500, { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError" }) : json(response, 200, { Item: { s3_url: { S: "s3://b/k" } } }),
            );
            try {
                expect(await store(server.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: true, attempts: 2, item: { s3_url: { S: "s3://b/k" } } });
            } finally {
                await server.close();
            }
        });

        it("times out a server that never answers, on each attempt, within the budget", async () => {
            const server = await startSilentServer();
            try {
                const started = Date.now();
                const read = await store(server.endpoint, { attemptTimeoutMs: 150 }).read(HASH, false, Date.now() + 600);
                expect(read).to.deep.equal({ ok: false, failure: "timeout", attempts: 2 });
                expect(server.connections(), "the retry opens a fresh connection").to.equal(2);
                // A property of the configured budget (600 ms), with generous slack for a loaded machine.
                expect(Date.now() - started).to.be.below(600 + 2000);
            } finally {
                await server.close();
            }
        });

        it("starts no attempt once the budget is spent", async () => {
            const server = await startSilentServer();
            try {
                expect(await store(server.endpoint).read(HASH, false, Date.now() - 1)).to.deep.equal({ ok: false, failure: "timeout", attempts: 0 });
                expect(server.connections()).to.equal(0);
            } finally {
                await server.close();
            }
        });

        it("fails fast, once retried, when nothing listens", async () => {
            const read = await store(await closedPortEndpoint()).read(HASH, false, inOneSecond());
            expect(read).to.deep.equal({ ok: false, failure: "network", attempts: 2 });
        });

        it("fails on a connection cut mid-answer", async () => {
            const server = await startReplyServer((_request, response) => {
                response.writeHead(200, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": "1000" });
                response.write('{"Item":');
                setTimeout(() => response.socket?.destroy(), 10);
            });
            try {
                expect(await store(server.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "network", attempts: 2 });
            } finally {
                await server.close();
            }
        });

        it("refuses an oversized answer without retrying, and garbage with one retry", async () => {
            const big = await startReplyServer((_request, response) => json(response, 200, { Item: { s3_url: { S: "x".repeat(100_000) } } }));
            const garbage = await startReplyServer((_request, response) => {
                response.writeHead(200);
                response.end("<html>captive portal</html>");
            });
            try {
                expect(await store(big.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "too_large", attempts: 1 });
                expect(await store(garbage.endpoint).read(HASH, false, inOneSecond())).to.deep.equal({ ok: false, failure: "bad_response", attempts: 2 });
            } finally {
                await big.close();
                await garbage.close();
            }
        });
    });
});
