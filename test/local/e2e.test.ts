/**
 * The local stack end to end, as a user runs it: `npm start` in a child
 * process, the issuer CLI in others, plain HTTP requests to the CDN URLs.
 * The running stack is started with `npm start` itself, and one CLI call
 * goes through `npm run cdn`; the other stacks and CLI calls run the same
 * programs from the test run's compiled output (test/support/shared-build.ts),
 * which spares compiling the project again in every child.
 */
import { expect } from "chai";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { newHash } from "../../core/contract";
import { LOCAL_CREDENTIALS } from "../../local/aws";
import type { LocalStackState } from "../../local/state-file";
import { checkerPng } from "../../local/png";
import { cdnGet as get } from "../support/cdn-get";
import { sharedBuild } from "../support/shared-build";
import { Runner, runCli, startStackProcess, StackProcess, tempDir, waitForState } from "./stack-process";

/**
 * The stack under test: the default services, with chat's edge memo off.
 * A warm edge function keeps looked-up mappings for `edge.memoTtlSeconds`
 * (60 s by default for `required`, core/bounds.ts), which delays a
 * revocation by up to that long on a warm container; 0 makes the very next
 * request see it, which is what this test checks.
 */
const STACK_YAML = `config:
  aws:region: eu-west-1
  secure-image-cdn:services:
    - discussion
    - chat
  secure-image-cdn:overrides:
    chat:
      edge:
        memoTtlSeconds: 0
`;

describe("local stack end to end: npm start, the CLI, the CDN over HTTP", function () {
    this.timeout(180_000);
    const home = tempDir("sic-e2e-");
    const configFile = path.join(home, "Pulumi.e2e.yaml");
    const image = checkerPng({ width: 20, height: 10, square: 5, colors: [[200, 30, 30], [255, 255, 255]] });
    const imageFile = path.join(home, "photo.png");
    /** Every stack started here, so a failing test leaves no process behind. */
    const started: StackProcess[] = [];
    /** The run's compiled output, for the children that need not go through npm and ts-node. */
    let compiled: Runner;
    const launch = (args: string[], dir: string, runner: Runner = compiled): StackProcess => {
        const child = startStackProcess(args, dir, {}, runner);
        started.push(child);
        return child;
    };

    before(async function () {
        // Built once per run; another test file's process may be building it.
        this.timeout(600_000);
        compiled = { compiledDir: (await sharedBuild()).compiledDir };
        fs.writeFileSync(configFile, STACK_YAML);
        fs.writeFileSync(imageFile, image);
    });
    after(async () => {
        for (const child of started) child.kill();
        await Promise.all(started.map((child) => child.exited));
        fs.rmSync(home, { recursive: true, force: true });
    });

    /** Uploads the test image with the CLI to the stack whose state file this is; its URL and hash. */
    async function upload(stack: StackProcess): Promise<{ url: string; hash: string }> {
        const result = await runCli(["upload", imageFile, "--service", "chat", "--json"], { stateFile: stack.stateFile }, compiled);
        expect(result.code, result.stderr).to.equal(0);
        return JSON.parse(result.stdout) as { url: string; hash: string };
    }

    describe("a running stack", () => {
        /** The default data folder's name in `home`, so the CLI started there finds the stack. */
        const dataDir = path.join(home, ".local-data");
        let stack: StackProcess;
        let state: LocalStackState;

        // One stack for this group, started once with `npm start` itself; each test uploads the images it needs.
        before(async () => {
            const startedAt = Date.now();
            stack = launch(["--fresh", "--port", "0", "--config", configFile], dataDir, "source");
            state = await waitForState(stack, 90_000);
            console.log(`      npm start ready after ${Date.now() - startedAt} ms`);
        });
        after(async () => {
            await stack?.stop();
        });

        it("starts with --fresh on free ports, prints where everything listens and writes its state file", async () => {
            expect(Object.keys(state.services)).to.deep.equal(["discussion", "chat"]);
            const chat = state.services.chat;
            expect(chat.cdnBaseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(chat.issuer).to.include({ service: "chat", level: "required", region: "eu-west-1", cdnBaseUrl: chat.cdnBaseUrl });
            expect(chat.issuer.endpoints).to.deep.equal(state.endpoints);
            expect(stack.output()).to.contain(state.playgroundUrl);
            expect(stack.output()).to.contain(chat.cdnBaseUrl);
            // The sample image seeded at start has the production URL shape and is served.
            expect(chat.sampleUrl).to.match(new RegExp(`^${chat.cdnBaseUrl}/images/[0-9a-f]{32}$`));
            expect((await get(chat.sampleUrl as string)).status).to.equal(200);
        });

        it("the CLI finds the running stack with no flags (default data folder in its working directory)", async () => {
            const result = await runCli(["upload", imageFile, "--service", "chat", "--json"], { cwd: home }, compiled);
            expect(result.code, result.stderr).to.equal(0);
            const uploaded = JSON.parse(result.stdout) as { url: string; hash: string };
            expect(uploaded.url).to.equal(`${state.services.chat.cdnBaseUrl}/images/${uploaded.hash}`);
        });

        it("serves an image uploaded with the CLI: a miss, then a hit, both with the uploaded bytes", async () => {
            const { url } = await upload(stack);
            const first = await get(url);
            expect(first.status).to.equal(200);
            expect(first.xCache).to.equal("Miss from cloudfront");
            expect(first.body).to.deep.equal(image);
            const second = await get(url);
            expect(second.status).to.equal(200);
            expect(second.xCache).to.equal("Hit from cloudfront");
            expect(second.age).to.match(/^\d+$/);
            expect(second.body).to.deep.equal(image);
        });

        it("answers 404 for an unknown hash and 403 for an expired one", async () => {
            const base = state.services.chat.cdnBaseUrl;
            expect((await get(`${base}/images/${newHash()}`)).status).to.equal(404);

            // An expired mapping, written straight into the local DynamoDB (TTL deletion is lazy; the edge checks expires_at).
            const hash = newHash();
            const now = Math.floor(Date.now() / 1000);
            const dynamo = new DynamoDBClient({ endpoint: state.endpoints.dynamodb, region: "eu-west-1", credentials: LOCAL_CREDENTIALS });
            try {
                await dynamo.send(
                    new PutItemCommand({
                        TableName: state.services.chat.issuer.tableName,
                        Item: {
                            hash: { S: hash },
                            s3_url: { S: `s3://${state.services.chat.issuer.bucket}/uploads/old.png` },
                            created_at: { N: String(now - 31 * 86400) },
                            expires_at: { N: String(now - 86400) },
                            ttl: { N: String(now - 86400) },
                        },
                    }),
                );
            } finally {
                dynamo.destroy();
            }
            expect((await get(`${base}/images/${hash}`)).status).to.equal(403);
        });

        it("refuses methods other than GET and HEAD with 403, as the distribution does", async () => {
            const { url } = await upload(stack);
            const response = await fetch(url, { method: "POST", body: "x" });
            expect(response.status).to.equal(403);
            expect(response.headers.get("x-cache")).to.equal("Error from cloudfront");
        });

        it("revoking with the CLI (`npm run cdn`) stops a cached image at once", async () => {
            const { url, hash } = await upload(stack);
            await get(url);
            expect((await get(url)).xCache).to.equal("Hit from cloudfront");

            const revoke = await runCli(["revoke", hash, "--service", "chat"], { stateFile: stack.stateFile }, "source");
            expect(revoke.code, revoke.stderr).to.equal(0);
            expect(revoke.stdout).to.contain(hash);

            const after = await get(url);
            expect(after.status).to.equal(404);
            expect(after.xCache).to.not.equal("Hit from cloudfront");
            expect(after.body).to.not.deep.equal(image);
        });
    });

    describe("stopping and starting again (each test its own stack and data folder)", () => {
        it("stops cleanly on Ctrl-C (SIGINT), removing its state file", async () => {
            const dataDir = path.join(home, "sigint-data");
            const stack = launch(["--fresh", "--port", "0", "--config", configFile], dataDir);
            await waitForState(stack, 90_000);
            // The stack stops and says so (under `npm start`, npm itself dies of the SIGINT).
            expect(await stack.stop()).to.be.oneOf([0, "SIGINT"]);
            expect(fs.readdirSync(dataDir), "the state file is removed").to.not.include(path.basename(stack.stateFile));
            expect(stack.output()).to.contain(`stopped; data kept in ${dataDir}`);
            expect(stack.output()).to.not.contain("npm start:");
        });

        it("keeps its data across a restart (an image issued before is served after, the sample keeps its hash), and stops on SIGTERM", async () => {
            const dataDir = path.join(home, "restart-data");
            const first = launch(["--fresh", "--port", "0", "--config", configFile], dataDir);
            const state = await waitForState(first, 90_000);
            const kept = await upload(first);
            expect(await first.stop()).to.be.oneOf([0, "SIGINT"]);

            const stack = launch(["--port", "0", "--config", configFile], dataDir);
            const restarted = await waitForState(stack, 90_000);
            const url = kept.url.replace(state.services.chat.cdnBaseUrl, restarted.services.chat.cdnBaseUrl);
            const again = await get(url);
            expect(again.status).to.equal(200);
            expect(again.body).to.deep.equal(image);
            const sampleHash = (sampleUrl: string | undefined) => sampleUrl?.split("/images/")[1];
            expect(sampleHash(restarted.services.chat.sampleUrl)).to.equal(sampleHash(state.services.chat.sampleUrl));
            expect(await stack.stop("SIGTERM")).to.be.oneOf([0, "SIGTERM"]);
            expect(stack.output()).to.contain("SIGTERM: stopping the local stack");
            expect(stack.output()).to.contain("stopped; data kept");
            expect(fs.readdirSync(dataDir), "the state file is removed").to.not.include(path.basename(stack.stateFile));
        });
    });

    it("a port in use is one clear line on stderr and exit code 1, with nothing touched", async () => {
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        const port = (blocker.address() as net.AddressInfo).port;
        const otherData = path.join(home, "other");
        try {
            const stack = launch(["--port", "0", "--playground-port", String(port), "--config", configFile], otherData);
            expect(await stack.exited).to.equal(1);
            const errorLines = stack.output().split("\n").filter((line) => line.startsWith("npm start:"));
            expect(errorLines).to.deep.equal([`npm start: playground: port ${port} on 127.0.0.1 is already in use; pick another port (see --help) or stop what is using it.`]);
            expect(stack.output()).to.not.match(/^\s+at /m);
            expect(fs.existsSync(otherData) ? fs.readdirSync(otherData) : [], "nothing written in the data folder").to.not.include("dynamo");
        } finally {
            await new Promise((resolve) => blocker.close(resolve));
        }
    });
});
