/**
 * test/support/pulumi-stacks.ts (installed by test/setup.ts): the traces
 * Pulumi's runtime takes for its promise bookkeeping keep no frames, and
 * every other trace is as it was, source-mapped to its TypeScript line.
 */
import { expect } from "chai";
import * as fs from "fs";

interface DebuggablePromise extends Promise<unknown> {
    _debugStackTrace: string;
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise(p: Promise<unknown>, ctx: string): Promise<unknown> };

describe("test setup: stack traces under ts-node", () => {
    it("a trace made in a test file still names its TypeScript file and line (source-mapped)", () => {
        const stack = new Error("here").stack ?? ""; // the line this trace must name
        const line = fs.readFileSync(__filename, "utf8").split("\n").findIndex((text) => text.includes("// the line this trace must name")) + 1;
        expect(stack).to.include(`pulumi-stacks.test.ts:${line}:`);
    });

    it("a promise Pulumi's runtime makes keeps no frames (PULUMI_DEBUG_PROMISE_LEAKS unset), and other traces keep theirs", async () => {
        expect(process.env.PULUMI_DEBUG_PROMISE_LEAKS, "this run lists no leaked promises").to.equal(undefined);
        const made = Promise.resolve(1);
        await debuggablePromise(made, "made");
        expect((made as DebuggablePromise)._debugStackTrace).to.equal("Error");
        expect(Error.stackTraceLimit, "restored for everything else").to.be.greaterThan(0);
        expect((new Error("after").stack ?? "").split("\n").length).to.be.greaterThan(1);
    });
});
