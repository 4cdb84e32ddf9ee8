/**
 * The saved Logs Insights queries read the lines the edge handler really
 * writes, as Lambda stores them (plain-text format: time, request id, level,
 * then the line). Their `parse` expressions are run here as JavaScript
 * regular expressions (the same syntax for named groups).
 */
import { expect } from "chai";
import { edgeLogQueries, LOG_LINE_PATTERNS, logQueryName } from "../../components/log-queries";
import { handleEdgeEvent } from "../../edge/handler";
import { createEdgeDeps } from "../../edge/runtime";
import { CREDENTIALS, fixedClock, goodItem, HASH, itemsStore, NOW_S, requestEvent, settings } from "../edge/fixtures";

/** Lines the handler logs for a rewrite, an unknown hash, an expired hash and a bad path, as CloudWatch stores them. */
async function storedLines(): Promise<string[]> {
    const raw: string[] = [];
    const { store } = itemsStore({ [HASH]: goodItem(), ["e".repeat(32)]: goodItem(NOW_S - 10) });
    const deps = createEdgeDeps(settings(), { store, now: fixedClock().now, credentials: () => CREDENTIALS, log: (line) => raw.push(line) });
    await handleEdgeEvent(requestEvent("origin-request"), deps);
    await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${"a".repeat(32)}` }), deps);
    await handleEdgeEvent(requestEvent("origin-request", { uri: `/images/${"e".repeat(32)}` }), deps);
    await handleEdgeEvent(requestEvent("origin-request", { uri: "/etc/passwd" }), deps);
    return raw.map((line) => `2030-01-01T00:00:00.000Z\t8f6e2c1a-1b2c-4d5e-8f90-123456789abc\tINFO\t${line}`);
}

/** The first `parse @message /…/` of a query, as a RegExp. */
function parseExpressions(query: string): RegExp[] {
    return [...query.matchAll(/\| parse @message \/(.+)\/$/gm)].map((match) => new RegExp(match[1]));
}

describe("operations: saved Logs Insights queries over the edge's log lines", () => {
    it("the outcome and ms expression reads every line the handler writes", async () => {
        const fields = (await storedLines()).map((line) => new RegExp(LOG_LINE_PATTERNS.outcomeAndMs).exec(line)?.groups);
        expect(fields.map((f) => f?.outcome)).to.deep.equal(["rewritten", "not_found", "expired", "bad_path"]);
        for (const f of fields) expect(Number(f?.ms), JSON.stringify(f)).to.be.a("number").and.at.least(0);
    });

    it("the hash expression reads the logged prefix (8 characters), and nothing on lines without a hash", async () => {
        const hashes = (await storedLines()).map((line) => new RegExp(LOG_LINE_PATTERNS.hash).exec(line)?.groups?.hash);
        expect(hashes).to.deep.equal([HASH.slice(0, 8), "a".repeat(8), "e".repeat(8), undefined]);
    });

    it("the queries count outcomes with p99 latency, and rank hashes, using exactly those expressions", () => {
        const [outcomes, topHashes] = edgeLogQueries();
        expect(outcomes.queryString).to.match(/stats count\(\*\) as requests, pct\(ms, 50\) as p50_ms, pct\(ms, 99\) as p99_ms by outcome/);
        expect(topHashes.queryString).to.match(/by hash, outcome/).and.match(/sort requests desc/).and.match(/limit 25/);
        expect(parseExpressions(outcomes.queryString).map(String)).to.deep.equal([String(new RegExp(LOG_LINE_PATTERNS.outcomeAndMs))]);
        expect(parseExpressions(topHashes.queryString).map(String)).to.deep.equal([LOG_LINE_PATTERNS.outcomeAndMs, LOG_LINE_PATTERNS.hash].map((p) => String(new RegExp(p))));
        // Each query's filter keeps the handler's lines and drops Lambda's own (START, END, REPORT).
        for (const query of [outcomes, topHashes]) {
            const filter = /^filter @message like \/(.+)\/$/m.exec(query.queryString)?.[1];
            expect(filter, query.key).to.be.a("string");
            expect(new RegExp(filter as string).test("REPORT RequestId: 8f6e2c1a Duration: 12.3 ms"), query.key).to.equal(false);
        }
    });

    it("saved queries sit in a folder per project, stack and instance", () => {
        const [outcomes] = edgeLogQueries();
        expect(logQueryName("secure-image-cdn", "prod", "chat", outcomes)).to.equal("secure-image-cdn/prod/chat/edge outcomes and latency");
    });
});
