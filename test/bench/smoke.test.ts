/**
 * A tiny run of `npm run bench` (--quick, at sizes smaller still), so the
 * benchmark cannot rot: every section must run through, the report must be
 * written with every section, and the figures must be finite.
 * Nothing here looks at timing values; the correctness checks the benchmark
 * makes on the way (no image past its hash's expiry, every trace hash
 * found) are asserted, since they do not depend on the machine.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runBench } from "../../bench/main";
import { BenchSizes, parseOptions, QUICK_SIZES, SECTIONS } from "../../bench/options";
import { PROJECT_DIR } from "../../bench/support/edge-build";

/**
 * Smaller than --quick: the fewest requests, mappings and runs with which
 * each benchmark still does all it does (both table layouts against a far
 * region, three table sizes, a trace that reuses hashes); nothing here
 * reads a timing figure.
 */
const SMOKE_SIZES: BenchSizes = {
    ...QUICK_SIZES,
    warmRequests: 20,
    presignUrls: 20,
    traceHashes: 50,
    traceRequests: 200,
    issuerIssues: 5,
    issuerSizes: [10, 20, 40],
    issuerLookups: 10,
    globalRegions: ["ap-southeast-2"],
    globalColdRuns: 1,
    globalWarmRuns: 2,
    coldRuns: 1,
    variantRounds: 1,
    variantCdnUploads: 1,
    variantColdRuns: 1,
};

describe("npm run bench (smoke, --quick)", function () {
    this.timeout(300_000);
    let dir: string;
    let markdown: string;
    let json: { quick: boolean; sections: Record<string, { figures: Record<string, number>; goals: { goal: string; measured: string; met: boolean }[] }> };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-bench-"));
        const out = path.join(dir, "BENCHMARKS.md");
        const jsonFile = path.join(dir, "bench.json");
        const options = { ...parseOptions(["--quick", "--out", out, "--json", jsonFile], PROJECT_DIR), sizes: SMOKE_SIZES };
        await runBench(options, () => undefined, "npm run bench -- --quick (smoke test, smaller sizes)");
        markdown = fs.readFileSync(out, "utf8");
        json = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as typeof json;
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes a report with the machine, the goals and every section", () => {
        expect(markdown).to.match(/^# Benchmarks/);
        expect(markdown).to.include("## How and where");
        expect(markdown).to.match(/\| CPU \| .+`nproc` = \d+ \|/);
        expect(markdown).to.include("## Goals\n");
        expect(markdown, "the report cites nothing outside the repository").not.to.match(/\bseed('s)?\b|\bissue \d/i);
        for (const heading of ["## 1. Edge cold start", "## 2. Edge warm path", "## 3. Edge against local DynamoDB", "## 4. Issuer", "## 5. CDN cache model", "## 6. Global lookups", "## 7. Upload", "## 8. Image variants"]) {
            expect(markdown).to.include(heading);
        }
        expect(markdown).not.to.match(/\bNaN\b|undefined/);
    });

    it("gives finite figures and at least one goal check for every section", () => {
        expect(json.quick).to.equal(true);
        expect(Object.keys(json.sections)).to.have.members([...SECTIONS]);
        for (const [name, section] of Object.entries(json.sections)) {
            expect(Object.keys(section.figures), name).not.to.be.empty;
            for (const [figure, value] of Object.entries(section.figures)) {
                if (name === "cold" && figure === "referenceToEdgeRatio") continue; // n/a when the edge's figure is within the noise
                expect(Number.isFinite(value), `${name}.${figure} = ${value}`).to.equal(true);
            }
            expect(section.goals, name).not.to.be.empty;
            for (const goal of section.goals) {
                expect(goal.goal).to.be.a("string").and.not.be.empty;
                expect(goal.measured).to.be.a("string").and.not.be.empty;
                expect(goal.met).to.be.a("boolean");
            }
        }
    });

    it("weighs a real deployment package: a zip smaller than the module, far below the reference handler's", () => {
        const cold = json.sections.cold.figures;
        expect(cold.originModuleBytes).to.be.above(1000);
        expect(cold.originZipBytes).to.be.above(0).and.below(cold.originModuleBytes);
        expect(cold.referenceZipBytes).to.be.above(cold.originZipBytes);
    });

    it("sees the trace through: every hash found, none served past its expiry", () => {
        const trace = json.sections.trace.figures;
        expect(trace.served).to.be.above(0);
        expect(trace.notFound).to.equal(0);
        expect(trace.servedPastExpiry).to.equal(0);
        expect(json.sections.cdn.figures.servedPastSlack).to.equal(0);
    });

    it("sees variants through: the resizer's stored copy answers once the CDN lets go, a thumbnail weighs less than its original", () => {
        const variants = json.sections.variants.figures;
        expect(variants.storedRequests).to.be.above(0);
        expect(variants.storedAnswers).to.equal(variants.storedRequests);
        expect(variants.thumbPerMillion).to.be.above(0).and.below(variants.originalPerMillion);
        expect(variants.packageZipBytes).to.be.above(1_000_000);
    });

    it("counts the issuer's DynamoDB work: 3 commands for a new URL, 2 for a reuse", () => {
        const issuer = json.sections.issuer.figures;
        expect(issuer.opsPerNewIssue).to.equal(3);
        expect(issuer.opsPerReuse).to.equal(2);
    });

    it("models every regional-edge-cache region for both layouts, checks the model against the deployed code, and prices three layouts", () => {
        const section = markdown.slice(markdown.indexOf("## 6. Global lookups"));
        for (const region of ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"]) {
            expect(section, region).to.match(new RegExp(`\\n\\| ${region} \\| [^|]+ \\| \\d+ ms \\| \\d+ ms \\|`));
        }
        expect(section).to.include("### The model against the deployed code").and.include("### Cost per million image views");
        const global = json.sections.global.figures;
        expect(global.regionsMeetingGoals).to.be.within(0, 13);
        expect(global.worstReplicatedColdMs, "replicas never make the worst region slower").to.be.at.most(global.worstOneTableColdMs);
        expect(global.costRow1Total, "replicas add replicated writes").to.be.above(0);
        expect(global.costRow0Total).to.be.above(0);
        expect(global.costRow2Total).to.be.above(0);
    });
});

