/**
 * The AWS clients the issuer uses. The library takes them from its caller;
 * `createClients` builds a suitable set from an `IssuerConfig`.
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { EDGE_REGION } from "../core/limits";
import type { IssuerConfig } from "./config";

/** What the issuer talks to. A `DynamoDBDocumentClient` is accepted as well as a plain client. */
export interface IssuerClients {
    dynamo: DynamoDBClient | DynamoDBDocumentClient;
    s3: S3Client;
    cloudfront: CloudFrontClient;
}

/**
 * Dummy credentials used only for endpoints the config overrides (the local
 * stack's dynalite, s3rver and CloudFront emulator check no signatures, but
 * the SDK must sign with something). The local stack signs with these too
 * (local/aws.ts `LOCAL_CREDENTIALS`).
 */
export const LOCAL_ENDPOINT_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;


export interface CreateClientsOptions {
    /** Attempts per call, first included, with the SDK's standard retry strategy (exponential backoff with jitter). @default 4 */
    maxAttempts?: number;
    /**
     * Time allowed to get a connected socket, ms. The SDK counts time spent
     * queued for a free socket (50 per client) too, so a burst of calls needs
     * room here. @default 10000
     */
    connectionTimeoutMs?: number;
    /** Time a request may stay idle waiting for the response, ms. @default 15000 */
    requestTimeoutMs?: number;
}

/**
 * Clients for a config: against AWS with the default credential chain, or,
 * for each endpoint the config overrides (local stack), against that endpoint
 * with {@link LOCAL_ENDPOINT_CREDENTIALS} and, for S3, path-style addressing.
 * Call {@link destroyClients} when done to close their sockets.
 */
export function createClients(config: IssuerConfig, options: CreateClientsOptions = {}): IssuerClients {
    const common = {
        maxAttempts: options.maxAttempts ?? 4,
        retryMode: "standard",
        requestHandler: {
            connectionTimeout: options.connectionTimeoutMs ?? 10000,
            // An idle limit, as documented above. The handler's `requestTimeout`
            // only logs a warning unless `throwOnRequestTimeout` is set, so a
            // server that never answers would hang the caller for good.
            socketTimeout: options.requestTimeoutMs ?? 15000,
        },
    };
    const endpoints = config.endpoints ?? {};
    const local = (endpoint: string | undefined) => (endpoint ? { endpoint, credentials: LOCAL_ENDPOINT_CREDENTIALS } : {});
    return {
        dynamo: new DynamoDBClient({ ...common, region: config.region, ...local(endpoints.dynamodb) }),
        s3: new S3Client({ ...common, region: config.region, ...local(endpoints.s3), forcePathStyle: endpoints.s3 !== undefined }),
        cloudfront: new CloudFrontClient({ ...common, region: EDGE_REGION, ...local(endpoints.cloudfront) }),
    };
}

/** Closes the clients' connection pools. */
export function destroyClients(clients: IssuerClients): void {
    clients.dynamo.destroy();
    clients.s3.destroy();
    clients.cloudfront.destroy();
}
