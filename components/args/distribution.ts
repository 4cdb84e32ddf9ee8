/**
 * How viewers reach the instance: its custom domains (`aliases`, with
 * `certificateArn`), where CloudFront serves it from (`priceClass`) and
 * whether CloudFront publishes its additional metrics (`additionalMetrics`).
 *
 * The aliases and the certificate often come from other resources of the
 * program: a plain value is checked before anything is created, an Output
 * when it resolves, by the same check and with the same message.
 */
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../../core/limits";
import { PRICE_CLASSES } from "../../core/enums";
import type { PriceClass } from "../../core/enums";
import { boolean, fieldList, inputList, isOutputLike, noDuplicates, oneOf } from "./checks";

/** The distribution's domains, price class and metrics. */
export interface DistributionArgs {
    /**
     * Custom domain names of the distribution, plain or Outputs; requires
     * `certificateArn`. The first one is the instance's `domainName`.
     * @default [] (the distribution's cloudfront.net domain)
     * @example ["images.example.com"]
     */
    aliases?: pulumi.Input<string>[];
    /**
     * ACM certificate for `aliases`, plain or an Output (`certificate.arn`);
     * must be in us-east-1.
     * @default none (CloudFront's own certificate, for the cloudfront.net domain)
     * @example "arn:aws:acm:us-east-1:123456789012:certificate/0d4e…"
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * Which edge locations serve the distribution.
     * @default "PriceClass_100" (North America, Europe, Israel)
     * @example "PriceClass_All"
     */
    priceClass?: PriceClass;
    /**
     * CloudFront's additional metrics for the distribution (cache hit rate,
     * origin latency, error rates by status code), which the dashboard and
     * operators read. Billed per metric: up to 8 per distribution.
     * @default true
     * @example false
     */
    additionalMetrics?: boolean;
}

/** The defaults of {@link DistributionArgs}. */
export const DISTRIBUTION_DEFAULTS = { aliases: [], priceClass: "PriceClass_100", additionalMetrics: true } as const;

/** The fields of {@link DistributionArgs}. */
export const DISTRIBUTION_FIELDS = fieldList<DistributionArgs>()(["aliases", "certificateArn", "priceClass", "additionalMetrics"]);

/** The fields that may be an Output themselves (passed straight to AWS). */
export const DISTRIBUTION_INPUTS = ["certificateArn"] as const satisfies readonly (keyof DistributionArgs)[];

/** {@link DistributionArgs} resolved. */
export interface ResolvedDistribution {
    /** Plain aliases are checked; Output ones are checked when they resolve ({@link checkedAliases}). */
    aliases: pulumi.Input<string>[];
    certificateArn?: pulumi.Input<string>;
    priceClass: PriceClass;
    /** CloudFront's additional metrics (a monitoring subscription) on. */
    additionalMetrics: boolean;
}

/** The aliases with their certificate (both or neither), the price class and the metrics switch, checked. */
export function resolveDistribution(args: DistributionArgs): ResolvedDistribution {
    const aliases = inputList(args.aliases ?? DISTRIBUTION_DEFAULTS.aliases, "aliases");
    checkAliasList(aliases.filter((alias) => !isOutputLike(alias)));
    const certificateArn = args.certificateArn;
    if (aliases.length > 0 && certificateArn === undefined) {
        throw new Error(`aliases need certificateArn: an ACM certificate in ${EDGE_REGION} covering them`);
    }
    if (aliases.length === 0 && certificateArn !== undefined) {
        throw new Error("certificateArn is set but aliases is empty: the distribution would not use it");
    }
    if (typeof certificateArn === "string" || (certificateArn !== undefined && !isOutputLike(certificateArn))) {
        validateCertificateArn(certificateArn);
    }
    const priceClass = oneOf(args.priceClass ?? DISTRIBUTION_DEFAULTS.priceClass, PRICE_CLASSES, "priceClass");
    const additionalMetrics = boolean(args.additionalMetrics ?? DISTRIBUTION_DEFAULTS.additionalMetrics, "additionalMetrics");
    return { aliases, certificateArn, priceClass, additionalMetrics };
}

/**
 * Checks an ACM certificate ARN for CloudFront: it must be in us-east-1.
 * Used on plain strings up front and on Outputs when they resolve.
 */
export function validateCertificateArn(arn: unknown): string {
    const match = typeof arn === "string" ? /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(arn) : null;
    if (!match) {
        throw new Error(`certificateArn must be an ACM certificate ARN (got ${JSON.stringify(arn)})`);
    }
    if (match[1] !== EDGE_REGION) {
        throw new Error(`certificateArn must be a certificate in ${EDGE_REGION}, where CloudFront reads certificates (got one in ${match[1]})`);
    }
    return arn as string;
}

/** A custom domain name of the distribution (a value of `aliases`), plain or once its Output resolves. */
export function checkAlias(alias: unknown): string {
    if (typeof alias !== "string" || !/^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(alias)) {
        throw new Error(`aliases must be lowercase domain names (got ${JSON.stringify(alias)})`);
    }
    return alias;
}

/** Every alias checked, and none twice: the plain ones up front, all of them once every Output has resolved. */
export function checkAliasList(aliases: readonly unknown[]): string[] {
    const checked = aliases.map(checkAlias);
    noDuplicates(checked, "aliases");
    return checked;
}

/**
 * The aliases once every one has resolved, each checked and none twice: an
 * input of the distribution, so a bad one fails its registration.
 */
export function checkedAliases(aliases: readonly pulumi.Input<string>[]): pulumi.Output<string[]> {
    return pulumi.all([...aliases]).apply((resolved) => checkAliasList(resolved));
}

/** The certificate ARN, checked (us-east-1, ACM) when it resolves. */
export function checkedCertificateArn(arn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(arn).apply(validateCertificateArn);
}
