/**
 * The CloudFront side of an instance: origin access control, cache policy,
 * response headers policy and the distribution itself. The plain functions
 * at the bottom compute the parts of the configuration that depend on the
 * settings, so they are tested without Pulumi.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { S3_ORIGIN_TIMEOUTS } from "../core/bounds";
import { edgeEventTypes, errorCachingSeconds } from "../core/edge-settings";
import type { DeliveryMode, GuardedLevel } from "../core/enums";
import type { EdgeEventType } from "../core/edge-settings";
import { checkedCertificateArn } from "./args/distribution";
import { childName } from "./names";
import type { ResolvedCdnSettings } from "./resolve-args";
import { resizerOrigin, variantCacheBehavior } from "./variant-routing";

/** The distribution's single origin. */
const ORIGIN_ID = "images";

/**
 * Content-Security-Policy for user uploads: nothing is loaded or run, an SVG
 * opened directly may show itself and its inline styles, and the document is
 * sandboxed (no scripts, no forms, an opaque origin).
 */
export const USER_CONTENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * S3 response headers that tell viewers nothing useful about the image.
 * (CloudFront refuses to remove its own `X-Amz-Cf-*` headers; these are S3's.)
 */
export const REMOVED_S3_HEADERS = [
    "x-amz-id-2",
    "x-amz-request-id",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-bucket-key-enabled",
    "x-amz-version-id",
] as const;

/**
 * Browser caching of `secured` images: every use goes back to CloudFront, so
 * the viewer-request check decides again (CloudFront's own cache is not
 * affected by response headers policies).
 */
export const SECURED_BROWSER_CACHE_CONTROL = "private, no-cache";

export interface CdnDistribution {
    oac: aws.cloudfront.OriginAccessControl;
    cachePolicy: aws.cloudfront.CachePolicy;
    headersPolicy: aws.cloudfront.ResponseHeadersPolicy;
    distribution: aws.cloudfront.Distribution;
}

export interface DistributionInputs {
    bucket: aws.s3.Bucket;
    /** `settings.aliases`, each checked once resolved (`checkedAliases`, args/distribution.ts). */
    aliases: pulumi.Input<string[]>;
    /** The numbered version (`qualifiedArn`) of the edge function; absent for `public`. */
    functionVersionArn?: pulumi.Input<string>;
    /** Resources that must exist before the distribution sends traffic to the edge. */
    dependsOn?: pulumi.Resource[];
    /** With variants: the resizer's function URL host, its OAC and (`required`) the viewer-request CloudFront Function (variant-routing.ts). */
    variants?: { originHost: pulumi.Input<string>; oacId: pulumi.Input<string>; acceptFunctionArn?: pulumi.Input<string> };
}

/** Creates the OAC, both policies and the distribution. */
export function createDistribution(
    name: string,
    settings: ResolvedCdnSettings,
    { bucket, aliases, functionVersionArn, dependsOn, variants }: DistributionInputs,
    parent: pulumi.Resource,
): CdnDistribution {
    const oac = new aws.cloudfront.OriginAccessControl(
        childName(name, "originAccessControl"),
        {
            description: `${settings.service} image CDN reads its private bucket`,
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        },
        { parent },
    );

    const cachePolicy = new aws.cloudfront.CachePolicy(
        childName(name, "cachePolicy"),
        {
            comment: `${settings.service} images: the path is the whole cache key`,
            minTtl: settings.minTtlSeconds,
            defaultTtl: settings.defaultTtlSeconds,
            maxTtl: settings.maxTtlSeconds,
            parametersInCacheKeyAndForwardedToOrigin: {
                cookiesConfig: { cookieBehavior: "none" },
                headersConfig: { headerBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
                // Images are already compressed and CloudFront compresses none
                // of the accepted types, so `Accept-Encoding` stays out of the
                // cache key: one entry (one lookup, one read, one S3 GET) per
                // image instead of one per encoding a viewer asks for.
                enableAcceptEncodingGzip: false,
                enableAcceptEncodingBrotli: false,
            },
        },
        { parent },
    );

    const headersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
        childName(name, "responseHeadersPolicy"),
        { comment: `${settings.service} images: user content, locked down`, ...responseHeaders(settings.level) },
        { parent },
    );

    if (functionVersionArn === undefined && settings.level !== "public") {
        throw new Error(`level "${settings.level}" needs the edge function's version ARN`);
    }
    const lambdaFunctionAssociations =
        settings.level === "public" || functionVersionArn === undefined
            ? []
            : lambdaAssociations(settings.level, settings.mode, functionVersionArn);

    const distribution = new aws.cloudfront.Distribution(
        childName(name, "distribution"),
        {
            enabled: true,
            comment: `${settings.service} images (${settings.level})`,
            origins: [
                {
                    originId: ORIGIN_ID,
                    // The REST endpoint of the bucket's region, never the website endpoint.
                    domainName: bucket.bucketRegionalDomainName,
                    originAccessControlId: oac.id,
                    s3OriginConfig: { originAccessIdentity: "" },
                    // Bounded, so a read can become a cached copy only within a known time
                    // after it: the invalidator's second invalidation waits that long (core/revocation.ts).
                    connectionAttempts: S3_ORIGIN_TIMEOUTS.connectionAttempts,
                    connectionTimeout: S3_ORIGIN_TIMEOUTS.connectionTimeoutSeconds,
                    responseCompletionTimeout: S3_ORIGIN_TIMEOUTS.responseCompletionTimeoutSeconds,
                },
                ...(variants ? [resizerOrigin(variants.originHost, variants.oacId)] : []),
            ],
            // Variants go to the resizer, through the very same gate as their original.
            ...(variants
                ? {
                      orderedCacheBehaviors: [
                          variantCacheBehavior({
                              cachePolicyId: cachePolicy.id,
                              responseHeadersPolicyId: headersPolicy.id,
                              lambdaFunctionAssociations,
                              acceptFunctionArn: variants.acceptFunctionArn,
                          }),
                      ],
                  }
                : {}),
            defaultCacheBehavior: {
                targetOriginId: ORIGIN_ID,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD"],
                cachedMethods: ["GET", "HEAD"],
                // CloudFront compresses only with the cache policy's encodings
                // on (CloudFront Developer Guide, "Serve compressed files"):
                // off there, off here.
                compress: false,
                // TTLs and forwarding come from the cache policy alone.
                cachePolicyId: cachePolicy.id,
                responseHeadersPolicyId: headersPolicy.id,
                lambdaFunctionAssociations,
            },
            customErrorResponses: errorResponses(settings.notFoundTtlSeconds),
            httpVersion: "http2and3",
            isIpv6Enabled: true,
            priceClass: settings.priceClass,
            aliases,
            viewerCertificate: viewerCertificate(settings),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            tags: settings.tags,
        },
        { parent, dependsOn },
    );
    return { oac, cachePolicy, headersPolicy, distribution };
}

/** One association per event the level and mode need, all to the same numbered version. */
export function lambdaAssociations(
    level: GuardedLevel,
    mode: DeliveryMode,
    functionVersionArn: pulumi.Input<string>,
): { eventType: EdgeEventType; lambdaArn: pulumi.Input<string>; includeBody: false }[] {
    return edgeEventTypes(level, mode).map((eventType) => ({ eventType, lambdaArn: functionVersionArn, includeBody: false }));
}

/**
 * How long CloudFront caches each error status: the same figures the edge
 * puts in its own error responses (core/edge-settings.ts), so neither outlives
 * the other, plus the statuses CloudFront always caches that only it or S3
 * produce (414 like a 404, 501 never).
 */
export function errorResponses(notFoundTtlSeconds: number): { errorCode: number; errorCachingMinTtl: number }[] {
    const seconds: Record<number, number> = {
        ...errorCachingSeconds({ notFoundTtlSeconds }),
        // CloudFront caches these too; the edge never answers them itself.
        414: notFoundTtlSeconds,
        501: 0,
    };
    return Object.entries(seconds)
        .map(([code, ttl]) => ({ errorCode: Number(code), errorCachingMinTtl: ttl }))
        .sort((a, b) => a.errorCode - b.errorCode);
}

/** The response headers policy body for a level. */
export function responseHeaders(level: ResolvedCdnSettings["level"]): Pick<
    aws.cloudfront.ResponseHeadersPolicyArgs,
    "securityHeadersConfig" | "customHeadersConfig" | "removeHeadersConfig"
> {
    return {
        securityHeadersConfig: {
            contentTypeOptions: { override: true },
            contentSecurityPolicy: { contentSecurityPolicy: USER_CONTENT_CSP, override: true },
            frameOptions: { frameOption: "DENY", override: true },
            // Hash URLs are capabilities: never leak one through a Referer.
            referrerPolicy: { referrerPolicy: "no-referrer", override: true },
            strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: false, preload: false, override: true },
        },
        customHeadersConfig:
            level === "secured" ? { items: [{ header: "Cache-Control", value: SECURED_BROWSER_CACHE_CONTROL, override: true }] } : undefined,
        removeHeadersConfig: { items: REMOVED_S3_HEADERS.map((header) => ({ header })) },
    };
}

/** The ACM certificate for aliases (SNI, TLS 1.2+), or CloudFront's own certificate. */
export function viewerCertificate(settings: Pick<ResolvedCdnSettings, "aliases" | "certificateArn">): aws.types.input.cloudfront.DistributionViewerCertificate {
    if (settings.aliases.length === 0 || settings.certificateArn === undefined) {
        return { cloudfrontDefaultCertificate: true };
    }
    return {
        acmCertificateArn: checkedCertificateArn(settings.certificateArn),
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
    };
}
