/**
 * The resizer's deployment package, opened: the handler, sharp's
 * JavaScript and the native addon and libvips built for the function's
 * architecture (read from their ELF headers), nothing from `@aws-sdk` or
 * `@pulumi`. The x86_64 package, the architecture of the machine running
 * the tests, is also unpacked and run in a process of its own against
 * s3rver, with the SDK beside it as the Lambda runtime provides it.
 * Building needs the npm registry the first time (the platform install is
 * cached in node_modules/.cache).
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import sharp from "sharp";
import { promisify } from "util";
import { resizerPath } from "../../core/variants";
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalS3 } from "../../local/aws";
import { elfArchitecture } from "../../resizer/elf";
import { buildResizerPackage, RESIZER_HANDLER, ResizerPackage } from "../../resizer/package";
import { resizerEnvironment } from "../../resizer/settings";
import { unzip, UnzippedEntry } from "../support/unzip";
import { solid } from "./fixtures";
import { testSettings, urlEvent } from "./support";

describe("resizer/package (deployment zip)", function () {
    this.timeout(180_000);
    const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("sharp")), "..", "package.json"), "utf8")) as { version: string }).version;

    function byName(entries: UnzippedEntry[]): Map<string, UnzippedEntry> {
        return new Map(entries.map((entry) => [entry.name, entry]));
    }

    describe("arm64 (the default)", () => {
        let built: ResizerPackage;
        let entries: Map<string, UnzippedEntry>;
        before(async () => {
            built = await buildResizerPackage();
            entries = byName(unzip(built.zip));
        });

        it("is for arm64, with the installed sharp version and the handler index.handler", () => {
            expect([built.architecture, built.sharpVersion, built.handler]).to.deep.equal(["arm64", version, RESIZER_HANDLER]);
            expect([...entries.keys()]).to.deep.equal(built.files);
        });

        it("holds the bundled handler, requiring sharp and the runtime's S3 client and nothing of Pulumi", () => {
            const index = entries.get("index.js")?.data.toString("utf8") ?? "";
            expect(index).to.match(/require\("sharp"\)/);
            expect(index).to.match(/require\("@aws-sdk\/client-s3"\)/);
            expect(index).to.not.include("@pulumi");
            expect(index).to.include("RESIZER_SETTINGS");
        });

        it("holds sharp's JavaScript and its dependencies", () => {
            for (const name of ["sharp/package.json", "sharp/dist/index.cjs", "sharp/dist/sharp.cjs", "detect-libc/package.json", "semver/index.js", "@img/colour/package.json"]) {
                expect(entries.has(`node_modules/${name}`), name).to.equal(true);
            }
        });

        it("holds the native addon and libvips built for arm64, and no other platform's", () => {
            const addon = entries.get(`node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-${version}.node`);
            expect(addon, "addon").to.not.equal(undefined);
            expect(elfArchitecture(addon!.data)).to.equal("arm64");
            const libvips = [...entries.values()].filter((entry) => /^node_modules\/@img\/sharp-libvips-linux-arm64\/lib\/libvips-cpp\.so\.[\d.]+$/.test(entry.name));
            expect(libvips).to.have.length(1);
            expect(elfArchitecture(libvips[0].data)).to.equal("arm64");
            expect([...entries.keys()].filter((name) => /x64|x86_64|darwin|win32|musl|wasm/.test(name))).to.deep.equal([]);
        });

        it("holds nothing from @aws-sdk or @pulumi, and no types, ES module twins or sources", () => {
            const names = [...entries.keys()];
            expect(names.filter((name) => /@aws-sdk|@pulumi|@smithy/.test(name))).to.deep.equal([]);
            expect(names.filter((name) => /\.(d\.[cm]?ts|mjs|ts|cc|h|gyp|md)$/.test(name))).to.deep.equal([]);
        });

        it("is the same bytes when built again (from the cache)", async () => {
            const again = await buildResizerPackage();
            expect(again.zip.equals(built.zip)).to.equal(true);
            console.log(`        arm64 package: ${built.zip.length} bytes zipped, ${[...entries.values()].reduce((sum, e) => sum + e.data.length, 0)} unzipped, ${built.files.length} files`);
        });
    });

    describe("x86_64, unpacked and run", () => {
        it("makes a variant from s3rver in a Node process of its own, the SDK beside it as the runtime has it", async () => {
            const built = await buildResizerPackage({ architecture: "x86_64" });
            const entries = unzip(built.zip);
            expect(elfArchitecture(entries.find((entry) => entry.name.endsWith(".node"))!.data)).to.equal("x86_64");
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-resizer-pkg-"));
            const s3 = await startLocalS3();
            const client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
            try {
                for (const entry of entries) {
                    fs.mkdirSync(path.dirname(path.join(dir, entry.name)), { recursive: true });
                    fs.writeFileSync(path.join(dir, entry.name), entry.data);
                }
                // The Lambda Node.js runtime provides the SDK; here, the project's copy stands in for it.
                fs.symlinkSync(path.resolve(path.dirname(require.resolve("@aws-sdk/client-s3")), "..", ".."), path.join(dir, "node_modules", "@aws-sdk"));
                await client.send(new CreateBucketCommand({ Bucket: "pkg-bucket" }));
                await client.send(new PutObjectCommand({ Bucket: "pkg-bucket", Key: "uploads/a.jpg", Body: await solid(300, 200, "#884422").jpeg().toBuffer(), ContentType: "image/jpeg" }));
                const env = resizerEnvironment(testSettings("pkg-bucket", s3.endpoint));
                const script = `require("./index.js").handler(${JSON.stringify(urlEvent(resizerPath("thumb", "webp", "uploads/a.jpg")))}).then((r) => process.stdout.write(JSON.stringify(r)))`;
                const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: dir, env: { PATH: process.env.PATH, ...env }, maxBuffer: 8 * 1024 * 1024 });
                const response = JSON.parse(stdout.slice(stdout.indexOf('{"statusCode"'))) as { statusCode: number; headers: Record<string, string>; body: string };
                expect(response.statusCode).to.equal(200);
                expect(response.headers["Content-Type"]).to.equal("image/webp");
                const meta = await sharp(Buffer.from(response.body, "base64")).metadata();
                expect([meta.format, meta.width, meta.height]).to.deep.equal(["webp", 64, 64]);
            } finally {
                client.destroy();
                await s3.close();
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
