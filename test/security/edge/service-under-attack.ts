/**
 * One guarded service of a {@link CdnWorld}, set up for the hostile-request
 * tests: an image uploaded through the issuer (its hash and key), a hash
 * never issued, the facts the oracle needs, and `send`, which sends one raw
 * request and says how many DynamoDB reads it cost the edge.
 */
import { randomBytes } from "crypto";
import { isGuarded } from "../../../components/resolve-args";
import { formatS3Url } from "../../../core/contract";
import { LOCAL_CREDENTIALS } from "../../../local/aws";
import { checkerPng } from "../../../local/png";
import { objectPointerKey } from "../../../issuer/table";
import { ImageIssuer } from "../../../issuer/issuer";
import type { CdnWorld, WorldService } from "../../reliability/support/cdn-world";
import { RawRequest, RawResponse, sendRaw } from "../../reliability/support/raw-http";
import type { CorpusContext } from "./corpus";
import type { ServiceFacts } from "./oracle";

export interface ServiceUnderAttack {
    service: WorldService;
    facts: ServiceFacts;
    /** Corpus context around the real hash. */
    real: CorpusContext;
    /** The same shape around a hash and a key that do not exist. */
    shadow: CorpusContext;
    send(request: RawRequest): Promise<{ response: RawResponse; reads: number }>;
}

/**
 * The service's issuer without eager variants: an upload then leaves the
 * hash unrequested (a service with variants would otherwise ask the CDN
 * for its thumbnail, and the edge would remember the hash).
 */
export function quietIssuer(service: WorldService): ImageIssuer {
    return new ImageIssuer(service.local.config, service.local.clients, { warmEagerVariants: false });
}

/** A fresh 32-hex string (the tests' own randomness, not the issuer's). */
export function randomHex32(): string {
    return randomBytes(16).toString("hex");
}

export async function prepareService(world: CdnWorld, service: WorldService, image: Buffer): Promise<ServiceUnderAttack> {
    const settings = service.plan.settings;
    if (!isGuarded(settings) || service.plan.tableName === undefined) throw new Error(`${service.name} is not guarded`);
    const uploaded = await quietIssuer(service).upload(image);
    if (uploaded.hash === undefined) throw new Error(`${service.name}: no hash issued`);
    const key = uploaded.s3Url.slice(`s3://${service.plan.bucket}/`.length);
    const bucket = service.plan.bucket;
    const missing = randomHex32();
    const shadowKey = `uploads/${randomHex32()}.png`;
    const facts: ServiceFacts = {
        mode: settings.mode,
        image,
        bucket,
        key,
        tableName: service.plan.tableName,
        s3Port: Number(new URL(world.s3Endpoint()).port),
        signedUrlTtlSeconds: settings.signedUrlTtlSeconds,
        secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
    };
    return {
        service,
        facts,
        real: { hash: uploaded.hash, missing, key, pointerKey: objectPointerKey(uploaded.s3Url), bucket, port: service.port },
        shadow: { hash: randomHex32(), missing, key: shadowKey, pointerKey: objectPointerKey(formatS3Url(bucket, shadowKey)), bucket, port: service.port },
        async send(request) {
            const before = world.edgeReads();
            const response = await sendRaw(service.port, request);
            return { response, reads: world.edgeReads() - before };
        },
    };
}

/** The test image: a small valid PNG. */
export function testImage(): Buffer {
    return checkerPng({ width: 8, height: 8, square: 2, colors: [[200, 30, 30], [255, 255, 255]] });
}
