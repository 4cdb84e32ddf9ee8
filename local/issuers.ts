/**
 * The issuing library set up for the local stack: one `IssuerConfig` per
 * service (the same fields the component outputs, plus the local endpoints)
 * and an `ImageIssuer` on clients built from it, for the playground and the
 * seeding. The configs go into the state file, so the CLI builds the same.
 */
import { ImageIssuer } from "../issuer/issuer";
import { createClients, destroyClients, IssuerClients } from "../issuer/clients";
import type { IssuerConfig } from "../issuer/config";
import { issuerSettingsFor } from "../components/issuer-settings";
import type { LocalServicePlan } from "./plan";

export interface LocalIssuer {
    config: IssuerConfig;
    issuer: ImageIssuer;
    clients: IssuerClients;
}

export interface IssuerEndpoints {
    dynamodb: string;
    s3: string;
    cloudfront: string;
}

/** The issuer config the component would output for this service, at the local names, plus the local endpoints. */
export function localIssuerConfig(plan: LocalServicePlan, region: string, cdnBaseUrl: string, endpoints: IssuerEndpoints): IssuerConfig {
    const placement = { region, tableName: plan.tableName, bucket: plan.bucket, cdnBaseUrl, distributionId: plan.distributionId };
    return { ...issuerSettingsFor(plan.settings, placement), endpoints: { ...endpoints } };
}

export function createLocalIssuer(config: IssuerConfig): LocalIssuer {
    const clients = createClients(config);
    return { config, clients, issuer: new ImageIssuer(config, clients) };
}

export function closeLocalIssuer(local: LocalIssuer): void {
    destroyClients(local.clients);
}
