/**
 * The enums every part shares. Each is an object of names and a type of the
 * same name: TypeScript callers write the value (`"required"`), and Pulumi's
 * schema (and so every language's SDK) gets an enum.
 */

/**
 * How strictly a service's images are guarded. An object of names and a
 * type of the same name: TypeScript callers write the value (`"required"`),
 * and Pulumi's schema (and so every language's SDK) gets an enum.
 */
export const SecurityLevel = {
    /** Objects are served by key: no table, no edge function. */
    Public: "public",
    /** Hash URLs, looked up at the edge on cache misses. */
    Required: "required",
    /** Hash URLs, checked at the edge on every request, cached or not. */
    Secured: "secured",
} as const;
export type SecurityLevel = (typeof SecurityLevel)[keyof typeof SecurityLevel];

/** Every security level, least to most guarded. */
export const SECURITY_LEVELS: readonly SecurityLevel[] = Object.values(SecurityLevel);

/** The levels that run an edge function and keep a table. */
export const GUARDED_LEVELS = ["required", "secured"] as const satisfies readonly SecurityLevel[];
export type GuardedLevel = (typeof GUARDED_LEVELS)[number];

/** How a valid hash is delivered (guarded levels only); an enum like SecurityLevel. */
export const DeliveryMode = {
    /** The edge rewrites the request to the object's key; CloudFront fetches it from the private bucket. */
    Origin: "origin",
    /** The edge answers 302 to a short-lived presigned S3 URL. */
    Redirect: "redirect",
} as const;
export type DeliveryMode = (typeof DeliveryMode)[keyof typeof DeliveryMode];

/** Every delivery mode. */
export const DELIVERY_MODES: readonly DeliveryMode[] = Object.values(DeliveryMode);

/** The delivery mode unless `mode` says otherwise; the issuer assumes it for a service whose config does not record one. */
export const DEFAULT_DELIVERY_MODE: DeliveryMode = "origin";

/**
 * Where `secured` lookups read (an enum like SecurityLevel: a value for
 * TypeScript callers, an enum in Pulumi's schema).
 */
export const SecuredReads = {
    /** The home table, one consistent read: a revoked hash stops on the next request. */
    Home: "home",
    /** The nearest copy, like `required`: a revoked hash may be served until the delete has replicated. */
    Nearest: "nearest",
} as const;
export type SecuredReads = (typeof SecuredReads)[keyof typeof SecuredReads];

/** Every value of {@link SecuredReads}. */
export const SECURED_READS: readonly SecuredReads[] = Object.values(SecuredReads);

/**
 * CloudFront price classes: which edge locations serve a distribution
 * (CloudFront Developer Guide, "Choose the price class for a CloudFront
 * distribution").
 */
export const PriceClass = {
    /** North America, Europe and Israel. */
    PriceClass100: "PriceClass_100",
    /** PriceClass_100 plus most of Asia, the Middle East and Africa (not South America or Australia). */
    PriceClass200: "PriceClass_200",
    /** Every edge location. */
    PriceClassAll: "PriceClass_All",
} as const;
export type PriceClass = (typeof PriceClass)[keyof typeof PriceClass];

/** Every price class, cheapest first. */
export const PRICE_CLASSES: readonly PriceClass[] = Object.values(PriceClass);

/** How the mapping table is encrypted at rest. */
export const TableEncryption = {
    /** DynamoDB's AWS-owned key: no KMS key in the account, no KMS charge. */
    AwsOwned: "aws-owned",
    /** The account's AWS-managed DynamoDB key (`aws/dynamodb`): key use is visible in CloudTrail; AWS KMS bills its requests. */
    AwsManagedKms: "aws-managed-kms",
    /** A customer-managed KMS key (`tableKmsKeyArn`): you control its policy and rotation; AWS KMS bills the key and its requests. */
    CustomerManagedKms: "customer-managed-kms",
} as const;
export type TableEncryption = (typeof TableEncryption)[keyof typeof TableEncryption];

/** Every table encryption, in declaration order. */
export const TABLE_ENCRYPTIONS: readonly TableEncryption[] = Object.values(TableEncryption);

/**
 * Output formats a variant preset may allow (an enum like SecurityLevel),
 * in the order sharp names them.
 */
export const VariantFormat = {
    /** AV1 in HEIF: the smallest output; negotiated when the browser names `image/avif`. */
    Avif: "avif",
    /** WebP: negotiated when the browser names `image/webp`. */
    Webp: "webp",
    /** JPEG: what every browser shows; asked for by extension only. */
    Jpeg: "jpeg",
    /** PNG: lossless; asked for by extension only. */
    Png: "png",
} as const;
export type VariantFormat = (typeof VariantFormat)[keyof typeof VariantFormat];

/** How a variant fits its preset's box (an enum like SecurityLevel). */
export const VariantFit = {
    /** Fills the box, cropping around the centre. */
    Cover: "cover",
    /** Fits within the box, keeping the whole image. */
    Inside: "inside",
} as const;
export type VariantFit = (typeof VariantFit)[keyof typeof VariantFit];
