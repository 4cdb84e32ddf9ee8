/**
 * The resizer's limits as figures the handler and the settings rely on:
 * the largest variant whose base64 body, beside the envelope, still fits a
 * Lambda function URL's 6 MB response and whose next three bytes would
 * not; base64 lengths as Node writes them; the input-pixel default within
 * its maximum (sharp's own default); and AVIF's quality at 5/8 of a
 * preset's, never below 1.
 */
import { expect } from "chai";
import {
    avifQuality,
    base64Length,
    DEFAULT_LIMIT_INPUT_PIXELS,
    LAMBDA_MAX_RESPONSE_PAYLOAD_BYTES,
    MAX_LIMIT_INPUT_PIXELS,
    MAX_VARIANT_BYTES,
    RESPONSE_ENVELOPE_RESERVE_BYTES,
} from "../../resizer/limits";

describe("resizer/limits", () => {
    it("base64Length is the length of Node's base64 of that many bytes", () => {
        for (let bytes = 0; bytes <= 10; bytes++) expect(base64Length(bytes), String(bytes)).to.equal(Buffer.alloc(bytes).toString("base64").length);
        expect(base64Length(3_000_001)).to.equal(Buffer.alloc(3_000_001).toString("base64").length);
    });

    it("the largest variant fits the 6 MB payload beside the envelope, and three bytes more would not", () => {
        expect(LAMBDA_MAX_RESPONSE_PAYLOAD_BYTES).to.equal(6 * 1024 * 1024);
        const room = LAMBDA_MAX_RESPONSE_PAYLOAD_BYTES - RESPONSE_ENVELOPE_RESERVE_BYTES;
        expect(base64Length(MAX_VARIANT_BYTES)).to.be.at.most(room);
        expect(base64Length(MAX_VARIANT_BYTES + 3)).to.be.above(room);
        expect(MAX_VARIANT_BYTES).to.equal(4_706_304);
    });

    it("the input-pixel default lets a 100 MP photo through and stays within sharp's own default, the maximum", () => {
        expect(DEFAULT_LIMIT_INPUT_PIXELS).to.equal(100_000_000);
        expect(MAX_LIMIT_INPUT_PIXELS).to.equal(16383 * 16383);
        expect(DEFAULT_LIMIT_INPUT_PIXELS).to.be.below(MAX_LIMIT_INPUT_PIXELS);
    });

    it("AVIF quality is 5/8 of the preset's, rounded, never below 1", () => {
        expect(avifQuality(80)).to.equal(50);
        expect(avifQuality(100)).to.equal(63);
        expect(avifQuality(75)).to.equal(47);
        expect(avifQuality(1)).to.equal(1);
        expect(avifQuality(0)).to.equal(1);
    });
});
