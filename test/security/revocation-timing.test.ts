/**
 * How long a revoked hash still leads to its object, measured end to end
 * through the local stack (startLocalStack: dynalite, s3rver, the CloudFront
 * emulator running the deployed edge code, the issuer), for every level and
 * mode, on a clock the test moves (support/shifted-clock.ts), with the
 * component's default settings.
 *
 * The viewer does the worst it can: it asks for the hash URL one second
 * before the revocation (so a warm edge function remembers the mapping, and
 * CloudFront or the viewer holds what it got), then, second by second after
 * the revocation, asks again (through the edge location it used and through
 * one that has nothing cached, as another viewer would), follows every
 * redirect, keeps every 302 for its `max-age` as a browser does (a kept 302
 * still answers the hash URL), and keeps trying every presigned URL it was
 * ever handed. The last second at which it still gets
 * the image is the measured bound; it must be within what the issuer
 * promises (`revoke(...).stops`), and that promise within a second or two of
 * it. SECURITY.md's revocation table must state the same figures.
 *
 * At `required` + `origin` this viewer meets the memo's window; the rest of
 * that bound, a copy cached by a read that raced the revocation until the
 * invalidator's second invalidation, is what revocation-race.test.ts
 * measures.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { ImageIssuer } from "../../issuer/issuer";
import type { RevocationTiming } from "../../issuer/revoke";
import { viewerRequest } from "../support/cdn-get";
import { startTestStack } from "../support/local-stack";
import { installShiftedClock, ShiftedClock } from "../support/shifted-clock";

interface Measured {
    /**
     * Last second after the revocation at which the hash URL still answered with the image or a
     * redirect (from CloudFront, or from a 302 the viewer's browser kept); undefined: never.
     */
    hashUrl?: number;
    /** Seconds a browser may keep the 302 answered to the fresh table read before the revocation (redirect mode; 0: not at all). */
    firstRedirectKeptSeconds?: number;
    /** Last second at which the image could still be fetched by any route; undefined: never. */
    object?: number;
    stops: RevocationTiming;
}

/** Seconds a browser may keep an answer by its Cache-Control: 0 for no-store, no-cache or no max-age. */
function browserLifetimeSeconds(cacheControl: string | null): number {
    const directives = (cacheControl ?? "").split(",").map((directive) => directive.trim().toLowerCase());
    if (directives.includes("no-store") || directives.includes("no-cache")) return 0;
    const maxAge = directives.map((directive) => /^max-age=(\d+)$/.exec(directive)).find((match) => match !== null);
    return maxAge ? Number(maxAge[1]) : 0;
}

/** Seconds after which a presigned URL's signature says it dies (epoch ms). */
function urlExpiry(location: string): number {
    const url = new URL(location);
    const signed = (url.searchParams.get("X-Amz-Date") ?? "").replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z");
    return Date.parse(signed) + Number(url.searchParams.get("X-Amz-Expires")) * 1000;
}

describe("revocation timing, end to end through the local stack (moved clock)", function () {
    this.timeout(180_000);
    const image = checkerPng({ width: 6, height: 6, square: 2, colors: [[40, 90, 140], [255, 255, 255]] });
    const stacks: LocalStack[] = [];
    const services = new Map<string, RunningService>();
    const measured = new Map<string, Measured>();
    let clock: ShiftedClock;

    before(async () => {
        clock = installShiftedClock();
        const configs = [
            { services: { services: ["discussion", "chat", "regulatory"], overrides: { chat: { mode: "redirect" } } } },
            { services: { services: ["regulatory"], overrides: { regulatory: { mode: "redirect" } } } },
        ];
        for (const config of configs) {
            const stack = await startTestStack({ services: config.services, region: "eu-west-1" });
            stacks.push(stack);
            for (const service of stack.services) {
                const settings = service.plan.settings;
                services.set(`${settings.level} + ${settings.level === "public" ? "origin" : settings.mode}`, service);
            }
        }
    });
    after(async () => {
        for (const stack of stacks) await stack.close();
        clock?.restore();
        for (const [variant, m] of measured) {
            console.log(`      ${variant}: hash URL last answered ${m.hashUrl === undefined ? "never" : `${m.hashUrl} s`}, object last fetched ${m.object === undefined ? "never" : `${m.object} s`} after the revocation (promised ≤ ${m.stops.hashUrlWithinSeconds} s / ≤ ${m.stops.objectWithinSeconds} s)`);
        }
    });

    /** Walks the seconds after a revocation as the worst-case viewer; see the file comment. */
    async function measure(service: RunningService): Promise<Measured> {
        // No eager variants: the worst-case viewer, not the upload, is the first to make the edge remember the hash.
        const uploaded = await new ImageIssuer(service.local.config, service.local.clients, { warmEagerVariants: false }).upload(image);
        const hashUrl = uploaded.url;
        /** Presigned URLs handed out, by the moment they die: one per distinct expiry is enough to try. */
        const urls = new Map<number, string>();
        /** Until when (epoch ms) the viewer's browser still answers the hash URL with a 302 it kept. */
        let redirectKeptUntil = 0;
        let lastRedirectKeptSeconds: number | undefined;
        const getsImage = async (url: string): Promise<"image" | "redirect" | "no"> => {
            const response = await viewerRequest(url);
            if (response.status === 302) {
                const location = response.header("location") ?? "";
                urls.set(urlExpiry(location), location);
                // A browser keeps the 302 for its max-age and answers the hash URL with it, unasked.
                lastRedirectKeptSeconds = browserLifetimeSeconds(response.header("cache-control"));
                redirectKeptUntil = Math.max(redirectKeptUntil, clock.now() + lastRedirectKeptSeconds * 1000);
                return "redirect";
            }
            return response.status === 200 && response.body.equals(image) ? "image" : "no";
        };

        // One second before the revocation (100 ms into a whole second, so every run measures alike):
        // the edge reads the table and remembers the mapping.
        const base = Math.ceil(clock.now() / 1000) * 1000 + 1000;
        clock.set(base + 100);
        expect(await getsImage(hashUrl)).to.be.oneOf(["image", "redirect"]);
        const firstRedirectKeptSeconds = lastRedirectKeptSeconds;
        clock.set(base + 1100);
        const revoked = await service.local.issuer.revoke(uploaded.hash as string);
        const at = clock.now();
        const result: Measured = { stops: revoked.stops, firstRedirectKeptSeconds };
        const horizon = revoked.stops.objectWithinSeconds + 5;
        for (let t = 0; t <= horizon; t++) {
            clock.set(at + t * 1000);
            // Once at the edge location that served it before (whatever CloudFront kept there), once at
            // one that holds nothing: CloudFront has many, and a warm edge function serves several.
            const here = await getsImage(hashUrl);
            service.cdn.distribution.cache.invalidate(["/*"]);
            const elsewhere = await getsImage(hashUrl);
            if (here !== "no" || elsewhere !== "no" || clock.now() < redirectKeptUntil) result.hashUrl = t;
            let fetched = here === "image" || elsewhere === "image";
            for (const [expiry, url] of [...urls]) {
                if ((await getsImage(url)) === "image") fetched = true;
                // A URL S3 refused stays refused (its expiry passed): stop trying it.
                else urls.delete(expiry);
            }
            if (fetched) result.object = t;
        }
        return result;
    }

    const variants = ["required + origin", "required + redirect", "secured + origin", "secured + redirect"];
    for (const variant of variants) {
        it(`${variant}: the object is out of reach within the promised bound, and the bound is tight`, async () => {
            const service = services.get(variant);
            if (!service) throw new Error(`no ${variant} service in the stacks`);
            const m = await measure(service);
            measured.set(variant, m);
            expect(m.stops.basis).to.equal("settings");
            // The 302 handed out from a fresh table read just before the revocation: a browser may keep
            // it no longer than the hash URL is promised to stop within.
            if (m.firstRedirectKeptSeconds !== undefined) {
                expect(m.firstRedirectKeptSeconds, "browser lifetime of the 302 from a fresh read").to.be.at.most(m.stops.hashUrlWithinSeconds);
            }
            // Within the promise...
            if (m.hashUrl !== undefined) expect(m.hashUrl, "hash URL").to.be.at.most(m.stops.hashUrlWithinSeconds);
            if (m.object !== undefined) expect(m.object, "object").to.be.at.most(m.stops.objectWithinSeconds);
            // ...and the promise is what actually happens, not a loose guess: at required + origin, as far as
            // this viewer can reach (the memo's window; the race reaches the rest).
            const memo = service.local.config.memoTtlSeconds ?? 0;
            const reachable = (seconds: number) => (m.stops.reinvalidatedAfterSeconds === undefined ? seconds : Math.min(seconds, memo));
            if (m.stops.hashUrlWithinSeconds === 0) expect(m.hashUrl, "hash URL: stopped at once").to.equal(undefined);
            else expect(m.hashUrl, "hash URL").to.be.at.least(reachable(m.stops.hashUrlWithinSeconds) - 2);
            if (m.stops.objectWithinSeconds === 0) expect(m.object, "object: out of reach at once").to.equal(undefined);
            else expect(m.object, "object").to.be.at.least(reachable(m.stops.objectWithinSeconds) - 2);
        });
    }

    it("the defaults give: required + origin 75 s (the invalidator's second invalidation); required + redirect 60 s for the hash URL, 300 s for the object; secured + origin at once; secured + redirect at once, 300 s for a URL handed out before", () => {
        const figures = Object.fromEntries([...measured].map(([variant, m]) => [variant, [m.stops.hashUrlWithinSeconds, m.stops.objectWithinSeconds]]));
        expect(figures).to.deep.equal({
            "required + origin": [75, 75],
            "required + redirect": [60, 300],
            "secured + origin": [0, 0],
            "secured + redirect": [0, 300],
        });
    });

    it("SECURITY.md's revocation table states the same bounds and the measured figures", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "SECURITY.md"), "utf8");
        for (const [variant, m] of measured) {
            const row = text.split("\n").find((line) => line.startsWith(`| ${variant} |`));
            expect(row, `a row for ${variant}`).to.not.equal(undefined);
            const cells = (row ?? "").split("|").map((cell) => cell.trim());
            const promise = (seconds: number) => (seconds === 0 ? "at once" : `≤ ${seconds} s`);
            expect(cells[2], `${variant}: hash URL`).to.include(promise(m.stops.hashUrlWithinSeconds));
            expect(cells[3], `${variant}: object`).to.include(promise(m.stops.objectWithinSeconds));
            const last = (seconds: number | undefined) => (seconds === undefined ? "never" : `${seconds} s`);
            expect(cells[4], `${variant}: measured`).to.equal(`${last(m.hashUrl)} / ${last(m.object)}`);
        }
    });
});
