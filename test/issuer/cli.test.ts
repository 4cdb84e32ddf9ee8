import { expect } from "chai";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { spawnSync } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { USAGE } from "../../issuer/cli";
import { CliRun, cliInProcess } from "./cli-in-process";
import { OUTPUTS_ENV_VAR } from "../../issuer";
import { PNG_1X1, SVG_WITH_SCRIPT } from "./fixtures";
import { phoneJpeg } from "./image/fixtures";
import { TestService, useWorld } from "./world";


describe("CLI (in-process main(argv), against dynalite, s3rver and the CloudFront recorder)", () => {
    const world = useWorld();
    let chat: TestService;
    let dir: string;
    let outputsFile: string;

    /** Runs the CLI in-process from `dir`, with no environment besides `env`. */
    function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
        return cliInProcess(argv, dir, env);
    }

    before(async () => {
        chat = await world.newService({ cdnBaseUrl: "http://127.0.0.1:8080" });
        dir = await fs.mkdtemp(path.join(os.tmpdir(), "sic-cli-"));
        outputsFile = path.join(dir, "outputs.json");
        // The shape `pulumi stack output --json` prints for the stack's `services` output.
        await fs.writeFile(outputsFile, JSON.stringify({ services: { chat: { level: "required", issuer: chat.config } } }, null, 2));
        await fs.writeFile(path.join(dir, "photo.png"), PNG_1X1);
        await fs.writeFile(path.join(dir, "phone.jpg"), await phoneJpeg(6));
        await fs.writeFile(path.join(dir, "logo.png"), SVG_WITH_SCRIPT);
    });
    after(async () => {
        await fs.rm(dir, { recursive: true, force: true });
    });

    it("upload → issue → inspect → revoke, human-readable lines", async () => {
        const uploaded = await cli(["upload", "photo.png", "--service", "chat", "--outputs", outputsFile]);
        expect(uploaded.stderr).to.deep.equal([]);
        expect(uploaded.code).to.equal(0);
        expect(uploaded.stdout).to.have.length(1);
        const match =
            /^(http:\/\/127\.0\.0\.1:8080\/images\/([0-9a-f]{32}))  \(stored (s3:\/\/\S+), image\/png, 90 bytes, expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)  1x1, placeholder [A-Za-z0-9+/=]{4,40}; no metadata to remove$/.exec(
                uploaded.stdout[0],
            );
        expect(match, uploaded.stdout[0]).to.not.equal(null);
        const [, url, hash, s3Url] = match as RegExpExecArray;

        const issued = await cli(["issue", s3Url, "--outputs", outputsFile]); // the only service: --service may be left out
        expect(issued.code).to.equal(0);
        expect(issued.stdout[0]).to.match(new RegExp(`^${url}  \\(reused hash for ${s3Url}, expires \\S+\\)  1x1, placeholder [A-Za-z0-9+/=]+$`));

        const inspected = await cli(["inspect", hash, "--outputs", outputsFile]);
        expect(inspected.code).to.equal(0);
        expect(inspected.stdout[0]).to.match(new RegExp(`^${hash} -> ${s3Url}  live, expires \\S+ \\(\\d+d \\d+h left\\), created \\S+  1x1, placeholder `));

        const before = world.cloudfront.invalidations.length;
        const revoked = await cli(["revoke", hash, "--outputs", outputsFile]);
        expect(revoked.code).to.equal(0);
        // It says when the hash really stops (this config records no mode or edge settings: the component's defaults).
        expect(revoked.stdout[0]).to.match(
            new RegExp(
                `^revoked ${hash} \\(${s3Url}\\): mapping deleted, object pointer cleared; CloudFront invalidation I\\d+ for /images/${hash}\\*; ` +
                    "required \\+ origin: the hash URL may still be answered for up to 75 s: by a warm edge function's memo for up to 60 s \\(edge\\.memoTtlSeconds\\), " +
                    "and by a copy CloudFront cached from a read that raced the revocation until the invalidator invalidates the paths again, 75 s after it sees the delete .*" +
                    "\\(assuming the component's defaults: .*\\)$",
            ),
        );
        expect(world.cloudfront.invalidations.slice(before).map((i) => i.paths)).to.deep.equal([[`/images/${hash}*`]]);

        const gone = await cli(["inspect", hash, "--outputs", outputsFile]);
        expect(gone.code).to.equal(1);
        expect(gone.stdout).to.deep.equal([]);
        expect(gone.stderr).to.deep.equal([`secure-image-cdn: NOT_FOUND: no mapping for hash ${hash} (never issued, revoked, or removed after expiry)`]);
    });

    it("upload of a phone photo prints its displayed size, placeholder and what was removed; --json has the same fields", async () => {
        const text = await cli(["upload", "phone.jpg", "--outputs", outputsFile]);
        expect(text.code).to.equal(0);
        expect(text.stdout[0]).to.match(
            /\)  48x64, placeholder [A-Za-z0-9+/=]{4,40}; removed comment, exif, exif:device, exif:gps, exif:maker-notes, exif:owner, exif:serial, exif:thumbnail, exif:time, iptc, mpf, trailer, xmp; kept exif:orientation, icc$/,
        );
        const json = await cli(["upload", "phone.jpg", "--json", "--outputs", outputsFile]);
        const result = JSON.parse(json.stdout.join("\n")) as Record<string, unknown> & { metadata: { removed: string[] } };
        expect(result).to.include({ width: 48, height: 64, contentType: "image/jpeg" });
        expect(result.placeholder).to.match(/^[A-Za-z0-9+/]+={0,2}$/);
        expect(result.metadata).to.deep.include({ stripped: true, kept: ["exif:orientation", "icc"], reencoded: false });
        expect(result.metadata.removed).to.include("exif:gps");
        const issued = JSON.parse((await cli(["issue", result.s3Url as string, "--json", "--outputs", outputsFile])).stdout.join("\n")) as Record<string, unknown>;
        expect(issued).to.include({ reused: true, width: 48, height: 64, placeholder: result.placeholder });
    });

    it("--json prints the result objects, and errors as JSON on stderr", async () => {
        const uploaded = await cli(["upload", "photo.png", "--json", "--outputs", outputsFile]);
        expect(uploaded.code).to.equal(0);
        const result = JSON.parse(uploaded.stdout.join("\n")) as { url: string; hash: string; s3Url: string; contentType: string; bytes: number; expiresAt: number };
        expect(result.hash, "a hash: 32 lowercase hex").to.match(/^[0-9a-f]{32}$/);
        expect(result).to.include({ contentType: "image/png", bytes: PNG_1X1.length, url: `http://127.0.0.1:8080/images/${result.hash}` });

        const inspected = JSON.parse((await cli(["inspect", result.hash, "--json", "--outputs", outputsFile])).stdout.join("\n")) as Record<string, unknown>;
        expect(inspected).to.deep.include({ hash: result.hash, s3Url: result.s3Url, live: true, expiresAt: result.expiresAt });

        const revoked = JSON.parse((await cli(["revoke", result.hash, "--json", "--outputs", outputsFile])).stdout.join("\n")) as Record<string, unknown>;
        expect(revoked).to.deep.include({ hash: result.hash, found: true, s3Url: result.s3Url, pointerCleared: true });

        const missing = await cli(["inspect", result.hash, "--json", "--outputs", outputsFile]);
        expect(missing.code).to.equal(1);
        expect(JSON.parse(missing.stderr[0])).to.deep.equal({ error: { code: "NOT_FOUND", message: `no mapping for hash ${result.hash} (never issued, revoked, or removed after expiry)` } });
    });

    describe("revoke and revoke-object say when the hash stops working, per level and mode, in text and in --json", () => {
        // [level, mode, memoTtlSeconds, signedUrlTtlSeconds] → [hash URL bound, object bound, words the line must hold]
        const cases: [string, "origin" | "redirect", number, number, number, number, RegExp][] = [
            [
                "required",
                "origin",
                60,
                300,
                75,
                75,
                /required \+ origin: the hash URL may still be answered for up to 75 s: by a warm edge function's memo for up to 60 s \(edge\.memoTtlSeconds\), and by a copy CloudFront cached from a read that raced the revocation until the invalidator invalidates the paths again, 75 s after it sees the delete \(at once it invalidates those cached before\); add the time CloudFront takes to complete an invalidation$/,
            ],
            ["required", "redirect", 60, 300, 60, 300, /required \+ redirect: the hash URL may still be answered for up to 60 s \(.*\); a presigned S3 URL handed out before keeps working for up to 300 s \(signedUrlTtlSeconds\)$/],
            ["required", "redirect", 60, 40, 20, 40, /up to 20 s .*up to 40 s \(signedUrlTtlSeconds\)$/],
            ["secured", "origin", 0, 300, 0, 0, /secured \+ origin: the hash URL stops at once \(the edge checks every request\)$/],
            ["secured", "redirect", 0, 120, 0, 120, /secured \+ redirect: the hash URL stops at once \(the edge checks every request\); a presigned S3 URL handed out before keeps working for up to 120 s/],
        ];
        for (const [level, mode, memoTtlSeconds, signedUrlTtlSeconds, hashUrl, object, words] of cases) {
            it(`${level} + ${mode}, memo ${memoTtlSeconds} s, URLs ${signedUrlTtlSeconds} s: ${hashUrl} s / ${object} s`, async () => {
                // The component records the invalidator's delay for required + origin (components/issuer-settings.ts).
                const reinvalidate = level === "required" && mode === "origin" ? { reinvalidateAfterSeconds: 75 } : {};
                const svc = await world.newService({ level: level as "required" | "secured", mode, memoTtlSeconds, signedUrlTtlSeconds, ...reinvalidate });
                const file = path.join(dir, `outputs-${level}-${mode}-${signedUrlTtlSeconds}.json`);
                await fs.writeFile(file, JSON.stringify({ services: { chat: { issuer: svc.config } } }));
                const first = JSON.parse((await cli(["upload", "photo.png", "--json", "--outputs", file])).stdout.join("\n")) as { hash: string; s3Url: string };
                const text = await cli(["revoke", first.hash, "--outputs", file]);
                expect(text.code).to.equal(0);
                expect(text.stdout[0]).to.match(words);
                expect(text.stdout[0]).to.not.include("assuming");
                // Who invalidates: the invalidator where the component runs one, else this very command.
                expect(text.stdout[0]).to.match(reinvalidate.reinvalidateAfterSeconds ? /; the invalidator invalidates the CloudFront paths from the table's stream; / : /; CloudFront invalidation I\d+ for /);

                const second = JSON.parse((await cli(["upload", "photo.png", "--json", "--outputs", file])).stdout.join("\n")) as { hash: string; s3Url: string };
                const json = JSON.parse((await cli(["revoke-object", second.s3Url, "--json", "--outputs", file])).stdout.join("\n")) as { stops: Record<string, unknown> };
                expect(json.stops).to.deep.include({ level, mode, hashUrlWithinSeconds: hashUrl, objectWithinSeconds: object, basis: "settings" });
                expect(json.stops.summary).to.match(words);
                const objectText = await cli(["revoke-object", first.s3Url, "--outputs", file]);
                expect(objectText.stdout[0], "nothing left to revoke: no promise to make").to.equal(`no hashes for ${first.s3Url}; nothing to revoke`);
            });
        }
    });

    it("escapes control and bidirectional characters in everything it prints, text and --json alike", async () => {
        // A key that a terminal would show as "uploads/invoice" + "exe.png" reversed, and one carrying an escape sequence.
        const spoof = "uploads/invoice\u202Egnp.exe";
        const text = await cli(["upload", "photo.png", "--key", spoof, "--outputs", outputsFile]);
        expect(text.code, text.stderr.join("\n")).to.equal(0);
        expect(text.stdout[0]).to.not.include("\u202E");
        expect(text.stdout[0]).to.include("uploads/invoice\\u202Egnp.exe");
        const json = await cli(["issue", `s3://${chat.config.bucket}/${spoof}`, "--json", "--outputs", outputsFile]);
        expect(json.stdout.join("\n")).to.not.include("\u202E");
        expect((JSON.parse(json.stdout.join("\n")) as { s3Url: string }).s3Url, "the JSON still parses to the real key").to.equal(`s3://${chat.config.bucket}/${spoof}`);
        const revoked = await cli(["revoke-object", `s3://${chat.config.bucket}/${spoof}`, "--outputs", outputsFile]);
        expect(revoked.stdout[0]).to.not.match(/[\u202A-\u202E\u2066-\u2069]/);
        // Errors too: a bad argument is shown escaped, never raw.
        const bad = await cli(["issue", `s3://${chat.config.bucket}/x\u2066y\u0085z`, "--outputs", outputsFile]);
        expect(bad.code).to.not.equal(0);
        expect(bad.stderr.join("\n")).to.not.match(/[\u2066\u0085]/);
    });

    it("escapes invisible characters too (tag characters, Hangul fillers, U+034F, variation selectors, U+1D173) in upload, inspect and --json", async () => {
        const hidden = ["\u{E0041}", "\u{E007F}", "\u3164", "\u115F", "\u034F", "\uFE0F", "\u{E0100}", "\u{1D173}"];
        const key = `uploads/photo${hidden.join("")}.png`;
        const raw = (lines: string[]) => hidden.filter((char) => lines.join("\n").includes(char));

        const uploaded = await cli(["upload", "photo.png", "--key", key, "--outputs", outputsFile]);
        expect(uploaded.code, uploaded.stderr.join("\n")).to.equal(0);
        expect(raw(uploaded.stdout)).to.deep.equal([]);
        expect(uploaded.stdout[0]).to.include("uploads/photo\\uDB40\\uDC41\\uDB40\\uDC7F\\u3164\\u115F\\u034F\\uFE0F\\uDB40\\uDD00\\uD834\\uDD73.png");
        const hash = /\/images\/([0-9a-f]{32})/.exec(uploaded.stdout[0])?.[1] as string;

        const inspected = await cli(["inspect", hash, "--outputs", outputsFile]);
        expect(inspected.code).to.equal(0);
        expect(raw(inspected.stdout)).to.deep.equal([]);

        const json = await cli(["inspect", hash, "--json", "--outputs", outputsFile]);
        expect(raw(json.stdout)).to.deep.equal([]);
        expect((JSON.parse(json.stdout.join("\n")) as { s3Url: string }).s3Url, "the JSON still parses to the real key").to.equal(`s3://${chat.config.bucket}/${key}`);
    });

    it("refuses to issue a URL for an object an upload form can still replace", async () => {
        const run = await cli(["issue", `s3://${chat.config.bucket}/uploads/incoming/${"a".repeat(32)}.png`, "--outputs", outputsFile]);
        expect(run.code).to.equal(2);
        expect(run.stderr[0]).to.match(/not issuing a URL for .*upload forms write.*confirmUpload/);
    });

    it("revoke-object revokes every hash of an object", async () => {
        const uploaded = JSON.parse((await cli(["upload", "photo.png", "--json", "--outputs", outputsFile])).stdout.join("\n")) as { s3Url: string; hash: string };
        const run = await cli(["revoke-object", uploaded.s3Url, "--outputs", outputsFile]);
        expect(run.code).to.equal(0);
        expect(run.stdout[0]).to.match(new RegExp(`^revoked 1 hash of ${uploaded.s3Url}; CloudFront invalidation I\\d+; required \\+ origin: the hash URL may still be answered for up to 75 s`));
    });

    it("delete-object erases an object: one line saying what went and from when nothing is served; --json the result; a second run finds nothing", async () => {
        const uploaded = JSON.parse((await cli(["upload", "photo.png", "--json", "--outputs", outputsFile])).stdout.join("\n")) as { s3Url: string; hash: string };
        const key = uploaded.s3Url.slice(`s3://${chat.config.bucket}/`.length);
        await world.admin.s3.send(new PutObjectCommand({ Bucket: chat.config.bucket, Key: `derived/${key}/thumb.avif`, Body: "variant" }));
        const before = world.cloudfront.invalidations.length;
        const run = await cli(["delete-object", uploaded.s3Url, "--outputs", outputsFile]);
        expect(run.stderr).to.deep.equal([]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.have.length(1);
        expect(run.stdout[0]).to.match(
            new RegExp(
                `^erased ${uploaded.s3Url}: removed 1 hash, 2 keys \\(2 versions, 0 delete markers\\); CloudFront invalidation I\\d+; ` +
                    "required \\+ origin: no byte of it is served by any route from \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(every version deleted from S3\\), " +
                    "except copies CloudFront cached before, until the invalidation completes, and a copy cached from a read that raced the deletion, " +
                    "until the invalidator invalidates the paths again 75 s after it sees the mappings' removal; " +
                    "the hash URL may answer for up to 60 s more .*\\(assuming the component's defaults: .*\\)$",
            ),
        );
        expect(world.cloudfront.invalidations.slice(before).map((i) => i.paths)).to.deep.equal([[`/images/${uploaded.hash}*`]]);
        expect(await chat.objectKeys()).to.not.include.members([key, `derived/${key}/thumb.avif`]);

        const again = await cli(["delete-object", uploaded.s3Url, "--json", "--outputs", outputsFile]);
        expect(again.code).to.equal(0);
        const json = JSON.parse(again.stdout.join("\n")) as { counts: unknown; removed: unknown[]; hashes: unknown[]; stops: { goneAt: unknown; untilInvalidationCompletes: unknown } };
        expect(json.counts).to.deep.equal({ hashes: 0, keys: 0, versions: 0, deleteMarkers: 0 });
        expect(json.removed).to.deep.equal([]);
        expect(json.stops.untilInvalidationCompletes).to.equal(true);
        expect(json.stops.goneAt).to.be.a("number");
    });

    it("delete-object refuses a key outside the upload prefix or under staging: exit 2, the prefix named, text and --json", async () => {
        const outside = await cli(["delete-object", `s3://${chat.config.bucket}/derived/uploads/a.png/thumb.avif`, "--outputs", outputsFile]);
        expect(outside.code).to.equal(2);
        expect(outside.stderr).to.deep.equal([
            `secure-image-cdn: "s3://${chat.config.bucket}/derived/uploads/a.png/thumb.avif" is outside this service's upload prefix 'uploads/': only objects the service stored there can be erased`,
            USAGE,
        ]);
        const staging = await cli(["delete-object", `s3://${chat.config.bucket}/uploads/incoming/p.png`, "--json", "--outputs", outputsFile]);
        expect(staging.code).to.equal(2);
        expect(JSON.parse(staging.stderr[0])).to.deep.equal({
            error: {
                code: "INVALID_INPUT",
                message: `"s3://${chat.config.bucket}/uploads/incoming/p.png" is under the staging prefix 'uploads/incoming/', where upload forms write: nothing there is served, and the bucket's lifecycle rule removes it within a day`,
            },
        });
    });

    it("reads the outputs file from SECURE_IMAGE_CDN_OUTPUTS", async () => {
        const run = await cli(["issue", `s3://${chat.config.bucket}/from-env.png`], { [OUTPUTS_ENV_VAR]: outputsFile });
        expect(run.code).to.equal(0);
        expect(run.stdout[0]).to.match(/^http:\/\/127\.0\.0\.1:8080\/images\/[0-9a-f]{32}  \(new hash/);
    });

    it("refused content: exit 1 with a clear line, nothing stored", async () => {
        const keysBefore = await chat.objectKeys();
        const run = await cli(["upload", "logo.png", "--outputs", outputsFile]);
        expect(run.code).to.equal(1);
        expect(run.stdout).to.deep.equal([]);
        expect(run.stderr).to.have.length(1);
        expect(run.stderr[0]).to.match(/^secure-image-cdn: REFUSED_CONTENT: refused: the content is SVG or other markup/);
        expect(await chat.objectKeys()).to.deep.equal(keysBefore);
    });

    describe("bad arguments: a usage line on stderr and exit code 2", () => {
        const cases: [string, string[], RegExp][] = [
            ["no command", [], /a command is required/],
            ["an unknown command", ["delete", "x"], /unknown command "delete"/],
            ["a missing argument", ["inspect"], /'inspect' takes exactly one argument \(got 0\)/],
            ["too many arguments", ["issue", "s3://a/b", "s3://a/c"], /takes exactly one argument \(got 2\)/],
            ["an unknown option", ["inspect", "0".repeat(32), "--force"], /Unknown option '--force'/],
            ["an option without its value", ["inspect", "0".repeat(32), "--service"], /--service/],
            ["--key outside upload", ["inspect", "0".repeat(32), "--key", "uploads/x.png"], /--key is only for 'upload'/],
            ["a malformed hash (checked before any config is read)", ["inspect", "../../etc/passwd"], /not a valid hash: "..\/..\/etc\/passwd"/],
            ["a huge argument", ["revoke", "f".repeat(100000)], /not a valid hash: "f{77}\.\.\."/],
            ["an https URL instead of s3://", ["issue", "https://example.com/a.png"], /not a valid object URL/],
            ["an object in another bucket", ["issue", "s3://other-bucket/a.png", "--outputs", "OUTPUTS"], /not in this service's bucket/],
            ["an upload key outside the prefix", ["upload", "photo.png", "--key", "../x.png", "--outputs", "OUTPUTS"], /must be under 'uploads\/'/],
        ];
        for (const [name, argv, message] of cases) {
            it(name, async () => {
                const run = await cli(argv.map((a) => (a === "OUTPUTS" ? outputsFile : a)));
                expect(run.code).to.equal(2);
                expect(run.stdout).to.deep.equal([]);
                expect(run.stderr).to.have.length(2);
                expect(run.stderr[0]).to.match(message);
                expect(run.stderr[0].length).to.be.below(400);
                expect(run.stderr[1]).to.equal(USAGE);
            });
        }

        it("several services in the outputs and no --service", async () => {
            const two = path.join(dir, "two.json");
            const other = { ...chat.config, service: "discussion" };
            await fs.writeFile(two, JSON.stringify({ services: { chat: { issuer: chat.config }, discussion: { issuer: other } } }));
            const run = await cli(["inspect", "0".repeat(32), "--outputs", two]);
            expect(run.code).to.equal(2);
            expect(run.stderr[0]).to.match(/--service is required: .* holds chat, discussion/);
        });
    });

    it("operational errors exit 1: no configuration anywhere, or an unknown service", async () => {
        const none = await cli(["inspect", "0".repeat(32)]);
        expect(none.code).to.equal(1);
        expect(none.stderr[0]).to.match(/^secure-image-cdn: CONFIG: no configuration found: pass --outputs <file>/);
        const unknown = await cli(["inspect", "0".repeat(32), "--service", "nudges", "--outputs", outputsFile]);
        expect(unknown.code).to.equal(1);
        expect(unknown.stderr[0]).to.match(/CONFIG: service 'nudges' is not in .*outputs\.json \(it holds chat\)/);
    });

    it("--help prints the help on stdout and exits 0", async () => {
        const run = await cli(["--help"]);
        expect(run.code).to.equal(0);
        expect(run.stdout[0]).to.contain(USAGE);
        expect(run.stdout[0]).to.contain("revoke-object <s3-url>");
        expect(run.stdout[0]).to.contain("delete-object <s3-url>");
        expect(run.stderr).to.deep.equal([]);
    });

    it("as an executable: exit codes reach the shell", function () {
        this.timeout(60000);
        const root = path.resolve(__dirname, "../..");
        const run = (args: string[]) =>
            spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(root, "issuer/cli.ts"), ...args], {
                cwd: dir,
                encoding: "utf8",
                env: { PATH: process.env.PATH ?? "", TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
            });
        const bad = run(["inspect", "nothex"]);
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.contain("not a valid hash");
        expect(bad.stderr).to.not.contain("NodeVersionSupportWarning");
        const help = run(["-h"]);
        expect(help.status).to.equal(0);
        expect(help.stdout).to.contain("Exit codes: 0 done, 1 the operation failed, 2 bad arguments.");
    });
});
