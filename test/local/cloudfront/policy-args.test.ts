/**
 * The component's response headers policy turned into the headers the
 * CloudFront emulator sends (local/cloudfront/policy-args.ts): the security
 * headers with their override flags, the headers removed, and a policy body
 * with values it cannot read refused. Pure: the component's own
 * `responseHeaders` args, no Pulumi runtime.
 */
import { expect } from "chai";
import { responseHeaders } from "../../../components/distribution";
import { policyFromArgs } from "../../../local/cloudfront/policy-args";

describe("local stack: response headers policy", () => {
    it("turns the component's response headers policy into the headers CloudFront sends", () => {
        const required = policyFromArgs(responseHeaders("required"));
        const byName = Object.fromEntries(required.headers.map((header) => [header.name, header]));
        expect(byName["X-Content-Type-Options"]).to.deep.equal({ name: "X-Content-Type-Options", value: "nosniff", override: true });
        expect(byName["Content-Security-Policy"].value).to.contain("default-src 'none'");
        expect(byName["X-Frame-Options"].value).to.equal("DENY");
        expect(byName["Strict-Transport-Security"].value).to.match(/^max-age=\d+/);
        expect(required.remove).to.include("x-amz-request-id");
        const secured = policyFromArgs(responseHeaders("secured"));
        expect(secured.headers.find((header) => header.name === "Cache-Control")).to.include({ override: true });
    });

    it("refuses a policy body with values it cannot read (e.g. a promise)", () => {
        expect(() => policyFromArgs({ securityHeadersConfig: Promise.resolve({}) })).to.throw(/plain object/);
        expect(() => policyFromArgs({ customHeadersConfig: { items: [{ header: "X", value: 1, override: true }] } })).to.throw(/value/);
    });
});
