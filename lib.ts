/**
 * The package entry: what another Pulumi project or an application gets from
 * `import { ... } from "secure-image-cdn"` (compiled, from dist/), and where
 * Pulumi starts reading the source when the package is used as a plugin
 * package from another language (package.json "main").
 *
 * - `SecureImageCdn`, its args, their resolution and the services table
 *   (infrastructure); the IAM policy of the identity that deploys it is a
 *   tool's, exported as `secure-image-cdn/deploy-policy`
 *   (tools/deploy-policy/index.ts);
 * - the limits and defaults every part shares;
 * - the issuing library (`issuer/`). Application code that only issues URLs
 *   imports `secure-image-cdn/issuer`, which never loads Pulumi.
 */
export * from "./components/secure-image-cdn";
export * from "./components/args";
export * from "./components/resolve-args";
export * from "./components/services";
export * from "./core/limits";
export * from "./core/bounds";
export * from "./core/enums";
export { EDGE_REGIONS_BY_PRICE_CLASS, REGIONAL_EDGE_CACHE_REGIONS, edgeRegionsOf } from "./core/regions";
export * from "./issuer";
export * as contract from "./core/contract";
