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

/** Per-service outputs, keyed by service name: each instance's `outputs()`, where the issuing library reads `issuer`. */
export const services = Object.fromEntries(plan.map(({ name, args }) => [name, new SecureImageCdn(name, args).outputs()]));
