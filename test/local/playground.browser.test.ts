/**
 * The playground in a real browser: Debian's Chromium driven by
 * playwright-core (no browser download). One service per delivery mode:
 * chat delivers through the origin (bytes cached at the edge), discussion
 * redirects to a presigned S3 URL. In both, an uploaded image must actually
 * render, and must stop rendering once revoked.
 *
 * Set SECURE_IMAGE_CDN_SCREENSHOT=<file> to save the page (the README's
 * docs/playground.png comes from here).
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { chromium, BrowserContext, Page } from "playwright-core";
import { checkerPng } from "../../local/png";
import type { LocalStackState } from "../../local/state-file";
import { sharedBuild } from "../support/shared-build";
import { PROJECT_DIR, startStackProcess, StackProcess, tempDir, waitForState } from "./stack-process";

/** Both delivery modes, and no warm-function memo, so a revocation shows on the next request. */
const STACK_YAML = `config:
  secure-image-cdn:services:
    - discussion
    - chat
  secure-image-cdn:overrides:
    discussion:
      mode: redirect
      edge:
        memoTtlSeconds: 0
    chat:
      edge:
        memoTtlSeconds: 0
`;

function findChromium(): string | undefined {
    for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
        if (candidate && fs.existsSync(candidate)) return candidate;
    }
    try {
        return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() || undefined;
    } catch {
        return undefined;
    }
}

interface ImageState {
    complete: boolean;
    naturalWidth: number;
    src: string;
}

// The project compiles without the DOM library, hence the structural type of the <img>.
async function imageState(page: Page): Promise<ImageState> {
    return page.locator("#preview").evaluate((node) => {
        const img = node as unknown as { complete: boolean; naturalWidth: number; currentSrc: string; src: string };
        return { complete: img.complete, naturalWidth: img.naturalWidth, src: img.currentSrc || img.src };
    });
}

/** Waits for the page's status line (the playground's CSP forbids eval, so no waitForFunction). */
function statusStartsWith(page: Page, prefix: string): Promise<void> {
    return page.locator("#status", { hasText: new RegExp(`^${prefix}`) }).waitFor({ timeout: 20_000 });
}

describe("local stack playground in Chromium (playwright-core)", function () {
    this.timeout(180_000);
    const home = tempDir("sic-browser-");
    const executablePath = findChromium();
    let stack: StackProcess | undefined;
    let state: LocalStackState;
    let context: BrowserContext | undefined;
    let page: Page;
    const fixture = path.join(home, "fixture.png");

    before(async function () {
        if (!executablePath) {
            console.log("      SKIPPED: no chromium on PATH (install Debian's chromium package; .ci/run does)");
            this.skip();
        }
        fs.writeFileSync(fixture, checkerPng({ width: 160, height: 120, square: 20, colors: [[37, 99, 235], [250, 204, 21]] }));
        const configFile = path.join(home, "Pulumi.browser.yaml");
        fs.writeFileSync(configFile, STACK_YAML);
        stack = startStackProcess(["--fresh", "--port", "0", "--config", configFile], path.join(home, "data"), {}, { compiledDir: (await sharedBuild()).compiledDir });
        state = await waitForState(stack, 90_000);
        context = await chromium.launchPersistentContext(path.join(home, "profile"), {
            executablePath,
            headless: true,
            args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            viewport: { width: 1100, height: 1000 },
        });
        page = context.pages()[0] ?? (await context.newPage());
        await page.goto(state.playgroundUrl);
        await page.waitForSelector("body[data-ready=true]");
    });

    after(async () => {
        await context?.close();
        if (stack) {
            await Promise.race([stack.stop(), new Promise((resolve) => setTimeout(resolve, 15_000))]);
            stack.kill();
            await stack.exited;
        }
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("lists the configured services with their level and mode", async () => {
        const options = await page.$$eval("#service option", (nodes) => nodes.map((node) => node.textContent));
        expect(options).to.deep.equal(["discussion (required, redirect)", "chat (required, origin)"]);
    });

    for (const [service, mode] of [
        ["chat", "origin"],
        ["discussion", "redirect"],
    ] as const) {
        it(`${service} (${mode} mode): an uploaded image renders through its CDN URL, and stops rendering once revoked`, async () => {
            await page.selectOption("#service", service);
            await page.setInputFiles("#file", fixture);
            await page.click("#upload");
            await statusStartsWith(page, "rendered");

            const url = await page.textContent("#result-url");
            expect(url).to.match(new RegExp(`^${state.services[service].cdnBaseUrl}/images/[0-9a-f]{32}$`));
            const rendered = await imageState(page);
            expect(rendered).to.include({ complete: true });
            expect(rendered.naturalWidth).to.equal(160);
            expect(rendered.src.slice(0, `${url}?view=`.length)).to.equal(`${url}?view=`);

            // Again: in origin mode the CDN answers from its cache this time; in redirect mode the edge
            // answers again (CloudFront keeps no 302: its cache key cannot tell GET from HEAD).
            await page.click("#reload");
            await statusStartsWith(page, "rendered");
            if (mode === "origin") await page.waitForSelector("#log tbody tr.Hit", { timeout: 10_000 });
            else await page.locator("#log tbody tr.LambdaGeneratedResponse").nth(1).waitFor({ timeout: 10_000 });
            // Both requests reached the distribution: its own count, read through the playground's API from the page.
            await page
                .waitForFunction(async (name) => ((await (await fetch(`/api/services/${name}/metrics`)).json()) as { requests: number }).requests >= 2, service, { timeout: 10_000, polling: 200 })
                .catch(async () => {
                    throw new Error(`the distribution did not count both requests; the page's log: ${(await page.locator("#log tbody tr").allTextContents()).join(" / ")}`);
                });
            // Each request is one row of the log, however the page's polls fell.
            const seqs = await page.$$eval("#log tbody tr", (rows) => rows.map((row) => row.getAttribute("data-seq")));
            expect(new Set(seqs).size, `log rows by request: ${seqs.join(", ")}`).to.equal(seqs.length);
            // The operations view shows the dashboard's figures for this service: requests, cache hit rate, edge invocations.
            const figures = page.locator("#metrics tbody tr td");
            await page.locator("#metrics tbody tr td", { hasText: /^\d+(\.\d)? %$/ }).first().waitFor({ timeout: 10_000 });
            // The figures are the next poll's: a request logged may be counted a poll later, as CloudWatch lags its logs.
            await page
                .waitForFunction('Number(document.querySelector("#metrics tbody tr td")?.textContent) >= 2', undefined, { timeout: 10_000 })
                .catch(() => undefined); // the assertion below says what was shown
            const cells = await figures.allTextContents();
            expect(Number(cells[0]), `requests in ${cells.join(" | ")}`).to.be.at.least(2);
            expect(cells[1], "cache hit rate").to.match(/^\d+(\.\d)? %$/);
            expect(Number(cells[4]), "edge invocations").to.be.at.least(1);

            if (service === "chat" && process.env.SECURE_IMAGE_CDN_SCREENSHOT) {
                await page.screenshot({ path: path.resolve(PROJECT_DIR, process.env.SECURE_IMAGE_CDN_SCREENSHOT), fullPage: true });
            }

            await page.click("#revoke");
            await statusStartsWith(page, "did not render");
            const revoked = await imageState(page);
            expect(revoked.naturalWidth).to.equal(0);
            // And from outside the browser: the CDN refuses the revoked hash.
            expect((await fetch(`${url}`, { redirect: "manual" })).status).to.equal(404);
        });
    }
});
