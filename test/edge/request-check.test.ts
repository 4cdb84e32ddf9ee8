import { expect } from "chai";
import { checkRequest } from "../../edge/request-check";
import { HASH } from "./fixtures";

describe("edge request check", () => {
    it("accepts GET and HEAD of exactly /images/<32 lowercase hex>", () => {
        expect(checkRequest("GET", `/images/${HASH}`)).to.deep.equal({ ok: true, hash: HASH });
        expect(checkRequest("HEAD", `/images/${HASH}`)).to.deep.equal({ ok: true, hash: HASH });
    });

    it("turns away every other method before looking at the path", () => {
        for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get", "", "TRACE"]) {
            expect(checkRequest(method, `/images/${HASH}`)).to.deep.equal({ ok: false, reason: "bad_method" }, method);
        }
        expect(checkRequest(undefined, `/images/${HASH}`)).to.deep.equal({ ok: false, reason: "bad_method" });
    });

    it("answers over-long URIs as too long, whatever they hold", () => {
        // The documented limit: a URI longer than 1024 characters is too long; 1024 is not.
        const LIMIT = 1024;
        expect(checkRequest("GET", "/images/" + "a".repeat(LIMIT))).to.deep.equal({ ok: false, reason: "uri_too_long" });
        expect(checkRequest("GET", "/" + "x".repeat(LIMIT - 1))).to.deep.equal({ ok: false, reason: "bad_path" });
    });

    it("rejects near misses, traversal and encoded tricks as plain bad paths", () => {
        const bad = [
            "/",
            "",
            "/images/",
            `/images/${HASH.toUpperCase()}`,
            `/images/${HASH}/`,
            `/images/${HASH}.jpg`,
            `/images/${HASH.slice(1)}`,
            `/images/${HASH}0`,
            `/IMAGES/${HASH}`,
            `//images/${HASH}`,
            `/images//${HASH}`,
            `/images/../images/${HASH}`,
            `/images/%2e%2e/${HASH}`,
            `/images/${HASH.slice(0, 30)}%41`,
            `/images/${HASH.slice(0, 31)}\u0000`,
            `/images/${HASH.slice(0, 31)}\u0430`, // Cyrillic look-alike
            `/images/${HASH.slice(0, 31)}g`,
            ` /images/${HASH}`,
            `/images/${HASH}?x=1`,
            `images/${HASH}`,
        ];
        for (const uri of bad) expect(checkRequest("GET", uri), JSON.stringify(uri)).to.deep.equal({ ok: false, reason: "bad_path" });
        expect(checkRequest("GET", undefined)).to.deep.equal({ ok: false, reason: "bad_path" });
    });
});
