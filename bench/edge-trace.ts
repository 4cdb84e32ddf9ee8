/**
 * 3. The deployed edge code against a real local DynamoDB (dynalite, in its
 * own process), replaying a Zipf trace over issued hashes of which some are
 * expired and some expire during the run.
 *
 * Two runs, each on a fresh container (the module loaded afresh):
 * - sequential, one event at a time, as a Lambda container takes them:
 *   latency per request, requests per second, and from each request's log
 *   line whether the memo answered and how many reads went to DynamoDB;
 * - concurrent, N events in flight (one Node process serving many, as the
 *   local stack's emulator does): throughput.
 * Every answer is checked against the item: a rewrite must name the item's
 * key and start before its `expires_at`; a 403 must not come before it.
 */
import type { CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import { buildEdgeCode } from "../components/edge-code";
import { encodeObjectKey } from "../edge/endpoints";
import type { EdgeEvent, EdgeResult } from "../edge/events";
import { createMappingTable, localDynamoClient } from "../local/aws";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { count, fixed, nowNs, percent, summarize } from "./stats";
import { startDynaliteProcess } from "./support/dynalite";
import { loadFresh, writeModule } from "./support/edge-build";
import { originRequestEvent } from "./support/events";
import { captureConsoleLog, EdgeLogLine } from "./support/log-capture";
import { MEMORY_PROBE_ENTRIES, memoBytesPerEntry, replayMemo, ReplayedRequest } from "./support/memo-replay";
import { BENCH_BUCKET, deployedEdgeSettings, useBenchCredentials } from "./support/settings";
import { makeTrace, scheduleExpiry, Trace, TraceItem, writeItems, ZIPF_EXPONENT } from "./support/trace";

export const MEMO_SPARE_GOAL = 0.9;

type Handler = (event: EdgeEvent) => Promise<EdgeResult>;

/** What the answers said, checked against the items. */
export interface AnswerTally {
    served: number;
    expired: number;
    notFound: number;
    unavailable: number;
    other: number;
    /** A rewrite for a request that started at or after the hash's expiry. Must be 0. */
    servedPastExpiry: number;
    /** A rewrite for a request during which the hash expired (started before, ended after). */
    servedStraddlingExpiry: number;
    /** A 403 for a request that ended before the hash's expiry. */
    expiredTooEarly: number;
    /** A rewrite to some other key. */
    wrongTarget: number;
}

export function emptyTally(): AnswerTally {
    return { served: 0, expired: 0, notFound: 0, unavailable: 0, other: 0, servedPastExpiry: 0, servedStraddlingExpiry: 0, expiredTooEarly: 0, wrongTarget: 0 };
}

function tallyAnswer(tally: AnswerTally, item: TraceItem, result: EdgeResult, startedMs: number, endedMs: number): void {
    const expiresMs = item.expiresAt * 1000;
    const status = (result as CloudFrontResultResponse).status;
    if (status === undefined) {
        tally.served += 1;
        if ((result as CloudFrontRequest).uri !== `/${encodeObjectKey(item.key)}`) tally.wrongTarget += 1;
        if (startedMs >= expiresMs) tally.servedPastExpiry += 1;
        else if (endedMs >= expiresMs) tally.servedStraddlingExpiry += 1;
        return;
    }
    if (status === "403") {
        tally.expired += 1;
        if (endedMs < expiresMs) tally.expiredTooEarly += 1;
    } else if (status === "404") tally.notFound += 1;
    else if (status === "503") tally.unavailable += 1;
    else tally.other += 1;
}

interface SequentialRun {
    latencyMs: number[];
    elapsedMs: number;
    tally: AnswerTally;
    replay: ReplayedRequest[];
    lines: EdgeLogLine[];
}

async function runSequential(handler: Handler, trace: Trace, count: number): Promise<SequentialRun> {
    const capture = captureConsoleLog();
    const tally = emptyTally();
    const latencyMs: number[] = [];
    const replay: ReplayedRequest[] = [];
    const lines: EdgeLogLine[] = [];
    const started = nowNs();
    try {
        for (let i = 0; i < count; i++) {
            const item = trace.items[trace.requests[i]];
            const event = originRequestEvent(`/images/${item.hash}`);
            const startedMs = Date.now();
            const t0 = nowNs();
            const result = await handler(event);
            latencyMs.push((nowNs() - t0) / 1e6);
            tallyAnswer(tally, item, result, startedMs, Date.now());
            replay.push({ item, atMs: startedMs });
            const logged = capture.take();
            lines.push(logged[logged.length - 1] ?? { outcome: "missing" });
        }
    } finally {
        capture.restore();
    }
    return { latencyMs, elapsedMs: (nowNs() - started) / 1e6, tally, replay, lines };
}

async function runConcurrent(handler: Handler, trace: Trace, requests: number, concurrency: number) {
    const capture = captureConsoleLog();
    const tally = emptyTally();
    const latencyMs: number[] = [];
    let next = 0;
    const started = nowNs();
    const worker = async () => {
        while (next < requests) {
            const item = trace.items[trace.requests[next++]];
            const event = originRequestEvent(`/images/${item.hash}`);
            const startedMs = Date.now();
            const t0 = nowNs();
            const result = await handler(event);
            latencyMs.push((nowNs() - t0) / 1e6);
            tallyAnswer(tally, item, result, startedMs, Date.now());
        }
    };
    try {
        await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
        capture.restore();
    }
    const lines = capture.take();
    return { latencyMs, elapsedMs: (nowNs() - started) / 1e6, tally, lines };
}

function memoStats(lines: readonly EdgeLogLine[]): { memoHits: number; reads: number } {
    let memoHits = 0;
    let reads = 0;
    for (const line of lines) {
        if (line.memo === true) memoHits += 1;
        reads += line.attempts ?? 0;
    }
    return { memoHits, reads };
}

function tallyRows(label: string, tally: AnswerTally): string[] {
    return [
        label,
        count(tally.served),
        count(tally.expired),
        count(tally.notFound),
        count(tally.unavailable + tally.other),
        `**${tally.servedPastExpiry}**`,
        String(tally.servedStraddlingExpiry),
        String(tally.expiredTooEarly),
        String(tally.wrongTarget),
    ];
}

export async function runEdgeTrace(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    const { traceHashes, traceRequests, traceConcurrency } = options.sizes;
    const dynamo = await startDynaliteProcess();
    const restoreCredentials = useBenchCredentials();
    const admin = localDynamoClient(dynamo.endpoint);
    try {
        const tableName = "bench-trace-mappings";
        await createMappingTable(admin, tableName);
        const trace = makeTrace(traceHashes, traceRequests, options.seed);
        const nowS = Math.floor(Date.now() / 1000);
        scheduleExpiry(trace, nowS, nowS, 1, options.seed);
        const settled = trace.items.filter((item) => item.kind !== "expiring");
        const writeRate = await writeItems(admin, tableName, settled, BENCH_BUCKET);
        progress(`${count(settled.length)} items written to dynalite (${count(writeRate)} items/s)`);

        const settings = deployedEdgeSettings({ mode: "origin", dynamoEndpoint: dynamo.endpoint, tableName });
        const file = writeModule(await buildEdgeCode(settings), "trace-origin");

        // Calibration on a throwaway container: how long will the sequential run take?
        const probe = loadFresh(file) as Handler;
        const probeCount = Math.min(300, Math.max(20, Math.floor(traceRequests / 10)));
        const live = settled.filter((item) => item.kind === "live");
        const capture = captureConsoleLog();
        const probeStarted = Date.now();
        try {
            for (let i = 0; i < probeCount; i++) await probe(originRequestEvent(`/images/${live[i % live.length].hash}`));
        } finally {
            capture.restore();
        }
        const perRequestMs = (Date.now() - probeStarted) / probeCount;
        // Repeats are mostly memo hits, far cheaper than these all-miss probes: halve the estimate.
        const estimatedSeconds = Math.max(2, Math.ceil((traceRequests * perRequestMs) / 2000));
        const windowStart = Math.floor(Date.now() / 1000) + 1;
        scheduleExpiry(trace, nowS, windowStart, estimatedSeconds, options.seed);
        const expiring = trace.items.filter((item) => item.kind === "expiring");
        await writeItems(admin, tableName, expiring, BENCH_BUCKET);
        progress(`${expiring.length} hashes set to expire during the next ~${estimatedSeconds} s; sequential run of ${count(traceRequests)} requests`);

        const sequential = await runSequential(loadFresh(file) as Handler, trace, traceRequests);
        const seqMemo = memoStats(sequential.lines);
        progress(`sequential: ${fixed(traceRequests / (sequential.elapsedMs / 1000), 0)} req/s`);

        progress(`concurrent run: ${count(traceRequests)} requests, ${traceConcurrency} in flight`);
        const concurrent = await runConcurrent(loadFresh(file) as Handler, trace, traceRequests, traceConcurrency);
        const conMemo = memoStats(concurrent.lines);

        // Repeat lookups and what the memo did with them (sequential run, one container).
        const seen = new Set<string>();
        let repeats = 0;
        let repeatsSpared = 0;
        let expiredRepeats = 0;
        sequential.replay.forEach(({ item }, i) => {
            if (seen.has(item.hash)) {
                repeats += 1;
                if (sequential.lines[i]?.memo === true) repeatsSpared += 1;
                else if (item.expiresAt * 1000 <= sequential.replay[i].atMs) expiredRepeats += 1;
            }
            seen.add(item.hash);
        });
        const spareRate = repeats === 0 ? 0 : repeatsSpared / repeats;
        const memoTtl = settings.memoTtlSeconds;
        const whatIf = [settings.memoMaxEntries, 5_000, traceHashes].filter((v, i, all) => all.indexOf(v) === i);
        const replayRows = whatIf.flatMap((maxEntries) =>
            [false, true].map((rememberExpired) => {
                const r = replayMemo(sequential.replay, { maxEntries, ttlSeconds: memoTtl }, { rememberExpired });
                return [
                    `${count(maxEntries)}${maxEntries === settings.memoMaxEntries ? " (deployed default)" : ""}`,
                    rememberExpired ? "remembers expired answers (as deployed)" : "live entries only (before)",
                    percent(r.spared, r.repeats),
                    fixed((1000 * r.reads) / sequential.replay.length, 0),
                ];
            }),
        );
        const replayDefault = replayMemo(sequential.replay, { maxEntries: settings.memoMaxEntries, ttlSeconds: memoTtl }, { rememberExpired: true });
        const bytesPerEntry = memoBytesPerEntry(trace.items, memoTtl);

        const seqLatency = summarize(sequential.latencyMs);
        const conLatency = summarize(concurrent.latencyMs);
        const seqRate = traceRequests / (sequential.elapsedMs / 1000);
        const conRate = traceRequests / (concurrent.elapsedMs / 1000);
        const pastExpiry = sequential.tally.servedPastExpiry + concurrent.tally.servedPastExpiry;
        const distinct = seen.size;

        const goals: GoalCheck[] = [
            {
                goal: `memo spares ≥ ${MEMO_SPARE_GOAL * 100} % of repeat lookups (warm container)`,
                measured: `${percent(repeatsSpared, repeats)} of ${count(repeats)} repeats (memo ${count(settings.memoMaxEntries)} entries, ${count(traceHashes)} hashes)`,
                met: spareRate >= MEMO_SPARE_GOAL,
            },
            {
                goal: "no answer served past a hash's expiry",
                measured: `${pastExpiry} of ${count(sequential.tally.served + concurrent.tally.served)} served answers`,
                met: pastExpiry === 0,
            },
        ];

        const body = [
            `Trace: ${count(traceRequests)} requests over ${count(traceHashes)} issued hashes, Zipf popularity (exponent ${ZIPF_EXPONENT}),`,
            `${count(distinct)} distinct hashes requested; ${trace.items.filter((i) => i.kind === "expired").length} hashes expired before the run, ${trace.items.filter((i) => i.kind === "expiring").length} expiring during it.`,
            "Handler: `buildEdgeCode` for the default settings (required level, origin mode, memo of",
            `${count(settings.memoMaxEntries)} entries for ${memoTtl} s), its DynamoDB endpoint pointed at dynalite over plain HTTP with keep-alive.`,
            "dynalite runs in a process of its own; the handler runs in the benchmark's process. Latency is from the call",
            "to the settled promise, the network round trip to dynalite included.",
            "",
            table(
                ["run", "requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "DynamoDB reads / 1,000 requests", "memo answers"],
                [
                    ["sequential (one event at a time, like a Lambda container)", fixed(seqRate, 0), fixed(seqLatency.p50, 3), fixed(seqLatency.p90, 3), fixed(seqLatency.p99, 3), fixed(seqLatency.max, 1), fixed((1000 * seqMemo.reads) / traceRequests, 0), percent(seqMemo.memoHits, traceRequests)],
                    [`concurrent (${traceConcurrency} in flight, one process)`, fixed(conRate, 0), fixed(conLatency.p50, 3), fixed(conLatency.p90, 3), fixed(conLatency.p99, 3), fixed(conLatency.max, 1), fixed((1000 * conMemo.reads) / traceRequests, 0), percent(conMemo.memoHits, traceRequests)],
                ],
            ),
            "",
            "### Reads spared by the memo",
            "",
            `In the sequential run ${count(repeats)} requests were repeats (a hash this container had looked up before); the memo`,
            `answered ${count(repeatsSpared)} of them (**${percent(repeatsSpared, repeats)}**). Of the ${count(repeats - repeatsSpared)} it did not, ${count(expiredRepeats)} were for`,
            `hashes that had expired since the memo last saw them (a live entry goes at expires_at; the 403 is remembered from then on) and ${count(repeats - repeatsSpared - expiredRepeats)} for hashes evicted (least recently used first)`,
            `or older than the memo's ${memoTtl} s. The same requests replayed at their recorded times through`,
            "edge/memo.ts with other sizes (support/memo-replay.ts; the \"as deployed\" row at the default size checks the replay against the run:",
            `${percent(replayDefault.spared, replayDefault.repeats)} replayed vs ${percent(repeatsSpared, repeats)} measured):`,
            "",
            table(["memo entries", "policy", "repeats spared", "DynamoDB reads / 1,000 requests"], replayRows),
            "",
            `One memo entry takes about ${fixed(bytesPerEntry, 0)} bytes of heap, its strings included (a memo filled with ${count(MEMORY_PROBE_ENTRIES)} entries`,
            `shaped like the trace's, measured between full GCs): ${count(traceHashes)} entries are about ${fixed((bytesPerEntry * traceHashes) / 1024 / 1024, 1)} MB of a 128 MB function.`,
            "",
            "### Answers checked against the items",
            "",
            "\"Served\" is a rewrite to the object (CloudFront then fetches it). Past expiry: the request started at or after",
            "the hash's `expires_at`; straddling: it started before and ended after (a legitimate race); 403 too early: a",
            "403 that ended before `expires_at`.",
            "",
            table(
                ["run", "served", "403 expired", "404", "503/other", "served past expiry", "straddling", "403 too early", "wrong key"],
                [tallyRows("sequential", sequential.tally), tallyRows("concurrent", concurrent.tally)],
            ),
        ].join("\n");

        return {
            name: "trace",
            title: "3. Edge against local DynamoDB (dynalite), Zipf trace",
            body,
            goals,
            figures: {
                requests: traceRequests,
                distinctHashes: distinct,
                sequentialRequestsPerSecond: seqRate,
                sequentialP50Ms: seqLatency.p50,
                sequentialP99Ms: seqLatency.p99,
                concurrentRequestsPerSecond: conRate,
                concurrentP99Ms: conLatency.p99,
                readsPer1000: (1000 * seqMemo.reads) / traceRequests,
                repeats,
                repeatSpareRate: spareRate,
                memoBytesPerEntry: bytesPerEntry,
                servedPastExpiry: pastExpiry,
                served: sequential.tally.served,
                notFound: sequential.tally.notFound + concurrent.tally.notFound,
            },
        };
    } finally {
        restoreCredentials();
        admin.destroy();
        await dynamo.close();
    }
}
