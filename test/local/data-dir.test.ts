/**
 * The local stack's data folder (local/data-dir.ts): `--fresh` removes the
 * stack's own entries (the DynamoDB and S3 folders, the state file) and
 * leaves anything else in the folder alone. Runs in a temporary folder.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { dataLayout, prepareDataDir, wipeDataDir } from "../../local/data-dir";
import { writeState } from "../../local/state-file";
import { sampleState } from "./fixtures/state";
import { tempDir } from "./stack-process";

describe("local stack: data folder", () => {
    const root = tempDir("sic-data-");
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("--fresh removes the stack's own entries and leaves anything else in the folder alone", () => {
        const layout = dataLayout(path.join(root, "data"));
        prepareDataDir(layout);
        fs.writeFileSync(path.join(layout.dynamo, "000001.ldb"), "x");
        fs.writeFileSync(path.join(layout.s3, "object"), "x");
        writeState(layout.state, sampleState(process.pid));
        fs.writeFileSync(path.join(layout.root, "notes.txt"), "mine");
        wipeDataDir(layout);
        expect(fs.readdirSync(layout.root)).to.deep.equal(["notes.txt"]);
    });
});
