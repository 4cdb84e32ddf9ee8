/**
 * The local stack (`startLocalStack`, as `npm start` assembles it) for the
 * security and reliability tests: in a temporary data folder, on free ports,
 * with a counting and fault-injecting proxy between the edge functions and
 * DynamoDB. The issuers talk to DynamoDB directly, so their calls are not
 * counted as edge reads. DynamoDB and S3 can be stopped and started again
 * with their data.
 */
import { localNames, LocalServicePlan, planLocalServices } from "../../../local/plan";
import type { LocalStack, RunningService } from "../../../local/stack";
import { startTestStack } from "../../support/local-stack";
import { DynamoProxy, startDynamoProxy } from "../../support/dynamo-proxy";

export interface WorldService extends RunningService {
    /** Port of the service's CDN on 127.0.0.1. */
    port: number;
}

export interface CdnWorld {
    stack: LocalStack;
    /** Between the edge functions and DynamoDB. */
    proxy: DynamoProxy;
    services: WorldService[];
    service(name: string): WorldService;
    /** GetItem calls that reached the proxy (the edge's reads) so far. */
    edgeReads(): number;
    s3Endpoint(): string;
    /** Stops DynamoDB (its data stays on disk). */
    stopDynamo(): Promise<void>;
    /** Starts DynamoDB again on the same port with the same data. */
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

export async function startCdnWorld(plans: LocalServicePlan[]): Promise<CdnWorld> {
    const faults: string[] = [];
    let proxy: DynamoProxy | undefined;
    let stack: LocalStack | undefined;
    const close = async () => {
        await stack?.close();
        await proxy?.close();
    };
    try {
        stack = await startTestStack({
            services: {},
            log: (line) => faults.push(line),
            hooks: {
                plans: () => plans,
                edgeEndpoints: async (servers) => {
                    proxy = await startDynamoProxy(servers.dynamodb);
                    return { ...servers, dynamodb: proxy.endpoint };
                },
            },
        });
    } catch (error) {
        await close();
        throw error;
    }
    if (!proxy) throw new Error("the edge endpoints hook did not run");
    const counting = proxy;
    const { servers } = stack;
    const services: WorldService[] = stack.services.map((service) => ({ ...service, port: service.cdn.server.port }));
    return {
        stack,
        proxy: counting,
        services,
        service(name) {
            const found = services.find((service) => service.name === name);
            if (!found) throw new Error(`no service ${name} in this world (${services.map((s) => s.name).join(", ")})`);
            return found;
        },
        edgeReads: () => counting.calls("GetItem"),
        s3Endpoint: () => servers.s3.endpoint,
        stopDynamo: () => servers.dynamo.stop(),
        startDynamo: () => servers.dynamo.start(),
        stopS3: () => servers.s3.stop(),
        startS3: () => servers.s3.start(),
        faults,
        close,
    };
}
