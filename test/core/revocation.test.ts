/**
 * The revocation arithmetic the invalidator, the issuer and the docs share
 * (core/revocation.ts): which instances run the invalidator, the paths of a
 * hash, and the delay of the second invalidation term by term.
 */
import { expect } from "chai";
import { DEFAULT_EDGE_TIMEOUT_SECONDS, S3_ORIGIN_TIMEOUTS } from "../../core/bounds";
import { MAX_SQS_DELAY_SECONDS, ORIGIN_TRIGGER_MAX_TIMEOUT_SECONDS } from "../../core/limits";
import {
    DEFAULT_REINVALIDATE_AFTER_SECONDS,
    hasInvalidator,
    hashCachePaths,
    REINVALIDATION_MARGIN_SECONDS,
    reinvalidationDelay,
} from "../../core/revocation";
import { DEFAULT_VARIANT_PRESETS, parseVariantPath, presetFormats } from "../../core/variants";

const HASH = "0123456789abcdef0123456789abcdef";

describe("revocation arithmetic (core/revocation.ts)", () => {
    it("runs the invalidator only where CloudFront serves a cached copy without asking the edge: required + origin", () => {
        expect(hasInvalidator({ level: "required", mode: "origin" })).to.equal(true);
        expect(hasInvalidator({ level: "required", mode: "redirect" })).to.equal(false);
        expect(hasInvalidator({ level: "secured", mode: "origin" })).to.equal(false);
        expect(hasInvalidator({ level: "secured", mode: "redirect" })).to.equal(false);
        expect(hasInvalidator({ level: "public" })).to.equal(false);
    });

    it("lists a hash's exact path, and with variants every preset's negotiated path and one per token", () => {
        expect(hashCachePaths(HASH)).to.deep.equal([`/images/${HASH}`]);
        const paths = hashCachePaths(HASH, { thumb: ["avif", "webp"], large: ["jpeg"] });
        expect(paths).to.deep.equal([
            `/images/${HASH}`,
            `/images/${HASH}/thumb`,
            `/images/${HASH}/thumb.avif`,
            `/images/${HASH}/thumb.webp`,
            `/images/${HASH}/thumb.fallback`,
            `/images/${HASH}/large`,
            `/images/${HASH}/large.jpeg`,
            `/images/${HASH}/large.fallback`,
        ]);
        expect(paths.some((path) => path.includes("*")), "no wildcard (15 in progress at most)").to.equal(false);
    });

    it("covers every variant URL the default catalogue answers, as the viewer's path parser reads it", () => {
        const paths = hashCachePaths(HASH, presetFormats(DEFAULT_VARIANT_PRESETS));
        // 1 original + per preset: the negotiated path and each of 4 formats and the fallback.
        expect(paths).to.have.length(1 + 3 * 6);
        for (const path of paths.slice(1)) expect(parseVariantPath(path, DEFAULT_VARIANT_PRESETS), path).to.not.equal(undefined);
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
});
