/**
 * The local stack's parts started in-process for the security and
 * reliability tests: dynalite (LevelDB on disk, so it can be stopped and
 * started again with its data), s3rver (objects on disk), a counting and
 * fault-injecting proxy between the edge and DynamoDB, one CloudFront
 * emulator per service running the deployed edge code (`startServiceCdn`,
 * as `npm start` does), the CloudFront API for invalidations, and one
 * issuer per service talking to DynamoDB directly (its calls are not
 * counted as edge reads).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createMappingTable, localDynamoClient, LocalServer, LOCAL_REGION, startLocalDynamo, startLocalS3, useLocalEdgeCredentials } from "../../../local/aws";
import { startControlApi, ControlApiServer } from "../../../local/cloudfront/control-api";
import { closeLocalIssuer, createLocalIssuer, LocalIssuer, localIssuerConfig } from "../../../local/issuers";
import { localNames, LocalServicePlan, planLocalServices } from "../../../local/plan";
import { ServiceCdn, startServiceCdn } from "../../../local/service-cdn";
import { DynamoProxy, startDynamoProxy } from "./dynamo-proxy";

export interface WorldService {
    name: string;
    plan: LocalServicePlan;
    cdn: ServiceCdn;
    /** Port of the service's CDN on 127.0.0.1. */
    port: number;
    local: LocalIssuer;
}

export interface CdnWorld {
    region: string;
    root: string;
    proxy: DynamoProxy;
    services: WorldService[];
    service(name: string): WorldService;
    /** GetItem calls that reached the proxy (the edge's reads) so far. */
    edgeReads(): number;
    dynamoEndpoint(): string;
    s3Endpoint(): string;
    /** Stops dynalite (its data stays on disk). */
    stopDynamo(): Promise<void>;
    /** Starts dynalite again on the same port with the same data. */
    startDynamo(): Promise<void>;
    stopS3(): Promise<void>;
    startS3(): Promise<void>;
    /** Function failures and emulator faults reported by the CDNs. */
    faults: string[];
    close(): Promise<void>;
}

/**
 * The four guarded variants, one service each: required+origin (discussion),
 * required+redirect (chat), secured+origin (regulatory) and secured+redirect
 * (a second regulatory instance, renamed).
 */
export function guardedPlans(): LocalServicePlan[] {
    const plans = planLocalServices({ services: ["discussion", "chat", "regulatory"], overrides: { chat: { mode: "redirect" } } });
    const [securedRedirect] = planLocalServices({ services: ["regulatory"], overrides: { regulatory: { mode: "redirect" } } });
    const names = localNames("regulatory-redirect");
    return [...plans, { ...securedRedirect, name: "regulatory-redirect", bucket: names.bucket, tableName: names.tableName, distributionId: names.distributionId }];
}


export async function startCdnWorld(plans: LocalServicePlan[], region = LOCAL_REGION): Promise<CdnWorld> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sic-world-"));
    const dynamoDir = path.join(root, "dynamo");
    const s3Dir = path.join(root, "s3");
    const buckets = plans.map((plan) => plan.bucket);
    const faults: string[] = [];
    let dynamo: LocalServer | undefined;
    let s3: LocalServer | undefined;
    let proxy: DynamoProxy | undefined;
    let controlApi: ControlApiServer | undefined;
    const services: WorldService[] = [];
    const restoreCredentials = useLocalEdgeCredentials();

    const close = async () => {
        for (const service of services) {
            closeLocalIssuer(service.local);
            await service.cdn.server.close();
        }
        await controlApi?.close();
        await proxy?.close();
        await dynamo?.close();
        await s3?.close();
        fs.rmSync(root, { recursive: true, force: true });
        restoreCredentials();
    };

    try {
        dynamo = await startLocalDynamo({ dataDir: dynamoDir });
        s3 = await startLocalS3({ dataDir: s3Dir, buckets });
        const admin = localDynamoClient(dynamo.endpoint);
        try {
            for (const plan of plans) if (plan.tableName) await createMappingTable(admin, plan.tableName);
        } finally {
            admin.destroy();
        }
        proxy = await startDynamoProxy(dynamo.endpoint);
        const cdns: ServiceCdn[] = [];
        for (const plan of plans) {
            cdns.push(
                await startServiceCdn({ plan, region, endpoints: { dynamodb: proxy.endpoint, s3: s3.endpoint }, port: 0, log: (line) => faults.push(line) }),
            );
        }
        controlApi = await startControlApi({ distributions: cdns.map((cdn) => cdn.distribution), port: 0 });
        for (const cdn of cdns) {
            const config = localIssuerConfig(cdn.plan, region, cdn.server.baseUrl, { dynamodb: dynamo.endpoint, s3: s3.endpoint, cloudfront: controlApi.endpoint });
            services.push({ name: cdn.plan.name, plan: cdn.plan, cdn, port: cdn.server.port, local: createLocalIssuer(config) });
        }
    } catch (error) {
        await close();
        throw error;
    }

    if (!proxy || !dynamo || !s3) throw new Error("the world did not start");
    const counting = proxy;
    const dynamoPort = dynamo.port;
    const s3Port = s3.port;
    return {
        region,
        root,
        proxy: counting,
        services,
        service(name) {
            const found = services.find((service) => service.name === name);
            if (!found) throw new Error(`no service ${name} in this world (${services.map((s) => s.name).join(", ")})`);
            return found;
        },
        edgeReads: () => counting.calls("GetItem"),
        dynamoEndpoint: () => `http://127.0.0.1:${dynamoPort}`,
        s3Endpoint: () => `http://127.0.0.1:${s3Port}`,
        async stopDynamo() {
            await dynamo?.close();
            dynamo = undefined;
        },
        async startDynamo() {
            dynamo = await startLocalDynamo({ port: dynamoPort, dataDir: dynamoDir });
        },
        async stopS3() {
            await s3?.close();
            s3 = undefined;
        },
        async startS3() {
            s3 = await startLocalS3({ port: s3Port, dataDir: s3Dir, buckets });
        },
        faults,
        close,
    };
}
