/**
 * readRegularFile: a regular file's bytes up to the cap, and a refusal,
 * handed to the caller's `refuse`, for everything else, decided before a
 * byte is read: a missing file (with its error code), a folder, a FIFO with
 * no writer (which would otherwise wait for ever), a character device
 * (`/dev/zero` would never end), and a file over the cap (at the cap is
 * read).
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FileRefusal, readRegularFile } from "../../issuer/read-file";
import { rejection } from "../support/rejection";

class Refused extends Error {
    constructor(readonly refusal: FileRefusal) {
        super(refusal.reason);
    }
}

const refuse = (refusal: FileRefusal): Error => new Refused(refusal);

/** The refusal `readRegularFile(file, maxBytes)` ends in. */
async function refusalOf(file: string, maxBytes: number): Promise<FileRefusal> {
    return (await rejection(readRegularFile(file, maxBytes, refuse), Refused)).refusal;
}

describe("issuer/read-file", () => {
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "read-file-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads a regular file whole, across several chunks, at exactly the cap", async () => {
        const bytes = Buffer.alloc(200 * 1024 + 7, 0);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
        const file = path.join(dir, "big.bin");
        fs.writeFileSync(file, bytes);
        expect((await readRegularFile(file, bytes.length, refuse)).equals(bytes)).to.equal(true);
    });

    it("reads an empty file as no bytes", async () => {
        const file = path.join(dir, "empty");
        fs.writeFileSync(file, "");
        expect((await readRegularFile(file, 10, refuse)).length).to.equal(0);
    });

    it("refuses a file over the cap by its size", async () => {
        const file = path.join(dir, "eleven");
        fs.writeFileSync(file, "01234567890");
        expect(await refusalOf(file, 10)).to.deep.equal({ reason: "too-large", bytes: 11 });
    });

    it("refuses a missing file as unreadable, with its code", async () => {
        const refusal = await refusalOf(path.join(dir, "none"), 10);
        expect(refusal).to.include({ reason: "unreadable", code: "ENOENT" });
    });

    it("refuses a folder, a FIFO with no writer and a character device for what they are", async function () {
        expect(await refusalOf(dir, 10)).to.deep.equal({ reason: "not-a-file", kind: "a folder" });
        if (process.platform === "win32") this.skip();
        const fifo = path.join(dir, "fifo");
        execFileSync("mkfifo", [fifo]);
        expect(await refusalOf(fifo, 10)).to.deep.equal({ reason: "not-a-file", kind: "a FIFO" });
        expect(await refusalOf("/dev/zero", 10)).to.deep.equal({ reason: "not-a-file", kind: "a character device" });
    });
});
