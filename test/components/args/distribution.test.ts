/**
 * The distribution group (components/args/distribution.ts): custom domains
 * with their certificate, the price class and the metrics switch; aliases
 * and the certificate given as Outputs are checked when they resolve, with
 * the message a plain value gets.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { checkAliasList, checkedAliases, checkedCertificateArn, DISTRIBUTION_DEFAULTS, DISTRIBUTION_INPUTS, resolveDistribution, validateCertificateArn } from "../../../components/args/distribution";
import { deploy } from "../support/mocks";
import { rejection, thrown } from "../../support/rejection";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0d4e5f6a-1111-2222-3333-444455556666";

/** A value known only once the deployment runs. */
function later<T>(value: T): pulumi.Output<pulumi.Unwrap<T>> {
    return pulumi.output(new Promise<T>((resolve) => setImmediate(() => resolve(value))));
}

describe("args: the distribution's domains, price class and metrics", () => {
    it("nothing given: the cloudfront.net domain, PriceClass_100, additional metrics on", () => {
        expect(resolveDistribution({})).to.deep.equal({ aliases: [], certificateArn: undefined, priceClass: "PriceClass_100", additionalMetrics: true });
        expect(DISTRIBUTION_DEFAULTS).to.deep.equal({ aliases: [], priceClass: "PriceClass_100", additionalMetrics: true });
        expect([...DISTRIBUTION_INPUTS], "the one field that may itself be an Output").to.deep.equal(["certificateArn"]);
    });

    it("aliases and a certificate come together, the certificate in us-east-1", () => {
        expect(resolveDistribution({ aliases: ["img.example.com"], certificateArn: CERT })).to.include({ certificateArn: CERT });
        expect(() => resolveDistribution({ aliases: ["img.example.com"] })).to.throw(/^aliases need certificateArn/);
        expect(() => resolveDistribution({ certificateArn: CERT })).to.throw(/^certificateArn is set but aliases is empty/);
        expect(() => resolveDistribution({ aliases: ["img.example.com"], certificateArn: CERT.replace("us-east-1", "eu-west-1") })).to.throw(/^certificateArn must be a certificate in us-east-1/);
        expect(() => resolveDistribution({ priceClass: "PriceClass_50" as never })).to.throw(/^priceClass must be one of PriceClass_100, PriceClass_200, PriceClass_All/);
        expect(() => resolveDistribution({ additionalMetrics: "yes" as never })).to.throw(/^additionalMetrics must be true or false/);
    });

    it("plain aliases are checked up front, Output ones kept for later", () => {
        expect(() => resolveDistribution({ aliases: ["IMG.example.com"], certificateArn: CERT })).to.throw(/^aliases must be lowercase domain names/);
        const pending = later("img.example.com");
        expect(resolveDistribution({ aliases: [pending], certificateArn: later(CERT) }).aliases).to.deep.equal([pending]);
    });

    it("Output aliases and certificate: checked when they resolve, with the plain value's message", async () => {
        const duplicate = thrown(() => checkAliasList(["img.example.com", "img.example.com"]), Error).message;
        expect((await rejection(deploy(() => ({ aliases: checkedAliases([later("img.example.com"), "img.example.com"]) })), Error)).message).to.equal(duplicate);
        const elsewhere = CERT.replace("us-east-1", "eu-west-1");
        const wrongRegion = thrown(() => validateCertificateArn(elsewhere), Error).message;
        expect((await rejection(deploy(() => ({ certificate: checkedCertificateArn(later(elsewhere)) })), Error)).message).to.equal(wrongRegion);
        const { outputs } = await deploy(() => ({ aliases: checkedAliases([later("img.example.com"), "cdn.example.com"]), certificate: checkedCertificateArn(later(CERT)) }));
        expect(outputs).to.deep.equal({ aliases: ["img.example.com", "cdn.example.com"], certificate: CERT });
    });
});
