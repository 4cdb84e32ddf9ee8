/**
 * The enums every part shares (core/enums.ts): the values are the strings of
 * the public API (the component's args, Pulumi's schema, the issuer's
 * config) and of the AWS APIs they are passed to, so each list is written
 * out here rather than taken from the code.
 */
import { expect } from "chai";
import { PRICE_CLASSES } from "../../core/enums";

describe("shared enums (core/enums.ts)", () => {
    it("three price classes (Choose the price class for a CloudFront distribution)", () => {
        expect([...PRICE_CLASSES]).to.deep.equal(["PriceClass_100", "PriceClass_200", "PriceClass_All"]);
    });
});
