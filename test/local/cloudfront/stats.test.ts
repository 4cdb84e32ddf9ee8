/**
 * The CloudFront emulator's counters (local/cloudfront/stats.ts), which the
 * playground's operations view shows as the deployed dashboard does:
 * requests by X-Cache word and status class, the hit rate over cacheable
 * answers only (under 400), error rates in percent of requests rounded to
 * 0.1, edge invocations and failures, nearest-rank duration percentiles over
 * the latest samples, a bounded request log read by sequence number, and a
 * table's reads and read units as DynamoDB counts them. Pure.
 */
import { expect } from "chai";
import { EDGE_DURATION_SAMPLES, percentile, RequestLogEntry, StatsRecorder, TableReadStats } from "../../../local/cloudfront/stats";

/** One answered request, as the distribution records it. */
function answered(status: number, result: string, fromCache: boolean, uri = "/images/a"): Omit<RequestLogEntry, "seq"> {
    return { at: 0, method: "GET", uri, status, result, fromCache, edgeEvents: [], durationMs: 1 };
}

describe("local CloudFront emulator: counters and the operations view", () => {
    it("before anything: no rates and no durations (null, not 0)", () => {
        expect(new StatsRecorder().operations()).to.deep.equal({
            requests: 0,
            cacheHitRatePercent: null,
            errorRate4xxPercent: null,
            errorRate5xxPercent: null,
            edge: { invocations: 0, errors: 0, durationP50Ms: null, durationP99Ms: null },
        });
    });

    it("counts each answer by its X-Cache word and status class; the hit rate is over answers under 400 only", () => {
        const stats = new StatsRecorder();
        stats.request(answered(200, "Miss", false));
        stats.request(answered(200, "Hit", true));
        stats.request(answered(304, "Hit", true));
        stats.request(answered(404, "Error", true));
        stats.request(answered(403, "LambdaGeneratedResponse", false));
        stats.request(answered(503, "LambdaExecutionError", false));
        expect(stats.counters).to.deep.include({ requests: 6, hits: 2, misses: 1, generated: 1, errors: 2, cacheable: 3, cacheableHits: 2 });
        expect(stats.counters.statusClasses).to.deep.equal({ "2xx": 2, "3xx": 1, "4xx": 2, "5xx": 1 });
        const view = stats.operations();
        expect(view.cacheHitRatePercent, "2 of 3, rounded to 0.1").to.equal(66.7);
        expect(view.errorRate4xxPercent).to.equal(33.3);
        expect(view.errorRate5xxPercent).to.equal(16.7);
    });

    it("edge invocations of every event type add up; failures are counted; durations are nearest-rank percentiles", () => {
        const stats = new StatsRecorder();
        stats.edgeInvocation("viewer-request");
        stats.edgeInvocation("origin-request");
        stats.edgeInvocation("origin-response");
        for (const ms of [5, 1, 4, 2, 3]) stats.edgeCompleted("origin-request", ms, ms === 4);
        expect(stats.operations().edge).to.deep.equal({ invocations: 3, errors: 1, durationP50Ms: 3, durationP99Ms: 5 });
    });

    it("keeps only the latest durations for the percentiles", () => {
        const stats = new StatsRecorder();
        for (let i = 0; i < 20; i++) stats.edgeCompleted("origin-request", 1000, false);
        for (let i = 0; i < EDGE_DURATION_SAMPLES; i++) stats.edgeCompleted("origin-request", 1, false);
        expect(stats.operations().edge.durationP99Ms, "the slow samples have left the window").to.equal(1);
    });

    it("percentile: nearest rank, at least the first value, rounded to 0.1; none of nothing", () => {
        const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        expect(percentile(sorted, 50)).to.equal(5);
        expect(percentile(sorted, 51)).to.equal(6);
        expect(percentile(sorted, 99)).to.equal(10);
        expect(percentile(sorted, 0)).to.equal(1);
        expect(percentile([1.26], 50)).to.equal(1.3);
        expect(percentile([], 50)).to.equal(null);
    });

    it("the request log: numbered in order, read after a number, the oldest dropped past its size, long paths cut", () => {
        const stats = new StatsRecorder(3);
        for (const uri of ["/a", "/b", "/c", "/d"]) stats.request(answered(200, "Miss", false, uri));
        expect(stats.entriesSince(0).map((entry) => [entry.seq, entry.uri])).to.deep.equal([
            [2, "/b"],
            [3, "/c"],
            [4, "/d"],
        ]);
        expect(stats.entriesSince(3).map((entry) => entry.uri)).to.deep.equal(["/d"]);
        stats.request(answered(200, "Miss", false, `/${"x".repeat(300)}`));
        expect(stats.entriesSince(4)[0].uri).to.have.length(200);
        expect(stats.counters.requests, "the counters count every request, not just the kept ones").to.equal(5);
    });

    it("invalidations count calls and the entries they removed", () => {
        const stats = new StatsRecorder();
        stats.invalidation(3);
        stats.invalidation(0);
        stats.originFetch();
        expect(stats.counters).to.deep.include({ invalidations: 2, invalidatedEntries: 3, originFetches: 1 });
    });

    it("table reads: GetItem and Query per table, a strongly consistent read one unit and an eventual one half", () => {
        const reads = new TableReadStats();
        reads.record("GetItem", { TableName: "t", Key: {} });
        reads.record("GetItem", { TableName: "t", ConsistentRead: true });
        reads.record("GetItem", { TableName: "t", ConsistentRead: "true" });
        reads.record("Query", { TableName: "t" });
        reads.record("GetItem", { TableName: "other" });
        reads.record("PutItem", { TableName: "t" });
        reads.record("GetItem", null);
        reads.record("GetItem", { TableName: 42 });
        expect(reads.of("t")).to.deep.equal({ getItem: 3, consistentGetItem: 1, query: 1, getItemReadUnits: 2 });
        expect(reads.of("other")).to.deep.equal({ getItem: 1, consistentGetItem: 0, query: 0, getItemReadUnits: 0.5 });
        expect(reads.of("never")).to.deep.equal({ getItem: 0, consistentGetItem: 0, query: 0, getItemReadUnits: 0 });
    });
});
