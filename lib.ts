/**
 * The package entry: what another Pulumi project gets from
 * `import { ... } from "secure-image-cdn"` (compiled, from dist/), and where
 * Pulumi starts reading the source when the package is used as a plugin
 * package from another language (package.json "main").
 *
 * A small, deliberate surface (api-report.md lists every name; a test keeps
 * it true):
 * - `SecureImageCdn`, its args and output types;
 * - the enums the args take;
 * - the services table and the step from a stack's config to its instances;
 * - `deployPolicies`, the IAM policy of the identity that deploys a stack.
 *
 * The issuing library has an entry of its own, `secure-image-cdn/issuer`,
 * which never loads Pulumi: application code that only issues URLs imports
 * that.
 */
export { SecureImageCdn, SECURE_IMAGE_CDN_TYPE } from "./components/secure-image-cdn";
export type { CdnIssuerConfig, SecureImageCdnChildren, SecureImageCdnOutputs, SecureImageCdnValues } from "./components/secure-image-cdn";
export type {
    AlarmArgs,
    CacheArgs,
    CdnAlarmOptions,
    CdnEdgeOptions,
    DeliveryArgs,
    DistributionArgs,
    EdgeArgs,
    LogArgs,
    SecureImageCdnArgs,
    ServiceArgs,
    TableArgs,
    UploadArgs,
} from "./components/args";
export { DeliveryMode, PriceClass, SecuredReads, SecurityLevel, TableEncryption } from "./core/enums";
export { planServices, SERVICE_CATALOG, SERVICE_NAMES } from "./components/services";
export type { PlannedService, ServiceEntry, ServiceName, ServiceOverrides, ServicesConfig } from "./components/services";
export { deployPolicies } from "./tools/deploy-policy/policy";
export type { DeployPolicyInput } from "./tools/deploy-policy/policy";
export type { PolicyDocument, PolicyStatement } from "./components/policies";
