/** The upload group (components/args/upload.ts): where uploads go and how large they may be, checked by core's bounds the issuer shares. */
import { expect } from "chai";
import { maxUploadBytesProblem } from "../../../core/bounds";
import { uploadPrefixProblem } from "../../../core/contract";
import { resolveUpload, UPLOAD_DEFAULTS } from "../../../components/args/upload";
import { thrown } from "../../support/rejection";

describe("args: uploads", () => {
    it("nothing given: uploads/ and 10 MiB", () => {
        expect(resolveUpload({})).to.deep.equal({ uploadPrefix: "uploads/", maxUploadBytes: 10485760 });
        expect(resolveUpload({})).to.deep.equal({ ...UPLOAD_DEFAULTS });
    });

    it("refuses with core's words for the bound, the field named and the value shown", () => {
        expect(thrown(() => resolveUpload({ uploadPrefix: "/x/" }), Error).message).to.equal(`uploadPrefix ${uploadPrefixProblem("/x/")?.expected} (got "/x/")`);
        const tooLarge = 5 * 1024 ** 3 + 1;
        expect(thrown(() => resolveUpload({ maxUploadBytes: tooLarge }), Error).message).to.equal(`maxUploadBytes ${maxUploadBytesProblem(tooLarge)?.expected} (got ${tooLarge})`);
        expect(resolveUpload({ uploadPrefix: "a/b/", maxUploadBytes: 1 })).to.deep.equal({ uploadPrefix: "a/b/", maxUploadBytes: 1 });
    });
});
