/**
 * Time as the local stack's background work sees it: what time it is and
 * running something later. Passed in (tests give a clock they move
 * themselves, test/support/clock.ts) wherever waiting is part of the
 * behaviour, such as replication lag and retry backoff.
 */
export interface Timers {
    /** Epoch milliseconds. */
    now(): number;
    /** Runs `task` once `ms` have passed; returns the cancel. */
    after(ms: number, task: () => void): () => void;
}

/** The real clock and Node's timers. Pending timers do not keep the process alive on their own. */
export const realTimers: Timers = {
    now: () => Date.now(),
    after(ms, task) {
        const timer = setTimeout(task, ms);
        timer.unref();
        return () => clearTimeout(timer);
    },
};
