/**
 * What the local stack runs for a stack config: for each service the
 * component would deploy (components/services.ts `planServices`, with the
 * args resolved by `resolveArgs`), the local names of its bucket, table and
 * distribution and the cache behaviour its distribution has (TTLs, error
 * caching, response headers, edge events). Pure: no servers here.
 */
import { isGuarded, ResolvedCdnSettings, resolveArgs } from "../components/resolve-args";
import { errorResponses, responseHeaders } from "../components/distribution";
import { edgeSettingsFor } from "../components/edge-settings";
import { bucketAccessPolicy, PolicyDocument } from "../components/policies";
import { planServices } from "../components/services";
import { edgeEventTypes, EdgeEventType, EdgeSettings } from "../core/edge-settings";
import { policyFromArgs } from "./cloudfront/policy-args";
import type { ResponseHeadersPolicy } from "./cloudfront/response-headers";
import type { CachePolicyTtls, ErrorCachingTtls } from "./cloudfront/ttl";

export interface LocalServicePlan {
    name: string;
    settings: ResolvedCdnSettings;
    /** Local bucket name (a deployed bucket gets a generated name). */
    bucket: string;
    /** Local table name; absent for `public`. */
    tableName?: string;
    /** Local distribution id: `ELOCAL` and the service name in capitals. */
    distributionId: string;
    /** `arn:aws:cloudfront::<local account>:distribution/<id>`, whom the bucket policy lets read. */
    distributionArn: string;
    /** The bucket policy the component would attach (components/policies.ts), which the local origin applies. */
    bucketPolicy: PolicyDocument;
    ttls: CachePolicyTtls;
    errorCachingTtls: ErrorCachingTtls;
    responseHeaders: ResponseHeadersPolicy;
    /** Events the edge function runs at; empty for `public`. */
    edgeEvents: EdgeEventType[];
}

/** The account id local ARNs name (no AWS account is involved). */
export const LOCAL_ACCOUNT_ID = "000000000000";

/** The ARN of a local bucket. */
export function localBucketArn(bucket: string): string {
    return `arn:aws:s3:::${bucket}`;
}

/** Local resource names for a service. */
export function localNames(service: string): { bucket: string; tableName: string; distributionId: string } {
    return {
        bucket: `local-${service}-images`,
        tableName: `local-${service}-mappings`,
        distributionId: `ELOCAL${service.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
    };
}

/**
 * The services of a stack config (`{ services?, overrides? }`, the values of
 * `secure-image-cdn:services` and `secure-image-cdn:overrides`). Throws the
 * component's own error for a bad config.
 */
export function planLocalServices(config: unknown): LocalServicePlan[] {
    return planServices(config).map(({ name, args }) => {
        const settings = resolveArgs(args);
        const names = localNames(name);
        const guarded = isGuarded(settings);
        const distributionArn = `arn:aws:cloudfront::${LOCAL_ACCOUNT_ID}:distribution/${names.distributionId}`;
        const errorCachingTtls: Record<number, number> = {};
        for (const { errorCode, errorCachingMinTtl } of errorResponses(settings.notFoundTtlSeconds)) errorCachingTtls[errorCode] = errorCachingMinTtl;
        return {
            name,
            settings,
            bucket: names.bucket,
            ...(guarded ? { tableName: names.tableName } : {}),
            distributionId: names.distributionId,
            distributionArn,
            bucketPolicy: bucketAccessPolicy({ bucketArn: localBucketArn(names.bucket), distributionArn, uploadPrefix: settings.uploadPrefix }),
            ttls: { minTtl: settings.minTtlSeconds, defaultTtl: settings.defaultTtlSeconds, maxTtl: settings.maxTtlSeconds },
            errorCachingTtls,
            responseHeaders: policyFromArgs(responseHeaders(settings.level)),
            edgeEvents: guarded ? edgeEventTypes(settings.level, settings.mode) : [],
        };
    });
}

export interface LocalEndpoints {
    /** The home table's DynamoDB. */
    dynamodb: string;
    s3: string;
    /** Each replica region's DynamoDB, when the tables are replicated (local/replication.ts). */
    dynamodbReplicas?: Record<string, string>;
    /** The replica regions of a service whose stack config names none (`npm start -- --replicas`). @default none */
    defaultReplicaRegions?: string[];
}

/**
 * The edge settings of a guarded service, pointed at the local DynamoDB and
 * S3. Its replicas: the service's `replicaRegions` from the stack config,
 * else `defaultReplicaRegions` (`npm start -- --replicas`), each pointed at
 * that region's local DynamoDB.
 */
export function localEdgeSettings(plan: LocalServicePlan, region: string, endpoints: LocalEndpoints): EdgeSettings | undefined {
    if (!isGuarded(plan.settings) || plan.tableName === undefined) return undefined;
    const settings = edgeSettingsFor(plan.settings, { tableName: plan.tableName, tableRegion: region, bucket: plan.bucket, bucketRegion: region });
    const local = endpoints.dynamodbReplicas ?? {};
    const regions = plan.settings.replicaRegions.length > 0 ? plan.settings.replicaRegions : (endpoints.defaultReplicaRegions ?? []);
    if (regions.length === 0) return { ...settings, endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3 } };
    const missing = regions.filter((replica) => local[replica] === undefined);
    if (missing.length > 0) throw new Error(`${plan.name}: no local DynamoDB for its replica region${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
    const dynamodbReplicas = Object.fromEntries(regions.map((replica) => [replica, local[replica]]));
    return { ...settings, replicaRegions: [...regions], endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, dynamodbReplicas } };
}
