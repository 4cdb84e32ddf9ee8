/**
 * 4. The issuing library (issuer/) against dynalite in its own process:
 * URLs issued per second, one caller and many, and the cost of a reuse
 * (an object that already has an active hash) as the table grows.
 *
 * Every DynamoDB command the issuer's client sends is counted by a
 * middleware, so each figure comes with the operations behind it. The table
 * is filled by the issuer itself while that fits the time budget; beyond it,
 * with BatchWriteItem of the very items the issuer writes (a mapping and the
 * object's pointer, issuer/table.ts), checked by reusing some of them.
 * Sizes that would not fit the budget are reported as skipped.
 */
import { DynamoDBClient, WriteRequest } from "@aws-sdk/client-dynamodb";
import { formatS3Url, newHash } from "../core/contract";
import { createMappingTable, LOCAL_REGION, localDynamoClient } from "../local/aws";
import { createClients, destroyClients, IssuerConfig, objectPointerKey } from "../issuer";
import { ImageIssuer } from "../issuer/issuer";
import type { BenchOptions } from "./options";
import { GoalCheck, SectionResult, table } from "./report";
import { count, fixed, nowNs, seededRandom, summarize, Summary } from "./stats";
import { startDynaliteProcess } from "./support/dynalite";
import { BENCH_BUCKET } from "./support/settings";
import { writeBatches } from "./support/trace";

const HASH_TTL_SECONDS = 30 * 24 * 60 * 60;
const CONCURRENCY = 16;

interface CallStats {
    calls: number;
    latencyMs: Summary;
    perSecond: number;
    /** DynamoDB commands per call, by name. */
    opsPerCall: Record<string, number>;
}

interface SizePoint {
    size: number;
    /** How the table got there. */
    filledBy: string;
    reuse?: CallStats;
    /** Why the size was not measured. */
    skipped?: string;
}

function opsSummary(ops: Record<string, number>): string {
    const total = Object.values(ops).reduce((a, b) => a + b, 0);
    const parts = Object.entries(ops)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => `${fixed(value, value % 1 === 0 ? 0 : 2)} ${name.replace(/Command$/, "")}`);
    return `${fixed(total, total % 1 === 0 ? 0 : 2)} (${parts.join(", ")})`;
}

export async function runIssuer(options: BenchOptions, progress: (message: string) => void): Promise<SectionResult> {
    const { issuerIssues, issuerSizes, issuerLookups, issuerSeedBudgetSeconds } = options.sizes;
    const sizes = [...issuerSizes].sort((a, b) => a - b);
    const dynamo = await startDynaliteProcess();
    const admin = localDynamoClient(dynamo.endpoint);
    const tableName = "bench-issuer-mappings";
    const config: IssuerConfig = {
        service: "chat",
        level: "required",
        region: LOCAL_REGION,
        tableName,
        bucket: BENCH_BUCKET,
        cdnBaseUrl: "https://cdn.example.test",
        distributionId: "EBENCHDIST01",
        hashTtlSeconds: HASH_TTL_SECONDS,
        uploadPrefix: "uploads/",
        maxUploadBytes: 1024 * 1024,
        // S3 and CloudFront are never contacted by generateSecureUrl; the port is closed.
        endpoints: { dynamodb: dynamo.endpoint, s3: "http://127.0.0.1:9", cloudfront: "http://127.0.0.1:9" },
    };
    const clients = createClients(config, { maxAttempts: 2 });
    const commands = new Map<string, number>();
    (clients.dynamo as DynamoDBClient).middlewareStack.add(
        (next, context) => async (args) => {
            const name = context.commandName ?? "unknown";
            commands.set(name, (commands.get(name) ?? 0) + 1);
            return next(args);
        },
        { step: "initialize", name: "benchCommandCounter" },
    );
    const issuer = new ImageIssuer(config, clients);
    const random = seededRandom(options.seed);
    /** Objects with an active hash, and that hash. */
    const objects: { s3Url: string; hash: string }[] = [];
    let objectNumber = 0;
    const nextObject = () => formatS3Url(BENCH_BUCKET, `uploads/bench/${objectNumber++}.jpg`);

    /** Runs `calls` calls of `call`, `concurrency` at a time, and sums up time and commands. */
    async function measure(calls: number, concurrency: number, call: (i: number) => Promise<void>): Promise<CallStats> {
        commands.clear();
        const latency: number[] = [];
        let next = 0;
        const started = nowNs();
        await Promise.all(
            Array.from({ length: Math.min(concurrency, calls) }, async () => {
                while (next < calls) {
                    const i = next++;
                    const t0 = nowNs();
                    await call(i);
                    latency.push((nowNs() - t0) / 1e6);
                }
            }),
        );
        const elapsed = (nowNs() - started) / 1e9;
        const opsPerCall: Record<string, number> = {};
        for (const [name, value] of commands) opsPerCall[name] = value / Math.max(1, calls);
        return { calls, latencyMs: summarize(latency), perSecond: calls / elapsed, opsPerCall };
    }

    const issueNew = (calls: number, concurrency: number) =>
        measure(calls, concurrency, async () => {
            const s3Url = nextObject();
            const issued = await issuer.generateSecureUrl(s3Url);
            if (issued.reused) throw new Error(`a new object ${s3Url} came back as reused`);
            objects.push({ s3Url, hash: issued.hash });
        });
    const reuseOnce = async () => {
        const target = objects[Math.floor(random() * objects.length)];
        const issued = await issuer.generateSecureUrl(target.s3Url);
        if (!issued.reused || issued.hash !== target.hash) throw new Error(`object ${target.s3Url} was not reused (got ${issued.hash})`);
    };
    /** Times reuses after a few untimed ones (connections, JIT). */
    const reuseSome = async (calls: number) => {
        for (let i = 0; i < Math.min(50, calls); i++) await reuseOnce();
        return measure(calls, 1, reuseOnce);
    };

    /** Writes `n` objects' mapping and pointer items as the issuer would; returns items per second. */
    async function batchSeed(n: number): Promise<number> {
        const now = Math.floor(Date.now() / 1000);
        const expiresAt = now + HASH_TTL_SECONDS;
        const requests: WriteRequest[] = [];
        for (let i = 0; i < n; i++) {
            const s3Url = nextObject();
            const hash = newHash();
            objects.push({ s3Url, hash });
            requests.push(
                {
                    PutRequest: {
                        Item: {
                            hash: { S: hash },
                            s3_url: { S: s3Url },
                            created_at: { N: String(now) },
                            expires_at: { N: String(expiresAt) },
                            ttl: { N: String(expiresAt) },
                        },
                    },
                },
                { PutRequest: { Item: { hash: { S: objectPointerKey(s3Url) }, current: { S: hash }, expires_at: { N: String(expiresAt) }, ttl: { N: String(expiresAt) } } } },
            );
        }
        const batches: WriteRequest[][] = [];
        for (let i = 0; i < requests.length; i += 24) batches.push(requests.slice(i, i + 24));
        const started = Date.now();
        await writeBatches(admin, tableName, batches);
        return requests.length / Math.max(0.001, (Date.now() - started) / 1000);
    }

    try {
        await createMappingTable(admin, tableName);
        const seedingStarted = Date.now();
        const budgetLeft = () => issuerSeedBudgetSeconds - (Date.now() - seedingStarted) / 1000;
        const points: SizePoint[] = [];

        // The smallest size, by the issuer, one call at a time.
        const first = await issueNew(sizes[0], 1);
        points.push({ size: sizes[0], filledBy: "issuer", reuse: await reuseSome(issuerLookups) });
        progress(`${sizes[0]} mappings: reuse p50 ${fixed(points[0].reuse?.latencyMs.p50 ?? NaN, 2)} ms`);

        // Up to the second size by the issuer, one call at a time: the sequential issue rate.
        const sequentialCount = sizes.length > 1 ? sizes[1] - objects.length : issuerIssues;
        const sequential = await issueNew(sequentialCount, 1);
        progress(`issued ${count(sequentialCount)} URLs one at a time: ${fixed(sequential.perSecond, 0)}/s`);
        if (sizes.length > 1) {
            points.push({ size: sizes[1], filledBy: "issuer", reuse: await reuseSome(issuerLookups) });
            progress(`${count(sizes[1])} mappings: reuse p50 ${fixed(points[1].reuse?.latencyMs.p50 ?? NaN, 2)} ms`);
        }
        const concurrent = await issueNew(issuerIssues, CONCURRENCY);
        progress(`issued ${count(issuerIssues)} URLs, ${CONCURRENCY} at a time: ${fixed(concurrent.perSecond, 0)}/s`);
        const reuseRate = await reuseSome(issuerIssues);

        let batchItemsPerSecond: number | undefined;
        for (const size of sizes.slice(2)) {
            if (objects.length > size) {
                points.push({ size, filledBy: "—", skipped: `the rate measurements had already filled the table to ${count(objects.length)} mappings` });
                continue;
            }
            if (points.length > 0 && objects.length === size) {
                points.push({ size, filledBy: "issuer", reuse: await reuseSome(issuerLookups) });
                continue;
            }
            const missing = size - objects.length;
            if (batchItemsPerSecond === undefined && missing > 0) {
                // A first slice at the batch rate, to project the rest.
                batchItemsPerSecond = await batchSeed(Math.min(missing, 1000));
                progress(`seeding rate: ${fixed(batchItemsPerSecond, 0)} items/s by BatchWriteItem (2 items per mapping), ${fixed(concurrent.perSecond, 0)} mappings/s by the issuer`);
            }
            const stillMissing = size - objects.length;
            const mappingsPerSecond = Math.max(concurrent.perSecond, (batchItemsPerSecond ?? 0) / 2);
            const projected = stillMissing / mappingsPerSecond;
            if (projected > budgetLeft()) {
                points.push({
                    size,
                    filledBy: "—",
                    skipped: `filling ${count(stillMissing)} more mappings would take about ${fixed(projected, 0)} s at the measured ${fixed(mappingsPerSecond, 0)} mappings/s, past the ${issuerSeedBudgetSeconds} s budget (--seed-budget)`,
                });
                progress(`size ${count(size)} skipped: about ${fixed(projected, 0)} s of seeding needed`);
                continue;
            }
            let filledBy = "issuer";
            if (stillMissing > 0) {
                if (concurrent.perSecond >= (batchItemsPerSecond ?? 0) / 2) await issueNew(stillMissing, CONCURRENCY);
                else {
                    await batchSeed(stillMissing);
                    filledBy = "issuer, then BatchWriteItem of the issuer's items";
                }
            }
            points.push({ size, filledBy, reuse: await reuseSome(issuerLookups) });
            progress(`${count(size)} mappings: reuse p50 ${fixed(points[points.length - 1].reuse?.latencyMs.p50 ?? NaN, 2)} ms`);
        }

        const measured = points.filter((p) => p.reuse);
        const opsPerReuse = measured.map((p) => Object.values(p.reuse?.opsPerCall ?? {}).reduce((a, b) => a + b, 0));
        const flatOps = opsPerReuse.every((ops) => ops === opsPerReuse[0]);
        const largest = measured[measured.length - 1];
        const smallest = measured[0];
        const goals: GoalCheck[] = [
            {
                goal: `reuse cost flat from ${count(sizes[0])} to ${count(sizes[sizes.length - 1])} mappings`,
                measured:
                    `${fixed(opsPerReuse[0] ?? NaN, 0)} DynamoDB reads per reuse at every measured size; p50 ${fixed(smallest?.reuse?.latencyMs.p50 ?? NaN, 2)} ms at ${count(smallest?.size ?? 0)}, ` +
                    `${fixed(largest?.reuse?.latencyMs.p50 ?? NaN, 2)} ms at ${count(largest?.size ?? 0)}` +
                    (points.some((p) => p.skipped) ? `; not measured at ${points.filter((p) => p.skipped).map((p) => count(p.size)).join(", ")} (seeding time, see section 4)` : ""),
                met: flatOps && points.every((p) => !p.skipped),
            },
        ];
        const callRow = (label: string, stats: CallStats) => [
            label,
            count(stats.calls),
            fixed(stats.perSecond, 0),
            fixed(stats.latencyMs.p50, 2),
            fixed(stats.latencyMs.p90, 2),
            fixed(stats.latencyMs.p99, 2),
            opsSummary(stats.opsPerCall),
        ];
        const body = [
            "`ImageIssuer.generateSecureUrl` with the client `createClients` builds, against dynalite in its own process",
            "(over HTTP on 127.0.0.1, keep-alive). Every DynamoDB command the client sends is counted.",
            "",
            table(
                ["calls", "count", "per second", "p50 ms", "p90 ms", "p99 ms", "DynamoDB commands per call"],
                [
                    callRow("new URL, one caller", sequential),
                    callRow(`new URL, ${CONCURRENCY} callers`, concurrent),
                    callRow("reuse (object already has a hash), one caller", reuseRate),
                ],
            ),
            "",
            "### Reuse cost as the table grows",
            "",
            `${count(issuerLookups)} reuses of random objects at each size, one at a time. A reuse reads the object's pointer and the`,
            "mapping it names: two consistent GetItems by key, whatever the table holds (no scan, no query).",
            "",
            table(
                ["mappings in the table", "filled by", "reuse p50 ms", "p90 ms", "p99 ms", "DynamoDB commands per reuse"],
                points.map((p) =>
                    p.reuse
                        ? [count(p.size), p.filledBy, fixed(p.reuse.latencyMs.p50, 2), fixed(p.reuse.latencyMs.p90, 2), fixed(p.reuse.latencyMs.p99, 2), opsSummary(p.reuse.opsPerCall)]
                        : [count(p.size), "not measured", "—", "—", "—", p.skipped ?? ""],
                ),
            ),
            "",
            batchItemsPerSecond === undefined
                ? `Seeding: the issuer filled the table at ${fixed(concurrent.perSecond, 0)} mappings/s (${CONCURRENCY} callers).`
                : `Seeding rates measured here: the issuer ${fixed(concurrent.perSecond, 0)} mappings/s (${CONCURRENCY} callers, 3 commands each); BatchWriteItem ${fixed(batchItemsPerSecond, 0)} items/s, i.e. ${fixed(batchItemsPerSecond / 2, 0)} mappings/s (a mapping and a pointer each). dynalite is the bottleneck: it validates and stores every item in one Node.js process.`,
            `The ${count(first.calls)} first mappings were issued one at a time (${fixed(first.perSecond, 0)}/s).`,
        ].join("\n");

        return {
            name: "issuer",
            title: "4. Issuer against local DynamoDB (dynalite)",
            body,
            goals,
            figures: {
                issuesPerSecond: sequential.perSecond,
                issuesPerSecondConcurrent: concurrent.perSecond,
                reusesPerSecond: reuseRate.perSecond,
                opsPerNewIssue: Object.values(sequential.opsPerCall).reduce((a, b) => a + b, 0),
                opsPerReuse: opsPerReuse[0] ?? Number.NaN,
                smallestSizeReuseP50Ms: smallest?.reuse?.latencyMs.p50 ?? Number.NaN,
                largestMeasuredSize: largest?.size ?? 0,
                largestSizeReuseP50Ms: largest?.reuse?.latencyMs.p50 ?? Number.NaN,
                skippedSizes: points.filter((p) => p.skipped).length,
            },
        };
    } finally {
        destroyClients(clients);
        admin.destroy();
        await dynamo.close();
    }
}
