/**
 * Text from outside (a file name, an argument, a key) as it goes into an
 * error message: control characters, which could carry terminal escapes,
 * replaced, and the length capped.
 */
import { CONTROL_CHARACTERS } from "../core/contract";

const EVERY_CONTROL_CHARACTER = new RegExp(CONTROL_CHARACTERS.source, "g");

/** `text` with control characters replaced by `?`, at most `maxChars` characters (cut ones end in `...`). */
export function printable(text: string, maxChars = 300): string {
    const clean = text.replace(EVERY_CONTROL_CHARACTER, "?");
    return clean.length > maxChars ? clean.slice(0, maxChars - 3) + "..." : clean;
}

/** A short rendering of an argument of any type: a quoted printable string, or what it is. */
export function show(value: unknown): string {
    if (typeof value !== "string") return value === undefined ? "nothing" : `a ${typeof value}`;
    return JSON.stringify(printable(value, 80));
}
