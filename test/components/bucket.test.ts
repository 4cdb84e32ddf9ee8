/**
 * The private image bucket (components/bucket.ts). Its lifecycle rules as
 * plain data, and as an S3 implementation takes them: moto's S3 accepts the
 * configuration (PutBucketLifecycleConfiguration) and hands back the same
 * rules (pending where moto_server is absent); the stored variants kept for
 * the hash life in whole days, rounded up. The builders called directly
 * with resolved settings and a parent (a program's own component), two
 * instances in one program: each configuration child on its own instance's
 * bucket, the stored variants' rule from the instance's hash life (not
 * another TTL), and the bucket policy attached after the public access
 * block, for the distribution given, keeping CloudFront out of the
 * instance's own staging prefix. The component's resources carry them too
 * (test/components/secure-image-cdn.deploy.test.ts, under the Pulumi mocks).
 */
import { expect } from "chai";
import { CreateBucketCommand, GetBucketLifecycleConfigurationCommand, LifecycleRule, PutBucketLifecycleConfigurationCommand, S3Client } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { attachBucketPolicy, bucketLifecycleRules, createImageBucket, derivedRetentionDays } from "../../components/bucket";
import { resolveArgs } from "../../components/resolve-args";
import { parent, withVariants } from "./support/builders";
import { at, deploy, json, list, ofType, RecordedResource, single, T } from "./support/mocks";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/aws";
import { MOTO_MISSING, motoServerPath, MotoServer, startMoto } from "../support/moto";

type PulumiRule = ReturnType<typeof bucketLifecycleRules>[number];

/** A rule as the S3 API spells it (the provider sends the same fields). */
function asS3Rule(rule: PulumiRule): LifecycleRule {
    const plain = rule as {
        id: string;
        status: string;
        filter: { prefix?: string };
        expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
        noncurrentVersionExpiration?: { noncurrentDays: number };
        abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
    };
    return {
        ID: plain.id,
        Status: plain.status as "Enabled",
        Filter: plain.filter.prefix !== undefined ? { Prefix: plain.filter.prefix } : {},
        ...(plain.expiration
            ? { Expiration: plain.expiration.days !== undefined ? { Days: plain.expiration.days } : { ExpiredObjectDeleteMarker: plain.expiration.expiredObjectDeleteMarker } }
            : {}),
        ...(plain.noncurrentVersionExpiration ? { NoncurrentVersionExpiration: { NoncurrentDays: plain.noncurrentVersionExpiration.noncurrentDays } } : {}),
        ...(plain.abortIncompleteMultipartUpload ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: plain.abortIncompleteMultipartUpload.daysAfterInitiation } } : {}),
    };
}

describe("components/bucket: the lifecycle rules", function () {
    this.timeout(90_000);

    it("staging after a day (current and old versions, unfinished multipart uploads); hidden versions everywhere after noncurrentVersionDays, then their lone delete markers", () => {
        expect(bucketLifecycleRules({ uploadPrefix: "listings/", noncurrentVersionDays: 9 })).to.deep.equal([
            {
                id: "expire-unconfirmed-uploads",
                status: "Enabled",
                filter: { prefix: "listings/incoming/" },
                expiration: { days: 1 },
                noncurrentVersionExpiration: { noncurrentDays: 1 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            },
            {
                id: "expire-hidden-versions",
                status: "Enabled",
                filter: {},
                // Days may not be set beside ExpiredObjectDeleteMarker: current versions never expire.
                expiration: { expiredObjectDeleteMarker: true },
                noncurrentVersionExpiration: { noncurrentDays: 9 },
            },
        ]);
    });

    it("with variants, stored variants (derived/ only) too: after the longest hash life in whole days, their hidden versions after one", () => {
        const rules = bucketLifecycleRules({ uploadPrefix: "uploads/", noncurrentVersionDays: 30 }, 36 * 3600);
        expect(rules.map((rule) => rule.id)).to.deep.equal(["expire-unconfirmed-uploads", "expire-hidden-versions", "expire-stored-variants"]);
        expect(rules[2]).to.deep.equal({
            id: "expire-stored-variants",
            status: "Enabled",
            filter: { prefix: "derived/" },
            expiration: { days: 2 },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
        });
    });

    describe("as an S3 implementation takes them (moto)", () => {
        if (motoServerPath() === undefined) {
            it(`pending: ${MOTO_MISSING}`);
            return;
        }
        let moto: MotoServer;
        let s3: S3Client;
        before(async () => {
            moto = await startMoto();
            s3 = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
        });
        after(async () => {
            s3?.destroy();
            await moto?.close();
        });

        it("accepts the configuration and returns the same rules", async () => {
            const rules = bucketLifecycleRules({ uploadPrefix: "uploads/", noncurrentVersionDays: 30 }).map(asS3Rule);
            await s3.send(new CreateBucketCommand({ Bucket: "lifecycle-check" }));
            await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-check", LifecycleConfiguration: { Rules: rules } }));
            const back = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-check" }));
            const byId = Object.fromEntries((back.Rules ?? []).map((rule) => [rule.ID, rule]));
            expect(Object.keys(byId)).to.have.members(["expire-unconfirmed-uploads", "expire-hidden-versions"]);
            expect(byId["expire-hidden-versions"]).to.deep.include({ Status: "Enabled", NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
            expect(byId["expire-hidden-versions"].Expiration).to.deep.include({ ExpiredObjectDeleteMarker: true });
            expect(byId["expire-unconfirmed-uploads"]).to.deep.include({ Filter: { Prefix: "uploads/incoming/" }, Expiration: { Days: 1 } });
        });

        it("accepts the variants' rule beside the others", async () => {
            const rules = bucketLifecycleRules({ uploadPrefix: "uploads/", noncurrentVersionDays: 30 }, 30 * 86400).map(asS3Rule);
            await s3.send(new CreateBucketCommand({ Bucket: "lifecycle-variants" }));
            await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-variants", LifecycleConfiguration: { Rules: rules } }));
            const back = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-variants" }));
            const byId = Object.fromEntries((back.Rules ?? []).map((rule) => [rule.ID, rule]));
            expect(Object.keys(byId)).to.have.members(["expire-unconfirmed-uploads", "expire-hidden-versions", "expire-stored-variants"]);
            expect(byId["expire-stored-variants"]).to.deep.include({ Filter: { Prefix: "derived/" }, Expiration: { Days: 30 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } });
        });

        it("refuses what the rule must not be: Days beside ExpiredObjectDeleteMarker", async () => {
            const [, hidden] = bucketLifecycleRules({ uploadPrefix: "uploads/", noncurrentVersionDays: 30 }).map(asS3Rule);
            await s3.send(new CreateBucketCommand({ Bucket: "lifecycle-bad" }));
            const wrong = { ...hidden, Expiration: { Days: 30, ExpiredObjectDeleteMarker: true } };
            const error = await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-bad", LifecycleConfiguration: { Rules: [wrong] } })).then(
                () => undefined,
                (e: unknown) => e,
            );
            // The same rule without Days was accepted above: the combination is what is refused.
            expect(error, "moto checks the combination S3 refuses").to.be.instanceOf(Error);
            expect((error as Error).name).to.equal("MalformedXML");
        });
    });
});

describe("components/bucket: derivedRetentionDays", () => {
    it("the longest hash life in whole days, rounded up: a second past a day is two", () => {
        expect([1, 86400, 86401, 30 * 86400].map(derivedRetentionDays)).to.deep.equal([1, 1, 2, 30]);
    });
});

describe("components/bucket: the builders, called directly", () => {
    const DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE";
    let resources: RecordedResource[];
    before(async () => {
        ({ resources } = await deploy(() => {
            const owner = parent();
            createImageBucket("chat", resolveArgs({ service: "chat" }), owner);
            // A hash life of a day and a half, far from every cache TTL.
            const photos = withVariants({ service: "photos", variants: { thumb: { width: 256, height: 256 } }, uploadPrefix: "listings/", hashTtlSeconds: 129600, noncurrentVersionDays: 9 });
            const images = createImageBucket("photos", photos, owner);
            const distributionArn = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(DISTRIBUTION_ARN))));
            attachBucketPolicy("photos", images, distributionArn, owner);
        }));
    });

    it("each configuration child is on its own instance's bucket, under the parent", () => {
        for (const name of ["chat", "photos"]) {
            const bucket = single(resources, T.bucket, `${name}-bucket`);
            for (const type of [T.ownership, T.publicAccess, T.encryption, T.versioning, T.lifecycle]) {
                const child = single(resources, type, name);
                expect([child.inputs.bucket, child.parent], `${name} ${type}`).to.deep.equal([bucket.id, "images"]);
            }
        }
    });

    it("the stored variants' rule only with variants, kept for the instance's hash life in whole days; the other rules on the instance's prefix and days", () => {
        const rules = (name: string) => list(single(resources, T.lifecycle, name).inputs, "rules") as { id: string }[];
        expect(rules("chat").map((rule) => rule.id)).to.deep.equal(["expire-unconfirmed-uploads", "expire-hidden-versions"]);
        const [staging, hidden, variants] = rules("photos");
        expect(at(staging, "filter", "prefix")).to.equal("listings/incoming/");
        expect(at(hidden, "noncurrentVersionExpiration", "noncurrentDays")).to.equal(9);
        expect(variants).to.deep.include({ id: "expire-stored-variants", expiration: { days: 2 } });
    });

    it("the bucket policy: after the public access block, on this bucket, for the distribution given once its ARN resolves, never serving the instance's own staging prefix", () => {
        const policy = single(resources, T.bucketPolicy);
        const bucket = single(resources, T.bucket, "photos-bucket");
        expect([policy.name, policy.inputs.bucket, policy.dependsOn, policy.parent]).to.deep.equal(["photos-bucket-policy", bucket.id, ["photos-bucket-public-access"], "images"]);
        const statements = list(json(policy.inputs, "policy"), "Statement") as { Sid: string; Resource: unknown; Condition?: unknown }[];
        const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
        expect(bySid.CloudFrontReadsThroughOac.Condition).to.deep.equal({ StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } });
        expect(bySid.NeverServeUnconfirmedUploads.Resource).to.equal(`${String(bucket.state.arn)}/listings/incoming/*`);
    });
});
