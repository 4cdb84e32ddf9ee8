/**
 * The error a call fails with, for tests that expect it to fail. Both fail
 * the test, saying what was expected, when the call succeeds instead, and
 * check that the error is of the expected type before handing it back.
 */
import { expect } from "chai";

/** Any error class (abstract ones too, e.g. a base class of typed errors). */
export type ErrorType<E> = abstract new (...args: never[]) => E;

/** Awaits a promise that must reject with a `type`, and returns the rejection. */
export async function rejection<E>(promise: Promise<unknown>, type: ErrorType<E>): Promise<E> {
    let value: unknown;
    try {
        value = await promise;
    } catch (error) {
        expect(error, `expected a rejection with ${type.name}`).to.be.instanceOf(type);
        return error as E;
    }
    expect.fail(`expected a rejection with ${type.name}, but the call succeeded with ${shown(value)}`);
}

/** Calls `call`, which must throw a `type`, and returns what it threw. */
export function thrown<E>(call: () => unknown, type: ErrorType<E>): E {
    let value: unknown;
    try {
        value = call();
    } catch (error) {
        expect(error, `expected ${type.name} to be thrown`).to.be.instanceOf(type);
        return error as E;
    }
    expect.fail(`expected ${type.name} to be thrown, but the call returned ${shown(value)}`);
}

function shown(value: unknown): string {
    try {
        const text = JSON.stringify(value);
        return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
    } catch {
        return String(value);
    }
}
