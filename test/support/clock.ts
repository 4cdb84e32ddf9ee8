/**
 * The tests' one clock: it stands still until the test moves it. Passed
 * wherever the code takes a `now` (epoch milliseconds), so a test that needs
 * time to pass moves the clock instead of waiting.
 */
export interface ManualClock {
    /** The current time, epoch milliseconds. */
    now: () => number;
    set(ms: number): void;
    advanceMs(ms: number): void;
    advanceSeconds(seconds: number): void;
}

export function manualClock(startMs: number): ManualClock {
    let current = startMs;
    return {
        now: () => current,
        set: (ms) => void (current = ms),
        advanceMs: (ms) => void (current += ms),
        advanceSeconds: (seconds) => void (current += seconds * 1000),
    };
}

/** A {@link ManualClock} that also runs what was scheduled on it, when the test moves it past the time. */
export interface ManualTimers extends ManualClock {
    after(ms: number, task: () => void): () => void;
    /** Delays of the tasks scheduled so far, in order (ms), for tests that check a backoff. */
    readonly scheduled: number[];
    /** Tasks waiting to run. */
    waiting(): number;
    /** Moves the clock on by `ms`, running every task due by then in time order (those it schedules too); returns how many ran. */
    advance(ms: number): number;
}

export function manualTimers(startMs: number): ManualTimers {
    const clock = manualClock(startMs);
    let queue: { at: number; task: () => void; order: number }[] = [];
    let order = 0;
    const scheduled: number[] = [];
    return {
        ...clock,
        scheduled,
        after(ms, task) {
            scheduled.push(ms);
            const entry = { at: clock.now() + ms, task, order: order++ };
            queue.push(entry);
            return () => void (queue = queue.filter((other) => other !== entry));
        },
        waiting: () => queue.length,
        advance(ms) {
            const until = clock.now() + ms;
            let ran = 0;
            for (;;) {
                const due = queue.filter((entry) => entry.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
                if (!due) break;
                queue = queue.filter((entry) => entry !== due);
                clock.set(Math.max(clock.now(), due.at));
                due.task();
                ran++;
            }
            clock.set(until);
            return ran;
        },
    };
}
