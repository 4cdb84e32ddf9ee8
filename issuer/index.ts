/**
 * The issuing library's public API (re-exported by the package entry).
 * Nothing here imports Pulumi.
 */
export { ImageIssuer } from "./issuer";
export type { IssuerOptions } from "./context";
export type { IssuedUrl, Inspection, MappingView, ImageDescription } from "./issue";
export type { MetadataReport } from "./image/prepare";
export type { Revocation, ObjectRevocation, InvalidationResult } from "./revoke";
export type { ObjectErasure, ErasureTiming } from "./erase";
export type { StoredVersion } from "./object-versions";
export { MAX_INVALIDATION_PATHS, MAX_WILDCARD_INVALIDATION_PATHS } from "../core/limits";
export type { UploadForm, UploadFormOptions, UploadOptions, UploadResult } from "./upload";
export type { VariantUrl } from "./variants";
export type { EagerWarming, WarmedVariant } from "./eager";
export type { PresetSummary, VariantFormat, VariantToken } from "../core/variants";
export type { SecurityLevel } from "../core/enums";
export type { IssuerConfig, IssuerSettings, IssuerPlacement, LoadIssuerConfigOptions, ConfigSource } from "./config";
export { validateIssuerConfig, loadIssuerConfig, findConfigSource, issuerConfigsFromOutputs, OUTPUTS_ENV_VAR, LOCAL_STACK_STATE_FILE } from "./config";
export type { IssuerClients, CreateClientsOptions } from "./clients";
export { createClients, destroyClients, LOCAL_ENDPOINT_CREDENTIALS } from "./clients";
export type { AllowedImageType, SniffedImage } from "./content";
export { ALLOWED_IMAGE_TYPES, sniffImage } from "./content";
export { objectPointerKey, OBJECT_POINTER_PREFIX } from "./table";
export type { IssuerErrorCode } from "./errors";
export {
    IssuerError,
    InvalidInputError,
    NotFoundError,
    ExpiredError,
    RefusedContentError,
    ThrottledError,
    ConflictError,
    UpstreamError,
    ConfigError,
    isIssuerError,
} from "./errors";
