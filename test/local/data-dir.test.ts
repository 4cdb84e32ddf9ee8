/**
 * The local stack's data folder (local/data-dir.ts): `--fresh` removes the
 * stack's own entries (the DynamoDB and S3 folders, the state file) and
 * leaves anything else in the folder alone. Runs in a temporary folder.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { dataLayout, prepareDataDir, wipeDataDir } from "../../local/data-dir";
import { LocalStackState, writeState } from "../../local/state-file";
import { tempDir } from "./stack-process";

function state(pid: number): LocalStackState {
    return {
        pid,
        startedAt: new Date(0).toISOString(),
        playgroundUrl: "http://127.0.0.1:4500/",
        endpoints: { dynamodb: "http://127.0.0.1:4502", s3: "http://127.0.0.1:4503", cloudfront: "http://127.0.0.1:4501" },
        listening: [{ part: "playground", url: "http://127.0.0.1:4500" }],
        services: {},
    };
}

describe("local stack: data folder", () => {
    const root = tempDir("sic-data-");
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("--fresh removes the stack's own entries and leaves anything else in the folder alone", () => {
        const layout = dataLayout(path.join(root, "data"));
        prepareDataDir(layout);
        fs.writeFileSync(path.join(layout.dynamo, "000001.ldb"), "x");
        fs.writeFileSync(path.join(layout.s3, "object"), "x");
        writeState(layout.state, state(process.pid));
        fs.writeFileSync(path.join(layout.root, "notes.txt"), "mine");
        wipeDataDir(layout);
        expect(fs.readdirSync(layout.root)).to.deep.equal(["notes.txt"]);
    });
});
