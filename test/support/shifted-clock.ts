/**
 * A clock the test moves by hand, for everything in this process at once:
 * `Date.now()` and `new Date()` (no arguments) return real time plus an
 * offset. The local stack runs in-process, so the edge function (its memo and
 * the signing time of its URLs), the CloudFront emulator's cache, the issuer
 * and s3rver's check of a presigned URL's expiry all read the same moved
 * clock, and a five-minute window is walked through in a few seconds without
 * waiting on the real one. Install it before starting the stack (the
 * emulator keeps the `Date.now` it was given) and restore it afterwards.
 */

export interface ShiftedClock {
    /** The shifted time, epoch milliseconds. */
    now(): number;
    /** Moves the clock forward (or back) by `seconds`. */
    advance(seconds: number): void;
    /** Moves the clock to `epochMs` (relative to the real clock at this moment). */
    set(epochMs: number): void;
    /** Puts the real `Date` back. */
    restore(): void;
}

export function installShiftedClock(): ShiftedClock {
    const RealDate = Date;
    let offsetMs = 0;
    const now = () => RealDate.now() + offsetMs;
    const Shifted = new Proxy(RealDate, {
        construct(target, args, newTarget) {
            return args.length === 0 ? Reflect.construct(target, [now()], newTarget) : Reflect.construct(target, args, newTarget);
        },
        apply() {
            // Date() called without new: a string of the current (shifted) time.
            return new RealDate(now()).toString();
        },
        get(target, property, receiver) {
            if (property === "now") return now;
            return Reflect.get(target, property, receiver);
        },
    });
    globalThis.Date = Shifted;
    return {
        now,
        advance: (seconds) => void (offsetMs += seconds * 1000),
        set: (epochMs) => void (offsetMs = epochMs - RealDate.now()),
        restore: () => void (globalThis.Date = RealDate),
    };
}
