/**
 * The invalidator's deployment code: one bundled file that needs nothing but
 * Node's built-ins and the Lambda runtime's AWS SDK, and that runs.
 */
import { expect } from "chai";
import { builtinModules, createRequire } from "module";
import * as path from "path";
import { INVALIDATOR_SETTINGS_ENV } from "../../invalidator/settings";
import { INVALIDATOR_HANDLER, invalidatorCode } from "../../invalidator/package";
import { SETTINGS, streamRecord, hashOf } from "./fixtures";

describe("invalidator deployment code", function () {
    this.timeout(60_000);

    it("is one file that requires only Node's built-ins and the runtime's AWS SDK", async () => {
        const code = await invalidatorCode();
        const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
        expect(required).to.include.members(["@aws-sdk/client-cloudfront", "@aws-sdk/client-sqs"]);
        for (const name of required) {
            expect(name.startsWith("@aws-sdk/") || builtinModules.includes(name.replace(/^node:/, "")), name).to.equal(true);
        }
        expect(INVALIDATOR_HANDLER).to.equal("index.handler");
        expect(Buffer.byteLength(code), "a small function").to.be.below(50_000);
    });

    it("runs: a stream batch with nothing to invalidate is answered without a call", async () => {
        const code = await invalidatorCode();
        const module = { exports: {} as { handler?: (event: unknown) => Promise<unknown> } };
        // The SDK the bundle requires is the one Lambda provides; here, this repository's.
        const requireHere = createRequire(path.join(__dirname, "..", "..", "package.json"));
        const saved = process.env[INVALIDATOR_SETTINGS_ENV];
        process.env[INVALIDATOR_SETTINGS_ENV] = JSON.stringify(SETTINGS);
        try {
            new Function("module", "exports", "require", code)(module, module.exports, requireHere);
            const handler = module.exports.handler;
            if (handler === undefined) throw new Error("the bundle exports no handler");
            // Its log line goes to stdout, where Lambda sends it to the function's log group.
            const printed: unknown[] = [];
            const log = console.log;
            console.log = (line: unknown) => void printed.push(line);
            try {
                expect(await handler({ Records: [streamRecord("INSERT", hashOf("1"))] })).to.deep.equal({ batchItemFailures: [] });
            } finally {
                console.log = log;
            }
            expect(printed.map((line) => JSON.parse(String(line)))).to.deep.equal([
                { service: "chat", region: "eu-west-1", source: "stream", records: 1, hashes: 0, skipped: { not_remove: 1 }, outcome: "nothing" },
            ]);
        } finally {
            if (saved === undefined) delete process.env[INVALIDATOR_SETTINGS_ENV];
            else process.env[INVALIDATOR_SETTINGS_ENV] = saved;
        }
    });
});
