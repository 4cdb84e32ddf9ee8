/**
 * The resizer's deployment package as a file (components/resizer-code.ts):
 * built once per architecture in a process (the default is arm64's), the
 * zip written under the digest of its own bytes in the sharp cache
 * directory, and the function's code an archive of that very file.
 */
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { resizerCode, resizerPackageFile } from "../../components/resizer-code";
import { defaultSharpCacheDir } from "../../resizer/sharp-platform";
import { promiseOf } from "./support/mocks";

describe("components/resizer-code: the resizer's package as a file", function () {
    // The first build of a process bundles the handler and zips it with sharp's arm64 binaries.
    this.timeout(120_000);

    it("built once per architecture in a process: the default's is arm64's, the same build", () => {
        expect(resizerPackageFile()).to.equal(resizerPackageFile("arm64"));
    });

    it("the zip is written in the sharp cache directory under the digest of its own bytes", async () => {
        const file = await resizerPackageFile();
        expect(path.dirname(file)).to.equal(defaultSharpCacheDir());
        const digest = createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16);
        expect(path.basename(file)).to.equal(`resizer-${digest}.zip`);
    });

    it("the function's code is a file archive of that very file", async () => {
        const archive = await promiseOf(resizerCode());
        expect(archive).to.be.instanceOf(pulumi.asset.FileArchive);
        expect(await (archive as pulumi.asset.FileArchive).path).to.equal(await resizerPackageFile("arm64"));
    });
});
