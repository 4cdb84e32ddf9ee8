/**
 * What `npm start` says when a part of the running stack fails
 * (local/failure.ts): the part named from the first frame of the error's
 * stack that points into one (dynalite, s3rver, the replicator, the
 * CloudFront API, the emulator, the playground), and the one line printed
 * before everything stops. Pure: the errors are made with a written stack;
 * the real failure in a running `npm start` is in stack-failure.test.ts.
 */
import { expect } from "chai";
import { failedPart, failureLine } from "../../local/failure";

describe("npm start: the part that failed, named", () => {
    it("names the part from where the error was thrown", () => {
        const thrownIn = (file: string) => Object.assign(new TypeError("boom"), { stack: `TypeError: boom\n    at Object.checkTypes (${file}:27:29)\n    at IncomingMessage.<anonymous> (/x/node_modules/other/index.js:1:1)` });
        expect(failedPart(thrownIn("/repo/node_modules/dynalite/validations/index.js"))).to.equal("DynamoDB (dynalite)");
        expect(failedPart(thrownIn("/repo/node_modules/s3rver/lib/controllers/object.js"))).to.equal("S3 (s3rver)");
        expect(failedPart(thrownIn("/repo/local/replication.ts"))).to.equal("DynamoDB replicator");
        expect(failedPart(thrownIn("/repo/local/cloudfront/distribution.ts"))).to.equal("CDN (CloudFront emulator)");
        expect(failedPart(thrownIn("/repo/local/cloudfront/control-api.ts"))).to.equal("CloudFront API");
        expect(failedPart(thrownIn("/repo/local/playground/api.ts"))).to.equal("playground");
        expect(failedPart(thrownIn("/repo/lib/elsewhere.js"))).to.equal(undefined);
        expect(failureLine(thrownIn("/repo/node_modules/dynalite/validations/index.js"))).to.equal(
            "DynamoDB (dynalite) failed (TypeError: boom, at Object.checkTypes (/repo/node_modules/dynalite/validations/index.js:27:29)); stopping everything",
        );
        expect(failureLine("a string")).to.equal("a part of the local stack failed (a string); stopping everything");
    });
});
