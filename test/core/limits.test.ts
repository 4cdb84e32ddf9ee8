/**
 * AWS's limits and name formats (core/limits.ts), and the component's
 * defaults held against them. Every expected number here is written out
 * from the AWS documentation page named in the test, not taken from the
 * code, so a wrong constant fails. Our own bounds are tested in
 * test/core/bounds.test.ts, the price classes in test/core/enums.test.ts and
 * their edge regions in test/core/regions.test.ts.
 */
import { expect } from "chai";
import { isKmsKeyArn, LOG_RETENTION_DAYS, EDGE_REGION, edgeReplicaName, edgeTriggerLimits, isBucketName, isRegionName, isTableName, limitingEdgeEvent, MAX_INVALIDATION_PATHS, MAX_OBJECT_KEY_BYTES, MAX_PRESIGNED_URL_SECONDS, MAX_SINGLE_UPLOAD_BYTES, MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE } from "../../core/limits";
import { CDN_DEFAULTS, DEFAULT_EDGE_ALARM_REGIONS } from "../../components/args";
import { edgeEventTypes } from "../../core/edge-settings";

describe("AWS limits and formats (core/limits.ts)", () => {
    describe("AWS limits, as documented", () => {
        it("Lambda@Edge functions live in us-east-1 and their replicas report as us-east-1.<name> (Restrictions on Lambda@Edge; Edge function logs)", () => {
            expect(EDGE_REGION).to.equal("us-east-1");
            expect(edgeReplicaName("chat-edge-1a2b")).to.equal("us-east-1.chat-edge-1a2b");
        });

        it("viewer triggers: 5 s, exactly 128 MB, 40 KB generated responses (Quotas on Lambda@Edge)", () => {
            expect(edgeTriggerLimits("viewer-request")).to.deep.equal({ maxTimeoutSeconds: 5, minMemoryMb: 128, maxMemoryMb: 128, maxGeneratedResponseBytes: 40 * 1024 });
        });

        it("origin triggers: 30 s, 128 to 10,240 MB (Lambda quotas), 1 MB generated responses (Quotas on Lambda@Edge)", () => {
            const origin = { maxTimeoutSeconds: 30, minMemoryMb: 128, maxMemoryMb: 10240, maxGeneratedResponseBytes: 1024 * 1024 };
            expect(edgeTriggerLimits("origin-request")).to.deep.equal(origin);
            expect(edgeTriggerLimits("origin-response")).to.deep.equal(origin);
        });

        it("a function serving several events is bound by its tightest one", () => {
            expect(limitingEdgeEvent(["origin-request", "origin-response"])).to.equal("origin-request");
            expect(limitingEdgeEvent(["origin-response", "viewer-request"])).to.equal("viewer-request");
            expect(limitingEdgeEvent(edgeEventTypes("secured", "origin"))).to.equal("viewer-request");
            expect(() => limitingEdgeEvent([])).to.throw(/at least one event type/);
        });

        it("at most 3,000 individual paths in progress per distribution (Concurrent invalidation request maximum)", () => {
            expect(MAX_INVALIDATION_PATHS).to.equal(3000);
        });

        it("a SigV4 presigned URL lives at most 604,800 s, 7 days (Authenticating Requests: Using Query Parameters)", () => {
            expect(MAX_PRESIGNED_URL_SECONDS).to.equal(604800);
        });

        it("one PUT or POST uploads at most 5 GiB (Uploading objects); a key is at most 1,024 bytes (Naming Amazon S3 objects)", () => {
            expect(MAX_SINGLE_UPLOAD_BYTES).to.equal(5368709120);
            expect(MAX_OBJECT_KEY_BYTES).to.equal(1024);
        });

        it("50 tags per resource, keys of at most 128 characters, values of at most 256 (Tagging AWS resources)", () => {
            expect([MAX_TAGS_PER_RESOURCE, MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH]).to.deep.equal([50, 128, 256]);
        });
    });

    describe("name formats", () => {
        it("region codes: every one AWS lists is accepted, malformed ones are not (AWS Regions)", () => {
            // Written out from the AWS Regions page, independently of the pattern.
            const regions = [
                "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
                "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
                "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1",
                "sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1", "us-iso-east-1", "us-isob-east-1",
            ];
            expect(regions.filter((region) => !isRegionName(region)), "region names refused").to.deep.equal([]);
            const bad = ["europe", "Ireland", "eu-west", "eu_west_1", "EU-WEST-1", "eu-west-1a", "eu-west-123", "", 7, undefined];
            expect(bad.filter((value) => isRegionName(value)), "not region names, accepted").to.deep.equal([]);
        });

        it("bucket names: 3-63 lowercase letters, digits, dots and hyphens, no adjacent dots (General purpose bucket naming rules)", () => {
            expect(["abc", "chat-images-1234", "my.bucket.name", "a".repeat(63)].filter((name) => !isBucketName(name)), "bucket names refused").to.deep.equal([]);
            const bad = ["ab", "a".repeat(64), "Bad_Bucket", "-start", "end-", "two..dots", ".dot", "UPPER", 42];
            expect(bad.filter((value) => isBucketName(value)), "not bucket names, accepted").to.deep.equal([]);
        });

        it("table names: 3-255 of a-z A-Z 0-9 _ - . (DynamoDB naming rules)", () => {
            expect(["abc", "chat-image_map.v2", "A".repeat(255)].filter((name) => !isTableName(name)), "table names refused").to.deep.equal([]);
            const bad = ["ab", "A".repeat(256), "has space", "slash/name", null];
            expect(bad.filter((value) => isTableName(value)), "not table names, accepted").to.deep.equal([]);
        });
    });

    describe("the component's defaults", () => {
        it("edge alarms default to the regions of North America's and Europe's regional edge caches", () => {
            expect(CDN_DEFAULTS.alarms.edgeRegions).to.equal(DEFAULT_EDGE_ALARM_REGIONS);
            expect([...DEFAULT_EDGE_ALARM_REGIONS]).to.deep.equal(["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"]);
        });

        it("log retention takes CloudWatch Logs' periods only (no 'never expire'), and table keys are KMS key ARNs", () => {
            expect(LOG_RETENTION_DAYS).to.include.members([1, 7, 14, 30, 90, 365, 3653]);
            expect(LOG_RETENTION_DAYS).to.not.include.members([0, 10, 31]);
            expect(LOG_RETENTION_DAYS).to.include(CDN_DEFAULTS.logRetentionDays);
            expect(isKmsKeyArn("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).to.equal(true);
            for (const bad of ["alias/aws/dynamodb", "arn:aws:kms:eu-west-1:123456789012:alias/mine", "arn:aws:kms:eu-west-1:1234:key/x", 42]) expect(isKmsKeyArn(bad), String(bad)).to.equal(false);
        });

        it("the component's defaults fit the AWS limits they are bound by", () => {
            expect(CDN_DEFAULTS.signedUrlTtlSeconds).to.be.at.most(600);
            expect(CDN_DEFAULTS.maxUploadBytes).to.be.at.most(5368709120);
            // One default timeout and memory size serve both guarded levels, so they fit a viewer trigger.
            expect(CDN_DEFAULTS.edge.timeoutSeconds).to.be.at.most(5);
            expect(CDN_DEFAULTS.edge.memorySizeMb).to.equal(128);
            expect(CDN_DEFAULTS.edge.lookupTimeoutMs).to.be.at.most(5000 - 1000);
        });
    });
});
