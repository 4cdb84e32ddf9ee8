/**
 * Property tests over arbitrary requests: the handler never throws, never
 * answers 5xx for bad input, and never reads DynamoDB for a malformed path.
 * Once in-process (many runs), once through the deployed bundle against
 * dynalite behind the fault proxy, which counts every read on the wire.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import type { CloudFrontRequest } from "aws-lambda";
import { handleEdgeEvent } from "../../edge/handler";
import { checkRequest } from "../../edge/request-check";
import { createMappingTable, localDynamoClient, LOCAL_REGION, startLocalDynamo, useLocalEdgeCredentials } from "../../local/aws";
import { loadEdge } from "./bundle-harness";
import { startDynamoProxy } from "../support/dynamo-proxy";
import { encodeKey } from "../security/edge/oracle";
import { expectValidGenerated, goodItem, HASH, itemsStore, KEY, requestEvent, settings, testDeps } from "./fixtures";

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);

const uri = fc.oneof(
    fc.string({ unit: "binary", maxLength: 80 }).map((s) => "/" + s),
    fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => "/images/" + s),
    hex32.map((hash) => `/images/${hash}`),
    fc.tuple(hex32, fc.nat(40), fc.string({ minLength: 1, maxLength: 3 })).map(([hash, at, insert]) => {
        const valid = `/images/${hash}`;
        return valid.slice(0, at) + insert + valid.slice(at);
    }),
    fc.constantFrom("/images/../images/" + HASH, "/images/%2e%2e%2f" + HASH, `/images/${HASH}%00`, `/images/${HASH.toUpperCase()}`, "//images/" + HASH),
    fc.nat(9000).map((n) => "/images/" + "a".repeat(n)),
);

const method = fc.oneof(fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get", "CONNECT"), fc.string({ maxLength: 10 }));

const headers = fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/).filter((name) => name.toLowerCase() !== "host"),
    fc.string({ unit: "grapheme", maxLength: 200 }),
    { maxKeys: 8 },
);

const querystring = fc.oneof(fc.constant(""), fc.string({ unit: "grapheme", maxLength: 200 }), fc.constantFrom("versionId=1", "X-Amz-Expires=999999", "response-content-type=text/html", "acl"));

const eventType = fc.constantFrom("origin-request" as const, "viewer-request" as const);

describe("edge properties over arbitrary requests", function () {
    this.timeout(120_000);

    it("in-process: never throws, never 5xx for bad input, never reads for a malformed path", async () => {
        await fc.assert(
            fc.asyncProperty(method, uri, querystring, headers, async (m, u, q, h) => {
                const { store, calls } = itemsStore({});
                const result = await handleEdgeEvent(requestEvent("origin-request", { method: m, uri: u, querystring: q, headers: h }), testDeps(store));
                const response = expectValidGenerated(result, []);
                const status = Number(response.status);
                expect([404, 405, 414], `${m} ${u}`).to.include(status);
                const check = checkRequest(m, u);
                expect(calls.length, `${m} ${u}`).to.equal(check.ok ? 2 : 0);
            }),
            { numRuns: 1500 },
        );
    });

    it("in-process: whatever else the request carries, a valid hash is rewritten to its key and nothing else", async () => {
        await fc.assert(
            fc.asyncProperty(fc.constantFrom("GET", "HEAD"), querystring, headers, eventType, async (m, q, h, type) => {
                const level = type === "viewer-request" ? "secured" : "required";
                const deps = testDeps(itemsStore({ [HASH]: goodItem() }).store, { settings: settings({ level }) });
                const result = (await handleEdgeEvent(requestEvent(type, { method: m, querystring: q, headers: h }), deps)) as CloudFrontRequest;
                expect(result.uri).to.equal("/" + encodeKey(KEY));
                expect(result.querystring).to.equal("");
                expect(result.method).to.equal(m);
            }),
            { numRuns: 300 },
        );
    });

    it("deployed bundle vs dynalite: the same, with every read counted on the wire", async () => {
        const dynamo = await startLocalDynamo();
        const proxy = await startDynamoProxy(dynamo.endpoint);
        const client = localDynamoClient(dynamo.endpoint);
        const restore = useLocalEdgeCredentials();
        try {
            await createMappingTable(client, "edge-property-mappings");
            const edge = await loadEdge(
                "it-property",
                settings({ tableName: "edge-property-mappings", tableRegion: LOCAL_REGION, memoMaxEntries: 0, endpoints: { dynamodb: proxy.endpoint, s3: "http://127.0.0.1:9" } }),
            );
            await fc.assert(
                fc.asyncProperty(method, uri, querystring, headers, async (m, u, q, h) => {
                    const before = proxy.total();
                    const { result, lines } = await edge.invoke(requestEvent("origin-request", { method: m, uri: u, querystring: q, headers: h }));
                    const status = Number(expectValidGenerated(result, []).status);
                    expect([404, 405, 414], `${m} ${u}`).to.include(status);
                    expect(lines).to.have.length(1);
                    expect(proxy.total() - before, `${m} ${u}`).to.equal(checkRequest(m, u).ok ? 2 : 0);
                }),
                { numRuns: 300 },
            );
        } finally {
            restore();
            client.destroy();
            await proxy.close();
            await dynamo.close();
        }
    });
});
