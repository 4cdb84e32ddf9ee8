/**
 * The issuer tests' surroundings: real dynalite and s3rver on loopback (from
 * local/aws.ts, as the local stack uses them), the fault proxy in front of
 * dynalite, the CloudFront recorder, and a fresh table and bucket per
 * service so tests never see each other's items. `useWorld` gives a describe
 * block one world for its tests.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { randomBytes } from "crypto";
import { createMappingTable, LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient, LocalServer, startLocalDynamo, startLocalS3 } from "../../local/aws";
import { createClients, destroyClients, IssuerClients, IssuerConfig } from "../../issuer";
import type { CreateClientsOptions } from "../../issuer/clients";
import { ImageIssuer } from "../../issuer/issuer";
import type { IssuerOptions } from "../../issuer/context";
import { DynamoProxy, startDynamoProxy } from "../support/dynamo-proxy";
import { scanTable } from "../support/scan-table";
import { CloudFrontRecorder, startCloudFrontRecorder } from "./cloudfront-recorder";

export interface TestService {
    config: IssuerConfig;
    clients: IssuerClients;
    /** DynamoDB commands sent through `clients.dynamo`, in order (e.g. "GetItemCommand"). */
    commands: string[];
    issuer(options?: IssuerOptions): ImageIssuer;
    /**
     * An issuer for this service whose calls to the given endpoints go
     * elsewhere (a fault proxy, a closed port), on clients of its own with
     * `options`; `done` destroys them.
     */
    through(endpoints: IssuerConfig["endpoints"], options?: CreateClientsOptions): Redirected;
    /** Every item in the table (a Scan: fine for checking a test's table, never used by the library). */
    items(): Promise<Record<string, string | number>[]>;
    /** Every key in the bucket. */
    objectKeys(): Promise<string[]>;
    /** An object's bytes and Content-Type. */
    getObject(key: string): Promise<{ bytes: Buffer; contentType: string | undefined }>;
}

export interface Redirected {
    issuer: ImageIssuer;
    config: IssuerConfig;
    clients: IssuerClients;
    done(): void;
}

export interface World {
    dynamo: LocalServer;
    s3: LocalServer;
    /** A fault proxy in front of `dynamo`, for issuers made with `svc.through({ dynamodb: world.proxy.endpoint })`. */
    proxy: DynamoProxy;
    cloudfront: CloudFrontRecorder;
    admin: { dynamo: DynamoDBClient; s3: S3Client };
    newService(overrides?: Partial<IssuerConfig>): Promise<TestService>;
    close(): Promise<void>;
}

export const TEST_HASH_TTL_SECONDS = 30 * 24 * 60 * 60;

export async function startWorld(): Promise<World> {
    const [dynamo, s3, cloudfront] = await Promise.all([startLocalDynamo(), startLocalS3(), startCloudFrontRecorder()]);
    const proxy = await startDynamoProxy(dynamo.endpoint);
    const admin = {
        dynamo: localDynamoClient(dynamo.endpoint),
        s3: new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true }),
    };
    const made: IssuerClients[] = [];
    return {
        dynamo,
        s3,
        proxy,
        cloudfront,
        admin,
        async newService(overrides = {}) {
            const id = randomBytes(4).toString("hex");
            const config: IssuerConfig = {
                service: "chat",
                level: "required",
                region: LOCAL_REGION,
                tableName: `test-map-${id}`,
                bucket: `test-images-${id}`,
                cdnBaseUrl: "https://cdn.example.test",
                distributionId: "ETESTDIST1",
                hashTtlSeconds: TEST_HASH_TTL_SECONDS,
                uploadPrefix: "uploads/",
                maxUploadBytes: 1024 * 1024,
                endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint, cloudfront: cloudfront.endpoint },
                ...overrides,
            };
            if (config.tableName) await createMappingTable(admin.dynamo, config.tableName);
            await admin.s3.send(new CreateBucketCommand({ Bucket: config.bucket }));
            const clients = createClients(config, { maxAttempts: 2 });
            made.push(clients);
            const commands: string[] = [];
            (clients.dynamo as DynamoDBClient).middlewareStack.add(
                (next, context) => async (args) => {
                    commands.push(context.commandName ?? "unknown");
                    return next(args);
                },
                { step: "initialize", name: "testCommandCounter" },
            );
            return {
                config,
                clients,
                commands,
                issuer: (options) => new ImageIssuer(config, clients, options),
                through(endpoints, options) {
                    const redirected: IssuerConfig = { ...config, endpoints: { ...config.endpoints, ...endpoints } };
                    const own = createClients(redirected, options);
                    return { issuer: new ImageIssuer(redirected, own), config: redirected, clients: own, done: () => destroyClients(own) };
                },
                items: () => scanTable(admin.dynamo, config.tableName ?? ""),
                objectKeys: async () => {
                    const output = await admin.s3.send(new ListObjectsV2Command({ Bucket: config.bucket }));
                    return (output.Contents ?? []).map((o) => o.Key ?? "");
                },
                getObject: async (key) => {
                    const output = await admin.s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
                    return { bytes: Buffer.from(await output.Body!.transformToByteArray()), contentType: output.ContentType };
                },
            };
        },
        async close() {
            made.forEach(destroyClients);
            admin.dynamo.destroy();
            admin.s3.destroy();
            await proxy.close();
            await Promise.all([dynamo.close(), s3.close(), cloudfront.close()]);
        },
    };
}

/**
 * One {@link World} for the calling describe block: started before its
 * tests, closed after them; after each test the fault proxy passes
 * everything again and the recorder answers normally.
 */
export function useWorld(): World {
    let started: World | undefined;
    before(async function () {
        this.timeout(30_000);
        started = await startWorld();
    });
    afterEach(() => {
        started?.proxy.reset();
        if (started) started.cloudfront.failWith = undefined;
    });
    after(async () => {
        await started?.close();
        started = undefined;
    });
    const current = (): World => {
        if (!started) throw new Error("the world is used outside the tests of the describe block that asked for it");
        return started;
    };
    return {
        get dynamo() {
            return current().dynamo;
        },
        get s3() {
            return current().s3;
        },
        get proxy() {
            return current().proxy;
        },
        get cloudfront() {
            return current().cloudfront;
        },
        get admin() {
            return current().admin;
        },
        newService: (overrides) => current().newService(overrides),
        close: () => current().close(),
    };
}

/** Where the issuer tests' clocks start: 2026-01-01T00:00:00Z. */
export const TEST_START_MS = Date.UTC(2026, 0, 1);
