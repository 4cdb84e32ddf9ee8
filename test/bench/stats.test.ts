/** The benchmarks' statistics: nearest-rank percentiles, interleaving, a seeded PRNG. */
import { expect } from "chai";
import { interleaved, percentile, seededRandom, summarize } from "../../bench/stats";

describe("bench statistics", () => {
    it("takes nearest-rank percentiles", () => {
        const values = Array.from({ length: 100 }, (_, i) => i + 1);
        expect(percentile(values, 50)).to.equal(50);
        expect(percentile(values, 99)).to.equal(99);
        expect(percentile(values, 100)).to.equal(100);
        expect(percentile([7], 99)).to.equal(7);
        expect(Number.isNaN(percentile([], 50))).to.equal(true);
        const summary = summarize([5, 1, 4, 2, 3]);
        expect(summary).to.include({ count: 5, min: 1, p50: 3, max: 5, mean: 3 });
    });

    it("interleaves variants in rotating order, each numbering its own iterations", async () => {
        const calls: string[] = [];
        const samples = await interleaved({ a: (i: number) => (calls.push(`a${i}`), i), b: (i: number) => (calls.push(`b${i}`), 10 + i) }, 2, 2);
        expect(calls).to.deep.equal(["a0", "a1", "b0", "b1", "b2", "b3", "a2", "a3"]);
        expect(samples).to.deep.equal({ a: [0, 1, 2, 3], b: [10, 11, 12, 13] });
    });

    it("replays the same pseudo-random sequence for the same seed", () => {
        const first = seededRandom(42);
        const second = seededRandom(42);
        const drawn = Array.from({ length: 1000 }, () => first());
        expect(drawn).to.deep.equal(Array.from({ length: 1000 }, () => second()));
        expect(Math.min(...drawn)).to.be.at.least(0);
        expect(Math.max(...drawn)).to.be.below(1);
        expect(new Set(drawn).size).to.equal(1000);
    });
});
