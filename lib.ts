/**
 * The package entry: what another Pulumi project or an application gets from
 * `import { ... } from "secure-image-cdn"`.
 *
 * - `SecureImageCdn`, its args and the services table (infrastructure);
 * - the issuing library (`issuer/`). Application code that only issues URLs
 *   imports `secure-image-cdn/issuer`, which never loads Pulumi.
 */
export * from "./components/secure-image-cdn";
export * from "./components/args";
export * from "./components/services";
export * from "./issuer";
export * as contract from "./edge/contract";
