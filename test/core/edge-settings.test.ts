/**
 * What core/edge-settings.ts derives from an instance's settings: the
 * CloudFront events its edge function is associated with, by level and
 * mode, how long CloudFront may keep each error the edge answers (the same
 * figures the distribution's errorCachingMinTtl gets), and the header that
 * carries a hash's expiry from origin-request to origin-response.
 */
import { expect } from "chai";
import { edgeEventTypes, errorCachingSeconds, EXPIRES_AT_HEADER, EXPIRES_AT_HEADER_NAME } from "../../core/edge-settings";

describe("edge settings (core/edge-settings.ts)", () => {
    it("associates the function with the events each level and mode needs", () => {
        expect(edgeEventTypes("required", "origin")).to.deep.equal(["origin-request", "origin-response"]);
        expect(edgeEventTypes("required", "redirect")).to.deep.equal(["origin-request"]);
        expect(edgeEventTypes("secured", "origin")).to.deep.equal(["viewer-request", "origin-response"]);
        expect(edgeEventTypes("secured", "redirect")).to.deep.equal(["viewer-request"]);
    });

    it("caches an expired hash's 403 for a minute, an unknown hash's 404 for notFoundTtlSeconds, and no 5xx at all", () => {
        expect(errorCachingSeconds({ notFoundTtlSeconds: 10 })).to.deep.equal({ 403: 60, 404: 10, 500: 0, 502: 0, 503: 0, 504: 0 });
        expect(errorCachingSeconds({ notFoundTtlSeconds: 0 })[404]).to.equal(0);
        expect(errorCachingSeconds({ notFoundTtlSeconds: 3600 })[404]).to.equal(3600);
    });

    it("passes the hash's expiry in X-Image-Expires-At, keyed by its lowercase name as CloudFront's header maps are", () => {
        expect(EXPIRES_AT_HEADER_NAME).to.equal("X-Image-Expires-At");
        expect(EXPIRES_AT_HEADER).to.equal("x-image-expires-at");
    });
});
