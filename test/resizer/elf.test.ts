/**
 * elfArchitecture: the machine an ELF shared object was built for, read
 * from its header alone. Only a 64-bit little-endian ELF file for x86_64 or
 * arm64 is named; anything else (too short, not ELF, 32-bit, big-endian,
 * another machine) is `undefined`, so a package for the wrong platform is
 * caught before it is deployed. The built addon of this machine's sharp is
 * read too.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ELF_MACHINES, elfArchitecture } from "../../resizer/elf";

/** The first 64 bytes of an ELF header: 64-bit, little-endian, `e_machine` = `machine`. */
function elfHeader(machine: number, overrides: Record<number, number> = {}): Uint8Array {
    const bytes = new Uint8Array(64);
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    bytes[16] = 3; // e_type: ET_DYN, a shared object
    bytes[18] = machine & 0xff;
    bytes[19] = machine >> 8;
    for (const [at, value] of Object.entries(overrides)) bytes[Number(at)] = value;
    return bytes;
}

describe("resizer/elf", () => {
    it("names x86_64 (62) and arm64 (183) from e_machine", () => {
        expect(elfArchitecture(elfHeader(62))).to.equal("x86_64");
        expect(elfArchitecture(elfHeader(183))).to.equal("arm64");
        expect(ELF_MACHINES).to.deep.equal({ x86_64: 62, arm64: 183 });
    });

    it("reads e_machine as a little-endian 16-bit number: 183 + 256 is not arm64", () => {
        expect(elfArchitecture(elfHeader(183 + 256))).to.equal(undefined);
        expect(elfArchitecture(elfHeader(62 << 8))).to.equal(undefined);
    });

    it("other machines, 32-bit or big-endian files, and what is not ELF are undefined", () => {
        expect(elfArchitecture(elfHeader(3)), "i386").to.equal(undefined);
        expect(elfArchitecture(elfHeader(40)), "ARM 32-bit").to.equal(undefined);
        expect(elfArchitecture(elfHeader(62, { 4: 1 })), "ELFCLASS32").to.equal(undefined);
        expect(elfArchitecture(elfHeader(62, { 5: 2 })), "big-endian").to.equal(undefined);
        expect(elfArchitecture(elfHeader(62, { 0: 0x7e })), "bad magic").to.equal(undefined);
        expect(elfArchitecture(elfHeader(62, { 3: 0x47 })), "bad magic").to.equal(undefined);
        expect(elfArchitecture(Buffer.from("MZ\x90\x00 a Windows DLL, not ELF at all", "latin1"))).to.equal(undefined);
    });

    it("a header cut before e_machine is undefined, never read past its end", () => {
        expect(elfArchitecture(elfHeader(62).subarray(0, 19))).to.equal(undefined);
        expect(elfArchitecture(elfHeader(62).subarray(0, 20))).to.equal("x86_64");
        expect(elfArchitecture(new Uint8Array(0))).to.equal(undefined);
    });

    it("this machine's sharp addon is named for this machine", function () {
        const arch = ({ x64: "x86_64", arm64: "arm64" } as Record<string, string>)[process.arch];
        if (process.platform !== "linux" || arch === undefined) this.skip();
        // sharp exports no package.json: its platform package sits beside it in node_modules.
        const folder = path.resolve(path.dirname(require.resolve("sharp")), "..", "..", "@img", `sharp-linux-${process.arch}`);
        const addon = fs.readdirSync(path.join(folder, "lib")).find((name) => name.endsWith(".node"));
        if (addon === undefined) throw new Error(`no addon in ${folder}`);
        expect(elfArchitecture(fs.readFileSync(path.join(folder, "lib", addon)))).to.equal(arch);
    });
});
