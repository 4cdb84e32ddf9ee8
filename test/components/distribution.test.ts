/**
 * The CloudFront side of an instance (components/distribution.ts), the
 * builder called directly with resolved settings, a bucket, the edge
 * function's version known only once the deployment runs and a parent (a
 * program's own component): the cache policy's TTLs, the price class and
 * the not-found caching are the settings' (distinct values, so a swap
 * shows), every Lambda@Edge association is to the version given, for the
 * level's events, the distribution waits for what it is told to; a guarded
 * level without a version is refused, a public one associates nothing; and
 * the error caching table, sorted, with the not-found TTL given.
 */
import { expect } from "chai";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { createDistribution, errorResponses } from "../../components/distribution";
import { resolveArgs } from "../../components/resolve-args";
import { guarded, parent } from "./support/builders";
import { at, deploy, list, RecordedResource, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";

const VERSION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:chat-edge-1a2b3c4:3";

/** The function's version, known once the deployment runs. */
function versionArn(): pulumi.Output<string> {
    return pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(VERSION_ARN))));
}

function bucket(owner: pulumi.Resource): aws.s3.Bucket {
    return new aws.s3.Bucket("chat-bucket", {}, { parent: owner });
}

describe("components/distribution: the CloudFront side of an instance", () => {
    describe("a required instance in origin mode", () => {
        let resources: RecordedResource[];
        before(async () => {
            ({ resources } = await deploy(() => {
                const owner = parent();
                const settings = guarded({ service: "chat", defaultTtlSeconds: 3600, maxTtlSeconds: 7200, notFoundTtlSeconds: 45, priceClass: "PriceClass_200" });
                const logs = new aws.cloudwatch.LogGroup("chat-edge-logs", {}, { parent: owner });
                createDistribution("chat", settings, { bucket: bucket(owner), aliases: [], functionVersionArn: versionArn(), dependsOn: [logs] }, owner);
            }));
        });

        it("the cache policy's TTLs, the price class and the caching of a 404 (and a 414) are the settings'", () => {
            expect(single(resources, T.cachePolicy).inputs).to.include({ minTtl: 0, defaultTtl: 3600, maxTtl: 7200 });
            const distribution = single(resources, T.distribution).inputs;
            expect(distribution.priceClass).to.equal("PriceClass_200");
            const ttlByCode = new Map(list(distribution, "customErrorResponses").map((response) => [at(response, "errorCode"), at(response, "errorCachingMinTtl")]));
            expect([ttlByCode.get(404), ttlByCode.get(414)]).to.deep.equal([45, 45]);
        });

        it("each Lambda@Edge association is to the version given, once it resolves, for the origin events; after what it was told to wait for; every child under the parent", () => {
            const distribution = single(resources, T.distribution);
            expect(at(distribution.inputs, "defaultCacheBehavior", "lambdaFunctionAssociations")).to.deep.equal([
                { eventType: "origin-request", lambdaArn: VERSION_ARN, includeBody: false },
                { eventType: "origin-response", lambdaArn: VERSION_ARN, includeBody: false },
            ]);
            expect(distribution.dependsOn).to.deep.equal(["chat-edge-logs"]);
            for (const type of [T.oac, T.cachePolicy, T.headersPolicy, T.distribution]) expect(single(resources, type).parent, type).to.equal("images");
        });
    });

    it("a guarded level without the edge function's version is refused, naming the level", async () => {
        const error = await rejection(
            deploy(() => {
                const owner = parent();
                createDistribution("regulatory", guarded({ service: "regulatory", level: "secured" }), { bucket: bucket(owner), aliases: [] }, owner);
            }),
            Error,
        );
        expect(error.message).to.equal('level "secured" needs the edge function\'s version ARN');
    });

    it("a public instance associates nothing, even given a version", async () => {
        const { resources } = await deploy(() => {
            const owner = parent();
            createDistribution("market", resolveArgs({ service: "marketplace", level: "public" }), { bucket: bucket(owner), aliases: [], functionVersionArn: versionArn() }, owner);
        });
        expect(at(single(resources, T.distribution).inputs, "defaultCacheBehavior", "lambdaFunctionAssociations")).to.deep.equal([]);
    });

    it("errorResponses: one entry per status, sorted; 404 and 414 cached for the not-found TTL given, 501 never", () => {
        const responses = errorResponses(45);
        const codes = responses.map((response) => response.errorCode);
        expect(codes).to.deep.equal([...new Set(codes)].sort((a, b) => a - b));
        const ttlOf = (code: number) => responses.find((response) => response.errorCode === code)?.errorCachingMinTtl;
        expect([ttlOf(404), ttlOf(414), ttlOf(501)]).to.deep.equal([45, 45, 0]);
    });
});
