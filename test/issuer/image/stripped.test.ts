/**
 * The pieces every metadata remover shares (issuer/image/stripped.ts): an
 * assembly that hands back the very input when nothing was left out (so a
 * clean image is stored byte for byte) and otherwise the pushed pieces in
 * order, with the kinds removed and kept each listed once and sorted; the
 * refusal, a RefusedContentError naming the format and the fault and
 * carrying its cause; and `concat`, pieces joined in order.
 */
import { expect } from "chai";
import { RefusedContentError } from "../../../issuer/errors";
import { Assembly, concat, refuse } from "../../../issuer/image/stripped";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe("issuer/image/stripped", () => {
    describe("Assembly", () => {
        it("returns the input itself, not a copy, when nothing was removed, whatever was pushed", () => {
            const input = bytes(1, 2, 3);
            const assembly = new Assembly();
            assembly.push(bytes(9, 9));
            assembly.keep("icc");
            const result = assembly.finish(input);
            expect(result.bytes).to.equal(input);
            expect(result.removed).to.deep.equal([]);
            expect(result.kept).to.deep.equal(["icc"]);
        });

        it("returns the pushed pieces, in order, once something was removed", () => {
            const input = bytes(1, 2, 3, 4, 5);
            const assembly = new Assembly();
            assembly.push(bytes(1, 2));
            assembly.remove("exif");
            assembly.push(bytes(5));
            assembly.push(bytes());
            const result = assembly.finish(input);
            expect(result.bytes).to.not.equal(input);
            expect([...result.bytes]).to.deep.equal([1, 2, 5]);
        });

        it("marks the result changed on a removal even with no kind named", () => {
            const assembly = new Assembly();
            expect(assembly.changed).to.equal(false);
            assembly.remove();
            expect(assembly.changed).to.equal(true);
            const result = assembly.finish(bytes(7));
            expect(result.bytes).to.have.length(0);
            expect(result.removed).to.deep.equal([]);
        });

        it("lists removed and kept kinds once each, sorted", () => {
            const assembly = new Assembly();
            assembly.remove("xmp", "exif:gps");
            assembly.remove("comment", "xmp");
            assembly.remove("exif");
            assembly.keep("icc");
            assembly.keep("exif:orientation");
            assembly.keep("icc");
            const result = assembly.finish(bytes());
            expect(result.removed).to.deep.equal(["comment", "exif", "exif:gps", "xmp"]);
            expect(result.kept).to.deep.equal(["exif:orientation", "icc"]);
        });

        it("keeping alone does not count as a change", () => {
            const assembly = new Assembly();
            assembly.keep("exif:orientation");
            expect(assembly.changed).to.equal(false);
        });
    });

    describe("refuse", () => {
        it("is a RefusedContentError naming the format and the fault", () => {
            const error = refuse("PNG", "a chunk runs past the end");
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.code).to.equal("REFUSED_CONTENT");
            expect(error.message).to.equal("refused: the PNG is malformed (a chunk runs past the end); its metadata cannot be removed safely");
            expect(error).to.not.have.property("cause");
        });

        it("carries the cause it was given", () => {
            const cause = new RangeError("offset out of range");
            expect(refuse("JPEG", "bad marker", cause).cause).to.equal(cause);
        });
    });

    describe("concat", () => {
        it("joins the pieces in order, empty ones included", () => {
            expect([...concat([bytes(1), bytes(), bytes(2, 3), bytes(4)])]).to.deep.equal([1, 2, 3, 4]);
        });

        it("gives an empty buffer for no pieces, and a copy for one", () => {
            expect(concat([])).to.have.length(0);
            const only = bytes(5, 6);
            const joined = concat([only]);
            expect([...joined]).to.deep.equal([5, 6]);
            only[0] = 0;
            expect(joined[0]).to.equal(5);
        });
    });
});
