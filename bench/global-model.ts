/**
 * The global latency and cost model: how long an edge lookup takes in each
 * region with a regional edge cache, with one table at home or with
 * replicas, and what a million image views cost. A model, not a
 * measurement of AWS (nothing here reaches AWS); bench/global.ts checks the
 * model's arithmetic against the deployed edge code on this machine.
 *
 * Round trips: the great-circle distance between the regions' named places
 * (core/regions.ts) times a route factor, over fibre at 200 km per
 * millisecond, plus a fixed in-region round trip.
 * - 200 km/ms: light in silica fibre (refractive index about 1.47) covers
 *   about 204 km per millisecond.
 * - Route factor 1.5: fibre does not run along great circles. Bozkurt et
 *   al., "Dissecting Latency in the Internet's Fiber Infrastructure"
 *   (arXiv:1811.10737, 2018) give 2.1 as the measured rule of thumb for the
 *   public Internet and 1.3 for the shortest paths through the US long-haul
 *   conduit map; a cloud provider's private backbone lies between, and 1.5
 *   puts Sydney–Ireland at about 260 ms, the round trip usually quoted.
 * - 1 ms in-region round trip, 3 ms DynamoDB service time: assumptions
 *   inside DynamoDB's stated "single-digit millisecond" latency ("How AWS
 *   Pricing Works", Amazon DynamoDB).
 *
 * A cold lookup opens a connection first: TCP (one round trip), TLS 1.3
 * (one; AWS service endpoints accept TLS 1.3, DynamoDB Developer Guide,
 * "Infrastructure security in Amazon DynamoDB"), then the request: three
 * round trips. A warm one reuses the keep-alive connection: one.
 */
import { readPlan } from "../core/read-plan";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../core/regions";
import { regionDistanceKm } from "../core/regions";

export const FIBRE_KM_PER_MS = 200;
export const ROUTE_FACTOR = 1.5;
export const IN_REGION_RTT_MS = 1;
export const DYNAMO_SERVICE_MS = 3;
/** Round trips of a lookup on a new connection: TCP, TLS 1.3, the request. */
export const COLD_ROUND_TRIPS = 3;

/** Goals per region, with replicas chosen by the model. */
export const WARM_GOAL_MS = 40;
export const COLD_GOAL_MS = 150;

/** Modelled round trip between two regions, ms. */
export function roundTripMs(from: string, to: string): number {
    return IN_REGION_RTT_MS + (2 * regionDistanceKm(from, to) * ROUTE_FACTOR) / FIBRE_KM_PER_MS;
}

export interface LookupModel {
    /** The copy read first. */
    copy: string;
    rttMs: number;
    warmMs: number;
    coldMs: number;
}

/** A lookup of a hash that copy holds, from `region`, reading as the edge's read plan says. */
export function modelLookup(region: string, home: string, replicas: readonly string[]): LookupModel {
    const plan = readPlan({ level: "required", tableRegion: home, replicaRegions: [...replicas] }, region);
    const copy = plan.replicas[0] ?? home;
    const rttMs = roundTripMs(region, copy);
    return { copy, rttMs, warmMs: rttMs + DYNAMO_SERVICE_MS, coldMs: COLD_ROUND_TRIPS * rttMs + DYNAMO_SERVICE_MS };
}

/**
 * A hash the nearest replica does not hold yet (or never will: unknown),
 * warm: the replica's miss, then home's consistent read.
 */
export function modelUnreplicatedWarmMs(region: string, home: string, replicas: readonly string[]): number {
    const first = modelLookup(region, home, replicas);
    if (first.copy === home) return first.warmMs;
    return first.warmMs + roundTripMs(region, home) + DYNAMO_SERVICE_MS;
}

export interface LayoutModel {
    home: string;
    replicas: string[];
    perRegion: { region: string; oneTable: LookupModel; replicated: LookupModel; unreplicatedWarmMs: number }[];
    /** Regions meeting both goals with these replicas. */
    meetingGoals: number;
}

export function modelLayout(home: string, replicas: readonly string[]): LayoutModel {
    const perRegion = REGIONAL_EDGE_CACHE_REGIONS.map((region) => ({
        region,
        oneTable: modelLookup(region, home, []),
        replicated: modelLookup(region, home, replicas),
        unreplicatedWarmMs: modelUnreplicatedWarmMs(region, home, replicas),
    }));
    const meetingGoals = perRegion.filter((r) => r.replicated.warmMs <= WARM_GOAL_MS && r.replicated.coldMs <= COLD_GOAL_MS).length;
    return { home, replicas: [...replicas], perRegion, meetingGoals };
}

/** All `k`-element subsets of `items`, in order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
    if (k === 0) return [[]];
    if (k > items.length) return [];
    const [first, ...rest] = items;
    return [...combinations(rest, k - 1).map((tail) => [first, ...tail]), ...combinations(rest, k)];
}

/**
 * The `count` replica regions (among the other regional-edge-cache
 * regions) the model likes best: most regions meeting both goals, then the
 * lowest worst cold lookup, then the lowest mean warm lookup.
 */
export function chooseReplicas(home: string, count: number): string[] {
    const candidates = REGIONAL_EDGE_CACHE_REGIONS.filter((region) => region !== home);
    let best: { replicas: string[]; score: [number, number, number] } | undefined;
    for (const replicas of combinations(candidates, count)) {
        const layout = modelLayout(home, replicas);
        const worstCold = Math.max(...layout.perRegion.map((r) => r.replicated.coldMs));
        const meanWarm = layout.perRegion.reduce((sum, r) => sum + r.replicated.warmMs, 0) / layout.perRegion.length;
        const score: [number, number, number] = [-layout.meetingGoals, worstCold, meanWarm];
        if (!best || score[0] < best.score[0] || (score[0] === best.score[0] && (score[1] < best.score[1] - 1e-9 || (Math.abs(score[1] - best.score[1]) <= 1e-9 && score[2] < best.score[2])))) {
            best = { replicas, score };
        }
    }
    return best ? best.replicas : [];
}

/** The fewest replicas with which the model meets both goals in every region, and which; undefined if none do. */
export function fewestReplicasForGoals(home: string): { count: number; replicas: string[] } | undefined {
    const candidates = REGIONAL_EDGE_CACHE_REGIONS.filter((region) => region !== home);
    for (let count = 0; count <= candidates.length; count += 1) {
        const replicas = chooseReplicas(home, count);
        if (modelLayout(home, replicas).meetingGoals === REGIONAL_EDGE_CACHE_REGIONS.length) return { count, replicas };
    }
    return undefined;
}

// ---------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------

/**
 * Public list prices, US East (N. Virginia) or CloudFront's "United States,
 * Mexico, and Canada", on-demand, no free tier, as published on:
 * - aws.amazon.com/cloudfront/pricing: HTTPS requests $0.0100 per 10,000;
 *   data transfer out to the internet, first 10 TB, $0.085 per GB;
 * - aws.amazon.com/lambda/pricing (Lambda@Edge): $0.60 per million
 *   requests, $0.00005001 per GB-second, billed per millisecond;
 * - aws.amazon.com/dynamodb/pricing/on-demand: $0.125 per million read
 *   request units, $0.625 per million write request units, and replicated
 *   writes at the same price as writes since 1 November 2024;
 * - aws.amazon.com/s3/pricing: S3 Standard GET $0.0004 per 1,000; data
 *   transfer out to the internet, first 10 TB, $0.09 per GB.
 * Looked up on 2026-12-01 in stored copies of public pages; not every
 * figure was on AWS's own stored page (the report says which came from
 * where). Prices in other regions and edge locations are higher (Asia,
 * South America), so these are the floor of each layout's cost.
 */
export const PRICES = {
    cloudfrontHttpsPerRequest: 0.01 / 10_000,
    cloudfrontPerGb: 0.085,
    lambdaEdgePerRequest: 0.6 / 1_000_000,
    lambdaEdgePerGbSecond: 0.00005001,
    dynamoPerReadUnit: 0.125 / 1_000_000,
    dynamoPerWriteUnit: 0.625 / 1_000_000,
    dynamoPerReplicatedWriteUnit: 0.625 / 1_000_000,
    s3PerGet: 0.0004 / 1_000,
    s3PerGb: 0.09,
} as const;

/** What the CDN model measured per view, and what each issued hash costs the issuer. */
export interface TrafficPerView {
    /** Share of views answered from the CDN cache. */
    hitRatio: number;
    /** Function runs on origin-request (lookups) per view. */
    lookups: number;
    /** Function runs on origin-response per view. */
    responseRuns: number;
    /** Table reads per view (eventually consistent, 0.5 RRU each). */
    reads: number;
    /** Origin (S3) fetches per view. */
    originFetches: number;
    /** Hashes issued per view. */
    issues: number;
}

/**
 * What the issuer writes per new hash (issuer/table.ts): the mapping and
 * the object's pointer item (two write units), one for the `s3_url` index,
 * and a consistent read of the pointer (one read unit). A replica receives
 * the two item writes as replicated writes and maintains its own index.
 */
export const ISSUE_WRITE_UNITS = 3;
export const ISSUE_READ_UNITS = 1;
export const REPLICATED_ITEM_WRITES = 2;
export const REPLICA_INDEX_WRITE_UNITS = 1;

export const FUNCTION_MEMORY_GB = 128 / 1024;
/** Modelled time of the handler's own work per run (the warm path measures well under 1 ms). */
export const HANDLER_COMPUTE_MS = 1;
/** Mean image size the data-transfer column assumes. */
export const IMAGE_BYTES = 200 * 1024;

export interface CostRow {
    layout: string;
    cloudfront: number;
    lambdaRequests: number;
    lambdaDuration: number;
    dynamoReads: number;
    dynamoWrites: number;
    s3Gets: number;
    /** Without data transfer. */
    total: number;
    dataTransfer: number;
}

/** Dollars per million views for one layout. `lookupMs`: the mean modelled lookup time of a function run. */
export function costPerMillionViews(
    layout: string,
    traffic: TrafficPerView,
    options: { lookupMs: number; replicas: number; redirect?: boolean },
): CostRow {
    const views = 1_000_000;
    const runs = traffic.lookups + traffic.responseRuns;
    const billedMs = traffic.lookups * Math.ceil(options.lookupMs + HANDLER_COMPUTE_MS) + traffic.responseRuns * HANDLER_COMPUTE_MS;
    const cloudfront = views * PRICES.cloudfrontHttpsPerRequest;
    const lambdaRequests = views * runs * PRICES.lambdaEdgePerRequest;
    const lambdaDuration = views * (billedMs / 1000) * FUNCTION_MEMORY_GB * PRICES.lambdaEdgePerGbSecond;
    const dynamoReads = views * (traffic.reads * 0.5 + traffic.issues * ISSUE_READ_UNITS) * PRICES.dynamoPerReadUnit;
    const dynamoWrites =
        views *
        traffic.issues *
        (ISSUE_WRITE_UNITS * PRICES.dynamoPerWriteUnit +
            options.replicas * (REPLICATED_ITEM_WRITES * PRICES.dynamoPerReplicatedWriteUnit + REPLICA_INDEX_WRITE_UNITS * PRICES.dynamoPerWriteUnit));
    const s3Gets = views * traffic.originFetches * PRICES.s3PerGet;
    const gb = IMAGE_BYTES / 1024 ** 3;
    // Redirect: CloudFront answers a 302 (a few hundred bytes, left out); the image comes from S3.
    const dataTransfer = views * gb * (options.redirect ? PRICES.s3PerGb : PRICES.cloudfrontPerGb);
    const total = cloudfront + lambdaRequests + lambdaDuration + dynamoReads + dynamoWrites + s3Gets;
    return { layout, cloudfront, lambdaRequests, lambdaDuration, dynamoReads, dynamoWrites, s3Gets, total, dataTransfer };
}
