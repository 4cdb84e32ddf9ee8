/**
 * The delivery group (components/args/delivery.ts): the level, the mode,
 * the hash's and the presigned URL's lives, their defaults (the ones the
 * issuer also assumes are core's) and their checks, worded with the field.
 */
import { expect } from "chai";
import { DEFAULT_SIGNED_URL_TTL_SECONDS, signedUrlTtlProblem } from "../../../core/bounds";
import { DEFAULT_DELIVERY_MODE } from "../../../core/enums";
import { DELIVERY_DEFAULTS, DELIVERY_GUARDED_ONLY, resolveGuardedDelivery, resolveLevel, resolvePublicDelivery } from "../../../components/args/delivery";
import { thrown } from "../../support/rejection";

describe("args: level and delivery", () => {
    it("nothing given: required, origin, 30-day hashes, 300-second presigned URLs, the last two the issuer's defaults too", () => {
        expect(resolveLevel({})).to.equal("required");
        expect(resolveGuardedDelivery({})).to.deep.equal({ mode: "origin", hashTtlSeconds: 2592000, signedUrlTtlSeconds: 300 });
        expect(DELIVERY_DEFAULTS).to.include({ level: "required", mode: DEFAULT_DELIVERY_MODE, signedUrlTtlSeconds: DEFAULT_SIGNED_URL_TTL_SECONDS });
        expect(resolvePublicDelivery({})).to.deep.equal({ hashTtlSeconds: DELIVERY_DEFAULTS.hashTtlSeconds });
    });

    it("what a public instance may not set: the mode and both lives", () => {
        expect([...DELIVERY_GUARDED_ONLY]).to.have.members(["mode", "signedUrlTtlSeconds", "hashTtlSeconds"]);
    });

    it("refuses an unknown level or mode", () => {
        expect(thrown(() => resolveLevel({ level: "private" as never }), Error).message).to.equal('level must be one of public, required, secured (got "private")');
        expect(thrown(() => resolveGuardedDelivery({ mode: "proxy" as never }), Error).message).to.equal('mode must be one of origin, redirect (got "proxy")');
    });

    it("the presigned URL's life: redirect mode only, core's bound with its reason, shorter than the hash's", () => {
        expect(resolveGuardedDelivery({ mode: "redirect", signedUrlTtlSeconds: 120 })).to.include({ signedUrlTtlSeconds: 120 });
        expect(() => resolveGuardedDelivery({ signedUrlTtlSeconds: 60 })).to.throw(/^signedUrlTtlSeconds applies only to mode "redirect"/);
        const over = thrown(() => resolveGuardedDelivery({ mode: "redirect", signedUrlTtlSeconds: 601 }), Error).message;
        expect(over).to.equal(`signedUrlTtlSeconds ${signedUrlTtlProblem(601)?.expected} (got 601): ${signedUrlTtlProblem(601)?.reason}`);
        expect(thrown(() => resolveGuardedDelivery({ mode: "redirect", signedUrlTtlSeconds: 0 }), Error).message).to.equal("signedUrlTtlSeconds must be a whole number from 1 to 600 (got 0)");
        expect(() => resolveGuardedDelivery({ mode: "redirect", hashTtlSeconds: 300 })).to.throw(/^signedUrlTtlSeconds \(300\) must be shorter than hashTtlSeconds \(300\)/);
    });

    it("the hash's life: a minute to a year, for every level", () => {
        expect(thrown(() => resolveGuardedDelivery({ hashTtlSeconds: 59 }), Error).message).to.equal("hashTtlSeconds must be a whole number from 60 to 31536000 (got 59)");
        expect(() => resolvePublicDelivery({ hashTtlSeconds: 31536001 })).to.throw(/^hashTtlSeconds must be a whole number from 60 to 31536000/);
    });
});
