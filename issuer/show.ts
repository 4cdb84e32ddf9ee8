/**
 * Text from outside (a file name, an argument, a key, an item read back from
 * the table) as it is printed or put into an error message: every character
 * that a terminal would act on or not show at all written as a `\uXXXX`
 * escape, and the length capped.
 *
 * The characters are chosen by Unicode property, not listed one by one, so
 * that look-alikes of the ones someone thought of are covered too: controls
 * (`Cc`: escape sequences, carriage returns, C1), format characters (`Cf`:
 * bidirectional overrides and isolates, zero-width joiners, tag characters,
 * musical-notation formatting), private-use (`Co`) and surrogate (`Cs`, a
 * lone half of a pair) code points, every default-ignorable code point
 * (Hangul fillers, the combining grapheme joiner, variation selectors, the
 * unassigned tag range), and the line and paragraph separators (`Zl`, `Zp`).
 */

/** Characters never printed as they are (see above); `u` flag: one match per code point, astral ones included. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]/gu;

/** A code point as `\uXXXX` escapes, one per UTF-16 unit (a surrogate pair is two), as JSON writes them. */
function escapeCodePoint(char: string): string {
    let escaped = "";
    for (let i = 0; i < char.length; i++) escaped += "\\u" + char.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
    return escaped;
}

/**
 * `text` with every unsafe character (see the module comment) written as
 * `\uXXXX`, except those `keep` lets through.
 */
export function escapeUnsafe(text: string, keep?: (char: string) => boolean): string {
    return text.replace(UNSAFE, (char) => (keep?.(char) ? char : escapeCodePoint(char)));
}

/**
 * `text` with unsafe characters escaped, at most `maxChars` UTF-16 units
 * (cut ones end in `...`, never inside an escape or a surrogate pair, whose
 * lone half would be unsafe itself).
 */
export function printable(text: string, maxChars = 300): string {
    const clean = escapeUnsafe(text);
    if (clean.length <= maxChars) return clean;
    return clean
        .slice(0, maxChars - 3)
        .replace(/[\uD800-\uDBFF]$/, "")
        .replace(/\\(u[0-9A-F]{0,3})?$/, "") + "...";
}

/** A short rendering of an argument of any type: a quoted printable string, or what it is. */
export function show(value: unknown): string {
    if (typeof value !== "string") return value === undefined ? "nothing" : `a ${typeof value}`;
    return `"${printable(value, 80).replace(/"/g, '\\"')}"`;
}
