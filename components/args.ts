/**
 * The arguments of {@link SecureImageCdn}: what each one is for, its default
 * and an example. Their defaults live in `CDN_DEFAULTS` (core/defaults.ts) and
 * their checks in resolve-args.ts; a test keeps the `@default` tags below,
 * `CDN_DEFAULTS` and the documentation's args table in agreement.
 *
 * Two kinds of args:
 * - Plain values decide which resources exist and how they are wired (the
 *   level and mode, the regions that get an alarm, the TTLs, the price
 *   class, the switches). Deciding those after `pulumi up` has started
 *   would turn a typo into a half-created stack, so they are checked
 *   before anything is registered.
 * - Values passed through to AWS accept a `pulumi.Input`: alarm action
 *   ARNs, tag values, aliases, the certificate ARN and the table's KMS key
 *   ARN, which often come
 *   from other resources of the same program. A plain value is checked up
 *   front; an Output is checked with the same check, and the same message,
 *   when it resolves, and a bad one fails the deployment. The lists
 *   themselves are plain: how many aliases or actions there are is known
 *   when the program runs.
 *
 * Written for Pulumi's schema inference as well as for TypeScript: no union
 * or intersection types (an enum is an `as const` object with a type of the
 * same name), and the JSDoc of each field becomes its description in every
 * language's SDK.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PriceClass, TableEncryption } from "../core/enums";
import type { SecuredReads } from "../core/enums";
import type { DeliveryMode, SecurityLevel } from "../core/enums";

/** Alarms on the CDN and its edge function. */
export interface CdnAlarmOptions {
    /**
     * Create the alarms at all. With `false`, `actions` and `email` must be empty.
     * @default true
     */
    enabled?: boolean;
    /**
     * SNS topic ARNs notified when an alarm fires (and when it recovers),
     * plain or Outputs (`topic.arn`). CloudWatch alarms notify topics of
     * their own region, so each alarm gets the topics of its region: a topic
     * in us-east-1 for the CloudFront alarm (and the us-east-1 edge alarm),
     * topics in the other `edgeRegions` for their edge alarms. A topic in a
     * region without an alarm is refused (an Output one when it resolves).
     * @default []
     * @example ["arn:aws:sns:us-east-1:123456789012:oncall"]
     */
    actions?: pulumi.Input<string>[];
    /**
     * Email addresses subscribed to the alarm topics the component creates
     * when `actions` is empty: one topic per region with alarms, so each
     * address gets one confirmation mail per region, and receives nothing
     * until it confirms. Not with `actions` (subscribe your own topics).
     * @default []
     * @example ["oncall@example.com"]
     */
    email?: string[];
    /**
     * Regions that get the Lambda@Edge alarms (duration, errors, throttles)
     * and a dashboard row. Edge metrics exist only in the regions where the
     * function ran: by default every region whose regional edge cache serves
     * `priceClass`.
     * @default ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"] (PriceClass_100's regions; another price class defaults to its own)
     * @example ["us-east-1", "eu-west-1", "ap-southeast-1"]
     */
    edgeRegions?: string[];
    /**
     * The CloudFront `5xxErrorRate` (percent of all requests) above which the
     * error alarm fires, averaged over 5 minutes.
     * @default 5
     */
    errorRatePercent?: number;
    /**
     * The average Lambda@Edge duration (milliseconds) above which a duration
     * alarm fires, over 5 minutes.
     * @default 500
     */
    durationMs?: number;
    /**
     * Fewest requests (CloudFront) or invocations (the edge, per region) in
     * a 5-minute period for the error-rate and duration alarms to judge it;
     * a quieter period counts as fine, so a handful of requests cannot set
     * them off. 1 judges every period.
     * @default 100
     * @example 20
     */
    minRequests?: number;
    /**
     * The average replication lag (milliseconds) from the home table to a
     * replica above which that replica's `ReplicationLatency` alarm fires,
     * over 5 minutes (tables with `replicaRegions` only). It bounds how long
     * a revoked hash may still be read from a replica at `required`.
     * @default 10000
     */
    replicationLatencyMs?: number;
}

/** Knobs of the edge function; the defaults suit both guarded levels. */
export interface CdnEdgeOptions {
    /**
     * Function timeout, seconds. A viewer-request trigger (`secured`) may not
     * exceed 5; origin triggers (`required`) may not exceed 30.
     * @default 5
     */
    timeoutSeconds?: number;
    /**
     * Function memory, MB. Viewer-request triggers (`secured`) require exactly 128.
     * @default 128
     * @example 256
     */
    memorySizeMb?: number;
    /**
     * Time budget of one DynamoDB lookup, retries included, milliseconds.
     * Must leave at least 1 s of `timeoutSeconds`; 100 to 25000.
     * @default 3000
     */
    lookupTimeoutMs?: number;
    /**
     * Entries a warm function instance keeps in its in-memory lookup cache
     * (about 0.4 KB each: 10,000 take ~4 MB of the function's 128 MB).
     * On the benchmark's Zipf trace over 10,000 hashes, 10,000 entries (and
     * 5,000) answered every repeat lookup but those of hashes that had
     * expired (docs/BENCHMARKS.md, "Reads spared by the memo").
     * @default 10000
     */
    memoMaxEntries?: number;
    /**
     * How long a looked-up mapping may be reused from that cache, seconds
     * (never past the hash's own expiry). It delays the effect of revoking a
     * hash by at most this long. `secured` defaults to 0 so that a revoked
     * hash stops working on the very next request.
     * @default 60 for `required`, 0 for `secured`
     */
    memoTtlSeconds?: number;
    /**
     * `secured` only, with `replicaRegions`: where lookups read.
     * - `home`: the home table, one consistent read, wherever the function
     *   runs: a revoked hash stops working on the very next request.
     * - `nearest`: the nearest copy, like `required`: faster far from home,
     *   but a revoked hash may still be served until the delete has been
     *   replicated (the replication lag, typically under a second).
     * @default "home"
     */
    securedReads?: SecuredReads;
}

/** The arguments of a SecureImageCdn instance. */
export interface SecureImageCdnArgs {
    /**
     * Name of the service whose images this CDN serves; used in tags, log
     * lines and the issuer settings. 1-40 lowercase letters, digits and
     * single hyphens, starting with a letter.
     * @example "discussion"
     */
    service: string;
    /**
     * How strictly images are guarded.
     * - `public`: objects are served by key; no table, no edge function.
     * - `required`: hash URLs, looked up at the edge on cache misses.
     * - `secured`: hash URLs, checked at the edge on every request, so an
     *   expired or revoked hash stops working even for cached bytes.
     * @default "required"
     */
    level?: SecurityLevel;
    /**
     * How a valid hash is delivered (guarded levels only).
     * - `origin`: the edge rewrites the request to the object's key and
     *   CloudFront fetches it from the private bucket (bytes cached at the edge).
     * - `redirect`: the edge answers 302 to a short-lived presigned S3 URL.
     * @default "origin"
     */
    mode?: DeliveryMode;
    /**
     * Lifetime of an issued hash, seconds (guarded levels only); 60 s to one year.
     * @default 2592000 (30 days)
     * @example 86400
     */
    hashTtlSeconds?: number;
    /**
     * Validity of the presigned S3 URL a redirect points to, seconds
     * (`redirect` mode only); after a revocation the object can still be
     * fetched for at most this long. At most 600: the edge signs with its
     * role's temporary credentials, and a presigned URL dies when they expire
     * (see `MAX_SIGNED_URL_TTL_SECONDS` in core/bounds.ts). Shorter than
     * `hashTtlSeconds`.
     * @default 300
     * @example 120
     */
    signedUrlTtlSeconds?: number;
    /**
     * Cache policy minimum TTL, seconds. Guarded levels require 0: with a
     * positive minimum CloudFront caches responses that say `no-store`,
     * which would outlive expired hashes and presigned URLs.
     * @default 0
     */
    minTtlSeconds?: number;
    /**
     * Cache policy default TTL, seconds: how long CloudFront caches an image
     * whose response says nothing about caching.
     * @default 86400 (1 day)
     */
    defaultTtlSeconds?: number;
    /**
     * Cache policy maximum TTL, seconds. The edge further bounds each image
     * by its hash's remaining life.
     * @default 2592000 (30 days)
     */
    maxTtlSeconds?: number;
    /**
     * How long a 404 (unknown hash or missing object) may be cached, seconds; 0 to 3600.
     * @default 10
     */
    notFoundTtlSeconds?: number;
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
     * Tags added to every taggable child (besides a `secure-image-cdn:service`
     * tag). Keys are plain; values may be Outputs of other resources.
     * @default {}
     * @example { team: "media", "cost-center": "42" }
     */
    tags?: { [key: string]: pulumi.Input<string> };
    /**
     * Guard the stateful children: `protect` on the bucket and the table,
     * DynamoDB deletion protection, and no `forceDestroy` on the bucket.
     * Set `false` only for throwaway stacks: `pulumi destroy` then deletes
     * every image and every issued link.
     * @default true
     */
    protectData?: boolean;
    /**
     * CloudWatch alarms: the CloudFront 5xx error rate, and the Lambda@Edge
     * duration, errors and throttles in each of `edgeRegions`, notifying
     * `actions` or the topics the component creates.
     * @default {} (each field at its own default)
     * @example { email: ["oncall@example.com"] }
     */
    alarms?: CdnAlarmOptions;
    /**
     * CloudFront's additional metrics for the distribution (cache hit rate,
     * origin latency, error rates by status code), which the dashboard and
     * operators read. Billed per metric: up to 8 per distribution.
     * @default true
     * @example false
     */
    additionalMetrics?: boolean;
    /**
     * How long the edge function's logs are kept, days (guarded levels
     * only); one of the periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30,
     * 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
     * 2922, 3288 or 3653.
     * @default 30
     * @example 14
     */
    logRetentionDays?: number;
    /**
     * How the hash table is encrypted at rest (guarded levels only).
     * - `aws-owned`: DynamoDB's AWS-owned key, at no charge.
     * - `aws-managed-kms`: the account's `aws/dynamodb` KMS key; AWS KMS bills its requests.
     * - `customer-managed-kms`: the KMS key in `tableKmsKeyArn`.
     * @default "aws-owned"
     * @example "customer-managed-kms"
     */
    tableEncryption?: TableEncryption;
    /**
     * The KMS key of `tableEncryption: "customer-managed-kms"`, plain or an
     * Output (`key.arn`), in the table's region; its key policy must let
     * DynamoDB use it.
     * @default none
     * @example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
     */
    tableKmsKeyArn?: pulumi.Input<string>;
    /**
     * Regions that hold a replica of the hash table (guarded levels only):
     * the table becomes a DynamoDB global table, and the edge function reads
     * the copy nearest the region it runs in (falling back to the next, home
     * last). The issuer keeps writing at home, the stack's `aws:region`. AWS
     * region codes, none twice, never the home region; not with
     * `tableEncryption: "customer-managed-kms"` (a KMS key is regional). Each
     * replica gets point-in-time recovery and, with `protectData`, deletion
     * protection. Plain: it decides which resources exist.
     * @default [] (one table, at home)
     * @example ["us-east-1", "ap-southeast-2"]
     */
    replicaRegions?: string[];
    /**
     * Key prefix under which the issuer lets applications upload.
     * @default "uploads/"
     */
    uploadPrefix?: string;
    /**
     * Largest upload the issuer's presigned POST accepts, bytes; at most 5 GiB.
     * @default 10485760 (10 MiB)
     */
    maxUploadBytes?: number;
    /**
     * Edge function knobs (guarded levels only).
     * @default {} (each field at its own default)
     * @example { timeoutSeconds: 10, memorySizeMb: 256 }
     */
    edge?: CdnEdgeOptions;
}
