import { expect } from "chai";
import { memoTrustSeconds, readsReplicas, revocationBounds } from "../../core/revocation";

describe("edge revocation bounds (what the issuer promises, computed from the edge's settings)", () => {
    it("trusts the memo for memoTtlSeconds, and in redirect mode for at most half a URL's life", () => {
        expect(memoTrustSeconds({ mode: "origin", memoTtlSeconds: 60, signedUrlTtlSeconds: 10 })).to.equal(60);
        expect(memoTrustSeconds({ mode: "redirect", memoTtlSeconds: 60, signedUrlTtlSeconds: 300 })).to.equal(60);
        expect(memoTrustSeconds({ mode: "redirect", memoTtlSeconds: 60, signedUrlTtlSeconds: 41 })).to.equal(20);
        expect(memoTrustSeconds({ mode: "redirect", memoTtlSeconds: 0, signedUrlTtlSeconds: 300 })).to.equal(0);
    });

    it("gives each level and mode its bound, in seconds after the mapping is deleted", () => {
        const defaults = { memoTtlSeconds: 60, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 30 };
        // required: a warm container's memo; redirect adds the life of URLs handed out before.
        expect(revocationBounds({ level: "required", mode: "origin", ...defaults })).to.deep.equal({ hashUrlSeconds: 60, objectSeconds: 60 });
        // origin: the invalidator's second invalidation when it comes after the memo's window.
        expect(revocationBounds({ level: "required", mode: "origin", ...defaults, reinvalidateAfterSeconds: 75 })).to.deep.equal({ hashUrlSeconds: 75, objectSeconds: 75 });
        expect(revocationBounds({ level: "required", mode: "redirect", ...defaults, reinvalidateAfterSeconds: 75 }), "CloudFront keeps no 302").to.deep.equal({ hashUrlSeconds: 60, objectSeconds: 300 });
        expect(revocationBounds({ level: "required", mode: "redirect", ...defaults })).to.deep.equal({ hashUrlSeconds: 60, objectSeconds: 300 });
        // secured (memo off by default): the very next request, whatever CloudFront keeps; a URL handed out before lives on in redirect mode.
        expect(revocationBounds({ level: "secured", mode: "origin", memoTtlSeconds: 0, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 })).to.deep.equal({ hashUrlSeconds: 0, objectSeconds: 0 });
        expect(revocationBounds({ level: "secured", mode: "redirect", memoTtlSeconds: 0, signedUrlTtlSeconds: 120, reinvalidateAfterSeconds: 75 })).to.deep.equal({ hashUrlSeconds: 0, objectSeconds: 120 });
        // A secured service given a memo waits for it like required does.
        expect(revocationBounds({ level: "secured", mode: "origin", memoTtlSeconds: 5, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 })).to.deep.equal({ hashUrlSeconds: 5, objectSeconds: 5 });
    });

    it("says when the bounds wait for replication too: answers may come from a replica", () => {
        const replicaRegions = ["us-east-1"];
        expect(readsReplicas({ level: "required", replicaRegions })).to.equal(true);
        expect(readsReplicas({ level: "required" })).to.equal(false);
        expect(readsReplicas({ level: "secured", replicaRegions }), "secured reads home by default").to.equal(false);
        expect(readsReplicas({ level: "secured", replicaRegions, securedReads: "nearest" })).to.equal(true);
    });
});
