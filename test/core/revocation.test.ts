/**
 * The revocation arithmetic the invalidator, the issuer and the docs share
 * (core/revocation.ts): which instances run the invalidator, the paths of a
 * hash, the delay of the second invalidation term by term, what an erasure
 * promises, and the revocation bounds of each level and mode with when they
 * wait for replication too.
 */
import { expect } from "chai";
import { DEFAULT_EDGE_TIMEOUT_SECONDS, S3_ORIGIN_TIMEOUTS } from "../../core/bounds";
import { MAX_INVALIDATION_PATHS, MAX_SQS_DELAY_SECONDS, MAX_WILDCARD_INVALIDATION_PATHS, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS } from "../../core/limits";
import { newHash } from "../../core/contract";
import {
    DEFAULT_REINVALIDATE_AFTER_SECONDS,
    erasureBounds,
    hasInvalidator,
    hashCachePaths,
    maxPathsPerInvalidation,
    memoTrustSeconds,
    readsReplicas,
    REINVALIDATION_MARGIN_SECONDS,
    reinvalidationDelay,
    revocationBounds,
} from "../../core/revocation";
import { DEFAULT_VARIANT_PRESETS, parseVariantPath, presetFormats, variantPath } from "../../core/variants";
import { invalidationMatches } from "../../local/cloudfront/cache";

const HASH = "0123456789abcdef0123456789abcdef";

describe("revocation arithmetic (core/revocation.ts)", () => {
    it("runs the invalidator only where CloudFront serves a cached copy without asking the edge: required + origin", () => {
        expect(hasInvalidator({ level: "required", mode: "origin" })).to.equal(true);
        expect(hasInvalidator({ level: "required", mode: "redirect" })).to.equal(false);
        expect(hasInvalidator({ level: "secured", mode: "origin" })).to.equal(false);
        expect(hasInvalidator({ level: "secured", mode: "redirect" })).to.equal(false);
        expect(hasInvalidator({ level: "public" })).to.equal(false);
    });

    it("with variants (or when the caller cannot tell): one wildcard path that covers the original and every variant of the hash, and no other hash", () => {
        const hash = newHash();
        const paths = hashCachePaths(hash);
        expect(paths).to.deep.equal([`/images/${hash}*`]);
        expect(hashCachePaths(hash, { variants: true })).to.deep.equal(paths);
        const covered = (uri: string) => paths.some((path) => invalidationMatches(path, uri));
        expect(covered(`/images/${hash}`)).to.equal(true);
        for (const [preset, formats] of Object.entries(presetFormats(DEFAULT_VARIANT_PRESETS))) {
            expect(parseVariantPath(variantPath(hash, preset), DEFAULT_VARIANT_PRESETS), preset).to.not.equal(undefined);
            expect(covered(variantPath(hash, preset)), preset).to.equal(true);
            for (const format of formats) expect(covered(variantPath(hash, preset, format)), `${preset}.${format}`).to.equal(true);
            expect(covered(variantPath(hash, preset, "fallback")), `${preset}.fallback`).to.equal(true);
        }
        // A preset no longer in the catalogue keeps its cached copies: covered too.
        expect(covered(variantPath(hash, "retired", "webp"))).to.equal(true);
        const other = newHash();
        expect(covered(`/images/${other}`)).to.equal(false);
        expect(covered(variantPath(other, "thumb"))).to.equal(false);
    });

    it("without variants: the exact path, which counts against 3,000 in progress rather than 15", () => {
        const paths = hashCachePaths(HASH, { variants: false });
        expect(paths).to.deep.equal([`/images/${HASH}`]);
        expect(maxPathsPerInvalidation(paths)).to.equal(MAX_INVALIDATION_PATHS);
        expect(maxPathsPerInvalidation([...paths, ...hashCachePaths(HASH)])).to.equal(MAX_WILDCARD_INVALIDATION_PATHS);
    });

    it("refuses what is not a hash rather than invalidating a stray path", () => {
        expect(() => hashCachePaths("object#s3://b/k")).to.throw(/^not a hash/);
        expect(() => hashCachePaths(`${HASH}*`)).to.throw(/^not a hash/);
    });

    it("adds up the delay of the second invalidation from the edge's timeout and the S3 origin's timeouts", () => {
        const delay = reinvalidationDelay({ edgeTimeoutSeconds: 5 });
        expect(delay).to.deep.equal({
            originRequestSeconds: 5,
            originConnectSeconds: S3_ORIGIN_TIMEOUTS.connectionAttempts * S3_ORIGIN_TIMEOUTS.connectionTimeoutSeconds,
            originResponseSeconds: S3_ORIGIN_TIMEOUTS.responseCompletionTimeoutSeconds,
            originResponseFunctionSeconds: 5,
            marginSeconds: REINVALIDATION_MARGIN_SECONDS,
            totalSeconds: 5 + 30 + 30 + 5 + 5,
        });
        expect(DEFAULT_REINVALIDATE_AFTER_SECONDS).to.equal(reinvalidationDelay({ edgeTimeoutSeconds: DEFAULT_EDGE_TIMEOUT_SECONDS }).totalSeconds);
        // A longer function timeout stretches it by twice as much: the function runs on both origin events.
        expect(reinvalidationDelay({ edgeTimeoutSeconds: 30 }).totalSeconds - delay.totalSeconds).to.equal(50);
    });

    it("stays within SQS's longest message delay at the edge's longest timeout", () => {
        expect(reinvalidationDelay({ edgeTimeoutSeconds: ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS }).totalSeconds).to.be.at.most(MAX_SQS_DELAY_SECONDS);
        expect(() => reinvalidationDelay({ edgeTimeoutSeconds: 500 })).to.throw(/over SQS's longest message delay \(900 s\)/);
    });

    it("erasureBounds: no byte from the moment it returns; cached copies wait for the invalidation at required only, a raced copy for the invalidator's second one at required + origin; the hash URL keeps the memo's window", () => {
        const cases = [
            [{ level: "required", mode: "origin", memoTtlSeconds: 60, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 }, { bytesSeconds: 0, cachedUntilInvalidated: true, hashUrlSeconds: 60, racedCopySeconds: 75 }],
            [{ level: "required", mode: "redirect", memoTtlSeconds: 60, signedUrlTtlSeconds: 40, reinvalidateAfterSeconds: 75 }, { bytesSeconds: 0, cachedUntilInvalidated: true, hashUrlSeconds: 20, racedCopySeconds: 0 }],
            [{ level: "secured", mode: "origin", memoTtlSeconds: 0, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 }, { bytesSeconds: 0, cachedUntilInvalidated: false, hashUrlSeconds: 0, racedCopySeconds: 0 }],
            [{ level: "secured", mode: "redirect", memoTtlSeconds: 0, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 }, { bytesSeconds: 0, cachedUntilInvalidated: false, hashUrlSeconds: 0, racedCopySeconds: 0 }],
        ] as const;
        for (const [settings, expected] of cases) {
            expect(erasureBounds(settings), `${settings.level} + ${settings.mode}`).to.deep.equal(expected);
            // The memo's window stays as in a revocation; in origin mode the later of it and a raced copy's is the revocation's bound.
            expect(erasureBounds(settings).hashUrlSeconds).to.equal(memoTrustSeconds(settings));
            if (settings.mode === "origin") expect(Math.max(erasureBounds(settings).hashUrlSeconds, erasureBounds(settings).racedCopySeconds)).to.equal(revocationBounds(settings).objectSeconds);
        }
    });
});

describe("revocation bounds (core/revocation.ts: what the issuer promises, computed from the edge's settings)", () => {
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
