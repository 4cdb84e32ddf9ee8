import { expect } from "chai";
import { newHash } from "../../core/contract";
import { InvalidInputError, IssuerError, NotFoundError, objectPointerKey, ThrottledError, UpstreamError } from "../../issuer";
import { closedPortEndpoint } from "../support/dynamo-proxy";
import { manualClock } from "../support/clock";
import { TEST_START_MS, useWorld } from "./world";
import { rejection } from "../support/rejection";
import { revocationTiming } from "../../issuer/revoke";

/**
 * CloudFront invalidations go to the recording server (test/issuer/cloudfront-recorder.ts),
 * so the tests check the request the SDK really sent and how the issuer
 * handles the documented answers, errors included.
 */
describe("issuer: revoke and revokeObject (dynalite + CloudFront recorder)", () => {
    const world = useWorld();

    it("revoke deletes the mapping, clears the pointer and invalidates /images/<hash>* (the original and every variant)", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const s3Url = `s3://${svc.config.bucket}/r.png`;
        const issued = await issuer.generateSecureUrl(s3Url);
        const seen = world.cloudfront.invalidations.length;

        const result = await issuer.revoke(issued.hash);
        expect(result).to.deep.include({ hash: issued.hash, found: true, s3Url, pointerCleared: true, invalidatedBy: "issuer" });
        expect(result.invalidation?.paths).to.deep.equal([`/images/${issued.hash}*`]);
        expect(result.invalidation?.id).to.match(/^I\d+$/);

        const sent = world.cloudfront.invalidations.slice(seen);
        expect(sent).to.have.length(1);
        expect(sent[0]).to.deep.include({ method: "POST", distributionId: "ETESTDIST1", quantity: 1, paths: [`/images/${issued.hash}*`] });
        expect(sent[0].callerReference).to.match(/^secure-image-cdn-[0-9a-f-]{36}$/);

        expect(await svc.items()).to.deep.equal([]);
        expect((await rejection(issuer.inspect(issued.hash), IssuerError)).code).to.equal("NOT_FOUND");
        // A new URL for the object is a new hash.
        const reissued = await issuer.generateSecureUrl(s3Url);
        expect(reissued.hash).to.not.equal(issued.hash);
        expect(reissued).to.include({ reused: false });
    });

    it("each invalidation has its own CallerReference", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const seen = world.cloudfront.invalidations.length;
        const hash = newHash();
        await issuer.revoke(hash);
        await issuer.revoke(hash);
        const refs = world.cloudfront.invalidations.slice(seen).map((i) => i.callerReference);
        expect(refs).to.have.length(2);
        expect(refs[0]).to.not.equal(refs[1]);
    });

    it("revoking an old hash leaves the pointer to a newer hash alone", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const s3Url = `s3://${svc.config.bucket}/rot.png`;
        const old = await issuer.generateSecureUrl(s3Url);
        clock.advanceSeconds(29.5 * 24 * 3600);
        const current = await issuer.generateSecureUrl(s3Url);
        expect(current.hash).to.not.equal(old.hash);

        const result = await issuer.revoke(old.hash);
        expect(result).to.include({ found: true, pointerCleared: false });
        const pointer = (await svc.items()).find((i) => i.hash === objectPointerKey(s3Url));
        expect(pointer?.current).to.equal(current.hash);
        expect((await issuer.generateSecureUrl(s3Url)).hash).to.equal(current.hash);
    });

    it("revoking an unknown hash reports found=false and still invalidates the path (idempotent)", async () => {
        const svc = await world.newService();
        const hash = newHash();
        const result = await svc.issuer().revoke(hash);
        expect(result).to.deep.include({ hash, found: false, pointerCleared: false });
        expect(result).to.not.have.property("s3Url");
        expect(world.cloudfront.invalidations.at(-1)?.paths).to.deep.equal([`/images/${hash}*`]);
    });

    it("a malformed hash is InvalidInputError with no DynamoDB or CloudFront call", async () => {
        const svc = await world.newService();
        const requests = world.cloudfront.requests;
        const error = await rejection(svc.issuer().revoke("../images/x"), IssuerError);
        expect(error).to.be.instanceOf(InvalidInputError);
        expect(svc.commands).to.deep.equal([]);
        expect(world.cloudfront.requests).to.equal(requests);
    });

    it("a refused invalidation is a typed error that says the mapping is already gone", async () => {
        const svc = await world.newService();
        const issuer = svc.issuer();
        const issued = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/t.png`);
        world.cloudfront.failWith = "TooManyInvalidationsInProgress";

        const error = await rejection(issuer.revoke(issued.hash), IssuerError);
        expect(error).to.be.instanceOf(ThrottledError);
        expect(error.message).to.match(/mapping is deleted/);
        expect(error.message).to.match(/run the revocation again/);
        expect(error.message).to.not.match(/S3RVER|rejected/);
        expect(await rejection(issuer.inspect(issued.hash), IssuerError)).to.be.instanceOf(NotFoundError);

        world.cloudfront.failWith = undefined;
        const retried = await issuer.revoke(issued.hash);
        expect(retried).to.include({ found: false });
        expect(retried.invalidation?.paths).to.deep.equal([`/images/${issued.hash}*`]);
    });

    it("an unknown distribution is reported without SDK internals", async () => {
        const svc = await world.newService();
        world.cloudfront.failWith = "NoSuchDistribution";
        const error = await rejection(svc.issuer().revoke(newHash()), IssuerError);
        expect(error.code).to.equal("CONFIG");
        expect(error.message).to.match(/distribution 'ETESTDIST1' does not exist/);
        expect(Object.keys(error)).to.not.include("cause");
        expect(JSON.stringify(error)).to.not.match(/RequestId|rec-1|\$metadata/);
    });

    it("revokeObject revokes every hash of the object (index + pointer) in one invalidation and leaves other objects alone", async () => {
        const svc = await world.newService();
        const clock = manualClock(TEST_START_MS);
        const issuer = svc.issuer({ now: clock.now });
        const s3Url = `s3://${svc.config.bucket}/many.png`;
        const other = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/other.png`);
        const hashes: string[] = [];
        for (let i = 0; i < 3; i++) {
            hashes.push((await issuer.generateSecureUrl(s3Url)).hash);
            clock.advanceSeconds(29.5 * 24 * 3600); // rotate: each call after this issues a new hash
        }
        expect(new Set(hashes).size).to.equal(3);
        const seen = world.cloudfront.invalidations.length;
        svc.commands.length = 0;

        const result = await issuer.revokeObject(s3Url);
        expect(result.s3Url).to.equal(s3Url);
        expect(result.hashes).to.have.members(hashes);
        expect(result.invalidations).to.have.length(1);
        expect(result.invalidations[0].paths).to.have.members(hashes.map((h) => `/images/${h}*`));
        expect(world.cloudfront.invalidations.slice(seen)).to.have.length(1);
        expect(svc.commands).to.include("QueryCommand");
        expect(svc.commands).to.not.include("ScanCommand");

        const left = await svc.items();
        expect(left.map((i) => i.hash)).to.have.members([other.hash, objectPointerKey(other.s3Url)]);
        expect(left.find((i) => i.hash === objectPointerKey(s3Url))).to.equal(undefined);
    });

    it("revokeObject of an object with no hashes sends no invalidation", async () => {
        const svc = await world.newService();
        const requests = world.cloudfront.requests;
        const result = await svc.issuer().revokeObject(`s3://${svc.config.bucket}/never.png`);
        const { stops, ...rest } = result;
        expect(rest).to.deep.equal({ s3Url: `s3://${svc.config.bucket}/never.png`, hashes: [], invalidatedBy: "issuer", invalidations: [] });
        // required + origin with the component's defaults: the invalidator's second invalidation, 75 s, comes after the memo's 60 s.
        expect(stops).to.deep.include({ level: "required", mode: "origin", hashUrlWithinSeconds: 75, objectWithinSeconds: 75, reinvalidatedAfterSeconds: 75, basis: "defaults" });
        expect(world.cloudfront.requests).to.equal(requests);
    });

    it("revokeObject refuses another bucket's object", async () => {
        const svc = await world.newService();
        const error = await rejection(svc.issuer().revokeObject("s3://other-bucket/x.png"), IssuerError);
        expect(error).to.be.instanceOf(InvalidInputError);
        expect(svc.commands).to.deep.equal([]);
    });

    it("UpstreamError (not success) when CloudFront cannot be reached", async () => {
        const svc = await world.newService();
        const { issuer, done } = svc.through({ cloudfront: await closedPortEndpoint() }, { maxAttempts: 1 });
        try {
            const error = await rejection(issuer.revoke(newHash()), IssuerError);
            expect(error).to.be.instanceOf(UpstreamError);
            expect(error.message).to.match(/could not be reached \(ECONNREFUSED\)/);
        } finally {
            done();
        }
    });
});

describe("issuer: when a revoked hash stops, secured with the component's defaults", () => {
    const world = useWorld();

    it("secured + origin: at once for the hash URL and the object (secured's memo default is 0, not required's 60 s)", () => {
        const timing = revocationTiming({ level: "secured" });
        expect(timing).to.deep.include({ level: "secured", mode: "origin", hashUrlWithinSeconds: 0, objectWithinSeconds: 0, basis: "defaults" });
        expect(timing.summary).to.match(/^secured \+ origin: the hash URL stops at once \(the edge checks every request\) \(assuming the component's defaults/);
        expect(timing.summary).to.not.match(/60 s|memo/);
    });

    it("secured + redirect: the hash URL at once, the object when the presigned URLs handed out before die (signedUrlTtlSeconds, 300 s)", () => {
        const timing = revocationTiming({ level: "secured", mode: "redirect" });
        expect(timing).to.deep.include({ level: "secured", mode: "redirect", hashUrlWithinSeconds: 0, objectWithinSeconds: 300, basis: "defaults" });
        expect(timing.summary).to.match(/^secured \+ redirect: the hash URL stops at once .*keeps working for up to 300 s \(signedUrlTtlSeconds\)/);
    });

    it("revoke and revokeObject on a secured service whose config records no edge settings say the same", async () => {
        const svc = await world.newService({ level: "secured" });
        const issuer = svc.issuer();
        const first = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/a.png`);
        expect((await issuer.revoke(first.hash)).stops).to.deep.include({ level: "secured", mode: "origin", hashUrlWithinSeconds: 0, objectWithinSeconds: 0, basis: "defaults" });
        await issuer.generateSecureUrl(`s3://${svc.config.bucket}/b.png`);
        expect((await issuer.revokeObject(`s3://${svc.config.bucket}/b.png`)).stops).to.deep.include({ hashUrlWithinSeconds: 0, objectWithinSeconds: 0 });

        const redirect = await world.newService({ level: "secured", mode: "redirect" });
        const issued = await redirect.issuer().generateSecureUrl(`s3://${redirect.config.bucket}/c.png`);
        expect((await redirect.issuer().revoke(issued.hash)).stops).to.deep.include({ level: "secured", mode: "redirect", hashUrlWithinSeconds: 0, objectWithinSeconds: 300, basis: "defaults" });
    });
});

describe("issuer: when a revoked hash stops, with replicas", () => {
    it("says to add the replication lag when the edge may read a replica, and not otherwise", () => {
        const replicated = revocationTiming({ level: "required", mode: "origin", memoTtlSeconds: 60, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75, replicaReads: true });
        expect(replicated).to.deep.include({ hashUrlWithinSeconds: 75, objectWithinSeconds: 75, plusReplicationLag: true, basis: "settings" });
        expect(replicated.summary).to.include("add the replication lag to the replicas the edge reads (ReplicationLatency");
        const single = revocationTiming({ level: "required", mode: "origin", memoTtlSeconds: 60, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 });
        expect(single).not.to.have.property("plusReplicationLag");
        expect(single.summary).not.to.include("replication");
    });
});

describe("issuer: revocation when the invalidator follows the table (required + origin)", () => {
    const world = useWorld();

    it("revoke and revokeObject delete the mappings and leave every invalidation to the invalidator: no CloudFront call", async () => {
        const svc = await world.newService({ mode: "origin", memoTtlSeconds: 60, reinvalidateAfterSeconds: 75 });
        const issuer = svc.issuer();
        const issued = await issuer.generateSecureUrl(`s3://${svc.config.bucket}/s.png`);
        const requests = world.cloudfront.requests;

        const result = await issuer.revoke(issued.hash);
        expect(result).to.deep.include({ hash: issued.hash, found: true, invalidatedBy: "stream" });
        expect(result).to.not.have.property("invalidation");
        expect(result.stops).to.deep.include({ hashUrlWithinSeconds: 75, objectWithinSeconds: 75, reinvalidatedAfterSeconds: 75, basis: "settings" });
        expect(result.stops.summary).to.match(/up to 75 s: by a warm edge function's memo for up to 60 s .* until the invalidator invalidates the paths again, 75 s after it sees the delete/);
        expect(await svc.items()).to.deep.equal([]);

        await issuer.generateSecureUrl(`s3://${svc.config.bucket}/t.png`);
        const object = await issuer.revokeObject(`s3://${svc.config.bucket}/t.png`);
        expect(object).to.deep.include({ invalidatedBy: "stream", invalidations: [] });
        expect(object.hashes).to.have.length(1);
        expect(world.cloudfront.requests, "no invalidation from the issuer").to.equal(requests);
    });

    it("states the memo's window when it is the later of the two", () => {
        const timing = revocationTiming({ level: "required", mode: "origin", memoTtlSeconds: 300, signedUrlTtlSeconds: 300, reinvalidateAfterSeconds: 75 });
        expect(timing).to.deep.include({ hashUrlWithinSeconds: 300, objectWithinSeconds: 300, reinvalidatedAfterSeconds: 75 });
    });
});
