/**
 * 2. Edge warm path per request, without the network, and presigning.
 *
 * The handler is the deployed one (createEdgeHandler), its DynamoDB store
 * on an in-process transport (support/in-process-dynamo.ts): the GetItem
 * body is built, signed and parsed as in AWS; only the socket is missing.
 * Two builds of the same factory are compared request by request:
 * - bundled: serialized by Pulumi (every function inside `with` scopes) and
 *   bundled by esbuild, exactly as the component deploys it;
 * - plain: the same modules bundled by esbuild with the same options but
 *   without the serializer (what the deployed code would be without it).
 * Presigning compares the edge's presigner (both builds) with the SDK v3
 * `getSignedUrl` from @aws-sdk/s3-request-presigner, each per URL.
 * Every sample has wall-clock and CPU time (stats.ts `timeOperation`).
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import type { EdgeResult } from "../edge/events";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { fixed, interleaved, median, percentileByPass, Summary, summarizeTimed, TimedSample, timeOperation } from "./stats";
import { BenchEdge, benchEdgeFactory, BenchHandler } from "./support/bench-factory";
import * as path from "path";
import { assertSameBundler, buildFactoryModule, buildUnserializedModule, loadFresh, writeModule } from "./support/edge-build";
import { numberedHash, originRequestEvent } from "./support/events";
import { ruleKey } from "./support/in-process-dynamo";
import { BENCH_BUCKET, BENCH_ENV_CREDENTIALS, BENCH_REGION, deployedEdgeSettings, useBenchCredentials } from "./support/settings";

export const WARM_P99_GOAL_MS = 1;

/**
 * Requests per block when variants are interleaved. Alternating request by
 * request would make both copies of the code (and the SDK's) fight over the
 * CPU caches, which no container does: it runs one copy. Blocks keep that
 * while spreading the machine's noise over all variants alike.
 */
const BLOCK = 250;

function blocks(total: number): { rounds: number; perRound: number } {
    const perRound = Math.min(BLOCK, total);
    return { rounds: Math.ceil(total / perRound), perRound };
}

/**
 * Each case's samples are cut into this many consecutive passes (every pass
 * covers the same stretch of time for all variants): the spread of the
 * per-pass p99 shows how much of the tail is the machine's moment rather
 * than the code.
 */
const PASSES = 4;
export const PRESIGN_GOAL_US = 50;

interface WarmCase {
    id: string;
    label: string;
    mode: "origin" | "redirect";
    /** The request URI of iteration `i`. */
    uri(i: number): string;
    /** Throws unless `result` is the right answer for iteration `i`. */
    check(result: EdgeResult, i: number): void;
}

function expectStatus(result: EdgeResult, status: string, what: string): CloudFrontResultResponse {
    const response = result as CloudFrontResultResponse;
    if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${JSON.stringify(result).slice(0, 300)}`);
    return response;
}

function expectRewrite(result: EdgeResult, hash: string): void {
    const request = result as CloudFrontRequest;
    if ("status" in result || request.uri !== `/${ruleKey(hash)}`) throw new Error(`expected a rewrite to /${ruleKey(hash)}, got ${JSON.stringify(result).slice(0, 300)}`);
}

function expectRedirect(result: EdgeResult, hash: string): void {
    const location = expectStatus(result, "302", "redirect").headers?.location?.[0]?.value ?? "";
    if (!location.includes(`/${ruleKey(hash)}?`) || !location.includes("X-Amz-Signature=")) throw new Error(`bad presigned location ${location}`);
}

const HOT = numberedHash("0", 1);

const CASES: WarmCase[] = [
    { id: "originHit", label: "valid hash, origin mode, memo hit", mode: "origin", uri: () => `/images/${HOT}`, check: (r) => expectRewrite(r, HOT) },
    {
        id: "originRead",
        label: "valid hash, origin mode, memo miss (1 GetItem)",
        mode: "origin",
        uri: (i) => `/images/${numberedHash("1", i)}`,
        check: (r, i) => expectRewrite(r, numberedHash("1", i)),
    },
    { id: "redirectHit", label: "valid hash, redirect mode, memo hit", mode: "redirect", uri: () => `/images/${HOT}`, check: (r) => expectRedirect(r, HOT) },
    {
        id: "redirectRead",
        label: "valid hash, redirect mode, memo miss (1 GetItem)",
        mode: "redirect",
        uri: (i) => `/images/${numberedHash("2", i)}`,
        check: (r, i) => expectRedirect(r, numberedHash("2", i)),
    },
    {
        id: "unknownRead",
        label: "unknown hash, memo miss (2 GetItems: eventual, then consistent)",
        mode: "origin",
        uri: (i) => `/images/${numberedHash("9", i)}`,
        check: (r) => void expectStatus(r, "404", "unknown hash"),
    },
    {
        id: "unknownHit",
        label: "unknown hash, memo hit (confirmed miss)",
        mode: "origin",
        uri: () => `/images/${numberedHash("a", 1)}`,
        check: (r) => void expectStatus(r, "404", "unknown hash"),
    },
    { id: "malformed", label: "malformed path (no lookup)", mode: "origin", uri: () => "/images/../../etc/passwd", check: (r) => void expectStatus(r, "404", "malformed") },
];

type Build = "bundled" | "plain";

interface Timed {
    wallUs: Summary;
    cpuUs: Summary;
    /** CPU-time p99 of each pass, µs. */
    cpuP99ByPass: number[];
}

function timed(samples: readonly TimedSample[]): Timed {
    return { ...summarizeTimed(samples), cpuP99ByPass: percentileByPass(samples.map((s) => s.cpuUs), PASSES, 99) };
}

function passRange(values: readonly number[], digits = 0): string {
    return `${fixed(median(values), digits)} (${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)})`;
}

function handlerOf(edge: BenchEdge, mode: "origin" | "redirect"): BenchHandler {
    return mode === "origin" ? edge.origin : edge.redirect;
}

function request(edge: BenchEdge, testCase: WarmCase) {
    const handler = handlerOf(edge, testCase.mode);
    return (i: number) => {
        const event = originRequestEvent(testCase.uri(i));
        return timeOperation(
            () => handler(event),
            (result) => testCase.check(result, i),
        );
    };
}

export async function runWarmPath(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    const { warmRequests, presignUrls } = options.sizes;
    const origin = deployedEdgeSettings({ mode: "origin" });
    const redirect = deployedEdgeSettings({ mode: "redirect" });
    progress("checking that the benchmark bundles exactly like buildEdgeCode");
    await assertSameBundler(origin);
    progress("serializing and bundling the benchmark's edge factory");
    const file = writeModule(await buildFactoryModule(benchEdgeFactory(origin, redirect)), "warm-edge");
    const plainFile = writeModule(await buildUnserializedModule(path.join(__dirname, "support", "bench-factory"), "benchEdgeFactory", [origin, redirect]), "warm-edge-plain");
    const restore = useBenchCredentials();
    try {
        const builds: Record<Build, BenchEdge> = {
            bundled: loadFresh(file) as BenchEdge,
            plain: loadFresh(plainFile) as BenchEdge,
        };

        // What the timing itself costs: the same timing around an operation that does nothing.
        const idle = () => timeOperation(() => Promise.resolve(undefined));
        const results = new Map<string, Record<Build, Timed>>();
        const floors: Timed[] = [];
        for (const testCase of CASES) {
            const warmUp = Math.max(1000, warmRequests);
            for (const build of ["bundled", "plain"] as const) {
                const run = request(builds[build], testCase);
                for (let i = 0; i < warmUp; i++) await run(1_000_000 + i);
            }
            const { rounds, perRound } = blocks(warmRequests);
            const samples = await interleaved({ bundled: request(builds.bundled, testCase), plain: request(builds.plain, testCase), idle }, rounds, perRound);
            results.set(testCase.id, { bundled: timed(samples.bundled), plain: timed(samples.plain) });
            floors.push(timed(samples.idle));
            const bundled = results.get(testCase.id)?.bundled;
            progress(`${testCase.label}: bundled p50 ${fixed(bundled?.wallUs.p50 ?? NaN)} µs wall, ${fixed(bundled?.cpuUs.p50 ?? NaN)} µs CPU`);
        }

        progress("presigning: edge presigner (bundled, plain) against the SDK's getSignedUrl");
        const credentials = {
            accessKeyId: BENCH_ENV_CREDENTIALS.AWS_ACCESS_KEY_ID,
            secretAccessKey: BENCH_ENV_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
            sessionToken: BENCH_ENV_CREDENTIALS.AWS_SESSION_TOKEN,
        };
        const s3 = new S3Client({ region: BENCH_REGION, credentials });
        const signers = {
            bundled: (key: string) => builds.bundled.presign(key, 300, Date.now(), credentials),
            plain: (key: string) => builds.plain.presign(key, 300, Date.now(), credentials),
            sdk: (key: string) => getSignedUrl(s3, new GetObjectCommand({ Bucket: BENCH_BUCKET, Key: key }), { expiresIn: 300 }),
        };
        const presignOne = (sign: (key: string) => string | Promise<string>) => (i: number) => {
            const key = `photos/${i}.jpg`;
            return timeOperation(
                () => sign(key),
                (url) => {
                    if (!url.includes(`/${key}?`) || !url.includes("X-Amz-Signature=")) throw new Error(`bad presigned URL ${url}`);
                },
            );
        };
        // The edge presigners take turns; the SDK runs after them, on its own: it allocates so much more per URL
        // that, taking turns with it, the edge presigners would pay for its garbage collections.
        for (const sign of [signers.bundled, signers.plain]) for (let i = 0; i < 1000; i++) await presignOne(sign)(1_000_000 + i);
        const presignBlocks = blocks(presignUrls);
        const edgeSamples = await interleaved({ bundled: presignOne(signers.bundled), plain: presignOne(signers.plain) }, presignBlocks.rounds, presignBlocks.perRound);
        for (let i = 0; i < 200; i++) await presignOne(signers.sdk)(1_000_000 + i);
        const sdkSamples: TimedSample[] = [];
        for (let i = 0; i < presignUrls; i++) sdkSamples.push(await presignOne(signers.sdk)(i));
        s3.destroy();
        const presign = { bundled: timed(edgeSamples.bundled), plain: timed(edgeSamples.plain), sdk: timed(sdkSamples) };

        const get = (id: string): Record<Build, Timed> => {
            const found = results.get(id);
            if (!found) throw new Error(`no result for ${id}`);
            return found;
        };
        const byCase = CASES.map((c) => ({ c, r: get(c.id).bundled }));
        const worst = byCase.reduce((a, b) => (median(b.r.cpuP99ByPass) > median(a.r.cpuP99ByPass) ? b : a));
        const worstOverall = byCase.reduce((a, b) => (b.r.cpuUs.p99 > a.r.cpuUs.p99 ? b : a));
        const worstWall = byCase.reduce((a, b) => (b.r.wallUs.p99 > a.r.wallUs.p99 ? b : a));
        const floorWallP99 = Math.max(...floors.map((f) => f.wallUs.p99));
        const worstPassP99 = median(worst.r.cpuP99ByPass);
        const goals: GoalCheck[] = [
            {
                goal: `warm request p99 ≤ ${WARM_P99_GOAL_MS} ms (network excluded), deployed bundle, CPU time, median of ${PASSES} passes`,
                measured:
                    `worst case ${fixed(worstPassP99 / 1000, 3)} ms (${worst.c.label}; passes ${fixed(Math.min(...worst.r.cpuP99ByPass) / 1000, 3)}–${fixed(Math.max(...worst.r.cpuP99ByPass) / 1000, 3)} ms); ` +
                    `p99 of all samples up to ${fixed(worstOverall.r.cpuUs.p99 / 1000, 2)} ms CPU, ${fixed(worstWall.r.wallUs.p99 / 1000, 2)} ms wall`,
                met: worstPassP99 <= WARM_P99_GOAL_MS * 1000,
            },
            {
                goal: `presigning ≤ ${PRESIGN_GOAL_US} µs per URL`,
                measured: `p50 ${fixed(presign.bundled.wallUs.p50)} µs wall, ${fixed(presign.bundled.cpuUs.p50)} µs CPU (SDK getSignedUrl: p50 ${fixed(presign.sdk.wallUs.p50)} µs)`,
                met: presign.bundled.wallUs.p50 <= PRESIGN_GOAL_US,
            },
        ];

        const wallRows = CASES.map((c) => {
            const r = get(c.id);
            return [c.label, fixed(r.bundled.wallUs.p50), fixed(r.bundled.wallUs.p90), fixed(r.bundled.wallUs.p99), fixed(r.bundled.wallUs.max), fixed(r.plain.wallUs.p50), fixed(r.plain.wallUs.p99)];
        });
        const cpuRows = CASES.map((c) => {
            const r = get(c.id);
            return [
                c.label,
                fixed(r.bundled.cpuUs.p50),
                fixed(r.bundled.cpuUs.p99),
                passRange(r.bundled.cpuP99ByPass),
                fixed(r.plain.cpuUs.p50),
                fixed(r.plain.cpuUs.p99),
                passRange(r.plain.cpuP99ByPass),
                `${fixed(r.bundled.cpuUs.p50 / r.plain.cpuUs.p50, 2)}×`,
            ];
        });
        const floor = floors.reduce((a, b) => (b.wallUs.p99 > a.wallUs.p99 ? b : a));
        const body = [
            `Each case: ${warmRequests} timed requests per build, the two builds and an idle control taking turns in blocks of`,
            `${BLOCK} requests, after an untimed warm-up. The event is built before the clocks start and the answer checked after`,
            "they stop (rewrite target, 302 `Location` with a signature, 404). Log lines are built (JSON) but not written.",
            '"Memo miss" requests use a new hash each time, so they never find a memo entry, as under a wide trace.',
            "Each request has two figures: wall-clock time, and CPU time of the process meanwhile (`process.cpuUsage`, all",
            `threads, garbage collection included). The idle control (timing \`await Promise.resolve()\`) shows what the timing`,
            `itself adds: p50 ${fixed(floor.wallUs.p50)} µs, p99 ${fixed(floorWallP99)} µs (wall). On this shared 2-CPU virtual machine the wall-clock tail`,
            "is mostly time spent descheduled (maxima of several milliseconds on requests whose median is tens of µs), so",
            "the goal is judged on CPU time; but even CPU time stretches when the host is busy (caches, sibling threads), and",
            `the same code's p99 moves from one stretch of the run to the next. Each case is therefore cut into ${PASSES} consecutive`,
            "passes, and the goal is judged on the median of the per-pass p99s (their range is shown). The warm-up",
            "(at least 1,000 requests per case and build) lets the JIT settle: its compiler runs on background threads, and",
            "before it settles its work shows up as CPU time of the first requests.",
            "",
            "Wall-clock, µs:",
            "",
            table(["case", "bundled p50", "p90", "p99", "max", "plain p50", "plain p99"], wallRows),
            "",
            "CPU time, µs (the two `process.cpuUsage` calls add 1–3 µs); \"p99 by pass\" is the median (min–max) of the per-pass p99s:",
            "",
            table(["case", "bundled p50", "bundled p99", "bundled p99 by pass", "plain p50", "plain p99", "plain p99 by pass", "bundled / plain p50"], cpuRows),
            "",
            "The bundled build is what runs in AWS; \"plain\" is the same factory bundled by esbuild with the same options but",
            "without Pulumi's serializer. The difference is how the serializer emits functions: each module-level function becomes a wrapper that, on",
            "every call, builds a scope object, enters a `with` block over it, creates the real function afresh and calls",
            "it through `apply(this, arguments)`. A request makes dozens of such calls, each allocating and each hiding the",
            "callee from the optimizer.",
            "",
            "### Presigning, per URL",
            "",
            `${presignUrls} URLs per presigner, each for a different key, valid 300 s; the two edge builds take turns in blocks of ${BLOCK},`,
            "then the SDK runs on its own (taking turns with it, the edge would pay for the SDK's garbage collections). The edge presigner is",
            "`aws4` query signing (aws4 caches the derived signing key per secret, day, region and service); the SDK's is",
            "`getSignedUrl(new S3Client(...), new GetObjectCommand(...), { expiresIn: 300 })`. Times in µs.",
            "",
            table(
                ["presigner", "wall p50", "p90", "p99", "CPU p50", "CPU p99"],
                (
                    [
                        ["edge, bundled (deployed)", presign.bundled],
                        ["edge, bundled without the serializer", presign.plain],
                        ["SDK v3 getSignedUrl", presign.sdk],
                    ] as const
                ).map(([label, t]) => [label, fixed(t.wallUs.p50), fixed(t.wallUs.p90), fixed(t.wallUs.p99), fixed(t.cpuUs.p50), fixed(t.cpuUs.p99)]),
            ),
            "",
            `The SDK takes ${fixed(presign.sdk.cpuUs.p50 / presign.bundled.cpuUs.p50)}× the CPU time per URL at the median.`,
        ].join("\n");

        const figures: Record<string, number> = {};
        for (const c of CASES) {
            const r = get(c.id);
            figures[`${c.id}WallP50Us`] = r.bundled.wallUs.p50;
            figures[`${c.id}WallP99Us`] = r.bundled.wallUs.p99;
            figures[`${c.id}CpuP50Us`] = r.bundled.cpuUs.p50;
            figures[`${c.id}CpuP99Us`] = r.bundled.cpuUs.p99;
            figures[`${c.id}CpuP99MedianPassUs`] = median(r.bundled.cpuP99ByPass);
            figures[`${c.id}PlainCpuP50Us`] = r.plain.cpuUs.p50;
        }
        figures.idleWallP99Us = floorWallP99;
        figures.presignWallP50Us = presign.bundled.wallUs.p50;
        figures.presignCpuP50Us = presign.bundled.cpuUs.p50;
        figures.sdkPresignWallP50Us = presign.sdk.wallUs.p50;
        figures.requestsPerCase = warmRequests;
        return { name: "warm", title: "2. Edge warm path (network excluded) and presigning", body, goals, figures };
    } finally {
        restore();
    }
}
