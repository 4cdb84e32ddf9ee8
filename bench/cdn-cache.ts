/**
 * 5. The CDN cache model: the local stack's CloudFront emulator
 * (local/cloudfront/distribution.ts, its pure request path: cache, TTL
 * rules, Lambda@Edge associations) in front of the edge handler, on the
 * trace of section 3.
 *
 * Time is simulated: the emulator, the handler and its memo all read one
 * clock, which the benchmark moves request by request, so the same trace can
 * be spread over a minute, an hour or a day and the cache's lifetimes
 * (1 day default TTL, 10 s for a 404, 60 s for a 403, a hash's own expiry)
 * play out as they would. That needs the handler's clock injected, so the
 * handler is the plain module (createEdgeHandler with the default settings);
 * DynamoDB is an in-process store of the trace's items and the bucket an
 * in-process origin (S3's ETag and Last-Modified, no Cache-Control).
 */
import { createHash } from "crypto";
import { isGuarded, resolveArgs } from "../components/resolve-args";
import { errorResponses } from "../components/distribution";
import { createEdgeHandler } from "../edge/runtime";
import { edgeEventTypes } from "../core/edge-settings";
import { Distribution, ViewerRequest } from "../local/cloudfront/distribution";
import { edgeFunction } from "../local/cloudfront/edge-runner";
import type { Origin } from "../local/cloudfront/origin";
import { NO_RESPONSE_HEADERS_POLICY } from "../local/cloudfront/response-headers";
import { RequestLogEntry, StatsRecorder } from "../local/cloudfront/stats";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { count, fixed, percent } from "./stats";
import { BENCH_BUCKET, BENCH_REGION, deployedEdgeSettings } from "./support/settings";
import { makeTrace, scheduleExpiry, Trace, TraceItem, ZIPF_EXPONENT } from "./support/trace";
import { traceStore } from "./support/trace-store";

/** How long past its hash's expiry this benchmark's goal lets a cached image be served (it counts the exact second too). */
export const EXPIRY_SLACK_SECONDS = 60;

/** Stats that also count answers that came out of the cache (hits and cached errors). */
class CacheStats extends StatsRecorder {
    fromCache = 0;
    override request(entry: Omit<RequestLogEntry, "seq">): void {
        super.request(entry);
        if (entry.fromCache) this.fromCache += 1;
    }
}

/** A fake clock in epoch milliseconds that only the benchmark moves. */
function simulatedClock(startMs: number) {
    let current = startMs;
    return { now: () => current, set: (ms: number) => (current = Math.max(current, ms)) };
}

function objectBody(key: string): Buffer {
    return Buffer.from(`image bytes of ${key}\n`.padEnd(1024, "."));
}

/** The private bucket, in process: the trace's objects, with S3's validators. */
function bucketOrigin(items: readonly TraceItem[]): Origin {
    const byPath = new Map(items.map((item) => [`/${item.key}`, item]));
    return {
        async fetch(request) {
            const item = byPath.get(request.uri);
            if (!item) return { status: 403, statusDescription: "Forbidden", headers: [["Content-Type", "application/xml"]], body: Buffer.from("<Error><Code>AccessDenied</Code></Error>") };
            const body = objectBody(item.key);
            const etag = `"${createHash("md5").update(body).digest("hex")}"`;
            const headers: [string, string][] = [
                ["Content-Type", "image/jpeg"],
                ["ETag", etag],
                ["Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"],
            ];
            return { status: 200, statusDescription: "OK", headers, body };
        },
    };
}

interface Scenario {
    label: string;
    seconds: number;
}

interface ScenarioResult {
    scenario: Scenario;
    requests: number;
    fromCache: number;
    hits: number;
    originRequestRuns: number;
    originResponseRuns: number;
    dynamoReads: number;
    originFetches: number;
    status200: number;
    status403: number;
    status404: number;
    otherStatus: number;
    servedPastExpiry: number;
    servedPastSlack: number;
    wrongBody: number;
}

async function runScenario(trace: Trace, scenario: Scenario, seed: number): Promise<ScenarioResult> {
    const resolved = resolveArgs({ service: "chat" });
    if (!isGuarded(resolved)) throw new Error("the chat service must resolve to a guarded level");
    const settings = deployedEdgeSettings({ mode: "origin" });
    const startMs = Date.now();
    const startS = Math.floor(startMs / 1000);
    scheduleExpiry(trace, startS, startS, scenario.seconds, seed);
    const clock = simulatedClock(startMs);
    const store = traceStore(trace.items, BENCH_BUCKET);
    const stats = new CacheStats();
    const handler = createEdgeHandler(settings, { store, now: clock.now, log: () => undefined, credentials: () => undefined });
    const errorCachingTtls: Record<number, number> = {};
    for (const { errorCode, errorCachingMinTtl } of errorResponses(resolved.notFoundTtlSeconds)) errorCachingTtls[errorCode] = errorCachingMinTtl;
    const distribution = new Distribution({
        id: "EBENCHCDN01",
        domainName: "d111111abcdef8.cloudfront.net",
        bucket: BENCH_BUCKET,
        region: BENCH_REGION,
        origin: bucketOrigin(trace.items),
        ttls: { minTtl: resolved.minTtlSeconds, defaultTtl: resolved.defaultTtlSeconds, maxTtl: resolved.maxTtlSeconds },
        errorCachingTtls,
        responseHeaders: NO_RESPONSE_HEADERS_POLICY,
        edge: edgeFunction(handler, edgeEventTypes(settings.level, settings.mode), stats),
        stats,
        now: clock.now,
    });

    const result: ScenarioResult = {
        scenario,
        requests: trace.requests.length,
        fromCache: 0,
        hits: 0,
        originRequestRuns: 0,
        originResponseRuns: 0,
        dynamoReads: 0,
        originFetches: 0,
        status200: 0,
        status403: 0,
        status404: 0,
        otherStatus: 0,
        servedPastExpiry: 0,
        servedPastSlack: 0,
        wrongBody: 0,
    };
    const step = (scenario.seconds * 1000) / trace.requests.length;
    for (let i = 0; i < trace.requests.length; i++) {
        clock.set(startMs + Math.floor(i * step));
        const item = trace.items[trace.requests[i]];
        const viewer: ViewerRequest = {
            method: "GET",
            uri: `/images/${item.hash}`,
            querystring: "",
            headers: [["Host", "d111111abcdef8.cloudfront.net"]],
            clientIp: "203.0.113.178",
            hasBody: false,
        };
        const response = await distribution.handle(viewer);
        const nowMs = clock.now();
        if (response.status === 200) {
            result.status200 += 1;
            if (!response.body.equals(objectBody(item.key))) result.wrongBody += 1;
            if (nowMs >= item.expiresAt * 1000) result.servedPastExpiry += 1;
            if (nowMs >= (item.expiresAt + EXPIRY_SLACK_SECONDS) * 1000) result.servedPastSlack += 1;
        } else if (response.status === 403) result.status403 += 1;
        else if (response.status === 404) result.status404 += 1;
        else result.otherStatus += 1;
    }
    const counters = stats.counters;
    result.fromCache = stats.fromCache;
    result.hits = counters.hits;
    result.originRequestRuns = counters.edgeInvocations["origin-request"];
    result.originResponseRuns = counters.edgeInvocations["origin-response"];
    result.originFetches = counters.originFetches;
    result.dynamoReads = store.reads();
    return result;
}

export async function runCdnCache(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    const { traceHashes, traceRequests } = options.sizes;
    const scenarios: Scenario[] = [
        { label: "1 minute", seconds: 60 },
        { label: "1 hour", seconds: 3600 },
        { label: "1 day", seconds: 86400 },
    ];
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
        const trace = makeTrace(traceHashes, traceRequests, options.seed);
        results.push(await runScenario(trace, scenario, options.seed));
        const r = results[results.length - 1];
        progress(`trace over ${scenario.label}: ${percent(r.fromCache, r.requests)} from cache`);
    }
    const per1000 = (value: number, r: ScenarioResult) => fixed((1000 * value) / r.requests, 0);
    const pastExpiry = results.reduce((sum, r) => sum + r.servedPastExpiry, 0);
    const pastSlack = results.reduce((sum, r) => sum + r.servedPastSlack, 0);
    const goals: GoalCheck[] = [
        {
            goal: "no image served from the CDN past its hash's expiry (a minute of slack allowed)",
            measured: `${pastSlack} past the slack, ${pastExpiry} past the exact second, of ${count(results.reduce((s, r) => s + r.status200, 0))} images served`,
            met: pastSlack === 0,
        },
    ];
    const body = [
        `The trace of section 3 (${count(traceRequests)} requests, ${count(traceHashes)} hashes, Zipf exponent ${ZIPF_EXPONENT}) sent through one emulated`,
        "distribution with the default cache behaviour (cache key = path; TTLs 0 / 1 day / 30 days; 404 cached 10 s,",
        "403 60 s) and the edge function on origin-request and origin-response, its requests spread evenly over a",
        "simulated minute, hour and day. One edge location, one warm function instance, an empty cache at the start.",
        "Expiring hashes expire during the simulated period.",
        "",
        table(
            ["trace spread over", "answered from cache", "Lambda invocations / 1,000 requests", "of which origin-request", "DynamoDB reads / 1,000", "origin fetches / 1,000"],
            results.map((r) => [
                r.scenario.label,
                percent(r.fromCache, r.requests),
                per1000(r.originRequestRuns + r.originResponseRuns, r),
                per1000(r.originRequestRuns, r),
                per1000(r.dynamoReads, r),
                per1000(r.originFetches, r),
            ]),
        ),
        "",
        "Answers, checked against the items at the simulated time of each request (\"past expiry\": an image served",
        `at or after \`expires_at\`; \"past slack\": ${EXPIRY_SLACK_SECONDS} s or more after it):`,
        "",
        table(
            ["trace spread over", "200", "403", "404", "other", "200 past expiry", "200 past slack", "wrong bytes"],
            results.map((r) => [r.scenario.label, count(r.status200), count(r.status403), count(r.status404), count(r.otherStatus), String(r.servedPastExpiry), `**${r.servedPastSlack}**`, String(r.wrongBody)]),
        ),
        "",
        "Each hash's first request is always a miss (two function runs: origin-request looks it up, origin-response",
        "bounds the lifetime); what follows comes from the cache until the lifetime ends, which for an image is the",
        "smaller of the default TTL and the hash's remaining life. The 403 of an expired hash is cached 60 s.",
        `Behind the cache the function's memo has little to do: it answered ${results.map((r) => count(Math.max(0, r.originRequestRuns - r.dynamoReads))).join(" / ")} of the`,
        `${results.map((r) => count(r.originRequestRuns)).join(" / ")} origin-request runs (minute / hour / day), since a hash only comes back to the function once its`,
        "cached copy has gone. Section 3's memo figures are for a function that sees every request (no CDN in front).",
    ].join("\n");
    const day = results[results.length - 1];
    const minute = results[0];
    return {
        name: "cdn",
        title: "5. CDN cache model (local CloudFront emulator)",
        body,
        goals,
        figures: {
            requests: traceRequests,
            minuteHitRatio: minute.fromCache / minute.requests,
            minuteInvocationsPer1000: (1000 * (minute.originRequestRuns + minute.originResponseRuns)) / minute.requests,
            dayHitRatio: day.fromCache / day.requests,
            dayInvocationsPer1000: (1000 * (day.originRequestRuns + day.originResponseRuns)) / day.requests,
            dayLookupsPer1000: (1000 * day.originRequestRuns) / day.requests,
            dayReadsPer1000: (1000 * day.dynamoReads) / day.requests,
            dayOriginFetchesPer1000: (1000 * day.originFetches) / day.requests,
            hashesPerRequest: traceHashes / traceRequests,
            servedPastExpiry: pastExpiry,
            servedPastSlack: pastSlack,
        },
    };
}
