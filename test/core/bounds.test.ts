/**
 * The one check of each shared bound (core/bounds.ts, and the upload prefix
 * in core/contract.ts): what each accepts and refuses, and the words it
 * returns for the caller to wrap.
 */
import { expect } from "chai";
import {
    BoundProblem,
    cacheTtlProblem,
    DEFAULT_MEMO_TTL_SECONDS,
    DEFAULT_SIGNED_URL_TTL_SECONDS,
    hashTtlProblem,
    lookupTimeoutProblem,
    maxLookupTimeoutMs,
    maxUploadBytesProblem,
    memoMaxEntriesProblem,
    memoTtlProblem,
    notFoundTtlProblem,
    serviceNameProblem,
    signedUrlTtlProblem,
    wholeNumberProblem,
} from "../../core/bounds";
import { uploadPrefixProblem } from "../../core/contract";

/** The check's verdict on each value: `ok`, or what it says is expected. */
function verdicts(check: (value: unknown) => BoundProblem | undefined, values: unknown[]): string[] {
    return values.map((value) => check(value)?.expected ?? "ok");
}

describe("core bounds: one check per shared bound", () => {
    it("a whole number in range, from either end, and the words for a bad one", () => {
        expect(verdicts((value) => wholeNumberProblem(value, 1, 600), [1, 600, 0, 601, 1.5, "5", NaN, undefined])).to.deep.equal([
            "ok",
            "ok",
            "must be a whole number from 1 to 600",
            "must be a whole number from 1 to 600",
            "must be a whole number from 1 to 600",
            "must be a whole number from 1 to 600",
            "must be a whole number from 1 to 600",
            "must be a whole number from 1 to 600",
        ]);
        expect(wholeNumberProblem(-1, 0)?.expected, "no upper bound").to.equal("must be a whole number at least 0");
        expect(wholeNumberProblem(Number.MAX_SAFE_INTEGER + 2, 0)?.expected, "unsafe integers are not whole numbers here").to.equal("must be a whole number at least 0");
    });

    it("signedUrlTtlSeconds: 1 to 600 s, and past 600 the reason (the edge role's credentials end a presigned URL)", () => {
        expect(verdicts(signedUrlTtlProblem, [1, 600, 0, 1.5])).to.deep.equal(["ok", "ok", "must be a whole number from 1 to 600", "must be a whole number from 1 to 600"]);
        expect(signedUrlTtlProblem(601)).to.deep.equal({
            expected: "must be at most 600",
            reason: "the edge signs with its role's temporary credentials, and a presigned URL stops working when they expire",
        });
        expect(signedUrlTtlProblem(604800.5)?.expected, "a fractional number past the cap is past the cap").to.equal("must be at most 600");
        expect(signedUrlTtlProblem(DEFAULT_SIGNED_URL_TTL_SECONDS), "the default is inside").to.equal(undefined);
    });

    it("hashTtlSeconds: a minute to a year", () => {
        expect(verdicts(hashTtlProblem, [60, 31536000, 59, 31536001])).to.deep.equal(["ok", "ok", "must be a whole number from 60 to 31536000", "must be a whole number from 60 to 31536000"]);
    });

    it("memoTtlSeconds: 0 to an hour, and both levels' defaults inside", () => {
        expect(verdicts(memoTtlProblem, [0, 3600, -1, 3601])).to.deep.equal(["ok", "ok", "must be a whole number from 0 to 3600", "must be a whole number from 0 to 3600"]);
        expect(DEFAULT_MEMO_TTL_SECONDS).to.deep.equal({ required: 60, secured: 0 });
        for (const seconds of Object.values(DEFAULT_MEMO_TTL_SECONDS)) expect(memoTtlProblem(seconds)).to.equal(undefined);
    });

    it("memoMaxEntries: 0 to 100,000", () => {
        expect(verdicts(memoMaxEntriesProblem, [0, 100000, -1, 100001])).to.deep.equal(["ok", "ok", "must be a whole number from 0 to 100000", "must be a whole number from 0 to 100000"]);
    });

    it("lookupTimeoutMs: 100 to 25,000 ms, or to what a function's timeout leaves when the caller knows it", () => {
        expect(verdicts(lookupTimeoutProblem, [100, 25000, 99, 25001])).to.deep.equal(["ok", "ok", "must be a whole number from 100 to 25000", "must be a whole number from 100 to 25000"]);
        expect(lookupTimeoutProblem(4001, maxLookupTimeoutMs(5))?.expected).to.equal("must be a whole number from 100 to 4000");
        expect(lookupTimeoutProblem(25001, 60000)?.expected, "never past 25,000, whatever the caller passes").to.equal("must be a whole number from 100 to 25000");
    });

    it("notFoundTtlSeconds: 0 to an hour; cache TTLs: 0 or more", () => {
        expect(verdicts(notFoundTtlProblem, [0, 3600, 3601])).to.deep.equal(["ok", "ok", "must be a whole number from 0 to 3600"]);
        expect(verdicts(cacheTtlProblem, [0, 31536000, -1])).to.deep.equal(["ok", "ok", "must be a whole number at least 0"]);
    });

    it("maxUploadBytes: 1 byte to S3's largest single upload (5 GiB)", () => {
        expect(verdicts(maxUploadBytesProblem, [1, 5 * 1024 ** 3, 0, 5 * 1024 ** 3 + 1])).to.deep.equal([
            "ok",
            "ok",
            "must be a whole number from 1 to 5368709120",
            "must be a whole number from 1 to 5368709120",
        ]);
    });

    it("uploadPrefix: relative, ending in /, with no empty, . or .. segment", () => {
        const expected = 'must be a relative S3 key prefix ending with "/", like "uploads/" (no leading "/", no empty, "." or ".." segments)';
        expect(verdicts(uploadPrefixProblem, ["uploads/", "a/b/", "uploads", "/uploads/", "a/../", "a//", 7])).to.deep.equal(["ok", "ok", expected, expected, expected, expected, expected]);
    });

    it("service names: the rule in words", () => {
        expect(verdicts(serviceNameProblem, ["chat", "chat-eu", "Chat", "chat-", "a".repeat(41)])).to.deep.equal([
            "ok",
            "ok",
            ...Array(3).fill("must be 1-40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen"),
        ]);
    });
});
