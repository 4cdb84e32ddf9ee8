/**
 * The invalidator's settings (one environment variable, checked field by
 * field) and its deployment code: one bundled file that needs nothing but
 * Node's built-ins and the Lambda runtime's AWS SDK, and that runs.
 */
import { expect } from "chai";
import { builtinModules, createRequire } from "module";
import * as path from "path";
import { INVALIDATOR_SETTINGS_ENV, parseInvalidatorSettings } from "../../invalidator/settings";
import { INVALIDATOR_HANDLER, invalidatorCode } from "../../invalidator/package";
import { SETTINGS, streamRecord, hashOf } from "./fixtures";

describe("invalidator settings", () => {
    it("reads back what the component writes", () => {
        const withVariants = { ...SETTINGS, variants: true };
        expect(parseInvalidatorSettings(JSON.stringify(withVariants))).to.deep.equal(withVariants);
        expect(parseInvalidatorSettings(JSON.stringify({ ...SETTINGS, extra: "ignored" }))).to.deep.equal(SETTINGS);
    });

    it("refuses missing or bad settings, naming the field", () => {
        const cases: [string | undefined, RegExp][] = [
            [undefined, /^INVALIDATOR_SETTINGS is not set$/],
            ["{", /is not JSON/],
            ["[]", /must be a JSON object/],
            [JSON.stringify({ ...SETTINGS, service: "Chat!" }), /service must be a service name/],
            [JSON.stringify({ ...SETTINGS, region: "europe" }), /region must be an AWS region name/],
            [JSON.stringify({ ...SETTINGS, distributionId: "e-1" }), /distributionId must be a CloudFront distribution id/],
            [JSON.stringify({ ...SETTINGS, queueUrl: "queue" }), /queueUrl must be an SQS queue URL/],
            [JSON.stringify({ ...SETTINGS, reinvalidateAfterSeconds: 901 }), /reinvalidateAfterSeconds must be a whole number from 1 to 900/],
            [JSON.stringify({ ...SETTINGS, reinvalidateAfterSeconds: 0 }), /reinvalidateAfterSeconds must be a whole number/],
            [JSON.stringify({ ...SETTINGS, variants: undefined }), /variants must be true or false/],
            [JSON.stringify({ ...SETTINGS, variants: { thumb: ["webp"] } }), /variants must be true or false/],
        ];
        for (const [text, message] of cases) expect(() => parseInvalidatorSettings(text), String(text)).to.throw(message);
    });
});

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
