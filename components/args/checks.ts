/**
 * How the component checks one arg and words what is wrong: the field's
 * name, what it must be, what it got. Every arg group uses these; the bounds
 * the edge and the issuer share come from core (core/bounds.ts), worded here
 * the component's way.
 */
import type * as pulumi from "@pulumi/pulumi";
import { wholeNumberProblem } from "../../core/bounds";
import type { BoundProblem } from "../../core/bounds";

/**
 * The list of an args slice's fields, which must name every one of them:
 * a missing field does not compile (the error names it).
 */
export function fieldList<Args>() {
    return <const Keys extends readonly (keyof Args)[]>(
        keys: Keys & ([Exclude<keyof Args, Keys[number]>] extends [never] ? unknown : { missingFields: Exclude<keyof Args, Keys[number]> }),
    ): Keys => keys;
}

/** `value` when `problem` is undefined; else throws `<field> <expected> (got <value>)[: <reason>]`. */
export function checked<T>(value: T, field: string, problem: BoundProblem | undefined): T {
    if (problem === undefined) return value;
    throw new Error(`${field} ${problem.expected} (got ${JSON.stringify(value)})${problem.reason ? `: ${problem.reason}` : ""}`);
}

/** A whole number from `min` to `max`. */
export function integer(value: unknown, field: string, min: number, max: number): number {
    return checked(value, field, wholeNumberProblem(value, min, max)) as number;
}

/** A finite number from `min` to `max`. */
export function number(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
        throw new Error(`${field} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
    return value;
}

/** One of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new Error(`${field} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
    }
    return value as T;
}

export function boolean(value: unknown, field: string): boolean {
    if (typeof value !== "boolean") throw new Error(`${field} must be true or false (got ${JSON.stringify(value)})`);
    return value;
}

/** A plain list of plain strings. */
export function stringList(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw new Error(`${field} must be a list of strings (got ${JSON.stringify(value)})`);
    }
    return [...value];
}

/** A plain list whose items are strings or Outputs (checked when they resolve). */
export function inputList(value: unknown, field: string): pulumi.Input<string>[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string" || isOutputLike(item))) {
        throw new Error(`${field} must be a list of strings (got ${JSON.stringify(Array.isArray(value) ? value.map(outputsNamed) : value)})`);
    }
    return [...value] as pulumi.Input<string>[];
}

/** A nested args object (`alarms`, `edge`): absent means every field at its default. */
export function argObject<T extends object>(value: T | undefined, field: string): Partial<T> {
    const given = value ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error(`${field} must be an object`);
    return given;
}

/** Refuses fields the args do not have (a typo must not pass as a default). */
export function rejectUnknownKeys(value: object, known: readonly string[], prefix: string): void {
    const unknown = Object.keys(value).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
        throw new Error(`unknown field${unknown.length === 1 ? "" : "s"} ${unknown.map((key) => prefix + key).join(", ")} (known: ${known.map((key) => prefix + key).join(", ")})`);
    }
}

/**
 * Refuses an Output (or a Promise) where a plain value decides what is
 * created or how it is wired; the lists and maps whose items may be Outputs
 * must themselves be plain.
 */
export function requireKnown(value: unknown, field: string): void {
    if (isOutputLike(value)) {
        throw new Error(`${field} must be known when the program runs (got an Output or a Promise): it decides which resources exist or how they are wired`);
    }
}

export function noDuplicates(values: string[], field: string): void {
    const repeated = values.filter((value, index) => values.indexOf(value) !== index);
    if (repeated.length > 0) throw new Error(`${field} lists ${[...new Set(repeated)].join(", ")} more than once`);
}

/** An Output or a Promise: resolved later, so checked later. */
export function isOutputLike(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    return typeof (value as { then?: unknown }).then === "function" || typeof (value as { apply?: unknown }).apply === "function";
}

/** An Output shown as such in an error message (serializing one prints a warning, not its value). */
function outputsNamed(item: unknown): unknown {
    return isOutputLike(item) ? "<Output>" : item;
}
