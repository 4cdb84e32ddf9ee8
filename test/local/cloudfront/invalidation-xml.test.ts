/**
 * The CloudFront API's InvalidationBatch XML as the local CloudFront API
 * reads it (local/cloudfront/invalidation-xml.ts): the paths and the caller
 * reference with XML entities decoded, and CloudFront's own error codes for
 * a batch CloudFront refuses. Pure: no server (the API over HTTP is in
 * control-api.test.ts).
 */
import { expect } from "chai";
import { CloudFrontApiError, parseInvalidationBatch } from "../../../local/cloudfront/invalidation-xml";
import { thrown } from "../../support/rejection";

const XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

function batch(paths: string[], ref = "ref-1", quantity = paths.length): string {
    const items = paths.map((p) => `<Path>${p}</Path>`).join("");
    return `<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="${XMLNS}"><Paths><Quantity>${quantity}</Quantity><Items>${items}</Items></Paths><CallerReference>${ref}</CallerReference></InvalidationBatch>`;
}

function errorCode(fn: () => unknown): string {
    return thrown(fn, CloudFrontApiError).code;
}

describe("local CloudFront API: invalidations", () => {
    describe("InvalidationBatch XML (pure)", () => {
        it("reads the paths and the caller reference, decoding XML entities", () => {
            expect(parseInvalidationBatch(batch(["/images/a", "/images/b&amp;c*"], "r&lt;1&gt;"))).to.deep.equal({
                paths: ["/images/a", "/images/b&c*"],
                callerReference: "r<1>",
            });
        });
        it("refuses what CloudFront refuses", () => {
            expect(errorCode(() => parseInvalidationBatch(batch(["/a", "/b"], "r", 3)))).to.equal("InconsistentQuantities");
            expect(errorCode(() => parseInvalidationBatch(batch(["images/a"])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch(batch(["/a*b"])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch(batch([])))).to.equal("InvalidArgument");
            expect(errorCode(() => parseInvalidationBatch("<Nope/>"))).to.equal("MalformedXML");
            expect(errorCode(() => parseInvalidationBatch(batch(["/a"], "")))).to.equal("MalformedXML");
        });
    });
});
