/**
 * What the CLI prints never carries an invisible or terminal-controlling
 * character raw: every control, format, private-use and surrogate character
 * and every default-ignorable code point comes out as `\uXXXX`, in text and
 * in JSON, chosen by Unicode property. Generated strings (fast-check) draw
 * from every code point of each class, enumerated from Node's own Unicode
 * data, so a list that forgets one (a tag character, a Hangul filler, a
 * variation selector) fails here.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { terminalSafe, terminalSafeJson } from "../../issuer/cli-format";
import { printable, show } from "../../issuer/show";

const CLASSES: Record<string, RegExp> = {
    "control (Cc)": /\p{Cc}/u,
    "format (Cf)": /\p{Cf}/u,
    "private use (Co)": /\p{Co}/u,
    "surrogate (Cs)": /\p{Cs}/u,
    "default ignorable": /\p{Default_Ignorable_Code_Point}/u,
};

/** Every code point of a class, from 0 to U+10FFFF. */
function codePointsOf(property: RegExp): number[] {
    const found: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (property.test(String.fromCodePoint(cp))) found.push(cp);
    return found;
}

/** True when `text` still holds a character of any class, raw (`keep` exempts the JSON layout's own line breaks). */
function rawUnsafe(text: string, keep = ""): string[] {
    const found: string[] = [];
    for (const char of text) {
        if (keep.includes(char)) continue;
        if (Object.values(CLASSES).some((property) => property.test(char)) || /[\u2028\u2029]/.test(char)) found.push(char.codePointAt(0)!.toString(16));
    }
    return found;
}

/** Reads `\uXXXX` escapes back (the text generated here holds no backslash of its own). */
function unescape(text: string): string {
    return text.replace(/\\u([0-9A-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe("CLI output: invisible and control characters escaped by Unicode property", function () {
    this.timeout(60_000);
    const byClass = Object.fromEntries(Object.entries(CLASSES).map(([name, property]) => [name, codePointsOf(property)]));

    it("the classes are what Unicode says they are (the generator draws from all of them)", () => {
        // Spot checks against the Unicode Character Database, so an empty or wrong class cannot pass unnoticed.
        expect(byClass["control (Cc)"]).to.have.length(65);
        expect(byClass["surrogate (Cs)"]).to.have.length(2048);
        expect(byClass["private use (Co)"]).to.have.length(137_468);
        for (const cp of [0xe0001, 0xe0020, 0xe007f, 0x1d173, 0x202e, 0x200b]) expect(byClass["format (Cf)"], cp.toString(16)).to.include(cp);
        for (const cp of [0x3164, 0x115f, 0x034f, 0xfe0f, 0xe0100, 0xe0000]) expect(byClass["default ignorable"], cp.toString(16)).to.include(cp);
    });

    const unsafeChar = fc
        .constantFrom(...Object.keys(byClass))
        .chain((name) => fc.nat(byClass[name].length - 1).map((index) => String.fromCodePoint(byClass[name][index])));
    const text = fc
        .array(fc.oneof(unsafeChar, fc.string({ unit: "grapheme", maxLength: 8 }).filter((s) => !s.includes("\\"))), { maxLength: 12 })
        .map((pieces) => pieces.join(""));

    it("terminalSafe: no such character is left raw, and the escapes read back to the original", () => {
        fc.assert(
            fc.property(text, (original) => {
                const safe = terminalSafe(original);
                expect(rawUnsafe(safe), JSON.stringify(safe)).to.deep.equal([]);
                expect(unescape(safe)).to.equal(original);
            }),
            { numRuns: 2000 },
        );
    });

    it("terminalSafeJson: none left raw outside the layout, and the JSON parses to the same values", () => {
        fc.assert(
            fc.property(text, (original) => {
                const json = terminalSafeJson(JSON.stringify({ s3Url: original, nested: [original] }, null, 2));
                expect(rawUnsafe(json, "\n"), json).to.deep.equal([]);
                expect(JSON.parse(json)).to.deep.equal({ s3Url: original, nested: [original] });
            }),
            { numRuns: 2000 },
        );
    });

    it("error messages (printable, show): none left raw, and the cap never cuts an escape in half", () => {
        fc.assert(
            fc.property(text, fc.integer({ min: 10, max: 80 }), (original, cap) => {
                const shown = printable(original, cap);
                expect(rawUnsafe(shown)).to.deep.equal([]);
                expect(shown.length).to.be.at.most(cap);
                expect(shown).to.not.match(/\\(u[0-9A-F]{0,3})?\.\.\.$/);
                expect(rawUnsafe(show(original))).to.deep.equal([]);
            }),
            { numRuns: 1000 },
        );
    });

    it("the characters that got through before: tag characters, Hangul fillers, U+034F, variation selectors, U+1D173", () => {
        const sneaky = "uploads/a\u{E0041}\u{E007F}b\u3164\u115Fc\u034Fd\uFE0F\u{E0100}e\u{1D173}f.png";
        expect(terminalSafe(sneaky)).to.equal("uploads/a\\uDB40\\uDC41\\uDB40\\uDC7Fb\\u3164\\u115Fc\\u034Fd\\uFE0F\\uDB40\\uDD00e\\uD834\\uDD73f.png");
        expect(rawUnsafe(terminalSafeJson(JSON.stringify({ key: sneaky })))).to.deep.equal([]);
        expect(rawUnsafe(printable(sneaky))).to.deep.equal([]);
    });
});
