/**
 * The zip writer (the resizer's package, the benchmark's edge package)
 * must produce a real archive, or the package
 * size it reports means nothing: read back by `unzip` when the machine has
 * it, and always by walking the format (APPNOTE: local header, data,
 * central directory, end record) and inflating the data.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { crc32, inflateRawSync } from "zlib";
import { zipFiles } from "../../resizer/zip";

function hasUnzip(): boolean {
    try {
        execFileSync("unzip", ["-v"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

describe("resizer/zip (deployment package writer)", () => {
    const first = Buffer.from("exports.handler = async () => ({ status: '200' });\n".repeat(50));
    const second = Buffer.from([0, 1, 2, 3, 255, 254]);
    const zip = zipFiles([
        { name: "__index.js", data: first },
        { name: "dir/bytes.bin", data: second },
    ]);

    it("holds each entry, deflated, with its CRC-32 and sizes, and a central directory that points at it", () => {
        const end = zip.length - 22;
        expect(zip.readUInt32LE(end)).to.equal(0x06054b50);
        expect(zip.readUInt16LE(end + 10)).to.equal(2);
        let central = zip.readUInt32LE(end + 16);
        for (const [name, data] of [
            ["__index.js", first],
            ["dir/bytes.bin", second],
        ] as const) {
            expect(zip.readUInt32LE(central)).to.equal(0x02014b50);
            const nameLength = zip.readUInt16LE(central + 28);
            expect(zip.toString("utf8", central + 46, central + 46 + nameLength)).to.equal(name);
            const local = zip.readUInt32LE(central + 42);
            expect(zip.readUInt32LE(local)).to.equal(0x04034b50);
            const compressed = zip.readUInt32LE(local + 18);
            const start = local + 30 + zip.readUInt16LE(local + 26);
            const inflated = inflateRawSync(zip.subarray(start, start + compressed));
            expect(inflated.equals(data)).to.equal(true);
            expect(zip.readUInt32LE(local + 14)).to.equal(crc32(data));
            expect(zip.readUInt32LE(local + 22)).to.equal(data.length);
            central += 46 + nameLength;
        }
        expect(zip.length).to.be.below(first.length);
    });

    it("is read back by unzip when the machine has it", function () {
        if (!hasUnzip()) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-zip-"));
        try {
            const file = path.join(dir, "package.zip");
            fs.writeFileSync(file, zip);
            const listing = execFileSync("unzip", ["-t", file], { encoding: "utf8" });
            expect(listing).to.include("No errors detected");
            expect(execFileSync("unzip", ["-p", file, "__index.js"]).equals(first)).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
