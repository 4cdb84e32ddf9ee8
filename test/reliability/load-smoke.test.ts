/**
 * Smoke version of the soak (test/soak/soak.soak.ts, `npm run test:soak`):
 * 20 clients for 2 s against three distributions of the local stack (the
 * deployed edge code for required+origin and secured+origin, the in-process
 * edge with a readable memo for required+redirect), 30 % of requests for
 * hashes never issued. Every answer must be the right one, and the edge
 * caches and the memo must stay within their bounds (set small here so the
 * run reaches them).
 * Threat: SECURITY.md, "Floods".
 */
import { expect } from "chai";
import { reportLines, runSoak, SoakOptions } from "./support/soak-run";

const SMOKE: SoakOptions = {
    clients: 20,
    durationMs: 2_000,
    phases: 2,
    maxRequests: 50_000,
    imagesPerService: 8,
    cacheEntries: 30,
    memoEntries: 10,
    missShare: 0.3,
    followShare: 0.05,
};

describe("load smoke: 20 clients × 2 s", function () {
    this.timeout(90_000);

    it("every answer right; edge caches and memo within their bounds, and reached", async () => {
        const report = await runSoak(SMOKE);
        const lines = reportLines(SMOKE, report).join("\n");
        expect(report.result.errors, lines).to.equal(0);
        expect(report.faults, lines).to.deep.equal([]);
        // The load did happen, on every distribution, with misses among it.
        expect(report.result.requests, lines).to.be.at.least(100);
        expect(report.result.byStatus.get(404) ?? 0, lines).to.be.greaterThan(0);
        for (const phase of [...report.caches, ...report.memos]) {
            for (const sample of phase) expect(sample.size, `${sample.name}\n${lines}`).to.be.at.most(sample.bound);
        }
        // The bounds were reached, so eviction ran.
        const last = report.memos[report.memos.length - 1];
        expect(last.map((sample) => sample.size), lines).to.deep.equal(last.map((sample) => sample.bound));
    });
});
