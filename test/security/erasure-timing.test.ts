/**
 * How long an erased object still reaches anyone, measured end to end
 * through the local stack (startLocalStack: dynalite, s3rver, the CloudFront
 * emulator running the deployed edge code, the issuer), for every level and
 * mode, on a clock the test moves (support/shifted-clock.ts), with the
 * component's default settings.
 *
 * The viewer does the worst it can, as in revocation-timing.test.ts: it
 * asks for the hash URL one second before the erasure (so a warm edge
 * function remembers the mapping, CloudFront keeps what it got, and in
 * redirect mode it holds a presigned URL), then, second by second after
 * `deleteObject` returned, asks again through the edge location it used and
 * through one with nothing cached, follows every redirect, and retries every
 * presigned URL it was handed. The last second at which any of it returned
 * a byte of the image is the measured figure; it must be within what
 * `deleteObject` promised (`stops.goneAt`: from the moment it returned,
 * the local CloudFront API completing invalidations at once). Afterwards no
 * key of the object (the original, each derived copy) is left in the bucket.
 * The variant routes (`/images/<hash>/<preset>.<format>`) are measured the
 * same way where the service has variants (the resizer makes and stores
 * them first); where it has none, a derived copy is planted by hand so that
 * erasure must still delete it.
 * SECURITY.md's erasure table must state the same figures.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { variantKey } from "../../core/variants";
import type { ErasureTiming } from "../../issuer/erase";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { viewerRequest } from "../support/cdn-get";
import { startTestStack } from "../support/local-stack";
import { installShiftedClock, ShiftedClock } from "../support/shifted-clock";

interface Measured {
    /** Last second after the erasure at which any route returned a byte of the image; undefined: never. */
    lastByte?: number;
    /** Whether the routes returned the image just before the erasure (so the measurement can fail). */
    servedBefore: { hashUrl: boolean; presigned: boolean };
    /** Whether a variant route returned a variant's bytes before the erasure (the local CDN serves variants). */
    variantServedBefore: boolean;
    /** Last second a variant route returned a variant's bytes; undefined: never. */
    lastVariantByte?: number;
    /** Keys of the object left in the bucket after the erasure. */
    keysLeft: string[];
    stops: ErasureTiming;
    /** Seconds from the moment deleteObject returned (rounded up to a whole second) to the promised `goneAt`. */
    promisedSeconds: number;
}

const VARIANTS = [["thumb", "avif"], ["thumb", "fallback"], ["large", "webp"]] as const;

describe("erasure timing, end to end through the local stack (moved clock)", function () {
    this.timeout(240_000);
    const image = checkerPng({ width: 6, height: 6, square: 2, colors: [[140, 40, 90], [255, 255, 255]] });
    const stacks: LocalStack[] = [];
    const services = new Map<string, RunningService>();
    const measured = new Map<string, Measured>();
    let clock: ShiftedClock;

    before(async () => {
        clock = installShiftedClock();
        const configs = [
            { services: ["discussion", "chat", "regulatory"], overrides: { chat: { mode: "redirect" } } },
            { services: ["regulatory"], overrides: { regulatory: { mode: "redirect" } } },
        ];
        for (const config of configs) {
            const stack = await startTestStack({ services: config, region: "eu-west-1" });
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
            console.log(`      ${variant}: a byte last returned ${m.lastByte === undefined ? "never" : `${m.lastByte} s`} after the erasure returned (promised: none from ${m.promisedSeconds} s on${m.stops.untilInvalidationCompletes ? ", cached copies once the invalidation completes" : ""})`);
        }
    });

    /**
     * The real time, epoch ms (the moved `Date.now` is not). Each measurement
     * starts from it and lists the bucket at it: the AWS SDK corrects its
     * clock by a server's `Date` header once they differ by over 5 minutes,
     * and s3rver's header is on the real clock while it checks signatures on
     * the moved one.
     */
    const realNow = () => performance.timeOrigin + performance.now();

    async function measure(service: RunningService): Promise<Measured> {
        clock.set(realNow());
        const { issuer, clients, config } = service.local;
        const uploaded = await issuer.upload(image);
        const key = uploaded.s3Url.slice(`s3://${config.bucket}/`.length);
        // Each variant route as the CDN serves it (made and stored by the resizer); where the service has no
        // variants, a derived copy planted by hand instead, so that erasure must still find and delete it.
        const variantBytes = new Map<string, Buffer>();
        for (const [preset, token] of VARIANTS) {
            const response = await fetch(`${uploaded.url}/${preset}.${token}`);
            const body = Buffer.from(await response.arrayBuffer());
            if (response.status === 200) {
                variantBytes.set(`/${preset}.${token}`, body);
                continue;
            }
            expect(response.status, `${preset}.${token}: a service without variants answers their routes 404`).to.equal(404);
            const stored = variantKey(key, preset, token) as string;
            await clients.s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: stored, Body: Buffer.from(`variant ${preset}.${token} of ${key}`) }));
        }
        const urls = new Set<string>();
        /** True when `url` returned `expected`, following a redirect once; keeps every presigned URL handed out. */
        const get = async (url: string, expected: Buffer): Promise<boolean> => {
            const response = await viewerRequest(url);
            if (response.status === 302) {
                const location = response.header("location") ?? "";
                urls.add(location);
                const followed = await viewerRequest(location);
                return followed.status === 200 && followed.body.equals(expected);
            }
            return response.status === 200 && response.body.equals(expected);
        };
        const routes = async (): Promise<{ image: boolean; variant: boolean }> => {
            let gotImage = (await get(uploaded.url, image)) || false;
            let gotVariant = false;
            for (const [suffix, bytes] of variantBytes) if (await get(uploaded.url + suffix, bytes)) gotVariant = true;
            // Another edge location: nothing cached there.
            service.cdn.distribution.cache.invalidate(["/*"]);
            if (await get(uploaded.url, image)) gotImage = true;
            for (const url of [...urls]) {
                const response = await viewerRequest(url);
                if (response.status === 200 && response.body.equals(image)) gotImage = true;
                // A URL S3 refused stays refused (no version is left, or its expiry passed): stop trying it.
                else urls.delete(url);
            }
            return { image: gotImage, variant: gotVariant };
        };

        // One second before the erasure (100 ms into a whole second): the edge reads the table and remembers the mapping.
        const base = Math.ceil(clock.now() / 1000) * 1000 + 1000;
        clock.set(base + 100);
        const hashUrlBefore = await get(uploaded.url, image);
        let variantServedBefore = false;
        for (const [suffix, bytes] of variantBytes) if (await get(uploaded.url + suffix, bytes)) variantServedBefore = true;
        let presignedBefore = false;
        for (const url of urls) {
            const response = await viewerRequest(url);
            presignedBefore ||= response.status === 200 && response.body.equals(image);
        }
        // What the viewer's first request left in CloudFront's cache stays there for the "here" request below.
        await get(uploaded.url, image);

        clock.set(base + 1100);
        const erased = await issuer.deleteObject(uploaded.s3Url);
        const at = clock.now();
        const result: Measured = {
            servedBefore: { hashUrl: hashUrlBefore, presigned: presignedBefore },
            variantServedBefore,
            keysLeft: [],
            stops: erased.stops,
            promisedSeconds: erased.stops.goneAt - Math.ceil(at / 1000),
        };
        const horizon = Math.max(erased.stops.hashUrlWithinSeconds, config.signedUrlTtlSeconds ?? 0) + 5;
        for (let t = 0; t <= horizon; t++) {
            clock.set(at + t * 1000);
            const got = await routes();
            if (got.image) result.lastByte = t;
            if (got.variant) result.lastVariantByte = t;
        }
        clock.set(realNow());
        const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: config.bucket }));
        result.keysLeft = (listed.Contents ?? []).map((o) => o.Key ?? "").filter((k) => k === key || k.startsWith(`derived/${key}/`));
        return result;
    }

    const variants = ["required + origin", "required + redirect", "secured + origin", "secured + redirect"];
    for (const variant of variants) {
        it(`${variant}: no route returns a byte once deleteObject returned, as it promises; no key of the object is left`, async () => {
            const service = services.get(variant);
            if (!service) throw new Error(`no ${variant} service in the stacks`);
            const m = await measure(service);
            measured.set(variant, m);
            expect(m.servedBefore.hashUrl, "the hash URL served the image just before").to.equal(true);
            if (variant.endsWith("redirect")) expect(m.servedBefore.presigned, "a presigned URL was handed out and worked just before").to.equal(true);
            expect(m.stops.basis).to.equal("settings");
            expect(m.stops.untilInvalidationCompletes).to.equal(variant.startsWith("required"));
            // Promised: nothing from the moment deleteObject returned (the local invalidation completes at once)...
            expect(m.promisedSeconds, "promised").to.equal(0);
            // ...and measured: nothing from then on, by any route.
            expect(m.lastByte, "last second a byte of the image was returned").to.equal(undefined);
            expect(m.keysLeft).to.deep.equal([]);
        });
    }

    it("the variant routes return no byte once deleteObject returned (required + origin, the default catalogue)", () => {
        const served = [...measured].filter(([, m]) => m.variantServedBefore).map(([variant]) => variant);
        expect(served, "the services whose variant routes served a variant just before").to.deep.equal(["required + origin"]);
        for (const variant of served) expect(measured.get(variant)?.lastVariantByte, variant).to.equal(undefined);
    });

    it("SECURITY.md's erasure table states the same bounds and the measured figures", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "SECURITY.md"), "utf8");
        const section = text.slice(text.indexOf("### Erasure"));
        for (const [variant, m] of measured) {
            const row = section.split("\n").find((line) => line.startsWith(`| ${variant} |`));
            expect(row, `an erasure row for ${variant}`).to.not.equal(undefined);
            const cells = (row ?? "").split("|").map((cell) => cell.trim());
            expect(cells[2], `${variant}: promise`).to.equal(m.stops.untilInvalidationCompletes ? "at once; cached copies when the invalidation completes" : "at once");
            expect(cells[3], `${variant}: measured`).to.equal(m.lastByte === undefined ? "never" : `${m.lastByte} s`);
        }
    });
});
