/**
 * When a part of the running stack fails anyway (an exception thrown from a
 * callback, or a rejection nobody handles: what dynalite's rethrown
 * `aborted` was), `npm start` says so on stderr, stops every server, removes
 * the state file the CLI would otherwise trip on, and exits with code 1.
 * The failure is injected into the real `npm start` process by a preloaded
 * script (test/local/fixtures/fail-when-ready.js) once the stack is up. How
 * the part is named from the error, and the line itself: failure.test.ts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import type { LocalStackState } from "../../local/state-file";
import { sharedBuild } from "../support/shared-build";
import { startStackProcess, StackProcess, tempDir } from "./stack-process";

const FIXTURE = path.join(__dirname, "fixtures", "fail-when-ready.js");

/** True when nothing accepts a connection on the port any more. */
function refused(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.on("connect", () => {
            socket.destroy();
            resolve(false);
        });
        socket.on("error", () => resolve(true));
    });
}

describe("npm start: a part that fails while running stops everything cleanly", function () {
    this.timeout(180_000);
    const home = tempDir("sic-failure-");
    const configFile = path.join(home, "Pulumi.failure.yaml");
    let stack: StackProcess | undefined;

    before(() => fs.writeFileSync(configFile, "config:\n  aws:region: eu-west-1\n  secure-image-cdn:services: [discussion]\n"));
    afterEach(async () => {
        stack?.kill();
        await stack?.exited;
    });
    after(() => fs.rmSync(home, { recursive: true, force: true }));

    for (const kind of ["exception", "rejection"] as const) {
        it(`an uncaught ${kind}: one line on stderr naming it, every port closed, the state file removed, exit code 1`, async () => {
            const dataDir = path.join(home, `data-${kind}`);
            const stateFile = path.join(dataDir, "local-stack.json");
            // The run's compiled output, not npm and ts-node: what is tested is the stack's own handling.
            const runner = { compiledDir: (await sharedBuild()).compiledDir };
            stack = startStackProcess(
                ["--fresh", "--port", "0", "--no-seed", "--config", configFile],
                dataDir,
                { NODE_OPTIONS: `--require ${FIXTURE}`, SIC_FAIL_WHEN_READY: stateFile, SIC_FAIL_KIND: kind },
                runner,
            );
            const code = await stack.exited;
            expect(code, stack.output()).to.equal(1);
            expect(stack.output()).to.match(/npm start: a part of the local stack failed \(Error: injected failure after start-up, at .*fail-when-ready\.js:\d+:\d+\)?\); stopping everything\n/);
            expect(fs.existsSync(stateFile), "no stale state file for the CLI").to.equal(false);
            const seen = JSON.parse(fs.readFileSync(`${stateFile}.seen`, "utf8")) as LocalStackState;
            expect(seen.listening.length).to.be.at.least(5);
            for (const { part, url } of seen.listening) expect(await refused(Number(new URL(url).port)), `${part} still listening`).to.equal(true);
        });
    }
});
