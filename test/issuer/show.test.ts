/**
 * How text from outside is printed and put into error messages
 * (issuer/show.ts): each unsafe character written as one `\uXXXX` escape per
 * UTF-16 unit while ordinary text, accents and emoji are left alone, the
 * `keep` exemption, the length cap (met exactly, never cutting an escape or
 * a surrogate pair in half, `...` at the end) and `show`'s rendering of
 * arguments of any type. The property-based check over every code point of
 * each class lives in cli-format.test.ts; these are the exact outputs.
 */
import { expect } from "chai";
import { escapeUnsafe, printable, show } from "../../issuer/show";

describe("issuer/show", () => {
    describe("escapeUnsafe", () => {
        it("writes controls, bidi overrides, zero-width and line separators as upper-case \\uXXXX", () => {
            expect(escapeUnsafe("a\u001B[31mb\r\n\tc")).to.equal("a\\u001B[31mb\\u000D\\u000A\\u0009c");
            expect(escapeUnsafe("x\u202Ey\u200Bz\u2028w\u2029\u0085")).to.equal("x\\u202Ey\\u200Bz\\u2028w\\u2029\\u0085");
            expect(escapeUnsafe("\u00AD\uFEFF")).to.equal("\\u00AD\\uFEFF");
        });

        it("escapes format characters that are not default-ignorable, and private-use ones", () => {
            // Arabic number sign, interlinear annotation anchor, Kaithi number sign: format (Cf) only.
            expect(escapeUnsafe("\u0600\uFFF9\u{110BD}")).to.equal("\\u0600\\uFFF9\\uD804\\uDCBD");
            expect(escapeUnsafe("\uE000")).to.equal("\\uE000");
        });

        it("writes an astral unsafe character as its two surrogate escapes, and a lone surrogate as one", () => {
            expect(escapeUnsafe("\u{E0041}")).to.equal("\\uDB40\\uDC41");
            expect(escapeUnsafe("\u{F0000}")).to.equal("\\uDB80\\uDC00");
            expect(escapeUnsafe("a\uD800b")).to.equal("a\\uD800b");
            expect(escapeUnsafe("a\uDC00")).to.equal("a\\uDC00");
        });

        it("leaves ordinary text alone: letters, accents, CJK, emoji, spaces, quotes and backslashes", () => {
            const ordinary = "uploads/Ça va? 東京 😀 \"q\" \\ photo (1).png";
            expect(escapeUnsafe(ordinary)).to.equal(ordinary);
            expect(escapeUnsafe("")).to.equal("");
        });

        it("lets through what `keep` accepts and only that", () => {
            const kept = escapeUnsafe("a\nb\rc", (char) => char === "\n");
            expect(kept).to.equal("a\nb\\u000Dc");
        });
    });

    describe("printable", () => {
        it("leaves text at or under the cap whole, escaped", () => {
            expect(printable("abcde", 5)).to.equal("abcde");
            expect(printable("a\u0007", 7)).to.equal("a\\u0007");
        });

        it("cuts longer text to exactly the cap, ending in ...", () => {
            const cut = printable("abcdefghij", 8);
            expect(cut).to.equal("abcde...");
            expect(cut).to.have.length(8);
        });

        it("caps at 300 units by default", () => {
            expect(printable("x".repeat(300))).to.equal("x".repeat(300));
            const cut = printable("x".repeat(301));
            expect(cut).to.have.length(300);
            expect(cut.endsWith("x...")).to.equal(true);
        });

        it("counts the escapes, not the raw characters, against the cap", () => {
            // Three raw characters, eighteen once escaped.
            expect(printable("\u0001\u0002\u0003", 10)).to.equal("\\u0001...");
        });

        it("never leaves half an escape before the ...", () => {
            for (let cap = 4; cap <= 12; cap++) {
                const cut = printable("ab\u001Bcdefghijklmn", cap);
                expect(cut, `cap ${cap}`).to.not.match(/\\(u[0-9A-F]{0,3})?\.\.\.$/);
                expect(cut.length, `cap ${cap}`).to.be.at.most(cap);
            }
            expect(printable("ab\u001Bcdefghijklmn", 9)).to.equal("ab...");
            expect(printable("ab\u001Bcdefghijklmn", 11)).to.equal("ab\\u001B...");
        });

        it("never leaves the high half of a surrogate pair before the ...", () => {
            // "ab😀cdef": the emoji is units 2-3; a cap of 6 keeps 3 units, which would end inside the pair.
            expect(printable("ab\u{1F600}cdef", 6)).to.equal("ab...");
            expect(printable("ab\u{1F600}cdef", 7)).to.equal("ab\u{1F600}...");
        });
    });

    describe("show", () => {
        it("quotes a string, escaping its double quotes and unsafe characters", () => {
            expect(show("photo.png")).to.equal('"photo.png"');
            expect(show('say "hi"')).to.equal('"say \\"hi\\""');
            expect(show("a\u001Bb")).to.equal('"a\\u001Bb"');
            expect(show("")).to.equal('""');
        });

        it("caps the string at 80 units inside the quotes", () => {
            expect(show("y".repeat(80))).to.equal(`"${"y".repeat(80)}"`);
            expect(show("y".repeat(81))).to.equal(`"${"y".repeat(77)}..."`);
        });

        it("names what any other value is, without printing it", () => {
            expect(show(undefined)).to.equal("nothing");
            expect(show(42)).to.equal("a number");
            expect(show(true)).to.equal("a boolean");
            expect(show(null)).to.equal("a object");
            expect(show({ secret: "s3cr3t" })).to.equal("a object");
            expect(show(["x"])).to.equal("a object");
            expect(show(10n)).to.equal("a bigint");
        });
    });
});
