/**
 * Timers on the shifted clock (shifted-clock.ts), for the local stack's
 * background work (its `timers`: the replication lag, the invalidators'
 * delayed and retried invalidations): a task runs when the test, having
 * moved the clock, calls `runDue`, never on the real clock. So the edge, the
 * CloudFront emulator, s3rver and the stack's own schedule all see one time.
 */
import type { Timers } from "../../local/timers";
import type { ShiftedClock } from "./shifted-clock";

export interface ShiftedTimers extends Timers {
    /** Runs every task due by the clock's present time, in time order (those they schedule too, when due); returns how many ran. */
    runDue(): number;
    /** Tasks waiting. */
    waiting(): number;
}

export function shiftedTimers(clock: ShiftedClock): ShiftedTimers {
    let queue: { at: number; task: () => void; order: number }[] = [];
    let order = 0;
    return {
        now: () => clock.now(),
        after(ms, task) {
            const entry = { at: clock.now() + ms, task, order: order++ };
            queue.push(entry);
            return () => void (queue = queue.filter((other) => other !== entry));
        },
        waiting: () => queue.length,
        runDue() {
            let ran = 0;
            for (;;) {
                const now = clock.now();
                const due = queue.filter((entry) => entry.at <= now).sort((a, b) => a.at - b.at || a.order - b.order)[0];
                if (!due) return ran;
                queue = queue.filter((entry) => entry !== due);
                due.task();
                ran += 1;
            }
        },
    };
}
