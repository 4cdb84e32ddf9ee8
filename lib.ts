/**
 * The package entry: what another Pulumi project or an application gets from
 * `import { ... } from "secure-image-cdn"` (compiled, from dist/), and where
 * Pulumi starts reading the source when the package is used as a plugin
 * package from another language (package.json "main").
 *
 * - `SecureImageCdn`, its args, their resolution and the services table
 *   (infrastructure), and `deployPolicies` (the IAM policy of the identity
 *   that deploys it, as managed policy documents that fit IAM's size limit;
 *   `deployPolicy` gives it as one document);
 * - the limits and defaults every part shares;
 * - the issuing library (`issuer/`). Application code that only issues URLs
 *   imports `secure-image-cdn/issuer`, which never loads Pulumi.
 */
export * from "./components/secure-image-cdn";
export * from "./components/args";
export * from "./components/resolve-args";
export * from "./components/services";
export { deployPolicies, deployPolicy, splitPolicy } from "./tools/deploy-policy/policy";
export type { DeployPolicyInput } from "./tools/deploy-policy/policy";
export { DEPLOY_PERMISSIONS } from "./tools/deploy-policy/permissions";
export type { Grant } from "./tools/deploy-policy/permissions";
export type { ScopeName } from "./tools/deploy-policy/scopes";
export * from "./core/limits";
export * from "./core/bounds";
export * from "./core/enums";
export { EDGE_REGIONS_BY_PRICE_CLASS, REGIONAL_EDGE_CACHE_REGIONS, edgeRegionsOf } from "./core/regions";
export * from "./issuer";
export * as contract from "./core/contract";
