/**
 * SingleFlight: callers asking for a key while its work runs share that
 * run's result, or its failure, instead of starting their own; other keys
 * run on their own; and the entry goes when the work settles, so the next
 * caller starts afresh and a failure is never remembered.
 */
import { expect } from "chai";
import { SingleFlight } from "../../resizer/single-flight";
import { rejection } from "../support/rejection";

/** A promise and the function that settles it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
    let resolve!: (value: T) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
    });
    return { promise, resolve, reject };
}

describe("resizer/single-flight", () => {
    it("a second caller for a running key joins the run: the work runs once, both get its value", async () => {
        const flight = new SingleFlight<string>();
        const gate = deferred<string>();
        let runs = 0;
        const work = () => {
            runs++;
            return gate.promise;
        };
        const first = flight.run("k", work);
        const second = flight.run("k", work);
        expect(flight.size).to.equal(1);
        gate.resolve("made");
        expect(await first).to.deep.equal({ value: "made", joined: false });
        expect(await second).to.deep.equal({ value: "made", joined: true });
        expect(runs).to.equal(1);
    });

    it("different keys run separately", async () => {
        const flight = new SingleFlight<string>();
        const results = await Promise.all([flight.run("a", async () => "A"), flight.run("b", async () => "B")]);
        expect(results).to.deep.equal([
            { value: "A", joined: false },
            { value: "B", joined: false },
        ]);
    });

    it("the entry goes when the work settles: the next caller runs the work again", async () => {
        const flight = new SingleFlight<number>();
        let runs = 0;
        expect(await flight.run("k", async () => ++runs)).to.deep.equal({ value: 1, joined: false });
        expect(flight.size).to.equal(0);
        expect(await flight.run("k", async () => ++runs)).to.deep.equal({ value: 2, joined: false });
    });

    it("a failure reaches every joined caller and is not remembered", async () => {
        const flight = new SingleFlight<string>();
        const gate = deferred<string>();
        const first = flight.run("k", () => gate.promise);
        const second = flight.run("k", () => Promise.resolve("never run"));
        gate.reject(new Error("S3 failed"));
        expect((await rejection(first, Error)).message).to.equal("S3 failed");
        expect((await rejection(second, Error)).message).to.equal("S3 failed");
        expect(flight.size).to.equal(0);
        expect(await flight.run("k", async () => "again")).to.deep.equal({ value: "again", joined: false });
    });
});
