/**
 * The staging prefix upload forms write under: `<uploadPrefix>incoming/`,
 * the folder the resizer refuses too; a key is a staging key only when it
 * lies under it, and a key that merely shares its start outside the upload
 * prefix, or names the folder without its slash, is not.
 */
import { expect } from "chai";
import { STAGING_FOLDER as CONTRACT_FOLDER } from "../../core/contract";
import { isStagingKey, STAGING_FOLDER, stagingPrefix } from "../../issuer/staging";

const CONFIG = { uploadPrefix: "uploads/" };

describe("issuer/staging", () => {
    it("is the upload prefix's incoming/ folder, the same folder the resizer refuses", () => {
        expect(stagingPrefix(CONFIG)).to.equal("uploads/incoming/");
        expect(stagingPrefix({ uploadPrefix: "" })).to.equal("incoming/");
        expect(STAGING_FOLDER).to.equal(CONTRACT_FOLDER);
    });

    it("a staging key lies under the staging prefix, at any depth", () => {
        expect(isStagingKey(CONFIG, "uploads/incoming/abc.png")).to.equal(true);
        expect(isStagingKey(CONFIG, "uploads/incoming/a/b.png")).to.equal(true);
    });

    it("keys outside it are not staging keys", () => {
        for (const key of ["uploads/abc.png", "uploads/incoming", "uploads/incomingx/a.png", "incoming/a.png", "other/uploads/incoming/a.png", "Uploads/incoming/a.png"]) {
            expect(isStagingKey(CONFIG, key), key).to.equal(false);
        }
    });
});
