/**
 * The deployed edge code (serialized + bundled, loaded from a file) against
 * real local DynamoDB (dynalite) and S3 (s3rver) on loopback, with the fault
 * proxy in front of dynalite for the faults it never makes. The bundle reads
 * credentials from the environment like Lambda.
 */
import { expect } from "chai";
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontResponse } from "aws-lambda";
import { deflateRawSync } from "zlib";
import { createMappingTable, localDynamoClient, LocalServer, LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamo, startLocalS3, useEnv, useLocalEdgeCredentials } from "../../local/aws";
import { newHash } from "../../core/contract";
import type { EdgeSettings } from "../../core/edge-settings";
import { amzDate } from "../../edge/presign";
import { manualClock } from "../support/clock";
import { loadEdge, LoadedEdge } from "./bundle-harness";
import { closedPortEndpoint, DynamoProxy, startDynamoProxy, THROTTLING_MESSAGES, throttled } from "../support/dynamo-proxy";
import { expectValidGenerated, header, requestEvent, responseEvent, settings } from "./fixtures";

const TABLE = "edge-bundle-mappings";
const BUCKET = "edge-bundle-images";
const KEY = "users/42/holiday photo (1)+ü.jpg";
const BYTES = Buffer.from("\xff\xd8\xff\xe0 not really a jpeg, but these exact bytes", "latin1");

describe("edge bundle against dynalite and s3rver", function () {
    this.timeout(60_000);
    let dynamo: LocalServer;
    let s3: LocalServer;
    let db: DynamoDBClient;
    let s3Client: S3Client;
    let restoreEnv: () => void;

    const nowS = () => Math.floor(Date.now() / 1000);

    async function putMapping(hash: string, expiresAt: number, s3Url = `s3://${BUCKET}/${KEY}`): Promise<void> {
        await db.send(
            new PutItemCommand({
                TableName: TABLE,
                Item: { hash: { S: hash }, s3_url: { S: s3Url }, created_at: { N: String(nowS()) }, expires_at: { N: String(expiresAt) }, ttl: { N: String(expiresAt) } },
            }),
        );
    }

    function localSettings(overrides: Partial<EdgeSettings> = {}): EdgeSettings {
        return settings({
            tableName: TABLE,
            tableRegion: LOCAL_REGION,
            bucket: BUCKET,
            bucketRegion: LOCAL_REGION,
            lookupTimeoutMs: 2000,
            endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint },
            ...overrides,
        });
    }

    /** What CloudFront would fetch from the bucket for a rewritten request (path style on s3rver). */
    function fetchFromOrigin(request: CloudFrontRequest): Promise<Response> {
        return fetch(`${s3.endpoint}/${BUCKET}${request.uri}${request.querystring ? `?${request.querystring}` : ""}`);
    }

    /** The origin-response event CloudFront builds from the request it sent and what S3 answered. */
    function originResponseEvent(request: CloudFrontRequest, answer: Response) {
        const event = responseEvent("origin-response", String(answer.status));
        const headers: CloudFrontHeaders = {};
        answer.headers.forEach((value, name) => (headers[name] = [{ key: name, value }]));
        Object.assign(event.Records[0].cf, { request, response: { status: String(answer.status), statusDescription: answer.statusText, headers } });
        return event;
    }

    before(async () => {
        dynamo = await startLocalDynamo();
        s3 = await startLocalS3({ buckets: [BUCKET] });
        db = localDynamoClient(dynamo.endpoint);
        await createMappingTable(db, TABLE);
        s3Client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
        await s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: BYTES, ContentType: "image/jpeg" }));
        restoreEnv = useLocalEdgeCredentials();
    });

    after(async () => {
        restoreEnv();
        db.destroy();
        s3Client.destroy();
        await dynamo.close();
        await s3.close();
    });

    describe("the deployed file", () => {
        it("is one CommonJS file: the edge modules and aws4, Node built-ins, no AWS SDK, no Pulumi", async () => {
            const edge = await loadEdge("it-contents", localSettings());
            const requires = [...edge.code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).sort();
            expect([...new Set(requires)]).to.deep.equal(["crypto", "http", "https", "querystring", "url"]);
            expect(edge.code).not.to.match(/@aws-sdk|@pulumi|aws4\/aws4/);
            expect(deflateRawSync(Buffer.from(edge.code), { level: 9 }).length, "well inside the 150 KB zipped goal").to.be.below(150 * 1024);
        });

        it("captures no credential: only the settings", async () => {
            const marker = `SECRET-${newHash()}`;
            const restore = useEnv({ AWS_ACCESS_KEY_ID: `AKID-${marker}`, AWS_SECRET_ACCESS_KEY: marker, AWS_SESSION_TOKEN: `TOKEN-${marker}` });
            try {
                const edge = await loadEdge("it-secrets", localSettings({ mode: "redirect" }));
                expect(edge.code).not.to.include(marker);
                expect(edge.code).to.include(TABLE).and.include(BUCKET);
            } finally {
                restore();
            }
        });
    });

    describe("required + origin", () => {
        let edge: LoadedEdge;
        before(async () => {
            edge = await loadEdge("it-origin", localSettings());
        });

        it("rewrites a valid hash to a path S3 serves the exact object from, and bounds its cache life", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() + 3600);
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}`, querystring: "versionId=null" }));
            const request = result as CloudFrontRequest;
            expect(request.uri).to.equal("/users/42/holiday%20photo%20%281%29%2B%C3%BC.jpg");
            expect(request.querystring).to.equal("");
            expect(lines).to.have.length(1);
            expect(lines[0]).to.deep.include({ outcome: "rewritten", hash: hash.slice(0, 8), attempts: 1, memo: false });

            const answer = await fetchFromOrigin(request);
            expect(answer.status).to.equal(200);
            expect(Buffer.from(await answer.arrayBuffer())).to.deep.equal(BYTES);

            const bounded = await edge.invoke(originResponseEvent(request, answer));
            const response = bounded.result as CloudFrontResponse;
            expect(response.status).to.equal("200");
            const maxAge = Number(/^max-age=(\d+)$/.exec(header(response, "cache-control") ?? "")?.[1]);
            expect(maxAge).to.be.within(3590, 3600);
        });

        it("serves a hash the moment after it was issued", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() + 600);
            expect(((await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }))).result as CloudFrontRequest).uri).to.match(/^\/users\/42\//);
        });

        it("answers an unknown hash 404 after a consistent read, and a malformed path 404 without one", async () => {
            const unknown = await edge.invoke(requestEvent("origin-request", { uri: `/images/${newHash()}` }));
            expect(expectValidGenerated(unknown.result).status).to.equal("404");
            expect(unknown.lines[0]).to.deep.include({ outcome: "not_found", attempts: 2 });
            const malformed = await edge.invoke(requestEvent("origin-request", { uri: "/images/../../etc/passwd" }));
            expect(malformed.result).to.deep.equal(unknown.result);
            expect(malformed.lines[0]).to.deep.include({ outcome: "bad_path" });
            expect(malformed.lines[0]).not.to.have.property("attempts");
        });

        it("answers an expired hash 403 although its item is still there", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() - 5);
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expect(expectValidGenerated(result).status).to.equal("403");
            expect(lines[0]).to.deep.include({ outcome: "expired" });
        });

        it("stops serving at expires_at although a warm container remembered the hash", async () => {
            const clock = manualClock(Date.now());
            const clocked = await loadEdge("it-origin-clocked", localSettings(), { clock: clock.now });
            const hash = newHash();
            const expiresAt = Math.floor(clock.now() / 1000) + 2;
            await putMapping(hash, expiresAt);
            const first = await clocked.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expect(first.lines[0]).to.deep.include({ outcome: "rewritten" });
            const again = await clocked.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expect(again.lines[0], "the memo spares the read while the hash lives").to.deep.include({ outcome: "rewritten", memo: true, attempts: 0 });
            clock.set(expiresAt * 1000);
            const after = await clocked.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expect(expectValidGenerated(after.result).status).to.equal("403");
            expect(after.lines[0]).to.deep.include({ outcome: "expired", memo: false });
        });

        it("treats an item pointing at another bucket as not found", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() + 600, `s3://some-other-bucket/${KEY}`);
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expectValidGenerated(result, [hash, "some-other-bucket", "users/42"]);
            expect(lines[0]).to.deep.include({ outcome: "bad_item", reason: "other_bucket", status: 404 });
        });

        it("turns S3's own 404 for a vanished object into the generic 404", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() + 600, `s3://${BUCKET}/users/42/deleted.jpg`);
            const request = (await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }))).result as CloudFrontRequest;
            const answer = await fetchFromOrigin(request);
            expect(answer.status).to.equal(404);
            const { result, lines } = await edge.invoke(originResponseEvent(request, answer));
            expect(result).to.deep.include({ status: "404", body: "Not Found\n" });
            expect(JSON.stringify(result)).not.to.include("deleted.jpg");
            expect(lines[0]).to.deep.include({ outcome: "origin_missing", reason: "s3_404" });
        });

        it("keeps serving a just-revoked hash from a warm container's memo (the documented revocation delay)", async () => {
            const hash = newHash();
            await putMapping(hash, nowS() + 600);
            expect((await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }))).lines[0]).to.deep.include({ outcome: "rewritten" });
            await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { hash: { S: hash } } }));
            // The positive memo (60 s here) still serves a hash revoked a moment ago: the documented revocation delay.
            const again = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            expect(again.lines[0]).to.deep.include({ outcome: "rewritten", memo: true });
            // ...but what it leads to may be cached only until the memo would have re-read the table
            // (60 s after the first read), never until expires_at: the revocation's invalidation is not undone.
            const bound = Number((again.result as CloudFrontRequest).headers["x-image-expires-at"][0].value);
            expect(bound).to.be.at.most(nowS() + 60);
            expect(bound).to.be.below(nowS() + 600);
        });
    });

    describe("required + redirect", () => {
        it("redirects to a presigned URL that downloads the exact bytes, then dies at X-Amz-Expires", async () => {
            const clock = manualClock(Date.now());
            const edge = await loadEdge("it-redirect", localSettings({ mode: "redirect", signedUrlTtlSeconds: 2 }), { clock: clock.now });
            const hash = newHash();
            await putMapping(hash, nowS() + 3600);
            // Signed at the real time of the request, so the URL's 2 s are left for the download
            // however long building the bundle took (other test files share the machine).
            clock.set(Date.now());
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
            const response = expectValidGenerated(result, [hash]);
            expect(response.status).to.equal("302");
            expect(header(response, "cache-control"), "a 2 s URL is too short to keep the 302 at all").to.equal("private, no-store");
            expect(lines[0]).to.deep.include({ outcome: "redirected", status: 302 });
            const location = header(response, "location") ?? "";
            expect(new URL(location).searchParams.get("X-Amz-Expires")).to.equal("2");

            const fresh = await fetch(location);
            expect(fresh.status).to.equal(200);
            expect(Buffer.from(await fresh.arrayBuffer())).to.deep.equal(BYTES);

            // S3 (s3rver) keeps the real time: a URL the edge signed 3 s ago, valid 2 s, has died.
            clock.set(Date.now() - 3000);
            const late = header((await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }))).result, "location") ?? "";
            expect(new URL(late).searchParams.get("X-Amz-Date"), "signed at the clock's time").to.equal(amzDate(clock.now()));
            expect(new URL(late).searchParams.get("X-Amz-Expires")).to.equal("2");
            const stale = await fetch(late);
            expect(stale.status).to.equal(403);
            expect(await stale.text()).to.match(/expired/i);
        });

        it("redirects the secured level on every viewer request, never cached", async () => {
            const edge = await loadEdge("it-secured-redirect", localSettings({ level: "secured", mode: "redirect", memoTtlSeconds: 0 }));
            const hash = newHash();
            await putMapping(hash, nowS() + 3600);
            const { result } = await edge.invoke(requestEvent("viewer-request", { uri: `/images/${hash}` }));
            expect(expectValidGenerated(result, [hash]).status).to.equal("302");
            expect(header(result, "cache-control")).to.equal("private, no-store");
            expect((await fetch(header(result, "location") ?? "")).status).to.equal(200);

            // Credentials come from the environment at call time: new role credentials sign the next URL.
            const restore = useEnv({ AWS_ACCESS_KEY_ID: "ROTATED", AWS_SECRET_ACCESS_KEY: "rotated-secret", AWS_SESSION_TOKEN: "rotated-token" });
            try {
                const next = new URL(header((await edge.invoke(requestEvent("viewer-request", { uri: `/images/${hash}` }))).result, "location") ?? "");
                expect(next.searchParams.get("X-Amz-Credential")).to.match(/^ROTATED\//);
                expect(next.searchParams.get("X-Amz-Security-Token")).to.equal("rotated-token");
            } finally {
                restore();
            }
        });
    });

    describe("faults", () => {
        /** Between the edge and the suite's dynalite, for the faults dynalite never makes. */
        let proxy: DynamoProxy;
        before(async () => {
            proxy = await startDynamoProxy(dynamo.endpoint);
        });
        afterEach(() => proxy.reset());
        after(async () => {
            await proxy?.close();
        });

        it("answers 503 with Retry-After while DynamoDB is down, and recovers by itself when it is back", async () => {
            const own = await startLocalDynamo();
            const port = own.port;
            const ownClient = localDynamoClient(own.endpoint);
            await createMappingTable(ownClient, TABLE);
            const edge = await loadEdge("it-down", localSettings({ endpoints: { dynamodb: own.endpoint, s3: s3.endpoint } }));
            const hash = newHash();
            try {
                await own.close();
                const down = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
                const response = expectValidGenerated(down.result, [hash]);
                expect(response.status).to.equal("503");
                expect(header(response, "retry-after")).to.equal("1");
                expect(header(response, "cache-control")).to.equal("no-store");
                expect(down.lines[0]).to.deep.include({ outcome: "unavailable", reason: "network", attempts: 2 });

                const back = await startLocalDynamo({ port });
                const backClient = localDynamoClient(back.endpoint);
                try {
                    await createMappingTable(backClient, TABLE);
                    await backClient.send(
                        new PutItemCommand({
                            TableName: TABLE,
                            Item: { hash: { S: hash }, s3_url: { S: `s3://${BUCKET}/${KEY}` }, created_at: { N: "1" }, expires_at: { N: String(nowS() + 600) }, ttl: { N: "1" } },
                        }),
                    );
                    const up = await edge.invoke(requestEvent("origin-request", { uri: `/images/${hash}` }));
                    expect(up.lines[0]).to.deep.include({ outcome: "rewritten" });
                } finally {
                    backClient.destroy();
                    await back.close();
                }
            } finally {
                ownClient.destroy();
            }
        });

        it("answers 503 within its budget when DynamoDB accepts connections but never answers", async () => {
            proxy.plan = () => ({ kind: "hang" });
            const edge = await loadEdge(
                "it-slow",
                localSettings({ lookupTimeoutMs: 1000, lookupAttemptTimeoutMs: 200, endpoints: { dynamodb: proxy.endpoint, s3: s3.endpoint } }),
            );
            const started = Date.now();
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${newHash()}` }));
            expect(expectValidGenerated(result).status).to.equal("503");
            expect(lines[0], "the configured timeout path was taken, twice").to.deep.include({ outcome: "unavailable", reason: "timeout", attempts: 2 });
            expect(proxy.connections()).to.equal(2);
            // A property of the 1000 ms budget, with generous slack for a loaded machine.
            expect(Date.now() - started).to.be.below(1000 + 2000);
        });

        it("answers 503 when DynamoDB throttles, after one retry", async () => {
            proxy.plan = () => throttled("ThrottlingException");
            const edge = await loadEdge("it-throttle", localSettings({ endpoints: { dynamodb: proxy.endpoint, s3: s3.endpoint } }));
            const { result, lines } = await edge.invoke(requestEvent("origin-request", { uri: `/images/${newHash()}` }));
            expect(expectValidGenerated(result, [THROTTLING_MESSAGES.ThrottlingException, "Throttling"]).status).to.equal("503");
            expect(lines[0]).to.deep.include({ outcome: "unavailable", reason: "ThrottlingException", attempts: 2 });
            expect(proxy.calls("GetItem")).to.equal(2);
        });

        it("answers 503 when nothing listens at all, and never reads for a malformed path", async () => {
            const edge = await loadEdge("it-nothing", localSettings({ endpoints: { dynamodb: await closedPortEndpoint(), s3: s3.endpoint } }));
            expect(expectValidGenerated((await edge.invoke(requestEvent("origin-request", { uri: `/images/${newHash()}` }))).result).status).to.equal("503");
            expect(expectValidGenerated((await edge.invoke(requestEvent("origin-request", { uri: "/images/nothing-here" }))).result).status).to.equal("404");
        });
    });
});
