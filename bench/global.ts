/**
 * Section 6 of `npm run bench`: the global latency and cost model
 * (bench/global-model.ts), and the model checked against the deployed edge
 * code. For each region, the bundle is loaded as Lambda@Edge loads it there
 * (`AWS_REGION` set, endpoints unset as deployed), its HTTPS calls to
 * `dynamodb.<region>.amazonaws.com` routed to a round-trip proxy per copy
 * of the table (bench/support/rtt-proxy.ts) in front of one dynalite, each
 * proxy holding answers for the modelled round trip between the function's
 * region and that copy's. A cold lookup is the first one of a fresh
 * container (a new connection), a warm one reuses it.
 */
import { performance } from "perf_hooks";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { buildEdgeCode } from "../components/edge-code";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../core/regions";
import { REGION_LOCATIONS } from "../core/regions";
import type { EdgeSettings } from "../core/edge-settings";
import { createMappingTable, localDynamoClient, useEnv } from "../local/aws";
import { closedPortEndpoint } from "../test/support/dynamo-proxy";
import { captureEdgeLogs } from "../test/support/edge-logs";
import { routeDynamoRegions } from "../test/support/region-routing";
import {
    chooseReplicas,
    COLD_GOAL_MS,
    COLD_ROUND_TRIPS,
    CostRow,
    costPerMillionViews,
    DYNAMO_SERVICE_MS,
    fewestReplicasForGoals,
    FIBRE_KM_PER_MS,
    IMAGE_BYTES,
    IN_REGION_RTT_MS,
    modelLayout,
    ROUTE_FACTOR,
    roundTripMs,
    TrafficPerView,
    WARM_GOAL_MS,
} from "./global-model";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { fixed, median } from "./stats";
import { startDynaliteProcess } from "./support/dynalite";
import { loadFresh, writeModule } from "./support/edge-build";
import { numberedHash, originRequestEvent } from "./support/events";
import { BENCH_BUCKET, BENCH_ENV_CREDENTIALS, BENCH_REGION, deployedEdgeSettings } from "./support/settings";
import { startRttProxy, RttProxy } from "./support/rtt-proxy";

const TABLE = "chat-image-mappings-global";
const REPLICA_COUNT = 3;

type Handler = (event: unknown) => Promise<unknown>;

interface Checked {
    region: string;
    layout: "one table" | "replicas";
    copy: string;
    rttMs: number;
    coldMs: number;
    warmMs: number;
}

export async function runGlobal(options: BenchOptions, progress: (message: string) => void, earlier: readonly SectionResult[] = []): Promise<SectionResult> {
    const home = BENCH_REGION;
    const replicas = chooseReplicas(home, REPLICA_COUNT);
    const layout = modelLayout(home, replicas);
    const fewest = fewestReplicasForGoals(home);
    progress(`model: replicas ${replicas.join(", ")}; goals met in ${layout.meetingGoals} of ${REGIONAL_EDGE_CACHE_REGIONS.length} regions`);

    const { globalRegions, globalColdRuns, globalWarmRuns } = options.sizes;
    const { checked, baseline } = await checkAgainstCode(home, replicas, globalRegions, globalColdRuns, globalWarmRuns, progress);

    const costs = costRows(earlier, layout);
    const within = (measured: number, expected: number) => Math.abs(measured - expected) <= Math.max(3, 0.05 * expected);
    const rows = checked.map((c) => {
        const warmExpected = c.rttMs + baseline.warmMs;
        const coldExpected = COLD_ROUND_TRIPS * c.rttMs + baseline.coldMs;
        return { ...c, warmExpected, coldExpected, ok: within(c.warmMs, warmExpected) && within(c.coldMs, coldExpected) };
    });
    const goals: GoalCheck[] = [
        {
            goal: `with ${REPLICA_COUNT} replicas chosen by the model, lookups warm ≤ ${WARM_GOAL_MS} ms and cold ≤ ${COLD_GOAL_MS} ms in all ${REGIONAL_EDGE_CACHE_REGIONS.length} regions (model)`,
            measured: `met in ${layout.meetingGoals} of ${REGIONAL_EDGE_CACHE_REGIONS.length} (replicas ${replicas.join(", ")}); ${fewest ? `${fewest.count} replicas meet it everywhere` : "no layout meets it everywhere"}`,
            met: layout.meetingGoals === REGIONAL_EDGE_CACHE_REGIONS.length,
        },
        {
            goal: "the deployed code takes the modelled round trips: measured = modelled network time + local baseline (±5 %, at least ±3 ms)",
            measured: `${rows.filter((r) => r.ok).length} of ${rows.length} region/layout pairs, cold and warm`,
            met: rows.every((r) => r.ok),
        },
    ];

    const ms = (value: number) => fixed(value, 0);
    const body = [
        "A model, not a measurement of AWS. For each of the 13 regions with a regional edge cache (where",
        "Lambda@Edge runs), how long the edge function's table lookup takes with one table at home",
        `(${home}) and with ${REPLICA_COUNT} replicas the model chose, on a warm keep-alive connection and on a cold one.`,
        "",
        "**The model** (bench/global-model.ts). A round trip between two regions is",
        `${IN_REGION_RTT_MS} ms + 2 × great-circle distance × ${ROUTE_FACTOR} (route factor) ÷ ${FIBRE_KM_PER_MS} km/ms (light in fibre).`,
        "The distance is between the places AWS names the regions after (AWS General Reference, \"AWS Regions\";",
        "coordinates of those cities in core/regions.ts, the same table the edge function ranks copies by).",
        "The route factor is bracketed by Bozkurt et al., \"Dissecting Latency in the Internet's Fiber",
        "Infrastructure\" (arXiv:1811.10737): 2.1 measured on the public Internet, 1.3 for the shortest paths",
        `through the US long-haul conduit map; ${ROUTE_FACTOR} gives Sydney–Ireland ${ms(roundTripMs("ap-southeast-2", "eu-west-1"))} ms, near the ~250 ms usually quoted.`,
        `A warm lookup is one round trip plus ${DYNAMO_SERVICE_MS} ms of DynamoDB service time (an assumption inside DynamoDB's`,
        "stated single-digit milliseconds); a cold one adds TCP's and TLS 1.3's handshakes (AWS endpoints accept",
        `TLS 1.3): ${COLD_ROUND_TRIPS} round trips. The copy read is the one the edge's own read plan picks (core/read-plan.ts):`,
        "the replica in the function's region, else the nearest copy. DNS, the function's own cold start and",
        "queueing are not in the model.",
        "",
        `**Replicas chosen by the model**: ${replicas.join(", ")} (of the other 12 regional-edge-cache regions, the three`,
        "that meet both goals in the most regions, then with the lowest worst cold lookup).",
        fewest ? `Meeting both goals in every region takes ${fewest.count} replicas: ${fewest.replicas.join(", ")}.` : "",
        "",
        table(
            ["region", "place", "one table: warm", "one table: cold", "replicas: copy read", "replicas: warm", "replicas: cold", "replicas: hash not yet replicated, warm", "goals"],
            layout.perRegion.map((r) => [
                r.region,
                REGION_LOCATIONS[r.region].place,
                `${ms(r.oneTable.warmMs)} ms`,
                `${ms(r.oneTable.coldMs)} ms`,
                r.replicated.copy,
                `${ms(r.replicated.warmMs)} ms`,
                `${ms(r.replicated.coldMs)} ms`,
                `${ms(r.unreplicatedWarmMs)} ms`,
                r.replicated.warmMs <= WARM_GOAL_MS && r.replicated.coldMs <= COLD_GOAL_MS ? "met" : "**missed**",
            ]),
        ),
        "",
        "A hash not yet replicated (issued within the replication lag) costs the replica's miss plus home's",
        "consistent read; so does an unknown hash before its 404.",
        "",
        "### The model against the deployed code",
        "",
        "The deployed bundle (`buildEdgeCode`, required + origin, memo off so every request is a lookup) loaded as",
        "Lambda@Edge loads it in each region: `AWS_REGION` set, endpoints unset. Its HTTPS calls to",
        "`dynamodb.<region>.amazonaws.com` are sent to one proxy per copy of the table in front of one dynalite",
        "(its own process); each proxy holds every answer for the modelled round trip between the function's",
        "region and that copy's, three of them on a connection's first request (TCP, TLS 1.3, the request). TLS",
        "cannot be spoken to dynalite, so the handshakes' round trips are waited out, not performed. Cold: the",
        `first lookup of a fresh container, median of ${globalColdRuns}; warm: later lookups on its connection, median of ${globalWarmRuns}.`,
        `The same runs with no round trip injected give this machine's own share (signing, loopback HTTP, dynalite):`,
        `${fixed(baseline.coldMs, 1)} ms cold, ${fixed(baseline.warmMs, 1)} ms warm, which stands in for the modelled ${DYNAMO_SERVICE_MS} ms of DynamoDB service time.`,
        "",
        table(
            ["region", "layout", "copy read", "modelled round trip", "warm: expected", "warm: measured", "cold: expected", "cold: measured", ""],
            rows.map((r) => [
                r.region,
                r.layout,
                r.copy,
                `${fixed(r.rttMs, 1)} ms`,
                `${fixed(r.warmExpected, 1)} ms`,
                `${fixed(r.warmMs, 1)} ms`,
                `${fixed(r.coldExpected, 1)} ms`,
                `${fixed(r.coldMs, 1)} ms`,
                r.ok ? "≈" : "**off**",
            ]),
        ),
        "",
        "### Cost per million image views",
        "",
        costs.text,
    ].join("\n");
    return {
        name: "global",
        title: "6. Global lookups: latency and cost model",
        body,
        goals,
        figures: {
            regionsMeetingGoals: layout.meetingGoals,
            replicasForAllRegions: fewest?.count ?? -1,
            worstOneTableColdMs: Math.max(...layout.perRegion.map((r) => r.oneTable.coldMs)),
            worstReplicatedColdMs: Math.max(...layout.perRegion.map((r) => r.replicated.coldMs)),
            modelChecksOff: rows.filter((r) => !r.ok).length,
            baselineColdMs: baseline.coldMs,
            baselineWarmMs: baseline.warmMs,
            ...Object.fromEntries(costs.rows.map((row, index) => [`costRow${index}Total`, row.total])),
        },
    };
}

/** Runs the bundle in each region against round-trip proxies; also the no-round-trip baseline. */
async function checkAgainstCode(
    home: string,
    replicas: readonly string[],
    regions: readonly string[],
    coldRuns: number,
    warmRuns: number,
    progress: (message: string) => void,
): Promise<{ checked: Checked[]; baseline: { coldMs: number; warmMs: number } }> {
    const dynamo = await startDynaliteProcess();
    const proxies = new Map<string, RttProxy>();
    const restoreEnv = useEnv({ ...BENCH_ENV_CREDENTIALS });
    // The function's one log line per lookup, counted, not printed.
    const logs = captureEdgeLogs({ keep: false });
    let routing: ReturnType<typeof routeDynamoRegions> | undefined;
    try {
        const client = localDynamoClient(dynamo.endpoint);
        await createMappingTable(client, TABLE);
        const hashes = 3 * coldRuns * (warmRuns + 1);
        const expiresAt = Math.floor(Date.now() / 1000) + 86400;
        for (let i = 0; i < hashes; i++) {
            await client.send(
                new PutItemCommand({
                    TableName: TABLE,
                    Item: { hash: { S: numberedHash("a", i) }, s3_url: { S: `s3://${BENCH_BUCKET}/global/${i}.jpg` }, expires_at: { N: String(expiresAt) } },
                }),
            );
        }
        client.destroy();
        for (const region of [home, ...replicas]) proxies.set(region, await startRttProxy(dynamo.endpoint));
        routing = routeDynamoRegions(Object.fromEntries([...proxies].map(([region, proxy]) => [region, proxy.endpoint])), await closedPortEndpoint());

        const base: EdgeSettings = { ...deployedEdgeSettings({ mode: "origin", tableName: TABLE }), memoMaxEntries: 0 };
        const codes = {
            "one table": writeModule(await buildEdgeCode(base), "global-one-table"),
            replicas: writeModule(await buildEdgeCode({ ...base, replicaRegions: [...replicas] }), "global-replicas"),
        } as const;

        let next = 0;
        const measure = async (region: string, file: string, runs = coldRuns): Promise<{ coldMs: number; warmMs: number }> => {
            const cold: number[] = [];
            const warm: number[] = [];
            for (let run = 0; run < runs; run++) {
                // Hashes are reused across regions (the memo is off, so each lookup reads).
                next %= hashes - warmRuns - 1;
                const restore = useEnv({ AWS_REGION: region });
                let handler: Handler;
                try {
                    handler = loadFresh(file) as Handler;
                } finally {
                    restore();
                }
                const lookup = async () => {
                    const event = originRequestEvent(`/images/${numberedHash("a", next++)}`);
                    const started = performance.now();
                    const result = (await handler(event)) as { uri?: string };
                    const took = performance.now() - started;
                    if (typeof result.uri !== "string" || !result.uri.startsWith("/global/")) throw new Error(`lookup in ${region} did not rewrite: ${JSON.stringify(result).slice(0, 200)}`);
                    return took;
                };
                cold.push(await lookup());
                for (let i = 0; i < warmRuns; i++) warm.push(await lookup());
            }
            return { coldMs: median(cold), warmMs: median(warm) };
        };

        for (const proxy of proxies.values()) proxy.rttMs = 0;
        // One throwaway pass warms up the JIT and dynalite; then the baseline.
        await measure(home, codes["one table"]);
        const baseline = await measure(home, codes["one table"], 3 * coldRuns);
        progress(`baseline (no round trip injected): cold ${fixed(baseline.coldMs, 1)} ms, warm ${fixed(baseline.warmMs, 1)} ms`);

        const checked: Checked[] = [];
        for (const region of regions) {
            for (const [copyRegion, proxy] of proxies) proxy.rttMs = roundTripMs(region, copyRegion);
            for (const layoutName of ["one table", "replicas"] as const) {
                const model = modelLayout(home, replicas).perRegion.find((r) => r.region === region);
                const copy = layoutName === "one table" ? home : (model?.replicated.copy ?? home);
                const figures = await measure(region, codes[layoutName]);
                checked.push({ region, layout: layoutName, copy, rttMs: roundTripMs(region, copy), ...figures });
                progress(`${region}, ${layoutName}: cold ${fixed(figures.coldMs, 1)} ms, warm ${fixed(figures.warmMs, 1)} ms`);
            }
        }
        return { checked, baseline };
    } finally {
        routing?.restore();
        logs.restore();
        restoreEnv();
        for (const proxy of proxies.values()) await proxy.close();
        await dynamo.close();
    }
}

/** The cost table, from the CDN model's measured traffic (section 5) and the latency model. */
function costRows(earlier: readonly SectionResult[], layout: ReturnType<typeof modelLayout>): { text: string; rows: CostRow[] } {
    const cdn = earlier.find((section) => section.name === "cdn")?.figures;
    const trace = earlier.find((section) => section.name === "trace")?.figures;
    if (!cdn || cdn.dayLookupsPer1000 === undefined) {
        return { text: "Not computed: the cost model needs the CDN model's measured traffic (run the `cdn` section too).", rows: [] };
    }
    const traffic: TrafficPerView = {
        hitRatio: cdn.dayHitRatio,
        lookups: cdn.dayLookupsPer1000 / 1000,
        responseRuns: (cdn.dayInvocationsPer1000 - cdn.dayLookupsPer1000) / 1000,
        reads: cdn.dayReadsPer1000 / 1000,
        originFetches: cdn.dayOriginFetchesPer1000 / 1000,
        issues: cdn.hashesPerRequest,
    };
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    // Each region counted alike; a lookup is warm (a CDN miss reaches a warm container far more often than a cold one).
    const oneTableMs = mean(layout.perRegion.map((r) => r.oneTable.warmMs));
    const replicatedMs = mean(layout.perRegion.map((r) => r.replicated.warmMs));
    const redirectReads = trace?.readsPer1000 !== undefined ? trace.readsPer1000 / 1000 : 1;
    const spared =
        trace?.readsPer1000 !== undefined
            ? `less what the memo spares: section 3's ${fixed(redirectReads * 1000, 0)} reads per 1,000 requests`
            : "section 3 did not run, so every view is counted as a read";
    const rows = [
        costPerMillionViews("required + origin, one table", traffic, { lookupMs: oneTableMs, replicas: 0 }),
        costPerMillionViews(`required + origin, home + ${layout.replicas.length} replicas`, traffic, { lookupMs: replicatedMs, replicas: layout.replicas.length }),
        costPerMillionViews(
            "redirect delivery (a 302 to S3), one table",
            { hitRatio: 0, lookups: 1, responseRuns: 0, reads: redirectReads, originFetches: 1, issues: traffic.issues },
            { lookupMs: oneTableMs, replicas: 0, redirect: true },
        ),
    ];
    const money = (value: number) => `$${value.toFixed(value < 0.1 ? 3 : 2)}`;
    const text = [
        `Traffic per view from section 5's day-long trace: ${fixed(traffic.hitRatio * 100, 1)} % answered from the CDN cache, ${fixed(traffic.lookups * 1000, 0)} lookups,`,
        `${fixed(traffic.responseRuns * 1000, 0)} origin-response runs, ${fixed(traffic.reads * 1000, 0)} table reads and ${fixed(traffic.originFetches * 1000, 0)} S3 fetches per 1,000 views, and`,
        `${fixed(traffic.issues, 2)} hashes issued per view (the trace's hashes over its requests). Lambda@Edge duration: each lookup`,
        `billed at the modelled warm lookup (mean of the 13 regions: ${fixed(oneTableMs, 0)} ms with one table, ${fixed(replicatedMs, 0)} ms with replicas) plus 1 ms,`,
        "128 MB; each origin-response run 1 ms. DynamoDB: eventually consistent reads (0.5 read unit); per issued hash",
        "3 write units and 1 read unit at home, and per replica 2 replicated writes and 1 index write. Redirect",
        `delivery: CloudFront keeps no 302, so every view runs the function, reads the table (${spared})`,
        "and sends the browser to S3, which serves the bytes.",
        "",
        "Prices: public list prices, on-demand, no free tier, US East (N. Virginia) and CloudFront's United States",
        "price band, looked up on 2026-12-01 in stored copies of public pages: CloudFront data transfer $0.085/GB",
        "(aws.amazon.com/cloudfront/pricing); DynamoDB on-demand $0.125 per million read units and $0.625 per million",
        "write units, replicated writes priced as writes since 1 November 2024 (AWS's price cut of that date, as",
        "reported by third-party pages quoting aws.amazon.com/dynamodb/pricing/on-demand); S3 GET $0.0004 per 1,000",
        "and data transfer $0.09/GB (third-party pages quoting aws.amazon.com/s3/pricing); CloudFront HTTPS requests",
        "$0.0100 per 10,000 (a third-party page; the stored AWS page did not show its request table); Lambda@Edge",
        "$0.60 per million requests (third-party pages) and $0.00005001 per GB-second, AWS's published Lambda@Edge",
        "duration price, which no stored page showed (AWS renders its Lambda price tables in the browser): check",
        "both on aws.amazon.com/lambda/pricing before relying on the duration column. Asia and South America cost",
        "more per request and per GB, so these are floors.",
        "",
        table(
            ["layout", "CloudFront requests", "Lambda@Edge requests", "Lambda@Edge duration", "DynamoDB reads", "DynamoDB writes", "S3 GETs", "total", `data transfer (${IMAGE_BYTES / 1024} KB images)`],
            rows.map((row) => [
                row.layout,
                money(row.cloudfront),
                money(row.lambdaRequests),
                money(row.lambdaDuration),
                money(row.dynamoReads),
                money(row.dynamoWrites),
                money(row.s3Gets),
                `**${money(row.total)}**`,
                money(row.dataTransfer),
            ]),
        ),
        "",
        "Replicas cost their replicated writes and save Lambda@Edge duration (the function waits less for",
        "a nearer copy); the bytes themselves, whoever sends them, cost far more than all the rest.",
    ].join("\n");
    return { text, rows };
}
