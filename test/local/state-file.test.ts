/**
 * The local stack's state file (local/state-file.ts): written atomically and
 * read back (a broken one reads as none), a start refused over a stack that
 * is still running but not over a stale file, and the file removed on exit
 * only by the process it names. Runs in a temporary folder; the one process
 * started is a `node -e` that exits at once, for a process id that is gone.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertNotRunning, readState, removeState, writeState } from "../../local/state-file";
import { sampleState } from "./fixtures/state";
import { tempDir } from "./stack-process";

/** A process id that existed a moment ago and no longer does. */
function deadPid(): number {
    const result = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    return Number(result.stdout);
}

describe("local stack: state file", () => {
    const root = tempDir("sic-data-");
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("writes the state atomically and reads it back", () => {
        const file = path.join(root, "state.json");
        writeState(file, sampleState(process.pid));
        expect(readState(file)?.pid).to.equal(process.pid);
        expect(fs.readdirSync(root).filter((name) => name.endsWith(".tmp"))).to.deep.equal([]);
        fs.writeFileSync(file, "{ not json");
        expect(readState(file)).to.equal(undefined);
    });

    it("refuses to start over a stack that is still running, but not over a stale state file", () => {
        const file = path.join(root, "running.json");
        writeState(file, sampleState(process.ppid));
        expect(() => assertNotRunning(file)).to.throw(new RegExp(`already running on this data folder \\(pid ${process.ppid}`));
        writeState(file, sampleState(deadPid()));
        expect(() => assertNotRunning(file)).to.not.throw();
        writeState(file, sampleState(process.pid));
        expect(() => assertNotRunning(file)).to.not.throw();
        fs.rmSync(file);
        expect(() => assertNotRunning(file)).to.not.throw();
    });

    it("removes the state file on exit only when it is this process's", () => {
        const file = path.join(root, "mine.json");
        writeState(file, sampleState(process.ppid));
        removeState(file);
        expect(fs.readdirSync(root), "another process's state file stays").to.include("mine.json");
        writeState(file, sampleState(process.pid));
        removeState(file);
        expect(fs.readdirSync(root), "this process's state file is removed").to.not.include("mine.json");
    });
});
