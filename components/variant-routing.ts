/**
 * How the distribution reaches the resizer: an origin access control of
 * type `lambda` (always signing, SigV4), the resizer's function URL as a
 * second origin, an ordered cache behavior `/images/*\/*` in front of it
 * with the default behavior's cache policy, response headers policy,
 * methods and Lambda@Edge associations, and, at `required`, the
 * viewer-request CloudFront Function that negotiates the format
 * (edge/accept-function.ts).
 *
 * Where negotiation runs: at `required` the gate runs on origin-request,
 * after the cache lookup, so the format must already be in the URI when
 * CloudFront looks in its cache; a CloudFront Function on viewer-request
 * puts it there (a behavior may have a CloudFront Function on viewer events
 * and Lambda@Edge on origin events, never both kinds on one event:
 * CloudFront Developer Guide, "Differences between CloudFront Functions and
 * Lambda@Edge"). At `secured` the Lambda@Edge gate itself runs on
 * viewer-request and negotiates there, so no CloudFront Function is needed
 * and none could be added on that event.
 */
import * as aws from "./aws";
import type * as pulumi from "@pulumi/pulumi";
import { VARIANT_PATH_PATTERN } from "../core/variants";
import { CUSTOM_ORIGIN_RESPONSE_TIMEOUT_SECONDS } from "../core/limits";
import { ACCEPT_FUNCTION_RUNTIME, acceptFunctionSource } from "../edge/accept-function";
import { childName } from "./names";
import type { ResolvedVariantSettings } from "./resolve-args";

/** The variants' origin id in the distribution. */
export const RESIZER_ORIGIN_ID = "resizer";

export interface VariantRouting {
    oac: aws.cloudfront.OriginAccessControl;
    /** The viewer-request CloudFront Function (`required` only). */
    acceptFunction?: aws.cloudfront.Function;
}

/** Creates the `lambda` OAC and, at `required`, the published CloudFront Function. */
export function createVariantRouting(name: string, settings: ResolvedVariantSettings, parent: pulumi.Resource): VariantRouting {
    const oac = new aws.cloudfront.OriginAccessControl(
        childName(name, "resizerOriginAccessControl"),
        {
            description: `${settings.service} image CDN invokes its resizer's function URL`,
            originAccessControlOriginType: "lambda",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        },
        { parent },
    );
    if (settings.level !== "required") return { oac };
    const acceptFunction = new aws.cloudfront.Function(
        childName(name, "acceptFunction"),
        {
            runtime: ACCEPT_FUNCTION_RUNTIME,
            comment: `${settings.service} images: variant format from Accept`,
            code: acceptFunctionSource(settings.variants),
            // Associations take the published (LIVE) stage only.
            publish: true,
        },
        { parent },
    );
    return { oac, acceptFunction };
}

/** The resizer's function URL as a custom origin, reached over HTTPS only, through its OAC. */
export function resizerOrigin(host: pulumi.Input<string>, oacId: pulumi.Input<string>): aws.types.input.cloudfront.DistributionOrigin {
    return {
        originId: RESIZER_ORIGIN_ID,
        domainName: host,
        originAccessControlId: oacId,
        customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            // The resizer's timeout is at most this (args/resizer.ts).
            originReadTimeout: CUSTOM_ORIGIN_RESPONSE_TIMEOUT_SECONDS,
        },
    };
}

export interface VariantBehaviorInputs {
    cachePolicyId: pulumi.Input<string>;
    responseHeadersPolicyId: pulumi.Input<string>;
    /** The default behavior's Lambda@Edge associations, the same ones. */
    lambdaFunctionAssociations: aws.types.input.cloudfront.DistributionOrderedCacheBehaviorLambdaFunctionAssociation[];
    /** The viewer-request CloudFront Function's ARN (`required`). */
    acceptFunctionArn?: pulumi.Input<string>;
}

/**
 * The variants' cache behavior: the default behavior's settings (GET and
 * HEAD, the path-only cache key, the response headers, the gate), towards
 * the resizer, with the format negotiated first at `required`.
 */
export function variantCacheBehavior(inputs: VariantBehaviorInputs): aws.types.input.cloudfront.DistributionOrderedCacheBehavior {
    return {
        pathPattern: VARIANT_PATH_PATTERN,
        targetOriginId: RESIZER_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        compress: false,
        cachePolicyId: inputs.cachePolicyId,
        responseHeadersPolicyId: inputs.responseHeadersPolicyId,
        lambdaFunctionAssociations: inputs.lambdaFunctionAssociations,
        functionAssociations: inputs.acceptFunctionArn === undefined ? [] : [{ eventType: "viewer-request", functionArn: inputs.acceptFunctionArn }],
    };
}
