import { expect } from "chai";
import { newHash } from "../../core/contract";
import { erasureBounds, hashCachePaths, revocationBounds } from "../../core/revocation";
import { variantPath } from "../../core/variants";
import { invalidationMatches } from "../../local/cloudfront/cache";

describe("core: what revocation and erasure invalidate and promise", () => {
    it("hashCachePaths: one wildcard path that covers the original and every variant of the hash, and no other hash", () => {
        const hash = newHash();
        const paths = hashCachePaths(hash);
        expect(paths).to.deep.equal([`/images/${hash}*`]);
        const covered = (uri: string) => paths.some((path) => invalidationMatches(path, uri));
        expect(covered(`/images/${hash}`)).to.equal(true);
        expect(covered(variantPath(hash, "thumb"))).to.equal(true);
        expect(covered(variantPath(hash, "large", "avif"))).to.equal(true);
        const other = newHash();
        expect(covered(`/images/${other}`)).to.equal(false);
        expect(covered(variantPath(other, "thumb"))).to.equal(false);
    });

    it("erasureBounds: no byte from the moment it returns; cached copies wait for the invalidation at required only; the hash URL keeps the memo's window", () => {
        const cases = [
            [{ level: "required", mode: "origin", memoTtlSeconds: 60, signedUrlTtlSeconds: 300 }, { bytesSeconds: 0, cachedUntilInvalidated: true, hashUrlSeconds: 60 }],
            [{ level: "required", mode: "redirect", memoTtlSeconds: 60, signedUrlTtlSeconds: 40 }, { bytesSeconds: 0, cachedUntilInvalidated: true, hashUrlSeconds: 20 }],
            [{ level: "secured", mode: "origin", memoTtlSeconds: 0, signedUrlTtlSeconds: 300 }, { bytesSeconds: 0, cachedUntilInvalidated: false, hashUrlSeconds: 0 }],
            [{ level: "secured", mode: "redirect", memoTtlSeconds: 0, signedUrlTtlSeconds: 300 }, { bytesSeconds: 0, cachedUntilInvalidated: false, hashUrlSeconds: 0 }],
        ] as const;
        for (const [settings, expected] of cases) {
            expect(erasureBounds(settings), `${settings.level} + ${settings.mode}`).to.deep.equal(expected);
            // Erasure never promises less than revocation: the object's bound drops to 0, the hash URL's stays.
            expect(erasureBounds(settings).hashUrlSeconds).to.equal(revocationBounds(settings).hashUrlSeconds);
        }
    });
});
