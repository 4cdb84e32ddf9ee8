/**
 * Hashes are the only secret in a hash URL, so they must be unguessable:
 * 128 bits drawn from the operating system's CSPRNG, with nothing of the
 * object's URL in them. Checked on the shared generator and through the
 * issuer against dynalite (fresh tables from test/issuer/world.ts).
 *
 * Threat: SECURITY.md, "Guessing or deriving a hash".
 */
import { expect } from "chai";
import { createHash } from "crypto";
import { HASH_BYTES, newHash } from "../../core/contract";
import { createMappingTable } from "../../local/aws";
import { ImageIssuer } from "../../issuer/issuer";
import { useWorld } from "../issuer/world";

/** `crypto.randomBytes` replaced by a recorder for one call of `body`. */
async function withRecordedRandomBytes<T>(body: () => Promise<T> | T): Promise<{ result: T; draws: { size: number; hex: string }[] }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require("crypto") as { randomBytes: (size: number) => Buffer };
    const original = crypto.randomBytes;
    const draws: { size: number; hex: string }[] = [];
    crypto.randomBytes = (size: number) => {
        const bytes = original(size);
        draws.push({ size, hex: bytes.toString("hex") });
        return bytes;
    };
    try {
        return { result: await body(), draws };
    } finally {
        crypto.randomBytes = original;
    }
}

/** Chi-square statistic of observed counts against a uniform spread. */
function chiSquare(counts: number[], total: number): number {
    const expected = total / counts.length;
    return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/**
 * A loose bound for 15 degrees of freedom: the chance that a uniform source
 * exceeds it at one position is below one in a million, so 32 positions
 * never fail by chance, while a constant or counting generator lands in the
 * tens of thousands.
 */
const CHI_SQUARE_BOUND_15_DOF = 60;

function bitDistance(a: string, b: string): number {
    let bits = 0;
    for (let i = 0; i < a.length; i += 8) {
        let x = parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16);
        while (x) {
            bits += x & 1;
            x >>>= 1;
        }
    }
    return bits;
}

describe("hashes: at least 128 bits from a CSPRNG, nothing of the object's URL", function () {
    this.timeout(60_000);

    it("a hash is exactly 16 bytes of crypto.randomBytes (the OS CSPRNG), hex-encoded, and nothing else", async () => {
        expect(HASH_BYTES * 8).to.be.at.least(128);
        const { result, draws } = await withRecordedRandomBytes(() => newHash());
        expect(draws).to.have.length(1);
        expect(draws[0].size).to.equal(16);
        expect(result).to.equal(draws[0].hex);
    });

    it("20,000 hashes: all 32 lowercase hex, no repeats, every position and every bit uniform (chi-square, loose bounds)", () => {
        const total = 20_000;
        const hashes = Array.from({ length: total }, () => newHash());
        expect(hashes.filter((hash) => !/^[0-9a-f]{32}$/.test(hash))).to.deep.equal([]);
        expect(new Set(hashes).size).to.equal(total);
        const worst = { position: -1, chi: 0 };
        for (let position = 0; position < 32; position++) {
            const counts = new Array<number>(16).fill(0);
            for (const hash of hashes) counts[parseInt(hash[position], 16)] += 1;
            const chi = chiSquare(counts, total);
            if (chi > worst.chi) Object.assign(worst, { position, chi });
        }
        expect(worst.chi, `position ${worst.position}`).to.be.below(CHI_SQUARE_BOUND_15_DOF);
        // Each of the 128 bits is set about half the time (six standard deviations of slack).
        const ones = new Array<number>(128).fill(0);
        for (const hash of hashes) {
            const bytes = Buffer.from(hash, "hex");
            for (let bit = 0; bit < 128; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) ones[bit] += 1;
        }
        const slack = 6 * Math.sqrt(total / 4);
        expect(ones.filter((count) => Math.abs(count - total / 2) > slack)).to.deep.equal([]);
    });

    it("the checks above catch a counting generator and a constant one", () => {
        const counter = Array.from({ length: 20_000 }, (_, i) => i.toString(16).padStart(32, "0"));
        const counts = new Array<number>(16).fill(0);
        for (const hash of counter) counts[parseInt(hash[0], 16)] += 1;
        expect(chiSquare(counts, counter.length)).to.be.above(CHI_SQUARE_BOUND_15_DOF);
        const constant = new Array<number>(16).fill(0);
        constant[10] = 20_000;
        expect(chiSquare(constant, 20_000)).to.be.above(CHI_SQUARE_BOUND_15_DOF);
    });

    describe("through the issuer (dynalite)", () => {
        const world = useWorld();

        it("the issuer stores exactly the CSPRNG's 16 bytes as the hash", async () => {
            const svc = await world.newService();
            const { result, draws } = await withRecordedRandomBytes(() => svc.issuer().generateSecureUrl(`s3://${svc.config.bucket}/uploads/a.png`));
            expect(draws.filter((draw) => draw.size === 16).map((draw) => draw.hex)).to.include(result.hash);
            expect((await svc.issuer().inspect(result.hash)).s3Url).to.equal(`s3://${svc.config.bucket}/uploads/a.png`);
        });

        it("the same object issued in two fresh tables gets unrelated hashes, neither a digest of its URL", async () => {
            const first = await world.newService();
            // A second fresh table for the very same bucket and object.
            const secondTable = `${first.config.tableName}-second`;
            await createMappingTable(world.admin.dynamo, secondTable);
            const second = new ImageIssuer({ ...first.config, tableName: secondTable }, first.clients);
            const url = `s3://${first.config.bucket}/uploads/same.png`;
            const [a, b] = [await first.issuer().generateSecureUrl(url), await second.generateSecureUrl(url)];
            expect(a.hash).to.not.equal(b.hash);
            for (const algorithm of ["md5", "sha1", "sha256", "sha512"]) {
                const digest = createHash(algorithm).update(url).digest("hex");
                expect(digest, algorithm).to.not.include(a.hash).and.not.include(b.hash);
            }
            expect(bitDistance(a.hash, b.hash)).to.be.within(32, 96);
        });

        it("objects whose URLs differ by one character get hashes about 64 bits apart (no structure carried over)", async () => {
            const svc = await world.newService();
            const issuer = svc.issuer();
            const hashes: string[] = [];
            for (let i = 0; i < 48; i++) hashes.push((await issuer.generateSecureUrl(`s3://${svc.config.bucket}/uploads/photo-${i}.png`)).hash);
            expect(new Set(hashes).size).to.equal(hashes.length);
            const distances = hashes.slice(1).map((hash, i) => bitDistance(hashes[i], hash));
            const mean = distances.reduce((sum, d) => sum + d, 0) / distances.length;
            // A fresh draw differs in half of 128 bits; the mean of 47 pairs stays within a few bits of 64.
            expect(mean).to.be.within(56, 72);
        });
    });
});
