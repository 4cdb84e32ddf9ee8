/**
 * The package entry: what another Pulumi project or an application gets from
 * `import { ... } from "secure-image-cdn"`.
 *
 * - `SecureImageCdn`, its args and the services table (infrastructure);
 * - the issuing library (`service/`), which never loads Pulumi at run time.
 */
export * from "./components/secure-image-cdn";
export * from "./components/args";
export * from "./components/services";
export * from "./service";
export * as contract from "./edge/contract";
