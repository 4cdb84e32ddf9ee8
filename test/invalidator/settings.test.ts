/**
 * The invalidator's settings: one environment variable of JSON, written by
 * the component, read back as written and checked field by field; a missing
 * or bad field is refused with an error naming it.
 */
import { expect } from "chai";
import { parseInvalidatorSettings } from "../../invalidator/settings";
import { SETTINGS } from "./fixtures";

describe("invalidator settings", () => {
    it("reads back what the component writes", () => {
        const withVariants = { ...SETTINGS, variants: true };
        expect(parseInvalidatorSettings(JSON.stringify(withVariants))).to.deep.equal(withVariants);
        expect(parseInvalidatorSettings(JSON.stringify({ ...SETTINGS, extra: "ignored" }))).to.deep.equal(SETTINGS);
    });

    it("refuses missing or bad settings, naming the field", () => {
        const cases: [string | undefined, RegExp][] = [
            [undefined, /^INVALIDATOR_SETTINGS is not set$/],
            ["{", /is not JSON/],
            ["[]", /must be a JSON object/],
            [JSON.stringify({ ...SETTINGS, service: "Chat!" }), /service must be a service name/],
            [JSON.stringify({ ...SETTINGS, region: "europe" }), /region must be an AWS region name/],
            [JSON.stringify({ ...SETTINGS, distributionId: "e-1" }), /distributionId must be a CloudFront distribution id/],
            [JSON.stringify({ ...SETTINGS, queueUrl: "queue" }), /queueUrl must be an SQS queue URL/],
            [JSON.stringify({ ...SETTINGS, reinvalidateAfterSeconds: 901 }), /reinvalidateAfterSeconds must be a whole number from 1 to 900/],
            [JSON.stringify({ ...SETTINGS, reinvalidateAfterSeconds: 0 }), /reinvalidateAfterSeconds must be a whole number/],
            [JSON.stringify({ ...SETTINGS, variants: undefined }), /variants must be true or false/],
            [JSON.stringify({ ...SETTINGS, variants: { thumb: ["webp"] } }), /variants must be true or false/],
        ];
        for (const [text, message] of cases) expect(() => parseInvalidatorSettings(text), String(text)).to.throw(message);
    });
});
