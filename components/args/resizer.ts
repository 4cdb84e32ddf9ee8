/**
 * The resizer function's knobs (`resizer`, with `variants` only): how many
 * run at once, their memory and their timeout. Plain: they decide how the
 * function is created.
 *
 * - Reserved concurrency caps what variants can cost and what they can take
 *   from the account: at most this many resizes at once, whatever a flood
 *   of first requests asks (a request past it is throttled, answered 429
 *   and never cached), and no other function of the account is starved by
 *   it (AWS Lambda Developer Guide, "Configuring reserved concurrency").
 * - Memory: the worst original let through (100 megapixels,
 *   `limitInputPixels`) peaked at 522 MB resident while resized
 *   (docs/variants.md, "Safety limits"), so 1024 MB is the floor. Lambda
 *   gives a function CPU in proportion to its memory, one full vCPU at
 *   1,769 MB (AWS Lambda Developer Guide, "Configure Lambda function
 *   memory"): the transform runs on one thread, so below that it only runs
 *   slower, for about the same GB-seconds, and the first viewer waits.
 * - Timeout: at most CloudFront's origin response timeout, 30 seconds (the
 *   variants' origin sets it; CloudFront Developer Guide, "Response
 *   timeout"), so the function never works on after CloudFront has given
 *   up on it.
 */
import { CUSTOM_ORIGIN_RESPONSE_TIMEOUT_SECONDS, LAMBDA_MAX_MEMORY_MB } from "../../core/limits";
import { argObject, fieldList, integer, rejectUnknownKeys, requireKnown } from "./checks";

/** Knobs of the resizer function. */
export interface CdnResizerOptions {
    /**
     * Most resizer executions at once, reserved from the account's Lambda
     * concurrency: a cap on the cost and the blast radius of variants. A
     * request past it is answered 429 (never cached). 1 to 1000.
     * @default 20
     */
    reservedConcurrency?: number;
    /**
     * Function memory, MB; 1024 to 10240. 1769 is one full vCPU, the most
     * the single-threaded transform uses.
     * @default 1769
     */
    memorySizeMb?: number;
    /**
     * Function timeout, seconds; 1 to 30 (CloudFront waits 30 s for the origin).
     * @default 15
     */
    timeoutSeconds?: number;
}

/** The `resizer` arg. */
export interface ResizerArgs {
    /**
     * The resizer function's concurrency, memory and timeout (with `variants` only).
     * @default {} (each field at its own default)
     * @example { reservedConcurrency: 50 }
     */
    resizer?: CdnResizerOptions;
}

/** The defaults of {@link CdnResizerOptions}. */
export const RESIZER_DEFAULTS = {
    reservedConcurrency: 20,
    memorySizeMb: 1769,
    timeoutSeconds: 15,
} as const;

/** The fields of {@link ResizerArgs}. */
export const RESIZER_FIELDS = fieldList<ResizerArgs>()(["resizer"]);

/** The fields that mean nothing to a `public` instance (it has no variants). */
export const RESIZER_GUARDED_ONLY = ["resizer"] as const satisfies readonly (keyof ResizerArgs)[];

/** The fields of {@link CdnResizerOptions}. */
export const RESIZER_OPTION_FIELDS = fieldList<CdnResizerOptions>()(["reservedConcurrency", "memorySizeMb", "timeoutSeconds"]);

/** The resizer's least memory, MB: the worst original let through peaked at 522 MB resident. */
export const MIN_RESIZER_MEMORY_MB = 1024;
/** Most reserved concurrency the arg takes (Lambda's default account quota is 1,000). */
export const MAX_RESIZER_CONCURRENCY = 1000;

export interface ResolvedResizer {
    reservedConcurrency: number;
    memorySizeMb: number;
    timeoutSeconds: number;
}

/** The resizer's knobs; refused when there are no variants to make. */
export function resolveResizer(resizer: CdnResizerOptions | undefined, hasVariants: boolean): ResolvedResizer {
    if (resizer !== undefined && !hasVariants) throw new Error("resizer applies only with variants: without a catalogue there is no resizer function");
    const given = argObject(resizer, "resizer");
    rejectUnknownKeys(given, RESIZER_OPTION_FIELDS, "resizer.");
    for (const key of RESIZER_OPTION_FIELDS) requireKnown(given[key], `resizer.${key}`);
    return {
        reservedConcurrency: integer(given.reservedConcurrency ?? RESIZER_DEFAULTS.reservedConcurrency, "resizer.reservedConcurrency", 1, MAX_RESIZER_CONCURRENCY),
        memorySizeMb: integer(given.memorySizeMb ?? RESIZER_DEFAULTS.memorySizeMb, "resizer.memorySizeMb", MIN_RESIZER_MEMORY_MB, LAMBDA_MAX_MEMORY_MB),
        timeoutSeconds: integer(given.timeoutSeconds ?? RESIZER_DEFAULTS.timeoutSeconds, "resizer.timeoutSeconds", 1, CUSTOM_ORIGIN_RESPONSE_TIMEOUT_SECONDS),
    };
}
