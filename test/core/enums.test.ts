/**
 * The enums every part shares (core/enums.ts): the values are the strings of
 * the public API (the component's args, Pulumi's schema, the issuer's
 * config) and of the APIs they are passed to (CloudFront's price classes,
 * sharp's fits), so each list is written out here rather than taken from
 * the code, in the order the code documents.
 */
import { expect } from "chai";
import sharp from "sharp";
import {
    DEFAULT_DELIVERY_MODE,
    DELIVERY_MODES,
    GUARDED_LEVELS,
    PRICE_CLASSES,
    SECURED_READS,
    SECURITY_LEVELS,
    TABLE_ENCRYPTIONS,
    VariantFit,
    VariantFormat,
} from "../../core/enums";

describe("shared enums (core/enums.ts)", () => {
    it("three price classes (Choose the price class for a CloudFront distribution)", () => {
        expect([...PRICE_CLASSES]).to.deep.equal(["PriceClass_100", "PriceClass_200", "PriceClass_All"]);
    });

    it("three security levels, least to most guarded; the guarded ones are every level but public", () => {
        expect([...SECURITY_LEVELS]).to.deep.equal(["public", "required", "secured"]);
        expect([...GUARDED_LEVELS]).to.deep.equal(SECURITY_LEVELS.filter((level) => level !== "public"));
    });

    it("two delivery modes, origin unless told otherwise; two places secured reads from; three table encryptions", () => {
        expect([...DELIVERY_MODES]).to.deep.equal(["origin", "redirect"]);
        expect(DEFAULT_DELIVERY_MODE).to.equal("origin");
        expect([...SECURED_READS]).to.deep.equal(["home", "nearest"]);
        expect([...TABLE_ENCRYPTIONS]).to.deep.equal(["aws-owned", "aws-managed-kms", "customer-managed-kms"]);
    });

    it("variant formats in sharp's order, and fits that are sharp's own names (the resizer passes them to resize as they are)", () => {
        expect(Object.values(VariantFormat)).to.deep.equal(["avif", "webp", "jpeg", "png"]);
        expect(Object.values(VariantFit)).to.deep.equal(["cover", "inside"]);
        const sharpFits: string[] = Object.values(sharp.fit);
        expect(Object.values(VariantFit).filter((fit) => !sharpFits.includes(fit)), "fits sharp does not know").to.deep.equal([]);
    });
});
