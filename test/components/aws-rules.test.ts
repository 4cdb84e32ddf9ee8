/**
 * The AWS rules the infrastructure must respect, as a checklist: one test
 * per rule, each checked on the inputs Pulumi mocks record for every level
 * and mode it concerns. The rules come from the CloudFront Developer Guide
 * ("Restrictions on Lambda@Edge", "Quotas on Lambda@Edge", "CloudFront
 * events that can trigger a Lambda@Edge function", "Control how long
 * CloudFront caches errors", "Restrict access to an Amazon S3 origin"),
 * the DynamoDB Developer Guide (Time to Live) and Pulumi's function
 * serialization. There is no AWS account here, so these checks are what
 * stands between the code and a failed `pulumi up`. The five variants are
 * deployed once, into one stack, before the checks (which only read the
 * recording).
 *
 * Rules about the edge handler's own responses (generated headers, status
 * strings, expired items, conditional writes) are the edge's and the
 * issuer's tests' business.
 */
import { expect } from "chai";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { deflateRawSync } from "zlib";
import type { SecureImageCdnArgs } from "../../components/args";
import { ResolvedGuardedSettings, resolveArgs } from "../../components/resolve-args";
import { edgeCodeText } from "../../components/edge-function";
import { edgeSettingsFor } from "../../components/edge-settings";
import { childName } from "../../components/names";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import type { EdgeSettings } from "../../core/edge-settings";
import { alarmMetric, at, deploy, Deployment, json, list, MOCK_ACCOUNT, ofType, RecordedResource, single, T } from "./support/mocks";
import { requireEdgeCode } from "../support/edge-module";
import { grants } from "../support/policy-grants";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0d4e5f6a-1111-2222-3333-444455556666";

/**
 * Every level, and both modes of each guarded level. (Instance names follow
 * the services, as the stack names them; identical settings elsewhere in the
 * run then reuse the edge code built here.)
 */
const VARIANTS = {
    discussion: { service: "discussion", level: "required", mode: "origin" },
    chat: { service: "chat", level: "required", mode: "redirect" },
    notices: { service: "regulatory", level: "secured", mode: "origin" },
    regulatory: { service: "regulatory", level: "secured", mode: "redirect", aliases: ["img.example.com"], certificateArn: CERT },
    marketplace: { service: "marketplace", level: "public" },
} satisfies Record<string, SecureImageCdnArgs>;

type Variant = keyof typeof VARIANTS;
const ALL = Object.keys(VARIANTS) as Variant[];
const GUARDED = ALL.filter((v) => VARIANTS[v].level !== "public");
const REDIRECT = GUARDED.filter((v) => at(VARIANTS[v], "mode") === "redirect");
const SECURED = GUARDED.filter((v) => VARIANTS[v].level === "secured");
const REQUIRED = GUARDED.filter((v) => VARIANTS[v].level === "required");

/**
 * The CloudFront events each variant's function is associated with: the
 * origin-request check (and the origin-response step that bounds the cache
 * lifetime, in origin mode) for `required`, the viewer-request check for
 * `secured` (and, in origin mode, the origin-response step that hides S3's
 * errors), as docs/edge.md's table of events per level and mode says.
 */
const EDGE_EVENTS: Partial<Record<Variant, string[]>> = {
    discussion: ["origin-request", "origin-response"],
    chat: ["origin-request"],
    // secured + origin: the check on every request, and S3's errors turned into the generic 404 on misses.
    notices: ["viewer-request", "origin-response"],
    regulatory: ["viewer-request"],
};

/**
 * Error caching the distribution sets, seconds, as docs/edge.md's tables say:
 * 403 (expired hash) 60 s; 404 and 414 `notFoundTtlSeconds` (10 s by
 * default, which every variant keeps); 5xx never cached.
 */
const ERROR_CACHING_SECONDS: Record<number, number> = { 403: 60, 404: 10, 414: 10, 500: 0, 501: 0, 502: 0, 503: 0, 504: 0 };

/**
 * Largest zipped package of a viewer-trigger (1 MB) and an origin-trigger
 * (50 MB) function ("Quotas on Lambda@Edge"). Like every limit in this file,
 * written out here as an oracle independent of core/limits.ts.
 */
const VIEWER_PACKAGE_LIMIT = 1024 * 1024;
const ORIGIN_PACKAGE_LIMIT = 50 * 1024 * 1024;

let deployment: Deployment<void>;
const edgeCode = new Map<Variant, string>();

/** The variant's resource of a type; for a function, a role or its policy, the edge function's (the invalidator's are test/components/invalidator.test.ts's). */
function one(variant: Variant, type: string): RecordedResource {
    const edge = ({ [T.fn]: "edge", [T.role]: "edge-role", [T.rolePolicy]: "edge-policy" } as Record<string, string>)[type];
    return single(deployment.resources, type, edge === undefined ? variant : `${variant}-${edge}`);
}

function guardedSettings(variant: Variant): ResolvedGuardedSettings {
    const settings = resolveArgs(VARIANTS[variant]);
    if (settings.level === "public") throw new Error(`${variant} is not guarded`);
    return settings;
}

/** The edge settings the component captured, rebuilt from the recorded table and bucket. */
function capturedSettings(variant: Variant): EdgeSettings {
    const table = one(variant, T.table);
    const bucket = one(variant, T.bucket);
    return edgeSettingsFor(guardedSettings(variant), {
        tableName: String(table.state.name),
        tableRegion: String(table.state.region),
        bucket: String(bucket.state.bucket),
        bucketRegion: String(bucket.state.region),
    });
}

function behavior(variant: Variant): unknown {
    return at(one(variant, T.distribution).inputs, "defaultCacheBehavior");
}

describe("AWS rules for Lambda@Edge, CloudFront, S3, DynamoDB and Pulumi, on every level and mode", function () {
    before(async function () {
        deployment = await deploy(() => {
            for (const variant of ALL) new SecureImageCdn(variant, VARIANTS[variant]);
        });
        for (const variant of GUARDED) edgeCode.set(variant, await edgeCodeText(capturedSettings(variant)));
    });

    describe("Lambda@Edge function", () => {
        it("is created in us-east-1", () => {
            for (const v of GUARDED) expect(one(v, T.fn).inputs.region, v).to.equal("us-east-1");
        });

        it("is published, and the distribution associates its numbered version (qualifiedArn ending :<digits>), never $LATEST or an alias", () => {
            for (const v of GUARDED) {
                const fn = one(v, T.fn);
                expect(fn.inputs, v).to.have.property("publish", true);
                const arns = list(behavior(v), "lambdaFunctionAssociations").map((a) => at(a, "lambdaArn"));
                expect(arns.length, v).to.be.greaterThan(0);
                for (const arn of arns) {
                    expect(arn, v).to.equal(fn.state.qualifiedArn);
                    expect(arn, v).to.match(/^arn:aws:lambda:us-east-1:\d{12}:function:[^:]+:\d+$/);
                }
            }
        });

        it("its role trusts sts:AssumeRole for lambda.amazonaws.com and edgelambda.amazonaws.com", () => {
            for (const v of GUARDED) {
                const role = one(v, T.role);
                expect(one(v, T.fn).inputs.role, v).to.equal(role.state.arn);
                const statements = list(json(role.inputs, "assumeRolePolicy"), "Statement");
                expect(statements, v).to.deep.equal([
                    { Sid: "LambdaAndEdgeReplicas", Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" },
                ]);
            }
        });

        it("its permissions reach this instance's table only, and s3:GetObject on this bucket's objects only in redirect mode", () => {
            for (const v of GUARDED) {
                const policy = one(v, T.rolePolicy);
                expect(policy.inputs.role, v).to.equal(one(v, T.role).id);
                const allowed = grants(json(policy.inputs, "policy")).filter(([action]) => !action.startsWith("logs:"));
                const expected: [string, string][] = [["dynamodb:GetItem", String(one(v, T.table).state.arn)]];
                if (REDIRECT.includes(v)) expected.push(["s3:GetObject", `${String(one(v, T.bucket).state.arn)}/*`]);
                expect(allowed, v).to.have.deep.members(expected);
                expect(one(v, T.role).inputs.managedPolicyArns, v).to.equal(undefined);
            }
            expect(deployment.resources.filter((r) => r.type.startsWith("aws:iam/") && !["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"].includes(r.type))).to.deep.equal([]);
        });

        it("it writes logs only to its own log group, created with a retention period in every region it runs in, and may not create log groups", () => {
            for (const v of GUARDED) {
                // The function's own groups (CloudFront's for its invalid responses are the operations tests').
                const groups = ofType(deployment.resources, T.logGroup, childName(v, "edgeLogGroup"));
                const name = String(at(one(v, T.fn).inputs, "loggingConfig", "logGroup"));
                // Lambda@Edge keeps a custom log group's name in every region ("Edge function logs").
                expect(at(one(v, T.fn).inputs, "loggingConfig"), v).to.deep.equal({ logFormat: "Text", logGroup: name });
                expect(groups.map((g) => g.state.name), v).to.satisfy((names: unknown[]) => names.every((n) => n === name));
                // Every region with a regional edge cache, whatever the price class: CloudFront may serve outside it.
                expect(groups.map((g) => g.inputs.region), v).to.have.members([
                    ...["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"],
                    ...["ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"],
                ]);
                for (const group of groups) expect(group.inputs.retentionInDays, `${v} ${group.name}`).to.equal(30);
                const group = `arn:aws:logs:*:${MOCK_ACCOUNT}:log-group:${name}`;
                const logGrants = grants(json(one(v, T.rolePolicy).inputs, "policy")).filter(([action]) => action.startsWith("logs:"));
                expect(logGrants, v).to.have.deep.members([
                    ["logs:CreateLogStream", `${group}:*`],
                    ["logs:PutLogEvents", `${group}:*`],
                ]);
                // Traffic reaches the function only once its log groups exist.
                expect(one(v, T.distribution).dependsOn, v).to.include.members(groups.map((g) => g.name));
            }
        });

        it("it sets no environment, layers, vpcConfig, deadLetterConfig, tracingConfig, reserved or provisioned concurrency, or image package", () => {
            const forbidden = ["environment", "layers", "vpcConfig", "deadLetterConfig", "tracingConfig", "reservedConcurrentExecutions", "imageUri", "imageConfig", "fileSystemConfig", "snapStart"];
            for (const v of GUARDED) {
                const inputs = one(v, T.fn).inputs;
                for (const key of forbidden) expect(inputs[key], `${v}.${key}`).to.equal(undefined);
                expect(inputs.packageType ?? "Zip", v).to.equal("Zip");
            }
            expect(deployment.resources.map((r) => r.type)).to.not.include("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig");
        });

        it("its architecture is x86_64 only and its ephemeral storage at most 512 MB", () => {
            for (const v of GUARDED) {
                const inputs = one(v, T.fn).inputs;
                expect(inputs.architectures, v).to.deep.equal(["x86_64"]);
                expect(Number(at(inputs, "ephemeralStorage", "size") ?? 512), v).to.be.at.most(512);
            }
        });

        it("its runtime is set explicitly to nodejs22.x or nodejs20.x", () => {
            for (const v of GUARDED) expect(one(v, T.fn).inputs.runtime, v).to.be.oneOf(["nodejs22.x", "nodejs20.x"]);
        });

        it("its timeout and memory fit its triggers: viewer request ≤ 5 s and 128 MB, origin request ≤ 30 s", () => {
            for (const v of SECURED) {
                expect(one(v, T.fn).inputs.timeout, v).to.be.within(1, 5);
                expect(one(v, T.fn).inputs.memorySize, v).to.equal(128);
            }
            for (const v of REQUIRED) expect(one(v, T.fn).inputs.timeout, v).to.be.within(1, 30);
        });

        it("its package fits its triggers when zipped: viewer request ≤ 1 MB, origin request ≤ 50 MB", () => {
            for (const v of GUARDED) {
                const zipped = deflateRawSync(Buffer.from(edgeCode.get(v) ?? "", "utf8"), { level: 9 }).length;
                expect(zipped, v).to.be.greaterThan(0);
                expect(zipped, v).to.be.at.most(SECURED.includes(v) ? VIEWER_PACKAGE_LIMIT : ORIGIN_PACKAGE_LIMIT);
            }
        });

        it("one function per event type per cache behavior, each with includeBody off", () => {
            for (const v of GUARDED) {
                const associations = list(behavior(v), "lambdaFunctionAssociations");
                const types = associations.map((a) => at(a, "eventType"));
                expect(types, v).to.deep.equal(EDGE_EVENTS[v]);
                expect(new Set(types).size, v).to.equal(types.length);
                for (const a of associations) expect(a, v).to.have.property("includeBody", false);
            }
            // secured + origin: the check on every request, and S3's errors turned into the generic 404 on misses.
            expect(list(behavior("notices"), "lambdaFunctionAssociations").map((a) => at(a, "eventType"))).to.deep.equal(["viewer-request", "origin-response"]);
            expect(list(behavior("discussion"), "lambdaFunctionAssociations").map((a) => at(a, "eventType"))).to.deep.equal(["origin-request", "origin-response"]);
        });

        it("replicas block deletion for hours, so it uses skipDestroy and pulumi destroy completes", () => {
            for (const v of GUARDED) expect(one(v, T.fn).inputs, v).to.have.property("skipDestroy", true);
        });

        it("its duration, errors and throttles are alarmed on in every configured region, under the us-east-1.<name> metric where replicas report", () => {
            for (const v of GUARDED) {
                const alarms = ofType(deployment.resources, T.alarm, v).filter((a) => alarmMetric(a.inputs).namespace === "AWS/Lambda" && !a.name.startsWith(`${v}-alarm-invalidator-`));
                const regions = guardedSettings(v).alarms.edgeRegions;
                expect(alarms.map((a) => `${alarmMetric(a.inputs).metricName} ${String(a.inputs.region)}`), v).to.have.members(
                    regions.flatMap((region) => [`Duration ${region}`, `Errors ${region}`, `Throttles ${region}`]),
                );
                for (const alarm of alarms) {
                    const metric = alarmMetric(alarm.inputs);
                    expect(metric.dimensions, v).to.deep.equal({ FunctionName: `us-east-1.${String(one(v, T.fn).state.name)}` });
                    expect(alarm.inputs, v).to.deep.include({ comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, treatMissingData: "notBreaching" });
                    if (metric.metricName === "Duration") expect([metric.stat, alarm.inputs.threshold, at(metric, "period")], v).to.deep.equal(["Average", 500, 300]);
                    else expect([metric.stat, alarm.inputs.threshold, at(metric, "period")], v).to.deep.equal(["Sum", 0, 300]);
                }
            }
        });
    });

    describe("CloudFront", () => {
        it("the S3 origin goes through an origin access control (s3, always, sigv4) and s3OriginConfig.originAccessIdentity is empty", () => {
            for (const v of ALL) {
                const oac = one(v, T.oac);
                expect(oac.inputs, v).to.deep.include({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
                const [origin] = list(one(v, T.distribution).inputs, "origins");
                expect(at(origin, "originAccessControlId"), v).to.equal(oac.id);
                expect(at(origin, "s3OriginConfig"), v).to.deep.equal({ originAccessIdentity: "" });
                expect(at(origin, "customOriginConfig"), v).to.equal(undefined);
            }
        });

        it("the origin is the bucket's REST regional domain name, never the website endpoint", () => {
            for (const v of ALL) {
                const [origin] = list(one(v, T.distribution).inputs, "origins");
                expect(at(origin, "domainName"), v).to.equal(one(v, T.bucket).state.bucketRegionalDomainName);
                expect(String(at(origin, "domainName")), v).to.match(/\.s3\.[a-z0-9-]+\.amazonaws\.com$/).and.not.match(/s3-website/);
            }
        });

        it("OAC cannot follow an origin change by the edge: the one origin is this instance's bucket, and the edge rewrites within it", () => {
            for (const v of ALL) {
                const inputs = one(v, T.distribution).inputs;
                expect(list(inputs, "origins"), v).to.have.length(1);
                expect(inputs.originGroups ?? [], v).to.deep.equal([]);
                expect(inputs.orderedCacheBehaviors ?? [], v).to.deep.equal([]);
                expect(at(behavior(v), "targetOriginId"), v).to.equal(at(list(inputs, "origins")[0], "originId"));
            }
            for (const v of GUARDED) expect(capturedSettings(v).bucket, v).to.equal(one(v, T.bucket).state.bucket);
        });

        it("a behavior with cachePolicyId sets no forwardedValues and no TTLs of its own", () => {
            for (const v of ALL) {
                const b = behavior(v);
                expect(at(b, "cachePolicyId"), v).to.equal(one(v, T.cachePolicy).id);
                for (const key of ["forwardedValues", "minTtl", "defaultTtl", "maxTtl"]) expect(at(b, key), `${v}.${key}`).to.equal(undefined);
            }
        });

        it("the cache policy keeps minTtl 0 ≤ defaultTtl ≤ maxTtl and keys on the path alone", () => {
            for (const v of ALL) {
                const inputs = one(v, T.cachePolicy).inputs;
                expect(inputs.minTtl, v).to.equal(0);
                expect(Number(inputs.defaultTtl), v).to.be.within(0, Number(inputs.maxTtl));
                const keys = inputs.parametersInCacheKeyAndForwardedToOrigin;
                expect(at(keys, "cookiesConfig", "cookieBehavior"), v).to.equal("none");
                expect(at(keys, "headersConfig", "headerBehavior"), v).to.equal("none");
                expect(at(keys, "queryStringsConfig", "queryStringBehavior"), v).to.equal("none");
                // No Accept-Encoding in the key: one cache entry per image, not one per encoding.
                expect(at(keys, "enableAcceptEncodingGzip"), v).to.equal(false);
                expect(at(keys, "enableAcceptEncodingBrotli"), v).to.equal(false);
                // Compression needs those encodings in the cache policy ("Serve compressed files"): off in both places.
                expect(at(behavior(v), "compress"), v).to.equal(false);
            }
        });

        it("the statuses CloudFront always caches (404, 414, 500–504) get a deliberate errorCachingMinTtl, matching the edge's", () => {
            for (const v of ALL) {
                const responses = list(one(v, T.distribution).inputs, "customErrorResponses");
                const ttlByCode = new Map(responses.map((r) => [at(r, "errorCode"), at(r, "errorCachingMinTtl")]));
                for (const code of [404, 414, 500, 501, 502, 503, 504]) expect(ttlByCode.get(code), `${v} ${code}`).to.be.a("number");
                for (const [code, seconds] of Object.entries(ERROR_CACHING_SECONDS)) expect(ttlByCode.get(Number(code)), `${v} ${code}`).to.equal(seconds);
                for (const r of responses) {
                    expect(at(r, "responseCode"), v).to.equal(undefined);
                    expect(at(r, "responsePagePath"), v).to.equal(undefined);
                }
            }
        });

        it("viewers are redirected to HTTPS and may only GET and HEAD", () => {
            for (const v of ALL) {
                expect(at(behavior(v), "viewerProtocolPolicy"), v).to.equal("redirect-to-https");
                expect(list(behavior(v), "allowedMethods"), v).to.have.members(["GET", "HEAD"]).and.have.length(2);
                expect(list(behavior(v), "cachedMethods"), v).to.have.members(["GET", "HEAD"]).and.have.length(2);
            }
        });

        it("aliases come with an ACM certificate from us-east-1 (SNI, TLS 1.2+); without aliases the default certificate", () => {
            const withAlias = one("regulatory", T.distribution).inputs;
            expect(withAlias.aliases).to.deep.equal(["img.example.com"]);
            expect(withAlias.viewerCertificate).to.deep.equal({ acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
            for (const v of ALL.filter((x) => x !== "regulatory")) {
                const inputs = one(v, T.distribution).inputs;
                expect(inputs.aliases ?? [], v).to.deep.equal([]);
                expect(inputs.viewerCertificate, v).to.deep.equal({ cloudfrontDefaultCertificate: true });
            }
        });

        it("its metrics (AWS/CloudFront, Region=Global) are alarmed on in us-east-1: 5xxErrorRate above 5 % over 300 s", () => {
            for (const v of ALL) {
                const [alarm] = ofType(deployment.resources, T.alarm, v).filter((a) => alarmMetric(a.inputs).namespace === "AWS/CloudFront");
                expect(alarm.inputs, v).to.deep.include({ region: "us-east-1", threshold: 5, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" });
                const metric = alarmMetric(alarm.inputs);
                expect(metric, v).to.deep.include({ metricName: "5xxErrorRate", stat: "Average", period: 300 });
                expect(metric.dimensions, v).to.deep.equal({ DistributionId: one(v, T.distribution).id, Region: "Global" });
            }
        });

        it("its additional metrics (cache hit rate) are on: one monitoring subscription per distribution", () => {
            for (const v of ALL) {
                const [subscription, ...more] = ofType(deployment.resources, T.monitoring, v);
                expect(more, v).to.deep.equal([]);
                expect(subscription.inputs, v).to.deep.equal({
                    distributionId: one(v, T.distribution).id,
                    monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } },
                });
            }
        });
    });

    describe("S3", () => {
        it("object ownership is BucketOwnerEnforced", () => {
            for (const v of ALL) {
                const ownership = one(v, T.ownership);
                expect(ownership.inputs.bucket, v).to.equal(one(v, T.bucket).id);
                expect(ownership.inputs.rule, v).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
            }
        });

        it("the public access block has all four flags true", () => {
            for (const v of ALL) {
                const block = one(v, T.publicAccess);
                expect(block.inputs, v).to.deep.include({ bucket: one(v, T.bucket).id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            }
        });

        it("objects are encrypted at rest with SSE-S3 (which OAC reads without a key policy)", () => {
            for (const v of ALL) {
                const encryption = one(v, T.encryption);
                expect(encryption.inputs.bucket, v).to.equal(one(v, T.bucket).id);
                expect(encryption.inputs.rules, v).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
            }
        });

        it("the bucket policy allows cloudfront.amazonaws.com s3:GetObject on <bucket>/* only with AWS:SourceArn = this distribution's ARN", () => {
            for (const v of ALL) {
                const policy = one(v, T.bucketPolicy);
                expect(policy.inputs.bucket, v).to.equal(one(v, T.bucket).id);
                const allows = list(json(policy.inputs, "policy"), "Statement").filter((s) => at(s, "Effect") === "Allow");
                expect(allows, v).to.deep.equal([
                    {
                        Sid: "CloudFrontReadsThroughOac",
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: `${String(one(v, T.bucket).state.arn)}/*`,
                        Condition: { StringEquals: { "AWS:SourceArn": one(v, T.distribution).state.arn } },
                    },
                ]);
            }
        });

        it("the bucket policy denies CloudFront the staging prefix, and any request with aws:SecureTransport = false", () => {
            for (const v of ALL) {
                const arn = String(one(v, T.bucket).state.arn);
                const denies = list(json(one(v, T.bucketPolicy).inputs, "policy"), "Statement").filter((s) => at(s, "Effect") === "Deny");
                expect(denies, v).to.deep.equal([
                    { Sid: "NeverServeUnconfirmedUploads", Effect: "Deny", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: `${arn}/uploads/incoming/*` },
                    { Sid: "DenyPlainHttp", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                ]);
            }
        });

        it("a presigned URL lives at most 7 days (SigV4) and dies with the signing role's credentials: the redirect edge is given at most 600 s", () => {
            for (const v of REDIRECT) expect(capturedSettings(v).signedUrlTtlSeconds, v).to.be.within(1, 600);
            expect(() => resolveArgs({ service: "chat", mode: "redirect", signedUrlTtlSeconds: 604801 })).to.throw(/^signedUrlTtlSeconds must be at most 600 /);
            expect(() => resolveArgs({ service: "chat", mode: "redirect", signedUrlTtlSeconds: 601 })).to.throw(/^signedUrlTtlSeconds must be at most 600 /);
            expect(resolveArgs({ service: "chat", mode: "redirect", signedUrlTtlSeconds: 600 })).to.include({ signedUrlTtlSeconds: 600 });
        });

        it("only @pulumi/aws v7 names are used: aws.s3.Bucket and its separate configuration resources, no BucketV2", () => {
            const s3Types = new Set(deployment.resources.filter((r) => r.type.startsWith("aws:s3/")).map((r) => r.type));
            expect([...s3Types]).to.have.members([T.bucket, T.ownership, T.publicAccess, T.encryption, T.versioning, T.lifecycle, T.bucketPolicy]);
            for (const v of ALL) {
                const bucket = one(v, T.bucket).inputs;
                for (const inline of ["acl", "policy", "versioning", "lifecycleRules", "serverSideEncryptionConfiguration", "website", "corsRules"]) {
                    expect(bucket[inline], `${v}.${inline}`).to.equal(undefined);
                }
            }
        });
    });

    describe("DynamoDB", () => {
        it("attributes list key attributes only (table and index keys); ttl is not declared there", () => {
            for (const v of GUARDED) {
                expect(one(v, T.table).inputs.attributes, v).to.deep.equal([
                    { name: "hash", type: "S" },
                    { name: "s3_url", type: "S" },
                ]);
            }
        });

        it("TTL is enabled on the epoch-seconds ttl attribute", () => {
            for (const v of GUARDED) expect(one(v, T.table).inputs.ttl, v).to.deep.equal({ attributeName: "ttl", enabled: true });
        });

        it("a table that holds live links is PAY_PER_REQUEST, with point-in-time recovery and deletion protection", () => {
            for (const v of GUARDED) {
                expect(one(v, T.table).inputs, v).to.deep.include({
                    billingMode: "PAY_PER_REQUEST",
                    hashKey: "hash",
                    pointInTimeRecovery: { enabled: true },
                    deletionProtectionEnabled: true,
                });
            }
        });

        it("an index on s3_url finds an object's hashes without a scan", () => {
            for (const v of GUARDED) {
                expect(one(v, T.table).inputs.globalSecondaryIndexes, v).to.deep.equal([
                    {
                        name: "s3_url-index",
                        keySchemas: [{ attributeName: "s3_url", keyType: "HASH" }],
                        projectionType: "INCLUDE",
                        nonKeyAttributes: ["expires_at", "created_at"],
                    },
                ]);
            }
        });
    });

    describe("Pulumi", () => {
        it("mocks record no archive contents, so the code is the edge factory serialized by Pulumi for this instance: it loads in Node and exports the handler", () => {
            for (const v of GUARDED) {
                // The zip holds one file, __index.js, whose `handler` export Lambda calls.
                expect(one(v, T.fn).inputs.handler, v).to.equal("__index.handler");
                const loaded = requireEdgeCode(edgeCode.get(v) ?? "", `${v}-__index`).exports;
                expect(loaded.handler, v).to.be.a("function");
            }
        });

        it("modules from node_modules become require() calls: the bundled code requires nothing but Node built-ins (no @pulumi, nothing to package)", () => {
            const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
            for (const v of GUARDED) {
                const required = [...(edgeCode.get(v) ?? "").matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
                expect(required.filter((m) => !builtins.has(m)), v).to.deep.equal([]);
            }
        });

        it("typescript stays below 7 (the @pulumi/pulumi peer range)", () => {
            // A dependency: Pulumi compiles the program with it at deploy time.
            const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
            const range = pkg.dependencies?.typescript ?? "";
            expect(range).to.match(/^[~^]?[56]\.\d+/);
        });
    });
});
