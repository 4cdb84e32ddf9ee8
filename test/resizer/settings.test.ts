/**
 * The resizer's settings: checked field by field with messages naming the
 * field, delivered through one environment variable within Lambda's 4 KB,
 * and a function with bad settings answers 503 and says why instead of
 * crashing at every start.
 */
import { expect } from "chai";
import { DEFAULT_VARIANT_PRESETS, MAX_PRESETS } from "../../core/variants";
import { handlerFromEnvironment } from "../../resizer/entry";
import type { ResizerLogLine } from "../../resizer/log";
import { MAX_LAMBDA_ENVIRONMENT_BYTES, parseResizerSettings, RESIZER_SETTINGS_ENV, resizerEnvironment, resizerSettingsProblems } from "../../resizer/settings";
import { thrown } from "../support/rejection";
import { testSettings, urlEvent } from "./support";

describe("resizer/settings", () => {
    const valid = testSettings("images-bucket", "http://127.0.0.1:1", { presets: DEFAULT_VARIANT_PRESETS });

    it("accepts valid settings and round-trips them through the environment", () => {
        expect(resizerSettingsProblems(valid)).to.deep.equal([]);
        const env = resizerEnvironment(valid);
        expect(Object.keys(env)).to.deep.equal([RESIZER_SETTINGS_ENV]);
        expect(parseResizerSettings(env[RESIZER_SETTINGS_ENV])).to.deep.equal(valid);
    });

    const cases: [string, Record<string, unknown>, string][] = [
        ["a bad bucket", { bucket: "Not_A_Bucket" }, "bucket must be an S3 bucket name"],
        ["a bad region", { region: "europe" }, "region must be an AWS region name"],
        ["an upload prefix without a slash", { uploadPrefix: "uploads" }, "uploadPrefix must be a relative key prefix ending in '/'"],
        ["an upload prefix under derived/", { uploadPrefix: "derived/uploads/" }, "uploadPrefix must not overlap 'derived/', where variants are stored"],
        ["a bad preset", { presets: { thumb: { ...DEFAULT_VARIANT_PRESETS.thumb, quality: 0 } } }, "presets.thumb.quality must be an integer from 1 to 100, got 0"],
        ["a negative lifetime", { variantMaxAgeSeconds: -1 }, "variantMaxAgeSeconds must be an integer from 0 to 31536000"],
        ["a long error lifetime", { errorMaxAgeSeconds: 7200 }, "errorMaxAgeSeconds must be an integer from 0 to 3600"],
        ["no pixel limit", { limitInputPixels: 0 }, "limitInputPixels must be an integer from 1 to 268402689"],
        ["no original size limit", { maxOriginalBytes: 0 }, "maxOriginalBytes must be a positive integer"],
        ["an unknown field", { sharpen: true }, "sharpen is not a resizer setting"],
    ];
    for (const [what, change, message] of cases) {
        it(`refuses ${what}, naming the field`, () => {
            expect(resizerSettingsProblems({ ...valid, ...change })).to.deep.equal([message]);
        });
    }

    it(`keeps the largest catalogue allowed within Lambda's ${MAX_LAMBDA_ENVIRONMENT_BYTES} bytes of environment`, () => {
        const name = (i: number): string => `${String(i).padStart(2, "0")}${"n".repeat(30)}`;
        const presets = Object.fromEntries(Array.from({ length: MAX_PRESETS }, (_, i) => [name(i), DEFAULT_VARIANT_PRESETS.thumb]));
        const env = resizerEnvironment({ ...valid, presets });
        expect(Buffer.byteLength(RESIZER_SETTINGS_ENV + env[RESIZER_SETTINGS_ENV])).to.be.at.most(MAX_LAMBDA_ENVIRONMENT_BYTES);
        expect(thrown(() => resizerEnvironment({ ...valid, service: "s".repeat(4096) }), Error).message).to.match(/over Lambda's 4096/);
        expect(thrown(() => resizerEnvironment({ ...valid, bucket: "x" }), Error).message).to.equal("invalid resizer settings: bucket must be an S3 bucket name");
    });

    it("a function with missing or bad settings answers every request 503 and logs why", async () => {
        for (const [env, reason] of [
            [{}, `${RESIZER_SETTINGS_ENV} is not set`],
            [{ [RESIZER_SETTINGS_ENV]: "{" }, `${RESIZER_SETTINGS_ENV} is not JSON`],
            [{ [RESIZER_SETTINGS_ENV]: JSON.stringify({ ...valid, bucket: "x" }) }, `invalid ${RESIZER_SETTINGS_ENV}: bucket must be an S3 bucket name`],
        ] as const) {
            const logs: ResizerLogLine[] = [];
            const handler = handlerFromEnvironment(env, (line) => logs.push(line));
            const response = await handler(urlEvent("/variant/thumb/webp/uploads/a.jpg"));
            expect([response.statusCode, response.headers?.["Cache-Control"]]).to.deep.equal([503, "no-store"]);
            expect(logs).to.deep.equal([{ service: "unknown", outcome: "bad_settings", status: 503, ms: 0, reason }]);
        }
    });
});
