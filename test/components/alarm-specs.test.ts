/**
 * What each alarm watches (components/alarm-specs.ts): the thresholds
 * (5xx rate over 5 %, duration over 500 ms, 5-minute periods), where each
 * metric lives, the floor that keeps a handful of requests from deciding,
 * and a deliberate answer to missing data. The
 * floor's metric math is evaluated here on sample periods, as CloudWatch
 * would.
 */
import { expect } from "chai";
import { AlarmQuery, alarmSpecs, AlarmSpecInput } from "../../components/alarm-specs";

function input(overrides: Partial<AlarmSpecInput> = {}): AlarmSpecInput {
    return {
        service: "chat",
        distributionId: "E2EXAMPLE",
        replicaName: "us-east-1.chat-edge-1a2b3c4",
        edgeRegions: ["us-east-1", "eu-west-1"],
        errorRatePercent: 5,
        durationMs: 500,
        minRequests: 100,
        ...overrides,
    };
}

/** Evaluates `IF(a >= n, b, 0)` the way CloudWatch metric math does, for one period's values. */
function judge(queries: AlarmQuery[], values: Record<string, number>): number {
    const returned = queries.filter((q) => q.returnData);
    expect(returned, "exactly one query returns data").to.have.length(1);
    const query = returned[0];
    if (query.metric) return values[query.id];
    const match = /^IF\((\w+) >= (\d+), (\w+), 0\)$/.exec(query.expression ?? "");
    if (!match) throw new Error(`unexpected expression ${query.expression}`);
    const [, sample, minimum, value] = match;
    for (const id of [sample, value]) expect(queries.map((q) => q.id), `the expression names query ${id}`).to.include(id);
    return values[sample] >= Number(minimum) ? values[value] : 0;
}

describe("operations: what each alarm watches", () => {
    it("a guarded instance: the CloudFront 5xx rate and CloudFront's Lambda@Edge failures in us-east-1, and duration, errors and throttles in every edge region", () => {
        const specs = alarmSpecs(input());
        expect(specs.map((s) => `${s.kind} ${s.region}`)).to.deep.equal([
            "error-rate us-east-1",
            "cloudfront-edge-errors us-east-1",
            "edge-duration us-east-1",
            "edge-errors us-east-1",
            "edge-throttles us-east-1",
            "edge-duration eu-west-1",
            "edge-errors eu-west-1",
            "edge-throttles eu-west-1",
        ]);
        expect(new Set(specs.map((s) => s.suffix)).size, "resource names are distinct").to.equal(specs.length);
        const publicSpecs = alarmSpecs(input({ replicaName: undefined }));
        expect(publicSpecs.map((s) => s.kind)).to.deep.equal(["error-rate"]);
    });

    it("the 5xx alarm: CloudFront's 5xxErrorRate (average, Region=Global) above 5 % over 300 s, judged only with at least 100 requests", () => {
        const [rate] = alarmSpecs(input());
        expect(rate).to.include({ comparisonOperator: "GreaterThanThreshold", threshold: 5, evaluationPeriods: 1 });
        const metrics = rate.queries.filter((q) => q.metric).map((q) => q.metric);
        expect(metrics).to.deep.equal([
            { namespace: "AWS/CloudFront", metricName: "Requests", dimensions: { DistributionId: "E2EXAMPLE", Region: "Global" }, period: 300, stat: "Sum" },
            { namespace: "AWS/CloudFront", metricName: "5xxErrorRate", dimensions: { DistributionId: "E2EXAMPLE", Region: "Global" }, period: 300, stat: "Average" },
        ]);
        const breaches = (requests: number, percent: number) => judge(rate.queries, { requests, rate: percent }) > rate.threshold;
        expect(breaches(10, 10), "1 error in 10 requests does not page").to.equal(false);
        expect(breaches(99, 50), "below the floor nothing pages").to.equal(false);
        expect(breaches(100, 6), "6 % of 100 requests pages").to.equal(true);
        expect(breaches(5000, 5), "exactly 5 % does not (above, not at)").to.equal(false);
        expect(breaches(5000, 5.1)).to.equal(true);
    });

    it("the duration alarm: average Duration above 500 ms over 300 s in each region, judged only with at least 100 invocations there", () => {
        const duration = alarmSpecs(input()).find((s) => s.kind === "edge-duration" && s.region === "eu-west-1");
        if (!duration) throw new Error("no eu-west-1 duration alarm");
        expect(duration).to.include({ threshold: 500, comparisonOperator: "GreaterThanThreshold" });
        expect(duration.queries.filter((q) => q.metric).map((q) => q.metric)).to.deep.equal([
            { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: { FunctionName: "us-east-1.chat-edge-1a2b3c4" }, period: 300, stat: "Sum" },
            { namespace: "AWS/Lambda", metricName: "Duration", dimensions: { FunctionName: "us-east-1.chat-edge-1a2b3c4" }, period: 300, stat: "Average" },
        ]);
        expect(judge(duration.queries, { invocations: 3, duration: 900 }) > 500, "three slow cold starts do not page").to.equal(false);
        expect(judge(duration.queries, { invocations: 400, duration: 501 }) > 500).to.equal(true);
    });

    it("errors and throttles: any in a period pages, with no floor", () => {
        for (const kind of ["edge-errors", "edge-throttles"] as const) {
            const spec = alarmSpecs(input()).find((s) => s.kind === kind && s.region === "us-east-1");
            if (!spec) throw new Error(`no ${kind} alarm`);
            expect(spec.queries, kind).to.deep.equal([
                {
                    id: "count",
                    metric: { namespace: "AWS/Lambda", metricName: kind === "edge-errors" ? "Errors" : "Throttles", dimensions: { FunctionName: "us-east-1.chat-edge-1a2b3c4" }, period: 300, stat: "Sum" },
                    returnData: true,
                },
            ]);
            expect(judge(spec.queries, { count: 1 }) > spec.threshold, kind).to.equal(true);
            expect(judge(spec.queries, { count: 0 }) > spec.threshold, kind).to.equal(false);
        }
    });

    it("CloudFront's Lambda@Edge failures: the sum of its execution error, invalid response and throttle counts (Sum, Region=Global) above 0 over 300 s, each kind alone enough", () => {
        const spec = alarmSpecs(input()).find((s) => s.kind === "cloudfront-edge-errors");
        if (!spec) throw new Error("no cloudfront-edge-errors alarm");
        expect(spec).to.include({ region: "us-east-1", suffix: "cloudfront-edge-errors", comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 1 });
        const dimensions = { DistributionId: "E2EXAMPLE", Region: "Global" };
        expect(spec.queries.filter((q) => q.metric).map((q) => [q.id, q.metric, q.returnData])).to.deep.equal([
            ["execution", { namespace: "AWS/CloudFront", metricName: "LambdaExecutionError", dimensions, period: 300, stat: "Sum" }, false],
            ["validation", { namespace: "AWS/CloudFront", metricName: "LambdaValidationError", dimensions, period: 300, stat: "Sum" }, false],
            ["limit", { namespace: "AWS/CloudFront", metricName: "LambdaLimitExceededErrors", dimensions, period: 300, stat: "Sum" }, false],
        ]);
        const returned = spec.queries.filter((q) => q.returnData);
        expect(returned.map((q) => q.expression)).to.deep.equal(["FILL(execution, 0) + FILL(validation, 0) + FILL(limit, 0)"]);
        // Evaluated as CloudWatch does for one period: a count CloudFront did not publish is filled with 0.
        const failures = (published: Partial<Record<"execution" | "validation" | "limit", number>>) =>
            (returned[0].expression ?? "").split(" + ").reduce((sum, term) => {
                const match = /^FILL\((\w+), 0\)$/.exec(term);
                if (!match) throw new Error(`unexpected term ${term}`);
                return sum + (published[match[1] as keyof typeof published] ?? 0);
            }, 0);
        expect(failures({ validation: 1 }) > spec.threshold, "one invalid response alone (Lambda's Errors at 0) pages").to.equal(true);
        expect(failures({ execution: 2 }) > spec.threshold).to.equal(true);
        expect(failures({ limit: 1 }) > spec.threshold).to.equal(true);
        expect(failures({}) > spec.threshold, "nothing published, nothing wrong").to.equal(false);
        expect(alarmSpecs(input({ replicaName: undefined })).some((s) => s.kind === "cloudfront-edge-errors"), "public: no function, no such alarm").to.equal(false);
    });

    it("every alarm treats missing data as not breaching: no traffic is not an outage, and an alarm returns to OK when traffic stops", () => {
        for (const spec of alarmSpecs(input())) expect(spec.treatMissingData, spec.suffix).to.equal("notBreaching");
    });

    it("thresholds and the floor follow the settings", () => {
        const specs = alarmSpecs(input({ errorRatePercent: 1.5, durationMs: 250, minRequests: 20 }));
        const [rate, duration] = (["error-rate", "edge-duration"] as const).map((kind) => specs.find((s) => s.kind === kind) ?? specs[0]);
        expect([rate.threshold, duration.threshold]).to.deep.equal([1.5, 250]);
        expect(rate.queries.find((q) => q.returnData)?.expression).to.equal("IF(requests >= 20, rate, 0)");
        expect(duration.queries.find((q) => q.returnData)?.expression).to.equal("IF(invocations >= 20, duration, 0)");
    });
});
