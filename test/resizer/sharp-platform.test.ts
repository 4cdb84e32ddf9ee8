/**
 * sharpForPlatform from its cache, without npm: a complete install under
 * `sharp-<version>-linux-<cpu>-glibc` is used as it is, and is refused
 * when it holds another version of sharp or an addon built for another
 * architecture; when nothing is cached and npm cannot run, the error says
 * the registry must be reachable and no half-made install is left behind.
 * Installs are folders made here in a temporary directory, with ELF headers
 * written for the architecture each case needs.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ELF_MACHINES } from "../../resizer/elf";
import { LambdaArchitecture, sharpForPlatform } from "../../resizer/sharp-platform";
import { rejection } from "../support/rejection";

const VERSION = "0.99.1";

/** The start of a 64-bit little-endian ELF shared object for `machine`. */
function elfFor(machine: LambdaArchitecture): Buffer {
    const bytes = Buffer.alloc(64);
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    bytes.writeUInt16LE(ELF_MACHINES[machine], 18);
    return bytes;
}

describe("resizer/sharp-platform", () => {
    let cacheDir: string;

    beforeEach(() => {
        cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "sharp-platform-"));
    });
    afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

    /** A finished install in the cache, of `version`, for `cpu`, whose addon is built for `built`. */
    function cached(cpu: "arm64" | "x64", built: LambdaArchitecture, version = VERSION): string {
        const modulesDir = path.join(cacheDir, `sharp-${VERSION}-linux-${cpu}-glibc`, "node_modules");
        fs.mkdirSync(path.join(modulesDir, "sharp"), { recursive: true });
        fs.writeFileSync(path.join(modulesDir, "sharp", "package.json"), JSON.stringify({ name: "sharp", version }));
        const lib = path.join(modulesDir, "@img", `sharp-linux-${cpu}`, "lib");
        fs.mkdirSync(lib, { recursive: true });
        fs.writeFileSync(path.join(lib, `sharp-linux-${cpu}-${VERSION}.node`), elfFor(built));
        return modulesDir;
    }

    it("uses a cached install for each architecture, under npm's name for its CPU", async () => {
        const arm = cached("arm64", "arm64");
        const x86 = cached("x64", "x86_64");
        expect(await sharpForPlatform("arm64", VERSION, cacheDir)).to.deep.equal({
            modulesDir: arm,
            version: VERSION,
            architecture: "arm64",
            addon: path.join("@img", "sharp-linux-arm64", "lib", `sharp-linux-arm64-${VERSION}.node`),
        });
        expect(await sharpForPlatform("x86_64", VERSION, cacheDir)).to.deep.equal({
            modulesDir: x86,
            version: VERSION,
            architecture: "x86_64",
            addon: path.join("@img", "sharp-linux-x64", "lib", `sharp-linux-x64-${VERSION}.node`),
        });
    });

    it("refuses a cached addon built for another architecture", async () => {
        cached("arm64", "x86_64");
        const error = await rejection(sharpForPlatform("arm64", VERSION, cacheDir), Error);
        expect(error.message).to.equal(`${path.join("@img", "sharp-linux-arm64", "lib", `sharp-linux-arm64-${VERSION}.node`)} is built for x86_64, not arm64`);
    });

    it("refuses a cached install that holds another version of sharp", async () => {
        const modulesDir = cached("x64", "x86_64", "0.98.0");
        const error = await rejection(sharpForPlatform("x86_64", VERSION, cacheDir), Error);
        expect(error.message).to.equal(`${modulesDir} holds sharp 0.98.0, not ${VERSION}`);
    });

    it("nothing cached and no npm: says the registry must be reachable and leaves no half-made install", async () => {
        const saved = process.env.PATH;
        process.env.PATH = path.join(cacheDir, "no-such-folder");
        try {
            const error = await rejection(sharpForPlatform("arm64", VERSION, cacheDir), Error);
            expect(error.message).to.match(new RegExp(`^installing sharp ${VERSION.replace(/\./g, "\\.")} for linux-arm64 with npm failed \\(the npm registry must be reachable\\): `));
        } finally {
            process.env.PATH = saved;
        }
        expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
    });
});
