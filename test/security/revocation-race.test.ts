/**
 * Revocation under the race, measured end to end through the local stack
 * (startLocalStack: dynalite behind its stream, s3rver, the CloudFront
 * emulator running the deployed edge code, the invalidators, the issuer) on
 * a clock the test moves (support/shifted-clock.ts, and the stack's timers
 * on it: support/shifted-timers.ts), with the component's defaults.
 *
 * Each trial is one race at `required` + `origin`: a viewer asks for a hash
 * nobody fetched yet, so the edge reads the table and vouches for it; the
 * origin's answer is held (support/held-origin.ts) while the issuer revokes
 * the hash; then it is let go, so the copy CloudFront caches lands where the
 * trial says:
 * - `after-invalidation`: after the invalidator's first invalidation, the
 *   case that kept a copy for a day (the hash's whole life);
 * - `unsettled`: right after the revocation, while the first invalidation is
 *   on its way (either order);
 * - `before-delete`: before the revocation (the first invalidation takes it);
 * - `after-replica-invalidation` (replicas): the read came from a replica,
 *   and the copy lands after the delete reached that replica and its own
 *   invalidator's first invalidation.
 * With replicas the delete reaches the replica `lag` seconds after the
 * revocation (the test moves the replication along itself). Then the viewer
 * asks every second, through the same edge location, until well past the
 * bound; the last second it still gets the image is the trial's figure. It
 * must be within what `revoke` states (its `stops`, plus the lag with
 * replicas), the worst trial must reach that bound (or it would be a loose
 * guess), and SECURITY.md's revocation table must state the same.
 *
 * Without the invalidator (the issuer's one invalidation at the delete, as
 * before it), every race but `before-delete` kept its copy to the end of
 * the walk: the hash's whole life.
 */
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import sharp from "sharp";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { LOCAL_CREDENTIALS } from "../../local/aws";
import type { RevocationTiming } from "../../issuer/revoke";
import { cdnGet, viewerRequest } from "../support/cdn-get";
import { HeldOrigin, startHeldOrigin } from "../support/held-origin";
import { startTestStack } from "../support/local-stack";
import { installShiftedClock, ShiftedClock } from "../support/shifted-clock";
import { shiftedTimers, ShiftedTimers } from "../support/shifted-timers";

type Kind = "after-invalidation" | "unsettled" | "before-delete" | "after-replica-invalidation";

interface Trial {
    stack: "single" | "replicated";
    kind: Kind;
    size: "small" | "large";
    /** Seconds after the revocation at which the delete reaches the replica (replicated only). */
    lagSeconds: number;
    /** Last second after the revocation at which the image was served; undefined: never. */
    last?: number;
    stops: RevocationTiming;
}

interface RaceStack {
    stack: LocalStack;
    chat: RunningService;
    origin: HeldOrigin;
}

describe("revocation under the race: a read before the delete, its copy cached after the invalidation (local stack, moved clock)", function () {
    this.timeout(180_000);
    const small = checkerPng({ width: 6, height: 6, square: 2, colors: [[200, 40, 40], [255, 255, 255]] });
    let large: Buffer;
    let clock: ShiftedClock;
    let timers: ShiftedTimers;
    const stacks: Partial<Record<Trial["stack"], RaceStack>> = {};
    const trials: Trial[] = [];
    /** The object each stack serves per size, put once: every trial issues a new hash for it (the last one was revoked). */
    const objects = new Set<string>();
    /** Every hash a trial issued: each trial's must be new. */
    const hashes = new Set<string>();

    async function raceStack(replicated: boolean): Promise<RaceStack> {
        let origin: HeldOrigin | undefined;
        const stack = await startTestStack({
            services: { services: ["chat"] },
            region: "eu-west-1",
            timers,
            // The test moves the replication along itself: the lag of each trial is its own.
            ...(replicated ? { replication: { regions: ["ap-southeast-1", "us-east-1"], lagMs: 3_600_000 }, edgeRegions: { "*": "ap-southeast-1" } } : {}),
            hooks: {
                edgeEndpoints: async (servers) => {
                    origin = await startHeldOrigin(servers.s3);
                    return { ...servers, s3: origin.endpoint };
                },
            },
        });
        if (!origin) throw new Error("the stack did not ask for its endpoints");
        const chat = stack.services.find((service) => service.name === "chat") as RunningService;
        return { stack, chat, origin };
    }

    before(async () => {
        clock = installShiftedClock();
        timers = shiftedTimers(clock);
        // About 10 MB of noise, which PNG cannot compress.
        const side = 1830;
        large = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
            .png({ compressionLevel: 0 })
            .toBuffer();
        stacks.single = await raceStack(false);
        stacks.replicated = await raceStack(true);
    });
    after(async () => {
        for (const race of Object.values(stacks)) {
            await race.stack.close();
            await race.origin.close();
        }
        clock?.restore();
        for (const group of groups()) console.log(`      ${group.label}: ${group.trials.length} trials, last served ${group.worst} s after the revocation at worst (${group.relative})`);
    });

    /**
     * True when the hash URL answers with the image: its bytes; for the
     * large object a HEAD, whose 200 with the object's exact length is what
     * a GET would get (a cached copy, or the edge vouching for the hash),
     * without moving 10 MB every second.
     */
    async function servesImage(url: string, body: Buffer): Promise<boolean> {
        if (body.length < 1_000_000) {
            const answer = await cdnGet(url);
            return answer.status === 200 && answer.body.equals(body);
        }
        const response = await viewerRequest(url, "HEAD");
        return response.status === 200 && response.header("content-length") === String(body.length);
    }

    /** Waits until no copy, stream or invalidator of `race` has anything in hand. */
    async function settle(race: RaceStack): Promise<void> {
        await race.stack.stream.idle();
        await race.stack.replication?.settled();
        for (const stream of Object.values(race.stack.replication?.streams ?? {})) await stream.idle();
        await Promise.all(race.stack.invalidators.map((invalidator) => invalidator.settled()));
    }

    /** Moves the clock to `atMs` and runs what the stack scheduled by then. */
    async function moveTo(race: RaceStack, atMs: number): Promise<void> {
        clock.set(atMs);
        while (timers.runDue() > 0) await settle(race);
        await settle(race);
    }

    /** The key of `which` stack's object of this size, put on the first trial that needs it. */
    async function objectFor(race: RaceStack, which: Trial["stack"], size: Trial["size"], body: Buffer): Promise<string> {
        const key = `uploads/race/${which}-${size}.png`;
        if (objects.has(key)) return key;
        // A client per stack: the SDK corrects its clock by the Date of S3's answers, which Node writes
        // from the real clock, and s3rver then refuses its signatures as skewed from the moved one.
        const s3 = new S3Client({ region: "eu-west-1", endpoint: race.stack.state.endpoints.s3, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
        try {
            await s3.send(new PutObjectCommand({ Bucket: race.chat.plan.bucket, Key: key, Body: body, ContentType: "image/png" }));
        } finally {
            s3.destroy();
        }
        objects.add(key);
        return key;
    }

    async function runTrial(which: Trial["stack"], kind: Kind, size: Trial["size"], lagSeconds = 0): Promise<Trial> {
        const race = stacks[which] as RaceStack;
        const body = size === "small" ? small : large;
        const key = await objectFor(race, which, size, body);
        const issued = await race.chat.local.issuer.generateSecureUrl(`s3://${race.chat.plan.bucket}/${key}`);
        expect(hashes.has(issued.hash as string), "each race issues a hash of its own").to.equal(false);
        hashes.add(issued.hash as string);
        const replication = race.stack.replication;
        // The mapping is in every replica before the race starts.
        if (replication) await replication.flush();
        await settle(race);

        const held = race.origin.hold(key);
        const viewer = cdnGet(issued.url);
        await held.arrived;
        if (kind === "before-delete") {
            held.release();
            await viewer;
        }
        const revoked = await race.chat.local.issuer.revoke(issued.hash as string);
        const at = clock.now();
        let replicated = false;
        const reachReplica = async () => {
            if (replicated || !replication) return;
            replicated = true;
            await replication.flush();
            await settle(race);
        };
        if (kind === "after-invalidation") await settle(race);
        if (kind === "after-replica-invalidation") {
            await settle(race);
            await moveTo(race, at + lagSeconds * 1000);
            await reachReplica();
        }
        if (kind !== "before-delete") {
            held.release();
            await viewer;
        }

        const trial: Trial = { stack: which, kind, size, lagSeconds, stops: revoked.stops };
        const horizon = revoked.stops.hashUrlWithinSeconds + lagSeconds + 3;
        // Half a second into each second: what the stack scheduled a few milliseconds after the
        // revocation (the invalidator's own calls) falls in the same second in every run.
        for (let t = Math.ceil((clock.now() - at) / 1000); t <= horizon; t++) {
            await moveTo(race, at + t * 1000 + 500);
            if (t >= lagSeconds) await reachReplica();
            if (await servesImage(issued.url, body)) trial.last = t;
        }
        trials.push(trial);
        return trial;
    }

    const plan: [Trial["stack"], Kind, Trial["size"], number, number][] = [
        // [stack, kind, size, lag s, trials]
        ["single", "after-invalidation", "small", 0, 30],
        ["single", "unsettled", "small", 0, 15],
        ["single", "before-delete", "small", 0, 10],
        ["single", "after-invalidation", "large", 0, 5],
        ["single", "unsettled", "large", 0, 5],
        ["replicated", "after-invalidation", "small", 3, 10],
        ["replicated", "after-replica-invalidation", "small", 3, 10],
        ["replicated", "after-replica-invalidation", "small", 20, 5],
        ["replicated", "after-replica-invalidation", "small", 80, 5],
        ["replicated", "after-replica-invalidation", "large", 3, 5],
    ];
    for (const [which, kind, size, lag, count] of plan) {
        it(`${which}, ${kind}, ${size} object${which === "replicated" ? `, the delete reaching the replica ${lag} s later` : ""}: ${count} races, each within what revoke states`, async () => {
            for (let i = 0; i < count; i++) {
                const trial = await runTrial(which, kind, size, lag);
                const promised = trial.stops.hashUrlWithinSeconds + (trial.stops.plusReplicationLag ? lag : 0);
                expect(trial.last, `race ${i + 1}: the copy is served no later than revoke says (${promised} s)`).to.satisfy((last: number | undefined) => last === undefined || last <= promised);
                expect(trial.stops).to.deep.include({ level: "required", mode: "origin", basis: "settings" });
                expect(trial.stops.plusReplicationLag === true, "revoke says to add the lag exactly when the edge reads replicas").to.equal(which === "replicated");
            }
        });
    }

    /** The trials by stack, with the worst figure: after the revocation, and after the delete reached the replica. */
    function groups() {
        return (["single", "replicated"] as const).map((which) => {
            const mine = trials.filter((trial) => trial.stack === which);
            const worst = Math.max(...mine.map((trial) => trial.last ?? -1));
            const afterReplica = Math.max(...mine.map((trial) => (trial.last ?? -1) - trial.lagSeconds));
            return {
                which,
                label: which === "single" ? "one table" : "home + 2 replicas",
                trials: mine,
                worst,
                afterReplica,
                relative: which === "single" ? "the bound is what revoke states" : `${afterReplica} s after the delete reached the replica`,
            };
        });
    }

    it("the bound is tight: the worst race reaches what revoke states (not a loose guess), over at least 100 races", () => {
        expect(trials.length).to.be.at.least(100);
        const [single, replicated] = groups();
        const bound = single.trials[0].stops.hashUrlWithinSeconds;
        expect(bound, "the component's defaults: the invalidator's 75 s, past the memo's 60 s").to.equal(75);
        expect(single.worst).to.be.within(bound - 2, bound);
        expect(replicated.afterReplica).to.be.within(bound - 2, bound);
        // Without the invalidator's second invalidation the racing copy lived for the hash's whole life.
        expect(single.trials.filter((trial) => trial.kind === "after-invalidation").every((trial) => trial.last !== undefined && trial.last >= bound - 2)).to.equal(true);
    });

    it("SECURITY.md's revocation table states the same bounds and the measured figures for the race", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "SECURITY.md"), "utf8");
        const [single, replicated] = groups();
        const cells = (label: string) => {
            const row = text.split("\n").find((line) => line.startsWith(`| ${label} |`));
            expect(row, `a row for ${label}`).to.not.equal(undefined);
            return (row ?? "").split("|").map((cell) => cell.trim());
        };
        const bound = single.trials[0].stops.hashUrlWithinSeconds;
        const one = cells("required + origin, a read racing the revocation");
        expect(one[2]).to.include(`≤ ${bound} s`);
        expect(one[3]).to.include(`≤ ${bound} s`);
        expect(one[4]).to.equal(`${single.worst} s / ${single.worst} s (${single.trials.length} races)`);
        const many = cells("required + origin with replicas, a read racing the revocation");
        expect(many[2]).to.include(`≤ ${bound} s + the lag`);
        expect(many[4]).to.equal(`${replicated.afterReplica} s after the delete reached the replica (${replicated.trials.length} races, lags of 3 to 80 s)`);
    });
});
