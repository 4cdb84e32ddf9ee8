/**
 * Bad input at the issuer and its CLI, beyond what test/issuer already
 * covers (other bucket, `..` keys, SVG/HTML/PDF/text, oversized buffers and
 * files, CLI usage errors): look-alike and near-miss bucket names, inputs
 * that are not bytes or paths, device files and FIFOs that would never end,
 * a sparse multi-gigabyte file, megabyte-long arguments, and arguments
 * carrying terminal escape sequences. Each gets a typed error whose message
 * is one short printable line, and nothing is written: the table and the
 * bucket are compared before and after.
 *
 * Threat: SECURITY.md, "A caller of the issuer (application code or the CLI)".
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { InvalidInputError, IssuerError, RefusedContentError } from "../../issuer/errors";
import { PNG_1X1 } from "../issuer/fixtures";
import { cliInProcess, CliRun } from "../issuer/cli-in-process";
import { TestService, useWorld } from "../issuer/world";
import { rejection } from "../support/rejection";

/** Escape sequences that would clear a terminal, retitle it and ring it if printed raw. */
const TERMINAL_ATTACK = "\u001b[2J\u001b]0;pwned\u0007\u009b31m";
const MEGABYTE = "m".repeat(1024 * 1024);

/** One printable line of reasonable length: no control characters (ESC, BEL, C1), no newlines. */
function expectOneCleanLine(text: string, what: string): void {
    expect(text.length, `${what}: length`).to.be.below(600);
    expect(text, `${what}: control characters in ${JSON.stringify(text.slice(0, 120))}`).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
}

describe("issuer and CLI: hostile input gets a typed one-line error and writes nothing", function () {
    this.timeout(60_000);
    const world = useWorld();
    let svc: TestService;
    let dir: string;
    let outputsFile: string;

    /** Items in the table and keys in the bucket, to compare before and after. */
    async function snapshot(): Promise<string> {
        const items = (await svc.items()).map((item) => JSON.stringify(item)).sort();
        return JSON.stringify({ items, keys: (await svc.objectKeys()).sort() });
    }

    function cli(argv: string[]): Promise<CliRun> {
        return cliInProcess(argv, dir);
    }

    before(async () => {
        svc = await world.newService();
        // Something in the table and the bucket, so "unchanged" means something.
        await svc.issuer().upload(PNG_1X1);
        dir = await fs.mkdtemp(path.join(os.tmpdir(), "sic-hostile-"));
        outputsFile = path.join(dir, "outputs.json");
        await fs.writeFile(outputsFile, JSON.stringify({ services: { chat: { issuer: svc.config } } }));
    });
    after(async () => {
        if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    describe("object URLs that are almost this service's", () => {
        const near: [string, (bucket: string) => string][] = [
            ["a Cyrillic look-alike letter in the bucket", (b) => `s3://${b.replace("e", "\u0435")}/uploads/a.png`],
            ["a fullwidth letter in the bucket", (b) => `s3://${b.replace("t", "\uff54")}/uploads/a.png`],
            ["the bucket with a suffix", (b) => `s3://${b}-evil/uploads/a.png`],
            ["the bucket as a prefix of another name", (b) => `s3://${b}.evil.example/uploads/a.png`],
            ["the bucket cut short", (b) => `s3://${b.slice(0, -1)}/uploads/a.png`],
            ["a percent-encoded bucket", (b) => `s3://${encodeURIComponent(b).replace(/-/g, "%2D")}/uploads/a.png`],
            ["userinfo before the bucket", (b) => `s3://evil@${b}/uploads/a.png`],
            ["a port after the bucket", (b) => `s3://${b}:443/uploads/a.png`],
            ["an upper-case scheme", (b) => `S3://${b}/uploads/a.png`],
            ["a leading space", (b) => ` s3://${b}/uploads/a.png`],
            ["a trailing newline", (b) => `s3://${b}/uploads/a.png\n`],
            ["a backslash traversal to another bucket", (b) => `s3://${b}\\..\\other/uploads/a.png`],
            ["terminal escapes", (b) => `s3://${b}/uploads/${TERMINAL_ATTACK}.png`],
            ["a megabyte of key", (b) => `s3://${b}/${MEGABYTE}`],
        ];
        for (const [name, make] of near) {
            it(`${name}: InvalidInputError before any DynamoDB call, nothing written`, async () => {
                const before = await snapshot();
                svc.commands.length = 0;
                const url = make(svc.config.bucket);
                for (const call of [() => svc.issuer().generateSecureUrl(url), () => svc.issuer().revokeObject(url), () => svc.issuer().confirmUpload(url)]) {
                    const error = await rejection(call(), IssuerError);
                    expect(error, name).to.be.instanceOf(InvalidInputError);
                    expectOneCleanLine(error.message, name);
                }
                expect(svc.commands).to.deep.equal([]);
                expect(await snapshot()).to.equal(before);
            });
        }
    });

    describe("upload input that is not an image file", () => {
        it("values that are neither bytes nor a path: InvalidInputError, nothing written", async () => {
            const before = await snapshot();
            for (const value of [null, 42, {}, [137, 80, 78, 71], new ArrayBuffer(8), undefined]) {
                const error = await rejection(svc.issuer().upload(value as unknown as string), IssuerError);
                expect(error, JSON.stringify(value)).to.be.instanceOf(InvalidInputError);
            }
            expect(await snapshot()).to.equal(before);
        });

        it("an empty path, a directory, /dev/zero, /dev/urandom, a link to /dev/zero and a FIFO: refused from what the path is, never read", async () => {
            const before = await snapshot();
            const fifo = path.join(dir, "never-ends.png");
            execFileSync("mkfifo", [fifo]);
            const link = path.join(dir, "zero.png");
            await fs.symlink("/dev/zero", link);
            for (const file of ["", dir, "/dev/zero", "/dev/urandom", link, fifo]) {
                // Reading any of these would never finish (or read a folder); the test's timeout is the guard.
                const error = await rejection(svc.issuer().upload(file), IssuerError);
                expect(error, file).to.be.instanceOf(InvalidInputError);
                expectOneCleanLine(error.message, file);
            }
            expect(await snapshot()).to.equal(before);
        });

        it("a sparse 4 GiB file named photo.png: refused by its size without reading it", async () => {
            const before = await snapshot();
            const huge = path.join(dir, "photo.png");
            const handle = await fs.open(huge, "w");
            await handle.truncate(4 * 1024 ** 3);
            await handle.close();
            const error = await rejection(svc.issuer().upload(huge), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expect(error.message).to.match(/4294967296 bytes is over the limit/);
            expect(await snapshot()).to.equal(before);
        });

        it("a megabyte-long content type for an upload form: a short refusal", async () => {
            const error = await rejection(svc.issuer().createUploadForm({ contentType: `image/${MEGABYTE}` }), IssuerError);
            expect(error).to.be.instanceOf(RefusedContentError);
            expectOneCleanLine(error.message, "content type");
        });

        it("hashes that are megabytes long or carry terminal escapes: InvalidInputError without a lookup", async () => {
            svc.commands.length = 0;
            for (const hash of [MEGABYTE, `${"a".repeat(16)}${TERMINAL_ATTACK}`, "\u0000".repeat(32)]) {
                for (const call of [() => svc.issuer().inspect(hash), () => svc.issuer().revoke(hash)]) {
                    const error = await rejection(call(), IssuerError);
                    expect(error).to.be.instanceOf(InvalidInputError);
                    expectOneCleanLine(error.message, "hash");
                }
            }
            expect(svc.commands).to.deep.equal([]);
        });
    });

    describe("the CLI", () => {
        const cases: [string, (bucket: string, folder: string) => string[]][] = [
            ["issue with an empty URL", () => ["issue", ""]],
            ["inspect with an empty hash", () => ["inspect", ""]],
            ["revoke with an empty hash", () => ["revoke", ""]],
            ["revoke-object with an empty URL", () => ["revoke-object", ""]],
            ["upload with an empty path (the folder itself)", () => ["upload", ""]],
            ["upload of /dev/zero", () => ["upload", "/dev/zero"]],
            ["upload of a folder", (_b, folder) => ["upload", folder]],
            ["upload of a megabyte-long path", () => ["upload", MEGABYTE]],
            ["issue of a megabyte-long URL", (b) => ["issue", `s3://${b}/${MEGABYTE}`]],
            ["issue of a look-alike bucket", (b) => ["issue", `s3://${b.replace("e", "\u0435")}/uploads/a.png`]],
            ["inspect with terminal escapes", () => ["inspect", TERMINAL_ATTACK]],
            ["issue with terminal escapes", (b) => ["issue", `s3://${b}/${TERMINAL_ATTACK}.png`]],
            ["upload of a missing file with terminal escapes in its name", () => ["upload", `${TERMINAL_ATTACK}.png`]],
            ["upload with a --key carrying terminal escapes", () => ["upload", "photo.png", "--key", `uploads/${TERMINAL_ATTACK}`]],
            ["--service with terminal escapes", () => ["inspect", "0".repeat(32), "--service", TERMINAL_ATTACK]],
            ["--service a megabyte long", () => ["inspect", "0".repeat(32), "--service", MEGABYTE]],
            ["--outputs a megabyte long", () => ["inspect", "0".repeat(32), "--outputs", MEGABYTE]],
            ["--outputs with terminal escapes", () => ["inspect", "0".repeat(32), "--outputs", TERMINAL_ATTACK]],
            ["--outputs /dev/zero", () => ["inspect", "0".repeat(32), "--outputs", "/dev/zero"]],
            ["--outputs a FIFO", (_b, folder) => {
                const fifo = path.join(folder, "outputs-fifo.json");
                execFileSync("mkfifo", ["-m", "600", fifo]);
                return ["inspect", "0".repeat(32), "--outputs", fifo];
            }],
        ];
        for (const [name, argv] of cases) {
            it(`${name}: fails (exit 1 or 2) with one clean line, nothing written`, async () => {
                const before = await snapshot();
                const args = argv(svc.config.bucket, dir);
                const withOutputs = args.includes("--outputs") ? args : [...args, "--outputs", outputsFile];
                const run = await cli(withOutputs);
                expect(run.code, name).to.be.oneOf([1, 2]);
                expect(run.stdout, name).to.deep.equal([]);
                expect(run.stderr.length, name).to.be.at.least(1);
                expectOneCleanLine(run.stderr[0], name);
                expect(await snapshot()).to.equal(before);
            });
        }
    });
});
