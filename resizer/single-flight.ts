/**
 * One piece of work per key at a time in this process: callers that ask
 * for a key while its work runs share that work's result (or failure)
 * instead of starting their own. The entry goes when the work settles, so a
 * failure is never remembered.
 */
export class SingleFlight<T> {
    private readonly running = new Map<string, Promise<T>>();

    /** The result of `work` for `key`, `joined` when another caller's run was shared. */
    async run(key: string, work: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
        const existing = this.running.get(key);
        if (existing !== undefined) return { value: await existing, joined: true };
        const started = Promise.resolve()
            .then(work)
            .finally(() => this.running.delete(key));
        this.running.set(key, started);
        return { value: await started, joined: false };
    }

    /** Keys whose work is running. */
    get size(): number {
        return this.running.size;
    }
}
