/**
 * The one check of each shared bound (core/bounds.ts, and the upload prefix
 * in core/contract.ts): what each accepts and refuses, the words it returns
 * for the caller to wrap, and that the component, the edge settings check
 * and the issuer's config all refuse a value with those words, each in its
 * own way; then the predicates and caps the checks build on (service names,
 * whole numbers, the presigned URL cap, what a lookup leaves of a timeout).
 */
import { expect } from "chai";
import {
    BoundProblem,
    cacheTtlProblem,
    DEFAULT_MEMO_TTL_SECONDS,
    DEFAULT_SIGNED_URL_TTL_SECONDS,
    hashTtlProblem,
    isServiceName,
    isWholeNumber,
    lookupTimeoutProblem,
    MAX_SIGNED_URL_TTL_SECONDS,
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
import type { EdgeSettings } from "../../core/edge-settings";
import { resolveArgs } from "../../components/resolve-args";
import { settingsProblems } from "../../edge/settings-check";
import { validateIssuerConfig } from "../../issuer/config";
import { settings as edgeSettings } from "../edge/fixtures";
import { thrown } from "../support/rejection";

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

    describe("one check, three callers, each wording it its own way", () => {
        const issuerConfig = {
            service: "chat",
            level: "required",
            region: "eu-west-1",
            tableName: "chat-table-1",
            bucket: "chat-bucket-1",
            cdnBaseUrl: "https://d111111abcdef8.cloudfront.net",
            distributionId: "E2QWRUHAPOMQZL",
            hashTtlSeconds: 2592000,
            uploadPrefix: "uploads/",
            maxUploadBytes: 10485760,
        };
        const component = (args: Record<string, unknown>) => thrown(() => resolveArgs({ service: "chat", ...args }), Error).message;
        const edge = (change: Partial<EdgeSettings>) => settingsProblems(edgeSettings(change)).join("; ");
        const issuer = (change: Record<string, unknown>) => thrown(() => validateIssuerConfig({ ...issuerConfig, ...change }, "test"), Error).message;
        const words = (problem: BoundProblem | undefined) => `${problem?.expected}`;

        it("signedUrlTtlSeconds past 600: the component names the arg, the edge lists it, the issuer says field '…', all with core's words and reason", () => {
            const problem = signedUrlTtlProblem(601);
            expect(component({ mode: "redirect", signedUrlTtlSeconds: 601 })).to.equal(`signedUrlTtlSeconds ${words(problem)} (got 601): ${problem?.reason}`);
            expect(edge({ mode: "redirect", signedUrlTtlSeconds: 601 })).to.equal(`signedUrlTtlSeconds ${words(problem)}: ${problem?.reason}`);
            expect(issuer({ mode: "redirect", signedUrlTtlSeconds: 601 })).to.equal(`test: field 'signedUrlTtlSeconds' ${words(problem)} (got 601): ${problem?.reason}`);
        });

        it("memoTtlSeconds past an hour: refused by all three", () => {
            const expected = words(memoTtlProblem(3601));
            expect(component({ edge: { memoTtlSeconds: 3601 } })).to.equal(`edge.memoTtlSeconds ${expected} (got 3601)`);
            expect(edge({ memoTtlSeconds: 3601 })).to.equal(`memoTtlSeconds ${expected}`);
            expect(issuer({ memoTtlSeconds: 3601 })).to.equal(`test: field 'memoTtlSeconds' ${expected} (got 3601)`);
        });

        it("the component and the issuer on the hash's life, the upload prefix and the upload size; the component and the edge on the 404's and the memo's size", () => {
            expect(component({ hashTtlSeconds: 59 })).to.include(words(hashTtlProblem(59)));
            expect(issuer({ hashTtlSeconds: 59 })).to.include(words(hashTtlProblem(59)));
            expect(component({ uploadPrefix: "../" })).to.include(words(uploadPrefixProblem("../")));
            expect(issuer({ uploadPrefix: "../" })).to.include(words(uploadPrefixProblem("../")));
            expect(component({ maxUploadBytes: 0 })).to.include(words(maxUploadBytesProblem(0)));
            expect(issuer({ maxUploadBytes: 0 })).to.include(words(maxUploadBytesProblem(0)));
            expect(component({ notFoundTtlSeconds: 3601 })).to.include(words(notFoundTtlProblem(3601)));
            expect(edge({ notFoundTtlSeconds: 3601 })).to.include(words(notFoundTtlProblem(3601)));
            expect(component({ edge: { memoMaxEntries: -1 } })).to.include(words(memoMaxEntriesProblem(-1)));
            expect(edge({ memoMaxEntries: -1 })).to.include(words(memoMaxEntriesProblem(-1)));
        });
    });
});

describe("core bounds: the predicates and caps behind the checks", () => {
    it("the edge's presigned URLs live at most 600 s, inside the shortest role session STS issues (900 s, AssumeRole DurationSeconds)", () => {
        expect(MAX_SIGNED_URL_TTL_SECONDS).to.equal(600);
        expect(MAX_SIGNED_URL_TTL_SECONDS).to.be.below(900);
    });

    it("service names: 1-40 lowercase letters, digits and single inner hyphens, starting with a letter", () => {
        expect(["a", "chat", "chat-eu-2", "a".repeat(40)].filter((name) => !isServiceName(name)), "service names refused").to.deep.equal([]);
        const bad = ["", "a".repeat(41), "Chat", "2chat", "chat-", "chat--eu", "chat_eu", "chat eu"];
        expect(bad.filter((value) => isServiceName(value)), "not service names, accepted").to.deep.equal([]);
    });

    it("whole numbers: safe integers within the bounds, both ends included", () => {
        expect([isWholeNumber(0), isWholeNumber(5, 5, 5), isWholeNumber(Number.MAX_SAFE_INTEGER)]).to.deep.equal([true, true, true]);
        expect([isWholeNumber(-1), isWholeNumber(1.5), isWholeNumber(6, 1, 5), isWholeNumber("3"), isWholeNumber(NaN), isWholeNumber(2 ** 53)]).to.deep.equal([
            false, false, false, false, false, false,
        ]);
    });

    it("a lookup leaves 1 s of the function's timeout and never exceeds 25 s", () => {
        expect(maxLookupTimeoutMs(5)).to.equal(4000);
        expect(maxLookupTimeoutMs(30)).to.equal(25000);
    });
});
