/**
 * What the invalidator puts in its queue: the hashes whose paths to
 * invalidate, and which invalidation it is (`again`: the second one, after
 * the delay; `now`: a first one CloudFront refused, tried again). One
 * message holds the removals of one stream batch, so they go out together.
 */
import { isHash } from "../core/contract";

export type InvalidationStep = "now" | "again";

export interface QueuedInvalidation {
    step: InvalidationStep;
    hashes: string[];
}

/** Most hashes in one message: 1,000 hashes of 32 characters stay far inside SQS's message size. */
export const MAX_HASHES_PER_MESSAGE = 1000;

/** The message bodies for `hashes` (in chunks of {@link MAX_HASHES_PER_MESSAGE}). */
export function messageBodies(step: InvalidationStep, hashes: readonly string[]): string[] {
    const bodies: string[] = [];
    for (let i = 0; i < hashes.length; i += MAX_HASHES_PER_MESSAGE) bodies.push(JSON.stringify({ step, hashes: hashes.slice(i, i + MAX_HASHES_PER_MESSAGE) }));
    return bodies;
}

/** A message body read back, or `undefined` when it is not one of ours. */
export function parseMessageBody(body: string): QueuedInvalidation | undefined {
    let raw: unknown;
    try {
        raw = JSON.parse(body);
    } catch {
        return undefined;
    }
    if (typeof raw !== "object" || raw === null) return undefined;
    const { step, hashes } = raw as { step?: unknown; hashes?: unknown };
    if (step !== "now" && step !== "again") return undefined;
    if (!Array.isArray(hashes) || hashes.length === 0 || hashes.length > MAX_HASHES_PER_MESSAGE || !hashes.every(isHash)) return undefined;
    return { step, hashes: [...hashes] };
}
