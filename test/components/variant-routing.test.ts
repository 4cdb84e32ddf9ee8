/**
 * How the distribution reaches the resizer (components/variant-routing.ts):
 * the builder called directly with resolved settings and a parent (a
 * program's own component) makes the `lambda` origin access control and, at
 * `required` only, the published viewer-request CloudFront Function for the
 * instance's catalogue, and returns what it made; the resizer's origin and
 * the variants' cache behavior as plain data, from what they are given.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { createVariantRouting, resizerOrigin, variantCacheBehavior } from "../../components/variant-routing";
import { acceptFunctionSource } from "../../edge/accept-function";
import { parent, withVariants } from "./support/builders";
import { deploy, ofType, RecordedResource, single, T } from "./support/mocks";

const CATALOGUE = { thumb: { width: 256, height: 256, formats: ["webp" as const, "jpeg" as const] } };

describe("components/variant-routing: the way to the resizer", () => {
    describe("createVariantRouting, a required and a secured instance", () => {
        let resources: RecordedResource[];
        let returned: Record<string, string>;
        const photos = withVariants({ service: "photos", variants: CATALOGUE });
        before(async () => {
            const deployment = await deploy(() => {
                const owner = parent();
                const required = createVariantRouting("photos", photos, owner);
                const secured = createVariantRouting("vault", withVariants({ service: "vault", level: "secured", variants: CATALOGUE }), owner);
                return {
                    requiredOac: required.oac.urn,
                    requiredAccept: required.acceptFunction?.urn ?? "none",
                    securedOac: secured.oac.urn,
                    securedAccept: secured.acceptFunction?.urn ?? "none",
                };
            });
            resources = deployment.resources;
            returned = Object.fromEntries(Object.entries(deployment.outputs).map(([key, urn]) => [key, String(urn).split("::").pop() ?? ""]));
        });

        it("each instance: its own OAC of type lambda, signing always with SigV4, described for its service, under the parent, returned", () => {
            for (const [service, key] of [
                ["photos", "requiredOac"],
                ["vault", "securedOac"],
            ] as const) {
                const oac = single(resources, T.oac, `${service}-resizer-oac`);
                expect(oac.inputs, service).to.deep.include({
                    description: `${service} image CDN invokes its resizer's function URL`,
                    originAccessControlOriginType: "lambda",
                    signingBehavior: "always",
                    signingProtocol: "sigv4",
                });
                expect([oac.parent, returned[key]], service).to.deep.equal(["images", `${service}-resizer-oac`]);
            }
        });

        it("at required, the published CloudFront Function negotiating this catalogue, under the parent, returned; at secured none made and none returned", () => {
            const accept = single(resources, T.cloudFrontFunction);
            expect(accept.name).to.equal("photos-formats");
            expect(accept.inputs).to.deep.include({ comment: "photos images: variant format from Accept", publish: true, code: acceptFunctionSource(photos.variants) });
            expect(accept.parent).to.equal("images");
            expect(returned.requiredAccept).to.equal("photos-formats");
            expect(returned.securedAccept).to.equal("none");
            expect(ofType(resources, T.cloudFrontFunction, "vault")).to.deep.equal([]);
        });
    });

    it("resizerOrigin: the host and OAC given, HTTPS only with TLS 1.2, waiting as long as CloudFront lets a custom origin answer", () => {
        const oacId = pulumi.output("E3OAC");
        expect(resizerOrigin("abc.lambda-url.eu-west-1.on.aws", oacId)).to.deep.equal({
            originId: "resizer",
            domainName: "abc.lambda-url.eu-west-1.on.aws",
            originAccessControlId: oacId,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], originReadTimeout: 30 },
        });
    });

    it("variantCacheBehavior: /images/*/* to the resizer with the policies and associations given; the CloudFront Function on viewer-request only when given one", () => {
        const associations = [{ eventType: "origin-request", lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:photos-edge:7", includeBody: false }];
        const inputs = { cachePolicyId: "cache-1", responseHeadersPolicyId: "headers-1", lambdaFunctionAssociations: associations };
        const without = variantCacheBehavior(inputs);
        expect(without).to.deep.include({ pathPattern: "/images/*/*", targetOriginId: "resizer", cachePolicyId: "cache-1", responseHeadersPolicyId: "headers-1", functionAssociations: [] });
        expect(without.lambdaFunctionAssociations).to.equal(associations);
        const arn = "arn:aws:cloudfront::123456789012:function/photos-formats";
        expect(variantCacheBehavior({ ...inputs, acceptFunctionArn: arn }).functionAssociations).to.deep.equal([{ eventType: "viewer-request", functionArn: arn }]);
    });
});
