/**
 * The playground page draws an upload's ThumbHash placeholder while the image
 * is on its way, and takes it away once the image has loaded. In Debian's
 * Chromium (playwright-core), the image request held back by the test: the
 * canvas must show exactly what the thumbhash package decodes the
 * placeholder to, in the image's displayed aspect.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { chromium, BrowserContext, Page, Route } from "playwright-core";
import { thumbHashToRGBA } from "thumbhash";
import type { LocalStackState } from "../../local/state-file";
import { phoneJpeg } from "../issuer/image/fixtures";
import { sharedBuild } from "../support/shared-build";
import { startStackProcess, StackProcess, tempDir, waitForState } from "./stack-process";

const STACK_YAML = `config:
  secure-image-cdn:services:
    - chat
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

interface CanvasState {
    hidden: boolean;
    width: number;
    height: number;
    rgba: number[];
    placeholder: string | undefined;
}

// The project compiles without the DOM library, hence the structural types.
function canvasState(page: Page): Promise<CanvasState> {
    return page.locator("#placeholder").evaluate((node) => {
        const canvas = node as unknown as {
            hidden: boolean;
            width: number;
            height: number;
            dataset: Record<string, string | undefined>;
            getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
        };
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        return { hidden: canvas.hidden, width: canvas.width, height: canvas.height, rgba: Array.from(data), placeholder: canvas.dataset.placeholder };
    });
}

function boxOf(page: Page, selector: string): Promise<{ width: number; height: number }> {
    return page.locator(selector).evaluate((node) => {
        const rect = (node as unknown as { getBoundingClientRect(): { width: number; height: number } }).getBoundingClientRect();
        return { width: rect.width, height: rect.height };
    });
}

describe("local stack playground: the upload's placeholder before the image (Chromium)", function () {
    this.timeout(180_000);
    const home = tempDir("sic-placeholder-");
    const executablePath = findChromium();
    let stack: StackProcess | undefined;
    let state: LocalStackState;
    let context: BrowserContext | undefined;
    let page: Page;
    const fixture = path.join(home, "phone.jpg");

    before(async function () {
        if (!executablePath) {
            console.log("      SKIPPED: no chromium on PATH (install Debian's chromium package; .ci/run does)");
            this.skip();
        }
        fs.writeFileSync(fixture, await phoneJpeg(6));
        const configFile = path.join(home, "Pulumi.placeholder.yaml");
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

    it("shows the decoded ThumbHash in the image's displayed aspect until the image loads, then the image", async () => {
        // Hold the image request until the placeholder has been looked at.
        let release: (() => void) | undefined;
        const held = new Promise<Route>((resolve) => {
            void page.route(`${state.services.chat.cdnBaseUrl}/images/**`, (route) => resolve(route));
        });
        await page.setInputFiles("#file", fixture);
        await page.click("#upload");
        const route = await held;
        release = () => void route.continue();

        const shown = await canvasState(page);
        expect(shown.hidden, "placeholder visible while the image is held back").to.equal(false);
        expect(shown.placeholder).to.match(/^[A-Za-z0-9+/]+={0,2}$/);
        const expected = thumbHashToRGBA(Buffer.from(shown.placeholder as string, "base64"));
        expect([shown.width, shown.height]).to.deep.equal([expected.w, expected.h]);
        expect(shown.rgba, "the page decodes the placeholder as the thumbhash package does").to.deep.equal(Array.from(expected.rgba));
        // The box has the photo's displayed aspect (48 × 64 once its orientation is applied).
        const box = await boxOf(page, "#placeholder");
        expect(box.width / box.height).to.be.closeTo(48 / 64, 0.05);
        expect(await page.textContent("#result-size")).to.match(/^48×64, placeholder /);
        expect(await page.textContent("#result-metadata")).to.match(/^removed .*exif:gps.*; kept exif:orientation, icc$/);
        const status = await page.textContent("#status");
        expect(status).to.equal("loading…");

        release();
        await page.locator("#status", { hasText: /^rendered/ }).waitFor({ timeout: 20_000 });
        expect((await canvasState(page)).hidden, "placeholder gone once the image is there").to.equal(true);
        expect(await page.textContent("#status")).to.equal("rendered (48×64)");
        await page.unroute(`${state.services.chat.cdnBaseUrl}/images/**`);
    });
});
