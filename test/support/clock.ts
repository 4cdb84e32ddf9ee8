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
