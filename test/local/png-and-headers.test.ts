import { expect } from "chai";
import { inflateSync } from "zlib";
import { policyFromArgs } from "../../local/cloudfront/policy-args";
import { checkerPng, samplePng } from "../../local/png";
import { responseHeaders } from "../../components/distribution";

describe("local stack: sample image and response headers policy", () => {
    it("makes a PNG that a magic-byte sniffer and a decoder accept, with the requested size", async () => {
        const png = checkerPng({ width: 5, height: 3, square: 2, colors: [[0, 0, 0], [255, 255, 255]] });
        const { fileTypeFromBuffer } = await import("file-type");
        expect(await fileTypeFromBuffer(png)).to.deep.equal({ ext: "png", mime: "image/png" });
        expect(png.readUInt32BE(16)).to.equal(5);
        expect(png.readUInt32BE(20)).to.equal(3);
        const idatLength = png.readUInt32BE(33);
        expect(png.toString("ascii", 37, 41)).to.equal("IDAT");
        const raw = inflateSync(png.subarray(41, 41 + idatLength));
        expect(raw.length).to.equal(3 * (1 + 5 * 3));
        // Row 0: filter byte, then black, black, white, white, black.
        expect([...raw.subarray(1, 16)]).to.deep.equal([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0]);
    });

    it("gives each service its own sample", () => {
        expect(samplePng("chat")).to.not.deep.equal(samplePng("discussion"));
        expect(samplePng("chat")).to.deep.equal(samplePng("chat"));
    });

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
