/**
 * The stack: the services this stack's config names (default: discussion
 * and chat), one SecureImageCdn each, and what each exposes.
 *
 * Config (namespace `secure-image-cdn`, both optional):
 * - `services`: list of catalog names (components/services.ts);
 * - `overrides`: SecureImageCdn args by service name.
 */
import * as pulumi from "@pulumi/pulumi";
import { SecureImageCdn } from "./components/secure-image-cdn";
import { planServices } from "./components/services";

const config = new pulumi.Config();
const plan = planServices({
    services: config.getObject<unknown>("services"),
    overrides: config.getObject<unknown>("overrides"),
});

/** Per-service outputs, keyed by service name. */
export const services = Object.fromEntries(
    plan.map(({ name, args }) => {
        const cdn = new SecureImageCdn(name, args);
        return [
            name,
            {
                level: cdn.level,
                mode: cdn.mode,
                baseUrl: cdn.baseUrl,
                domainName: cdn.domainName,
                bucketName: cdn.bucketName,
                bucketArn: cdn.bucketArn,
                tableName: cdn.tableName,
                tableArn: cdn.tableArn,
                distributionId: cdn.distributionId,
                distributionArn: cdn.distributionArn,
                functionVersionArn: cdn.functionVersionArn,
                issuer: cdn.issuerConfig,
            },
        ];
    }),
);
