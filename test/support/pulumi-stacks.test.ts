/**
 * test/support/pulumi-stacks.ts: Pulumi's promise bookkeeping traces are
 * not source-mapped (nor formatted), every other trace still is.
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

    it("a promise Pulumi's runtime makes keeps no formatted trace unless PULUMI_DEBUG_PROMISE_LEAKS is set", async () => {
        const before = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        try {
            delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
            const quiet = Promise.resolve(1);
            await debuggablePromise(quiet, "quiet");
            expect((quiet as DebuggablePromise)._debugStackTrace).to.match(/^\(stack not kept; run with PULUMI_DEBUG_PROMISE_LEAKS=1/);
            process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
            const traced = Promise.resolve(2);
            await debuggablePromise(traced, "traced");
            expect((traced as DebuggablePromise)._debugStackTrace).to.match(/^Error: \n {4}at debuggablePromise \(.*debuggable\.js:\d+:\d+\)/);
        } finally {
            if (before === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
            else process.env.PULUMI_DEBUG_PROMISE_LEAKS = before;
        }
    });
});
