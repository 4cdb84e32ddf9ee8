import { expect } from "chai";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import {
    ConfigError,
    IssuerConfig,
    IssuerError,
    InvalidInputError,
    loadIssuerConfig,
    LOCAL_STACK_STATE_FILE,
    OUTPUTS_ENV_VAR,
    validateIssuerConfig,
    createClients,
    destroyClients,
} from "../../issuer";
import { MAX_OUTPUTS_FILE_BYTES } from "../../issuer/config";
import { rejection } from "../support/rejection";

const GOOD: IssuerConfig = {
    service: "chat",
    level: "required",
    region: "eu-west-1",
    tableName: "chat-image-map",
    bucket: "chat-images-1234",
    cdnBaseUrl: "https://d111111abcdef8.cloudfront.net",
    distributionId: "E2QWRUHAPOMQZL",
    hashTtlSeconds: 2592000,
    uploadPrefix: "uploads/",
    maxUploadBytes: 10485760,
};

describe("issuer config", () => {
    describe("validateIssuerConfig", () => {
        it("accepts a complete config and keeps only the known fields", () => {
            const config = validateIssuerConfig({ ...GOOD, cdnBaseUrl: GOOD.cdnBaseUrl + "/", extra: "ignored" });
            expect(config).to.deep.equal(GOOD);
        });

        it("keeps the mode and edge settings that say when a revoked hash stops working", () => {
            const config = validateIssuerConfig({ ...GOOD, mode: "redirect", memoTtlSeconds: 30, signedUrlTtlSeconds: 120 });
            expect(config).to.deep.equal({ ...GOOD, mode: "redirect", memoTtlSeconds: 30, signedUrlTtlSeconds: 120 });
        });

        it("keeps replicaReads, which adds the replication lag to when a revoked hash stops, and refuses anything but a boolean", () => {
            expect(validateIssuerConfig({ ...GOOD, replicaReads: true })).to.deep.equal({ ...GOOD, replicaReads: true });
            expect(() => validateIssuerConfig({ ...GOOD, replicaReads: "yes" })).to.throw(/'replicaReads'/);
        });

        it("accepts a public service without a table, and local endpoints", () => {
            const local = { dynamodb: "http://127.0.0.1:4567", s3: "http://127.0.0.1:4568", cloudfront: "http://127.0.0.1:4569" };
            const config = validateIssuerConfig({ ...GOOD, level: "public", tableName: undefined, cdnBaseUrl: "http://127.0.0.1:8080", endpoints: local });
            expect(config.level).to.equal("public");
            expect(config).to.not.have.property("tableName");
            expect(config.endpoints).to.deep.equal(local);
        });

        const bad: [string, Record<string, unknown>, RegExp][] = [
            ["service", { service: "Chat Service" }, /'service'/],
            ["level", { level: "private" }, /'level' must be one of public, required, secured/],
            ["region", { region: "europe" }, /'region'/],
            ["tableName missing for required", { tableName: undefined }, /'tableName' must be set for a 'required' service/],
            ["tableName too short", { tableName: "ab" }, /'tableName'/],
            ["bucket", { bucket: "Not_A_Bucket" }, /'bucket'/],
            ["cdnBaseUrl over plain http", { cdnBaseUrl: "http://cdn.example.com" }, /'cdnBaseUrl'/],
            ["cdnBaseUrl with a query", { cdnBaseUrl: "https://cdn.example.com/?x=1" }, /'cdnBaseUrl'/],
            ["cdnBaseUrl with credentials", { cdnBaseUrl: "https://user:pw@cdn.example.com" }, /'cdnBaseUrl'/],
            ["distributionId", { distributionId: "e2qw/../x" }, /'distributionId'/],
            ["hashTtlSeconds zero", { hashTtlSeconds: 0 }, /'hashTtlSeconds'/],
            ["hashTtlSeconds fractional", { hashTtlSeconds: 1.5 }, /'hashTtlSeconds'/],
            ["hashTtlSeconds as a string", { hashTtlSeconds: "2592000" }, /'hashTtlSeconds'/],
            ["uploadPrefix without slash", { uploadPrefix: "uploads" }, /'uploadPrefix'/],
            ["uploadPrefix traversal", { uploadPrefix: "../" }, /'uploadPrefix'/],
            ["uploadPrefix leading slash", { uploadPrefix: "/uploads/" }, /'uploadPrefix'/],
            ["maxUploadBytes over 5 GiB", { maxUploadBytes: 6 * 1024 ** 3 }, /'maxUploadBytes'/],
            ["endpoint not a URL", { endpoints: { s3: "localhost:4568" } }, /'endpoints.s3'/],
            ["secret placeholder from pulumi", { bucket: "[secret]" }, /'bucket'/],
            ["mode", { mode: "proxy" }, /'mode' must be origin or redirect/],
            ["memoTtlSeconds negative", { memoTtlSeconds: -1 }, /'memoTtlSeconds' must be a whole number from 0 to 3600 \(got -1\)/],
            ["signedUrlTtlSeconds past 600", { signedUrlTtlSeconds: 3600 }, /'signedUrlTtlSeconds' must be at most 600 \(got 3600\): the edge signs with its role's temporary credentials/],
            ["signedUrlTtlSeconds zero", { signedUrlTtlSeconds: 0 }, /'signedUrlTtlSeconds' must be a whole number from 1 to 600 \(got 0\)/],
        ];
        for (const [name, change, message] of bad) {
            it(`rejects ${name} with ConfigError naming the field`, () => {
                expect(() => validateIssuerConfig({ ...GOOD, ...change }, "test")).to.throw(ConfigError, message);
            });
        }

        it("rejects non-objects", () => {
            expect(() => validateIssuerConfig(null)).to.throw(ConfigError, /expected an object/);
            expect(() => validateIssuerConfig([GOOD])).to.throw(ConfigError, /expected an object/);
        });
    });

    describe("loadIssuerConfig", () => {
        let dir: string;
        const outputs = (...configs: IssuerConfig[]) => JSON.stringify({ services: Object.fromEntries(configs.map((c) => [c.service, { issuer: c, level: c.level }])) });
        const discussion: IssuerConfig = { ...GOOD, service: "discussion", tableName: "discussion-map", bucket: "discussion-images" };

        beforeEach(async () => {
            dir = await fs.mkdtemp(path.join(os.tmpdir(), "sic-config-"));
        });
        afterEach(async () => {
            await fs.rm(dir, { recursive: true, force: true });
        });

        it("reads a `pulumi stack output --json` file given as outputsFile, relative to cwd", async () => {
            await fs.writeFile(path.join(dir, "outputs.json"), outputs(GOOD, discussion));
            const config = await loadIssuerConfig({ service: "discussion", outputsFile: "outputs.json", cwd: dir, env: {} });
            expect(config).to.deep.equal(discussion);
        });

        it("reads the file named by SECURE_IMAGE_CDN_OUTPUTS", async () => {
            const file = path.join(dir, "env-outputs.json");
            await fs.writeFile(file, outputs(GOOD));
            expect(await loadIssuerConfig({ service: "chat", cwd: dir, env: { [OUTPUTS_ENV_VAR]: file } })).to.deep.equal(GOOD);
        });

        it("falls back to the running local stack's state file, and defaults to its only service", async () => {
            const local = { ...GOOD, cdnBaseUrl: "http://127.0.0.1:8080", endpoints: { dynamodb: "http://127.0.0.1:1", s3: "http://127.0.0.1:2" } };
            await fs.mkdir(path.join(dir, path.dirname(LOCAL_STACK_STATE_FILE)), { recursive: true });
            await fs.writeFile(path.join(dir, LOCAL_STACK_STATE_FILE), outputs(local));
            expect(await loadIssuerConfig({ cwd: dir, env: {} })).to.deep.equal(local);
        });

        it("prefers outputsFile over the environment over the local stack", async () => {
            await fs.mkdir(path.join(dir, ".local-data"), { recursive: true });
            await fs.writeFile(path.join(dir, LOCAL_STACK_STATE_FILE), outputs({ ...GOOD, tableName: "from-local" }));
            await fs.writeFile(path.join(dir, "env.json"), outputs({ ...GOOD, tableName: "from-env" }));
            await fs.writeFile(path.join(dir, "opt.json"), outputs({ ...GOOD, tableName: "from-option" }));
            const env = { [OUTPUTS_ENV_VAR]: path.join(dir, "env.json") };
            expect((await loadIssuerConfig({ cwd: dir, env, outputsFile: "opt.json" })).tableName).to.equal("from-option");
            expect((await loadIssuerConfig({ cwd: dir, env })).tableName).to.equal("from-env");
            expect((await loadIssuerConfig({ cwd: dir, env: {} })).tableName).to.equal("from-local");
        });

        it("without any source: ConfigError that says how to provide one", async () => {
            const error = await rejection(loadIssuerConfig({ cwd: dir, env: {} }), IssuerError);
            expect(error).to.be.instanceOf(ConfigError);
            expect(error.message).to.match(/--outputs <file>/);
            expect(error.message).to.match(/SECURE_IMAGE_CDN_OUTPUTS/);
            expect(error.message).to.match(/npm start/);
        });

        it("several services and none named: InvalidInputError listing them", async () => {
            await fs.writeFile(path.join(dir, "o.json"), outputs(GOOD, discussion));
            const error = await rejection(loadIssuerConfig({ outputsFile: "o.json", cwd: dir, env: {} }), IssuerError);
            expect(error).to.be.instanceOf(InvalidInputError);
            expect(error.message).to.match(/--service is required: .* holds chat, discussion/);
        });

        it("an unknown service: ConfigError listing the known ones", async () => {
            await fs.writeFile(path.join(dir, "o.json"), outputs(GOOD, discussion));
            const error = await rejection(loadIssuerConfig({ service: "nudges", outputsFile: "o.json", cwd: dir, env: {} }), IssuerError);
            expect(error).to.be.instanceOf(ConfigError);
            expect(error.message).to.match(/service 'nudges' is not in .* \(it holds chat, discussion\)/);
        });

        describe("a path that is not a small regular file, through --outputs or SECURE_IMAGE_CDN_OUTPUTS: refused from what it is, never read", () => {
            // Reading /dev/zero grew the process to hundreds of megabytes, and a FIFO waited for a writer for ever;
            // the test's timeout is the guard against a hang.
            const cases: [string, (dir: string) => Promise<string>, RegExp][] = [
                ["/dev/zero", async () => "/dev/zero", /\/dev\/zero is not a regular file \(it is a character device\)/],
                ["a link to /dev/urandom", async (dir) => {
                    const link = path.join(dir, "outputs.json");
                    await fs.symlink("/dev/urandom", link);
                    return link;
                }, /outputs\.json is not a regular file \(it is a character device\)/],
                ["a FIFO", async (dir) => {
                    const fifo = path.join(dir, "outputs.json");
                    execFileSync("mkfifo", [fifo]);
                    return fifo;
                }, /outputs\.json is not a regular file \(it is a FIFO\)/],
                ["a folder", async (dir) => dir, /is not a regular file \(it is a folder\)/],
                ["a file one byte over the cap", async (dir) => {
                    const big = path.join(dir, "outputs.json");
                    await fs.writeFile(big, outputs(GOOD).padEnd(MAX_OUTPUTS_FILE_BYTES + 1, " "));
                    return big;
                }, new RegExp(`is ${MAX_OUTPUTS_FILE_BYTES + 1} bytes, over the limit of ${MAX_OUTPUTS_FILE_BYTES} bytes for a stack outputs file`)],
            ];
            for (const [name, make, message] of cases) {
                it(name, async () => {
                    const file = await make(dir);
                    for (const options of [{ outputsFile: file, env: {} }, { env: { [OUTPUTS_ENV_VAR]: file } }]) {
                        const error = await rejection(loadIssuerConfig({ ...options, cwd: dir }), IssuerError);
                        expect(error).to.be.instanceOf(ConfigError);
                        expect(error.message).to.match(message);
                    }
                });
            }

            it("a file exactly at the cap is read", async () => {
                await fs.writeFile(path.join(dir, "o.json"), outputs(GOOD).padEnd(MAX_OUTPUTS_FILE_BYTES, " "));
                expect(await loadIssuerConfig({ outputsFile: "o.json", cwd: dir, env: {} })).to.deep.equal(GOOD);
            });
        });

        it("a missing file, bad JSON, a wrong shape, or a bad field: ConfigError", async () => {
            expect((await rejection(loadIssuerConfig({ outputsFile: "missing.json", cwd: dir, env: {} }), IssuerError)).message).to.match(/cannot read .*missing\.json \(ENOENT\)/);
            await fs.writeFile(path.join(dir, "bad.json"), "{ not json");
            expect((await rejection(loadIssuerConfig({ outputsFile: "bad.json", cwd: dir, env: {} }), IssuerError)).message).to.match(/is not valid JSON/);
            await fs.writeFile(path.join(dir, "shape.json"), JSON.stringify({ chat: GOOD }));
            expect((await rejection(loadIssuerConfig({ outputsFile: "shape.json", cwd: dir, env: {} }), IssuerError)).message).to.match(/'services' output/);
            await fs.writeFile(path.join(dir, "field.json"), outputs({ ...GOOD, hashTtlSeconds: -5 }));
            const fieldError = await rejection(loadIssuerConfig({ outputsFile: "field.json", cwd: dir, env: {} }), IssuerError);
            expect(fieldError).to.be.instanceOf(ConfigError);
            expect(fieldError.message).to.match(/services\.chat\.issuer: field 'hashTtlSeconds'/);
            await fs.writeFile(path.join(dir, "name.json"), JSON.stringify({ services: { chat: { issuer: discussion } } }));
            expect((await rejection(loadIssuerConfig({ outputsFile: "name.json", cwd: dir, env: {} }), IssuerError)).message).to.match(/names service 'discussion'/);
        });
    });

    describe("createClients", () => {
        it("uses the config's region, static local credentials and path-style S3 only for overridden endpoints", async () => {
            const local = createClients({ ...GOOD, endpoints: { dynamodb: "http://127.0.0.1:1", s3: "http://127.0.0.1:2", cloudfront: "http://127.0.0.1:3" } });
            const aws = createClients(GOOD);
            try {
                expect(await local.dynamo.config.region()).to.equal("eu-west-1");
                expect(await local.cloudfront.config.region()).to.equal("us-east-1");
                expect(local.s3.config).to.include({ forcePathStyle: true });
                expect(aws.s3.config).to.include({ forcePathStyle: false });
                const credentials = await local.s3.config.credentials();
                expect(credentials.accessKeyId).to.equal("S3RVER");
                expect(await local.dynamo.config.maxAttempts()).to.equal(4);
                expect(await local.dynamo.config.retryStrategy()).to.have.property("mode", "standard");
                // Against AWS the default credential chain is used: no static credentials are configured.
                expect(aws.dynamo.config.endpoint).to.equal(undefined);
            } finally {
                destroyClients(local);
                destroyClients(aws);
            }
        });
    });
});
