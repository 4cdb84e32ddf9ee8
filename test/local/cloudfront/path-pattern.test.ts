/**
 * CloudFront's path patterns as the emulator matches them
 * (local/cloudfront/path-pattern.ts), which pick the cache behavior a
 * request takes: `*` any run of characters, slashes included, `?` one
 * character, everything else literal and case-sensitive, the leading `/`
 * optional. Pure.
 */
import { expect } from "chai";
import { pathPatternMatches } from "../../../local/cloudfront/path-pattern";

const HASH = "0123456789abcdef0123456789abcdef";

describe("local CloudFront emulator: ordered cache behaviors", () => {
    it("path patterns: * is any run (slashes too), ? one character, case-sensitive, the leading / optional", () => {
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/thumb`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/thumb.avif`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}/a/b`)).to.equal(true);
        expect(pathPatternMatches("/images/*/*", `/images/${HASH}`)).to.equal(false);
        expect(pathPatternMatches("/images/*/*", `/Images/${HASH}/thumb`)).to.equal(false);
        expect(pathPatternMatches("images/*.jpg", "/images/a.jpg")).to.equal(true);
        expect(pathPatternMatches("/a?c", "/abc")).to.equal(true);
        expect(pathPatternMatches("/a?c", "/ac")).to.equal(false);
        expect(pathPatternMatches("/a.c", "/abc"), "a dot is a dot").to.equal(false);
    });
});
