/**
 * The soak (`npm run test:soak`, not part of `npm test`): 200 concurrent
 * clients for 30 s against three distributions of the local stack (see
 * test/reliability/support/load-world.ts), 30 % of requests for hashes never
 * issued, in three phases with the heap measured after a full GC between
 * them. Passes when every answer was right, the edge caches and the memo
 * stayed within their bounds (and reached them), and the heap stayed flat
 * once the caches were full. Prints its figures (p99 among them).
 * The smoke version is test/reliability/load-smoke.test.ts.
 * Threat: SECURITY.md, "Floods".
 */
import { expect } from "chai";
import { reportLines, runSoak, SoakOptions } from "../reliability/support/soak-run";

const SOAK: SoakOptions = {
    clients: 200,
    durationMs: 30_000,
    phases: 3,
    // A ceiling that a loopback run on this kind of machine stays well under; the time is the real bound.
    maxRequests: 3_000_000,
    imagesPerService: 50,
    cacheEntries: 1_000,
    memoEntries: 500,
    missShare: 0.3,
    followShare: 0.02,
};

/** Heap growth allowed from the end of the first phase to the end, MB, once the caches are full. */
const FLAT_HEAP_MB = 24;

describe("soak: 200 clients × 30 s", function () {
    this.timeout(300_000);

    it("zero errors, caches and memo within their bounds, heap flat; figures printed", async () => {
        const report = await runSoak(SOAK);
        const lines = reportLines(SOAK, report);
        process.stdout.write(lines.map((line) => `      ${line}`).join("\n") + "\n");
        const text = lines.join("\n");
        expect(report.result.errors, text).to.equal(0);
        expect(report.faults, text).to.deep.equal([]);
        expect(report.result.requests, text).to.be.at.least(2_000);
        for (const phase of [...report.caches, ...report.memos]) {
            for (const sample of phase) expect(sample.size, `${sample.name}\n${text}`).to.be.at.most(sample.bound);
        }
        const lastMemos = report.memos[report.memos.length - 1];
        expect(lastMemos.map((s) => s.size), text).to.deep.equal(lastMemos.map((s) => s.bound));
        expect(report.heapMb[report.heapMb.length - 1] - report.heapMb[1], text).to.be.below(FLAT_HEAP_MB);
    });
});
