/**
 * A response headers policy as the CloudFront emulator applies it to every
 * response it sends (local/cloudfront/response-headers.ts): the headers it
 * removes, in any case; a header with `override` replacing the origin's
 * value; one without it added only where the origin sent none. Pure.
 */
import { expect } from "chai";
import type { HeaderList } from "../../../local/cloudfront/headers";
import { applyResponseHeadersPolicy, NO_RESPONSE_HEADERS_POLICY } from "../../../local/cloudfront/response-headers";

describe("local CloudFront emulator: response headers policy", () => {
    const fromOrigin: HeaderList = [
        ["Content-Type", "image/png"],
        ["cache-control", "max-age=600"],
        ["X-Amz-Request-Id", "R1"],
        ["x-amz-id-2", "I2"],
    ];

    it("removes the listed headers whatever their case", () => {
        const result = applyResponseHeadersPolicy(fromOrigin, { headers: [], remove: ["x-amz-request-id", "X-AMZ-ID-2"] });
        expect(result).to.deep.equal([
            ["Content-Type", "image/png"],
            ["cache-control", "max-age=600"],
        ]);
    });

    it("a header with override replaces the origin's; one without is added only when the origin sent none", () => {
        const result = applyResponseHeadersPolicy(fromOrigin, {
            headers: [
                { name: "Cache-Control", value: "private, no-cache", override: false },
                { name: "Content-Type", value: "application/octet-stream", override: true },
                { name: "X-Content-Type-Options", value: "nosniff", override: false },
            ],
        });
        expect(result.filter(([name]) => name.toLowerCase() === "cache-control")).to.deep.equal([["cache-control", "max-age=600"]]);
        expect(result.filter(([name]) => name.toLowerCase() === "content-type")).to.deep.equal([["Content-Type", "application/octet-stream"]]);
        expect(result).to.deep.include(["X-Content-Type-Options", "nosniff"]);
    });

    it("removal comes first: a removed header the policy also sets is the policy's value", () => {
        const result = applyResponseHeadersPolicy(fromOrigin, { headers: [{ name: "Cache-Control", value: "no-store", override: false }], remove: ["cache-control"] });
        expect(result.filter(([name]) => name.toLowerCase() === "cache-control")).to.deep.equal([["Cache-Control", "no-store"]]);
    });

    it("no policy leaves the headers as they came", () => {
        expect(applyResponseHeadersPolicy(fromOrigin, NO_RESPONSE_HEADERS_POLICY)).to.deep.equal(fromOrigin);
    });
});
