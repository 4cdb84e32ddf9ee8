/**
 * The edge group (components/args/edge.ts): the function's knobs within its
 * trigger's limits, the lookup budget inside the timeout, and the memo's
 * default per level, which is core's (the issuer assumes it too).
 */
import { expect } from "chai";
import { DEFAULT_MEMO_TTL_SECONDS } from "../../../core/bounds";
import { EDGE_DEFAULTS, EDGE_GUARDED_ONLY, resolveEdge } from "../../../components/args/edge";
import { thrown } from "../../support/rejection";

describe("args: the edge function", () => {
    it("nothing given: 5 s, 128 MB, a 3 s lookup, 10,000 memo entries, and the memo's default per level (core's)", () => {
        expect(resolveEdge(undefined, "required", "origin")).to.deep.equal({ timeoutSeconds: 5, memorySizeMb: 128, lookupTimeoutMs: 3000, memoMaxEntries: 10000, memoTtlSeconds: 60, securedReads: "home" });
        expect(resolveEdge({}, "secured", "redirect").memoTtlSeconds).to.equal(0);
        expect(EDGE_DEFAULTS.memoTtlSeconds).to.equal(DEFAULT_MEMO_TTL_SECONDS);
        expect([...EDGE_GUARDED_ONLY]).to.deep.equal(["edge"]);
    });

    it("within the tightest trigger's limits: viewer-request (secured) 5 s and 128 MB, origin triggers 30 s", () => {
        expect(() => resolveEdge({ timeoutSeconds: 6 }, "secured", "origin")).to.throw(/^edge\.timeoutSeconds must be at most 5 for level "secured" \(viewer-request trigger limit; got 6\)/);
        expect(() => resolveEdge({ memorySizeMb: 256 }, "secured", "origin")).to.throw(/^edge\.memorySizeMb must be 128 for level "secured"/);
        expect(resolveEdge({ timeoutSeconds: 30, memorySizeMb: 1024, lookupTimeoutMs: 25000 }, "required", "origin")).to.include({ timeoutSeconds: 30, memorySizeMb: 1024, lookupTimeoutMs: 25000 });
    });

    it("the lookup budget: core's bound, and 1 s of the timeout left", () => {
        expect(thrown(() => resolveEdge({ lookupTimeoutMs: 99 }, "required", "origin"), Error).message).to.equal("edge.lookupTimeoutMs must be a whole number from 100 to 25000 (got 99)");
        expect(() => resolveEdge({ lookupTimeoutMs: 4500 }, "required", "origin")).to.throw(/^edge\.lookupTimeoutMs \(4500\) must leave at least 1 s of edge\.timeoutSeconds \(5 s\)/);
    });

    it("the memo: core's bounds, worded with the field", () => {
        expect(thrown(() => resolveEdge({ memoTtlSeconds: 3601 }, "required", "origin"), Error).message).to.equal("edge.memoTtlSeconds must be a whole number from 0 to 3600 (got 3601)");
        expect(thrown(() => resolveEdge({ memoMaxEntries: 100001 }, "required", "origin"), Error).message).to.equal("edge.memoMaxEntries must be a whole number from 0 to 100000 (got 100001)");
    });

    it("securedReads applies to secured only; unknown fields and non-objects are refused", () => {
        expect(resolveEdge({ securedReads: "nearest" }, "secured", "origin").securedReads).to.equal("nearest");
        expect(() => resolveEdge({ securedReads: "nearest" }, "required", "origin")).to.throw(/^edge\.securedReads applies only to level "secured"/);
        expect(() => resolveEdge({ memory: 256 } as never, "required", "origin")).to.throw(/^unknown field edge\.memory/);
        expect(() => resolveEdge([] as never, "required", "origin")).to.throw(/^edge must be an object/);
    });
});
