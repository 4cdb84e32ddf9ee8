/**
 * The issuer under DynamoDB faults it cannot see coming, through a proxy in
 * front of dynalite: calls throttled, calls slowed past the client's
 * timeout (the write still lands later, after the caller gave up), and
 * calls whose answer is lost after the write landed (the SDK retries and
 * meets its own write). Whatever happens, the issuer never reports success
 * for a mapping that is not stored, every failure is a typed error, and an
 * object ends with one active hash that every successful caller got.
 *
 * test/issuer/faults.test.ts covers throttling with backoff, a throttled
 * pointer claim and unreachable services; this adds slow calls, lost
 * answers and concurrent callers, as a property over fault schedules.
 * Threat: SECURITY.md, "Outages".
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { IssuerError, UpstreamError } from "../../issuer";
import { objectPointerKey } from "../../issuer/table";
import { TestService, useWorld } from "../issuer/world";
import { DynamoFault, PASS, throttled } from "../support/dynamo-proxy";
import { rejection } from "../support/rejection";

/** Longer than the client's request timeout below, so a slowed call is abandoned and lands later. */
const SLOW_MS = 400;
const REQUEST_TIMEOUT_MS = 150;

const FAULT: fc.Arbitrary<DynamoFault> = fc.constantFrom<DynamoFault>(
    { kind: "pass" },
    { kind: "pass" },
    throttled(),
    { kind: "delay", ms: SLOW_MS },
    { kind: "lose-answer" },
);

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("issuer under DynamoDB faults: slow calls, lost answers, throttling, concurrent callers", function () {
    this.timeout(180_000);
    const world = useWorld();

    /** An issuer whose DynamoDB calls go through the proxy, with a short request timeout and the SDK's retries. */
    function throughProxy(svc: TestService) {
        return svc.through({ dynamodb: world.proxy.endpoint }, { maxAttempts: 3, requestTimeoutMs: REQUEST_TIMEOUT_MS, connectionTimeoutMs: 1000 });
    }

    /** Waits until every call the proxy accepted has reached dynalite and been answered. */
    async function settled(): Promise<void> {
        for (let waited = 0; world.proxy.pending() > 0; waited += 20) {
            if (waited > 10_000) throw new Error(`${world.proxy.pending()} DynamoDB calls never settled`);
            await sleep(20);
        }
    }

    it("a DynamoDB that accepts connections and never answers: a typed UpstreamError after the request timeout, not a hang", async () => {
        const svc = await world.newService();
        const { issuer, done } = svc.through({ dynamodb: world.proxy.endpoint }, { maxAttempts: 2, requestTimeoutMs: 300 });
        world.proxy.plan = () => ({ kind: "hang" });
        try {
            // Mocha's timeout is the hang detector: without a working request timeout this never settles.
            const failure = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/uploads/hung.png`), UpstreamError);
            expect(failure.message).to.match(/could not be reached/);
            expect(world.proxy.connections(), "the SDK retried once on a new connection").to.equal(2);
        } finally {
            done();
        }
    }).timeout(20_000);

    it("writes slowed past the client's timeout: a typed UpstreamError; the late write lands unreferenced (no pointer names it); issuing works once DynamoDB is fast", async () => {
        const svc = await world.newService();
        const { issuer, done } = throughProxy(svc);
        const url = `s3://${svc.config.bucket}/uploads/slow.png`;
        try {
            // Reads pass, writes are slow: the mapping write is abandoned by the client and lands later.
            world.proxy.plan = (operation) => (operation === "PutItem" ? { kind: "delay", ms: SLOW_MS } : { kind: "pass" });
            const failure = await rejection(issuer.generateSecureUrl(url), UpstreamError);
            expect(failure.message).to.match(/could not be reached \((TimeoutError|RequestTimeout)/);
            await settled();
            const items = await svc.items();
            // The abandoned write landed: a mapping nobody was given remains, but no pointer names it.
            expect(items.filter((item) => item.s3_url === url), "the late write landed").to.have.length(1);
            expect(items.filter((item) => item.hash === objectPointerKey(url))).to.deep.equal([]);
            world.proxy.plan = PASS;
            const issued = await issuer.generateSecureUrl(url);
            expect((await svc.issuer().inspect(issued.hash)).s3Url).to.equal(url);
        } finally {
            done();
        }
    });

    it("a pointer claim that landed but whose answer was lost is not taken back while another caller is already using its hash", async () => {
        const svc = await world.newService();
        const { issuer: claimer, done } = svc.through({ dynamodb: world.proxy.endpoint }, { maxAttempts: 3, requestTimeoutMs: 5000 });
        const url = `s3://${svc.config.bucket}/uploads/lost-claim.png`;
        let puts = 0;
        // PutItem 1: the mapping. PutItem 2: the claim lands, its answer is lost. PutItem 3: the SDK's retry of the claim, held back a while.
        world.proxy.plan = (operation) => {
            if (operation !== "PutItem") return { kind: "pass" };
            puts += 1;
            return puts === 2 ? { kind: "lose-answer" } : puts === 3 ? { kind: "delay", ms: 1500 } : { kind: "pass" };
        };
        try {
            const first = claimer.generateSecureUrl(url);
            for (let waited = 0; puts < 3; waited += 10) {
                if (waited > 10_000) throw new Error(`the SDK did not retry the lost claim (PutItem calls: ${puts})`);
                await sleep(10);
            }
            // Meanwhile another caller finds the landed pointer and reuses its hash.
            const second = await svc.issuer().generateSecureUrl(url);
            expect(second).to.include({ reused: true });
            const firstResult = await first;
            await settled();
            const stored = await svc.issuer().inspect(second.hash).catch(() => undefined);
            expect(stored?.s3Url, "the hash handed to the second caller must still be stored").to.equal(url);
            expect(firstResult.hash).to.equal(second.hash);
        } finally {
            done();
        }
    });

    it("property: under any schedule of faults, every reported hash is stored, failures are typed, and each object ends with the one hash its callers got", async () => {
        let successes = 0;
        let failures = 0;
        await fc.assert(
            fc.asyncProperty(
                fc.array(FAULT, { minLength: 1, maxLength: 14 }),
                // Batches of calls; the calls of one batch run at the same time (object 0, 1 or 2).
                fc.array(fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
                async (schedule, batches) => {
                    const svc = await world.newService();
                    const { issuer, done } = throughProxy(svc);
                    const urls = [0, 1, 2].map((i) => `s3://${svc.config.bucket}/uploads/object-${i}.png`);
                    const got: string[][] = [[], [], []];
                    let next = 0;
                    world.proxy.plan = () => schedule[next++] ?? { kind: "pass" };
                    try {
                        for (const batch of batches) {
                            await Promise.all(
                                batch.map(async (object) => {
                                    try {
                                        got[object].push((await issuer.generateSecureUrl(urls[object])).hash);
                                        successes += 1;
                                    } catch (error) {
                                        expect(error).to.be.instanceOf(IssuerError);
                                        expect((error as IssuerError).code).to.be.oneOf(["THROTTLED", "UPSTREAM", "CONFLICT"]);
                                        failures += 1;
                                    }
                                }),
                            );
                        }
                        await settled();
                        world.proxy.plan = PASS;
                        const direct = svc.issuer();
                        for (const object of [0, 1, 2]) {
                            for (const hash of got[object]) {
                                const stored = await direct.inspect(hash).catch(() => undefined);
                                expect(stored?.s3Url, `object ${object}: hash ${hash} was reported but is not stored`).to.equal(urls[object]);
                            }
                            expect(new Set(got[object]).size, `object ${object}: callers got different hashes ${got[object].join(", ")}`).to.be.at.most(1);
                            const final = await direct.generateSecureUrl(urls[object]);
                            if (got[object].length > 0) expect(final.hash, `object ${object}: the active hash changed`).to.equal(got[object][0]);
                        }
                        const pointers = (await svc.items()).filter((item) => String(item.hash).startsWith("object#"));
                        expect(pointers).to.have.length(3);
                    } finally {
                        world.proxy.plan = PASS;
                        done();
                    }
                },
            ),
            {
                numRuns: 12,
                // Besides the random schedules: one where every call fails, one where none does.
                examples: [
                    [Array.from({ length: 14 }, (): DynamoFault => throttled()), [[0]]],
                    [[{ kind: "pass" }], [[0, 1], [2]]],
                ],
            },
        );
        // The schedules did make calls fail and succeed.
        expect(successes).to.be.greaterThan(0);
        expect(failures).to.be.greaterThan(0);
    });
});
