/**
 * The private image bucket: owner-enforced, every public-access block on,
 * encrypted at rest, versioned, and readable only by this instance's
 * distribution (the policy is attached once the distribution exists).
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { hasVariants } from "./resolve-args";
import type { ResolvedCdnSettings } from "./resolve-args";
import { DERIVED_PREFIX } from "../core/variants";
import { stagingPrefix } from "../issuer/staging";
import { childName } from "./names";
import { bucketAccessPolicy } from "./policies";

export interface ImageBucket {
    bucket: aws.s3.Bucket;
    ownership: aws.s3.BucketOwnershipControls;
    publicAccess: aws.s3.BucketPublicAccessBlock;
    encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    versioning: aws.s3.BucketVersioning;
    lifecycle: aws.s3.BucketLifecycleConfiguration;
    /** The instance's upload prefix, whose staging folder the bucket policy keeps CloudFront out of. */
    uploadPrefix: string;
}

/** Creates the bucket and the settings that keep it private. */
export function createImageBucket(name: string, settings: ResolvedCdnSettings, parent: pulumi.Resource): ImageBucket {
    const bucket = new aws.s3.Bucket(
        childName(name, "bucket"),
        {
            // Objects must never be lost with the stack by accident; opting out of
            // protection is also what lets `pulumi destroy` empty the bucket.
            forceDestroy: !settings.protectData,
            tags: settings.tags,
        },
        { parent, protect: settings.protectData },
    );
    const ownership = new aws.s3.BucketOwnershipControls(
        childName(name, "bucketOwnership"),
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        childName(name, "bucketPublicAccess"),
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        { parent },
    );
    // SSE-S3 (not KMS): CloudFront's OAC can read it without a key policy.
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        childName(name, "bucketEncryption"),
        {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
        },
        { parent },
    );
    const versioning = new aws.s3.BucketVersioning(
        childName(name, "bucketVersioning"),
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        { parent },
    );
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
        childName(name, "bucketLifecycle"),
        { bucket: bucket.id, rules: bucketLifecycleRules(settings, hasVariants(settings) ? settings.hashTtlSeconds : undefined) },
        // A rule set before versioning is on could act on the unversioned bucket first.
        { parent, dependsOn: [versioning] },
    );
    return { bucket, ownership, publicAccess, encryption, versioning, lifecycle, uploadPrefix: settings.uploadPrefix };
}

/**
 * The bucket's lifecycle rules: the staging rule, the bucket-wide expiry of
 * hidden versions, and with variants (`variantHashTtlSeconds`, the
 * instance's hashTtlSeconds) the expiry of stored variants. Where two apply
 * (under the staging prefix, under `derived/`) S3 honours the shorter
 * expiry (Amazon S3 User Guide, "How Amazon S3 handles conflicts in
 * lifecycle configurations": "if two expiration policies overlap, the
 * shorter expiration policy is honored"), so staging keeps its one day and
 * a stored variant's hidden version goes after one.
 */
export function bucketLifecycleRules(
    settings: Pick<ResolvedCdnSettings, "uploadPrefix" | "noncurrentVersionDays">,
    variantHashTtlSeconds?: number,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    return [
        stagingCleanupRule(settings.uploadPrefix),
        noncurrentVersionRule(settings.noncurrentVersionDays),
        ...(variantHashTtlSeconds !== undefined ? [derivedExpiryRule(variantHashTtlSeconds)] : []),
    ];
}

/**
 * A replaced or deleted object stays in the versioned bucket as a hidden
 * (noncurrent) version for good unless something removes it: the bytes
 * `confirmUpload` refused, an image uploaded again under its key, an object
 * deleted by hand. This rule removes such versions `days` after they became
 * noncurrent (to the next midnight UTC), and then the delete marker left
 * with no version behind it ("Lifecycle configuration elements":
 * `NoncurrentVersionExpiration`, and `ExpiredObjectDeleteMarker`, which may
 * not be set with `Days` in the same `Expiration`). Current versions never
 * expire. An empty filter: the whole bucket.
 */
export function noncurrentVersionRule(days: number): aws.types.input.s3.BucketLifecycleConfigurationRule {
    return {
        id: "expire-hidden-versions",
        status: "Enabled",
        filter: {},
        expiration: { expiredObjectDeleteMarker: true },
        noncurrentVersionExpiration: { noncurrentDays: days },
    };
}

/** Days an unconfirmed upload (and every replaced or deleted version of one) is kept. */
export const STAGING_RETENTION_DAYS = 1;

/**
 * Upload forms write under the staging prefix; `confirmUpload` copies what
 * it checked elsewhere and deletes the post, which in a versioned bucket
 * leaves a noncurrent version behind, and a post never confirmed stays as
 * it is. This rule removes both after a day (S3 counts from the object's
 * creation, or from when it became noncurrent, to the next midnight UTC;
 * Amazon S3 User Guide, "Expiring objects"), and the delete marker that is
 * then all that remains ("Managing delete markers": a rule that expires
 * current versions also removes expired object delete markers). Nothing
 * outside the staging prefix is touched.
 */
export function stagingCleanupRule(uploadPrefix: string): aws.types.input.s3.BucketLifecycleConfigurationRule {
    return {
        id: "expire-unconfirmed-uploads",
        status: "Enabled",
        filter: { prefix: stagingPrefix({ uploadPrefix }) },
        expiration: { days: STAGING_RETENTION_DAYS },
        noncurrentVersionExpiration: { noncurrentDays: STAGING_RETENTION_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: STAGING_RETENTION_DAYS },
    };
}

/**
 * Days a stored variant is kept: the longest a hash lives, in whole days,
 * rounded up. A variant is made through a live hash, after it was issued,
 * so no hash that could ask for it outlives the stored copy; a hash issued
 * later asks for it again and it is made again.
 */
export function derivedRetentionDays(hashTtlSeconds: number): number {
    return Math.ceil(hashTtlSeconds / 86400);
}

/**
 * Stored variants (the `derived/` prefix only) expire {@link
 * derivedRetentionDays} after they were made (S3 counts to the next
 * midnight UTC, so never earlier; Amazon S3 User Guide, "Expiring
 * objects"); in this versioned bucket the expired version goes a day later,
 * and the delete marker then left with it. Nothing else in the bucket is
 * touched by this rule.
 */
export function derivedExpiryRule(hashTtlSeconds: number): aws.types.input.s3.BucketLifecycleConfigurationRule {
    return {
        id: "expire-stored-variants",
        status: "Enabled",
        filter: { prefix: DERIVED_PREFIX },
        expiration: { days: derivedRetentionDays(hashTtlSeconds) },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
    };
}

/** Lets only `distributionArn` read objects (through its OAC), never unconfirmed uploads, and refuses plain HTTP. */
export function attachBucketPolicy(
    name: string,
    images: ImageBucket,
    distributionArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
        childName(name, "bucketPolicy"),
        {
            bucket: images.bucket.id,
            policy: pulumi
                .all([images.bucket.arn, distributionArn])
                .apply(([bucketArn, arn]) => JSON.stringify(bucketAccessPolicy({ bucketArn, distributionArn: arn, uploadPrefix: images.uploadPrefix }))),
        },
        // The public-access block goes first, so the policy is judged against it.
        { parent, dependsOn: [images.publicAccess] },
    );
}
