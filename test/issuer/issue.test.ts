import { expect } from "chai";
import * as fc from "fast-check";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { newHash, parseS3Url } from "../../core/contract";
import { ConfigError, ConflictError, ExpiredError, InvalidInputError, IssuerError, NotFoundError, objectPointerKey } from "../../issuer";
import { ImageIssuer } from "../../issuer/issuer";
import { manualClock } from "../support/clock";
import { TEST_HASH_TTL_SECONDS, TEST_START_MS, useWorld } from "./world";
import { rejection } from "../support/rejection";

const DAY = 24 * 60 * 60;

describe("issuer: generateSecureUrl, inspect, resolve (dynalite)", () => {
    const world = useWorld();

    it("stores the mapping item {hash, s3_url, created_at, expires_at, ttl} and returns <cdn>/images/<hash>", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const s3Url = `s3://${svc.config.bucket}/images/user/123/profile.jpg`;
        const issued = await svc.issuer({ now: clock.now }).generateSecureUrl(s3Url);

        expect(issued.hash, "a hash: 32 lowercase hex").to.match(/^[0-9a-f]{32}$/);
        expect(issued.url).to.equal(`https://cdn.example.test/images/${issued.hash}`);
        expect(issued).to.include({ reused: false });
        const nowSec = clock.now() / 1000;
        expect(issued).to.include({ s3Url, createdAt: nowSec, expiresAt: nowSec + TEST_HASH_TTL_SECONDS });

        const items = await svc.items();
        const mapping = items.find((i) => i.hash === issued.hash);
        expect(mapping).to.deep.equal({ hash: issued.hash, s3_url: s3Url, created_at: nowSec, expires_at: nowSec + TEST_HASH_TTL_SECONDS, ttl: nowSec + TEST_HASH_TTL_SECONDS });
        const pointer = items.find((i) => i.hash === objectPointerKey(s3Url));
        expect(pointer).to.deep.equal({ hash: objectPointerKey(s3Url), current: issued.hash, expires_at: nowSec + TEST_HASH_TTL_SECONDS, ttl: nowSec + TEST_HASH_TTL_SECONDS });
        expect(items).to.have.length(2);
        expect(pointer).to.not.have.property("s3_url");
    });

    it("reuses the active hash while it has at least a day left, with two consistent reads", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const s3Url = `s3://${svc.config.bucket}/a.png`;
        const first = await issuer.generateSecureUrl(s3Url);

        clock.advanceSeconds(28 * DAY);
        svc.commands.length = 0;
        const again = await issuer.generateSecureUrl(s3Url);
        expect(again).to.include({ reused: true });
        expect(again.url).to.equal(first.url);
        expect(again.expiresAt).to.equal(first.expiresAt);
        expect(svc.commands).to.deep.equal(["GetItemCommand", "GetItemCommand"]);
        expect(await svc.items()).to.have.length(2);
    });

    it("issues a new, different hash once the active one has less than a day left; the old one stays until its expiry", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const s3Url = `s3://${svc.config.bucket}/b.png`;
        const first = await issuer.generateSecureUrl(s3Url);

        clock.advanceSeconds(29 * DAY + 1);
        const rotated = await issuer.generateSecureUrl(s3Url);
        expect(rotated).to.include({ reused: false });
        expect(rotated.hash).to.not.equal(first.hash);
        expect(await issuer.inspect(first.hash)).to.include({ live: true });

        // Day 31: the first hash has expired (30-day lifetime); the rotated one is reused.
        clock.advanceSeconds(2 * DAY);
        expect(await issuer.inspect(first.hash)).to.include({ live: false });
        const later = await issuer.generateSecureUrl(s3Url);
        expect(later.hash).to.equal(rotated.hash);
        expect(later).to.include({ reused: true });
    });

    it("after expiry (day 31+) issues a new hash even though the old item is still in the table", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now, reuseMinRemainingSeconds: 0 });
        const s3Url = `s3://${svc.config.bucket}/c.png`;
        const first = await issuer.generateSecureUrl(s3Url);

        clock.advanceSeconds(TEST_HASH_TTL_SECONDS); // expires_at reached: expired (TTL deletion is lazy, the item remains)
        const second = await issuer.generateSecureUrl(s3Url);
        expect(second.hash).to.not.equal(first.hash);
        expect(second).to.include({ reused: false });
        expect(second.expiresAt).to.equal(clock.now() / 1000 + TEST_HASH_TTL_SECONDS);
        const hashes = (await svc.items()).filter((i) => i.s3_url === s3Url).map((i) => i.hash);
        expect(hashes).to.have.members([first.hash, second.hash]);
    });

    it("does not reuse a hash whose mapping was deleted behind the pointer (e.g. revoked mid-way)", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const s3Url = `s3://${svc.config.bucket}/d.png`;
        const first = await issuer.generateSecureUrl(s3Url);
        await world.admin.dynamo.send(new DeleteItemCommand({ TableName: svc.config.tableName, Key: { hash: { S: first.hash } } }));

        const second = await issuer.generateSecureUrl(s3Url);
        expect(second.hash).to.not.equal(first.hash);
        expect((await issuer.inspect(second.hash)).s3Url).to.equal(s3Url);
    });

    it("never overwrites an existing mapping when the generator repeats a hash: the next hash is used", async () => {
        const svc = await world.newService();
        const victimUrl = `s3://${svc.config.bucket}/victim.png`;
        const victim = await svc.issuer().generateSecureUrl(victimUrl);
        const before = (await svc.items()).find((i) => i.hash === victim.hash);

        const fresh = newHash();
        const sequence = [victim.hash, victim.hash, fresh];
        const issuer = svc.issuer({ newHash: () => sequence.shift() ?? newHash() });
        const other = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/other.png`);

        expect(other.hash).to.equal(fresh);
        expect((await svc.items()).find((i) => i.hash === victim.hash)).to.deep.equal(before);
        expect((await issuer.inspect(victim.hash)).s3Url).to.equal(victimUrl);
    });

    it("gives up with ConflictError (and writes nothing) when the generator only repeats taken hashes", async () => {
        const svc = await world.newService();
        const taken = await svc.issuer().generateSecureUrl(`s3://${svc.config.bucket}/taken.png`);
        const itemsBefore = await svc.items();
        const issuer = svc.issuer({ newHash: () => taken.hash, maxHashAttempts: 3 });

        const error = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/new.png`), IssuerError);
        expect(error).to.be.instanceOf(ConflictError);
        expect(error.code).to.equal("CONFLICT");
        expect(error.message).to.match(/no free hash after 3 attempts/);
        expect(await svc.items()).to.deep.equal(itemsBefore);
    });

    it("refuses a generator that returns malformed hashes", async () => {
        const svc = await world.newService();
        const error = await rejection(svc.issuer({ newHash: () => "not-a-hash" }).generateSecureUrl(`s3://${svc.config.bucket}/x.png`), IssuerError);
        expect(error).to.be.instanceOf(ConflictError);
        expect(error.message).to.match(/malformed hash/);
        expect(await svc.items()).to.deep.equal([]);
    });

    describe("input checks run before any DynamoDB call", () => {
        const bad: [string, unknown][] = [
            ["another bucket", "s3://someone-elses-bucket/a.png"],
            ["traversal", "s3://BUCKET/uploads/../secrets.png"],
            ["dot segment", "s3://BUCKET/./a.png"],
            ["empty segment", "s3://BUCKET/a//b.png"],
            ["leading slash key", "s3://BUCKET//a.png"],
            ["control character", "s3://BUCKET/a\u0000.png"],
            ["no key", "s3://BUCKET/"],
            ["https URL", "https://BUCKET.s3.amazonaws.com/a.png"],
            ["empty string", ""],
            ["huge argument", "s3://BUCKET/" + "a".repeat(5000)],
            ["not a string", 42],
        ];
        for (const [name, value] of bad) {
            it(`rejects ${name} with InvalidInputError`, async () => {
                const svc = await world.newService();
                const url = typeof value === "string" ? value.replace("BUCKET", svc.config.bucket) : value;
                const error = await rejection(svc.issuer().generateSecureUrl(url as string), IssuerError);
                expect(error).to.be.instanceOf(InvalidInputError);
                expect(error.code).to.equal("INVALID_INPUT");
                expect(error.message.length).to.be.below(300);
                expect(svc.commands).to.deep.equal([]);
                expect(await svc.items()).to.deep.equal([]);
            });
        }

        for (const hash of ["", "ABCDEF0123456789abcdef0123456789", "0123", "../../etc/passwd", "object#abc", "g".repeat(32), "a".repeat(33)]) {
            it(`inspect rejects hash ${JSON.stringify(hash.slice(0, 40))} without a lookup`, async () => {
                const svc = await world.newService();
                const error = await rejection(svc.issuer().inspect(hash), IssuerError);
                expect(error).to.be.instanceOf(InvalidInputError);
                expect(svc.commands).to.deep.equal([]);
            });
        }
    });

    it("property: any argument is either a valid object URL of this bucket (stored exactly) or InvalidInputError with no DynamoDB call", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const segment = fc.oneof(
            fc.constantFrom("..", ".", "", "a", "%2e%2e", "..%2f", "\u0000", "\u202e", "ü", " ", "images", "x.png", "\\"),
            fc.string({ unit: "binary", maxLength: 12 }),
        );
        const objectUrl = fc
            .tuple(fc.constantFrom(svc.config.bucket, "other-bucket", svc.config.bucket.toUpperCase(), ""), fc.array(segment, { minLength: 0, maxLength: 5 }))
            .map(([bucket, parts]) => `s3://${bucket}/${parts.join("/")}`);
        const anything = fc.oneof(objectUrl, fc.string({ unit: "binary", maxLength: 60 }), fc.string({ maxLength: 60 }));
        await fc.assert(
            fc.asyncProperty(anything, async (value) => {
                svc.commands.length = 0;
                const expected = parseS3Url(value)?.bucket === svc.config.bucket ? "accepted" : "refused";
                try {
                    const issued = await issuer.generateSecureUrl(value);
                    expect("accepted", JSON.stringify(value)).to.equal(expected);
                    expect((await issuer.inspect(issued.hash)).s3Url).to.equal(value);
                } catch (error) {
                    if (!(error instanceof InvalidInputError)) throw error;
                    expect("refused", JSON.stringify(value)).to.equal(expected);
                    expect(svc.commands).to.deep.equal([]);
                }
            }),
            { numRuns: 150 },
        );
    });

    it("inspect reports live and remaining life, then expired; resolve throws ExpiredError", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const s3Url = `s3://${svc.config.bucket}/e.png`;
        const issued = await issuer.generateSecureUrl(s3Url);

        clock.advanceSeconds(10 * DAY);
        expect(await issuer.inspect(issued.hash)).to.deep.equal({
            hash: issued.hash,
            s3Url,
            createdAt: issued.createdAt,
            expiresAt: issued.expiresAt,
            live: true,
            remainingSeconds: 20 * DAY,
        });
        expect(await issuer.resolve(issued.hash)).to.include({ live: true });

        clock.advanceSeconds(20 * DAY);
        const expired = await issuer.inspect(issued.hash);
        expect(expired).to.include({ live: false, remainingSeconds: 0 });
        const error = await rejection(issuer.resolve(issued.hash), IssuerError);
        expect(error).to.be.instanceOf(ExpiredError);
        expect(error.code).to.equal("EXPIRED");
    });

    it("inspect of an unknown hash is NotFoundError", async () => {
        const svc = await world.newService();
        const error = await rejection(svc.issuer().inspect(newHash()), IssuerError);
        expect(error).to.be.instanceOf(NotFoundError);
        expect(error.code).to.equal("NOT_FOUND");
        expect(svc.commands).to.deep.equal(["GetItemCommand"]);
    });

    it("a public service has no hashes: ConfigError without any call", async () => {
        const svc = await world.newService({ level: "public", tableName: undefined, service: "marketplace" });
        const issuer = svc.issuer();
        const error = await rejection(issuer.generateSecureUrl(`s3://${svc.config.bucket}/a.png`), IssuerError);
        expect(error).to.be.instanceOf(ConfigError);
        expect(error.message).to.match(/public/);
        expect((await rejection(issuer.revoke(newHash()), IssuerError)).code).to.equal("CONFIG");
        expect(svc.commands).to.deep.equal([]);
    });

    it("works with a DynamoDBDocumentClient the caller already has", async () => {
        const svc = await world.newService();
        const doc = DynamoDBDocumentClient.from(svc.clients.dynamo as DynamoDBClient);
        const issuer = new ImageIssuer(svc.config, { ...svc.clients, dynamo: doc });
        const s3Url = `s3://${svc.config.bucket}/doc.png`;
        const first = await issuer.generateSecureUrl(s3Url);
        expect((await issuer.generateSecureUrl(s3Url)).hash).to.equal(first.hash);
        expect((await issuer.inspect(first.hash)).s3Url).to.equal(s3Url);
    });

    it("rejects a bad reuse threshold as ConfigError", async () => {
        const svc = await world.newService();
        expect(() => svc.issuer({ reuseMinRemainingSeconds: TEST_HASH_TTL_SECONDS })).to.throw(ConfigError, /reuseMinRemainingSeconds/);
        expect(() => svc.issuer({ reuseMinRemainingSeconds: -1 })).to.throw(ConfigError);
    });
});
