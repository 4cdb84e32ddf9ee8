/**
 * What the edge, the issuer and the local stack agree on (core/contract.ts):
 * a hash and the one URI path it is served under, read back with nothing
 * decoded; the public URL whatever the base's trailing slashes; the strict
 * `s3://bucket/key` form, its key measured in UTF-8 bytes and free of
 * control characters and dot segments; and a mapping item read from the
 * table, its image description kept all or nothing.
 */
import { expect } from "chai";
import { cdnImageUrl, formatS3Url, imagePath, isHash, isPlaceholder, newHash, parseImagePath, parseS3Url, toImageMapping } from "../../core/contract";

const HASH = "0123456789abcdef0123456789abcdef";
const BUCKET = "chat-images";

describe("shared contract (core/contract.ts)", () => {
    describe("hashes and their paths", () => {
        it("serves a new hash under /images/<hash> and reads exactly that hash back", () => {
            const hash = newHash();
            expect(isHash(hash)).to.equal(true);
            expect(imagePath(hash)).to.equal(`/images/${hash}`);
            expect(parseImagePath(imagePath(hash))).to.equal(hash);
        });

        it("a hash is 32 lowercase hex characters and nothing around them", () => {
            for (const value of [HASH.toUpperCase(), HASH.slice(1), `${HASH}0`, `${HASH}\n`, ` ${HASH}`, `${HASH.slice(0, 31)}g`, 42, undefined]) {
                expect(isHash(value), JSON.stringify(value)).to.equal(false);
            }
        });

        it("reads a hash only from exactly /images/<hash>: no other prefix, no suffix, nothing percent-decoded", () => {
            const refused = [
                `/images/${HASH}/`,
                `/images/${HASH}x`,
                `/images/${HASH.slice(1)}`,
                `/Images/${HASH}`,
                `/imagesX${HASH}`,
                `//images/${HASH}`,
                `/images/${HASH.slice(0, 29)}%61`, // same length, one character encoded
                `/images/${HASH.toUpperCase()}`,
                `/images/${HASH}?x=1`,
            ];
            expect(refused.filter((uri) => parseImagePath(uri) !== undefined)).to.deep.equal([]);
        });

        it("builds the public URL from a base with or without trailing slashes", () => {
            for (const base of ["https://cdn.example.com", "https://cdn.example.com/", "https://cdn.example.com//"]) {
                expect(cdnImageUrl(base, HASH), base).to.equal(`https://cdn.example.com/images/${HASH}`);
            }
            expect(cdnImageUrl("https://example.com/cdn/", HASH)).to.equal(`https://example.com/cdn/images/${HASH}`);
        });
    });

    describe("s3:// URLs", () => {
        it("parses a valid bucket and key, and formatS3Url writes them back", () => {
            const key = "users/42/holiday photo (1) ü\u00a0日本.jpg";
            expect(parseS3Url(formatS3Url(BUCKET, key))).to.deep.equal({ bucket: BUCKET, key });
        });

        it("refuses what is not s3://<bucket>/<safe key>", () => {
            const refused: unknown[] = [
                42,
                undefined,
                `https://${BUCKET}/a.png`,
                `s3://${BUCKET}`,
                `s3://${BUCKET}/`,
                "s3://Bad_Bucket/a.png",
                `s3://${BUCKET}//a.png`,
                `s3://${BUCKET}/a//b.png`,
                `s3://${BUCKET}/./a.png`,
                `s3://${BUCKET}/a/..`,
                `s3://${BUCKET}/a\u0000b.png`,
                `s3://${BUCKET}/a\u001fb.png`,
                `s3://${BUCKET}/a\u007fb.png`,
                `s3://${BUCKET}/a\u0085b.png`,
            ];
            expect(refused.filter((url) => parseS3Url(url) !== undefined).map((url) => JSON.stringify(url))).to.deep.equal([]);
        });

        it("measures the key in UTF-8 bytes: 1,024 at most, however few the characters", () => {
            const longest = "é".repeat(512);
            expect(Buffer.byteLength(longest, "utf8")).to.equal(1024);
            expect(parseS3Url(formatS3Url(BUCKET, longest))).to.deep.equal({ bucket: BUCKET, key: longest });
            expect(parseS3Url(formatS3Url(BUCKET, `${longest}x`)), "513 characters, 1,025 bytes").to.equal(undefined);
        });
    });

    describe("mapping items", () => {
        const mapping = { hash: HASH, s3_url: `s3://${BUCKET}/a.png`, created_at: 1_700_000_000, expires_at: 1_702_592_000, ttl: 1_702_592_000 };
        const description = { width: 640, height: 480, placeholder: "AAAAAAAAAAAA" };

        it("keeps a complete mapping's fields and drops any other attribute", () => {
            expect(toImageMapping({ ...mapping, current: HASH, extra: "x" })).to.deep.equal(mapping);
            expect(toImageMapping({ ...mapping, ...description })).to.deep.equal({ ...mapping, ...description });
        });

        it("keeps the image's description all or nothing: a malformed or partial one is left out, the mapping still counts", () => {
            for (const partial of [{ width: 0 }, { height: 1.5 }, { placeholder: "AAA" }, { width: undefined }]) {
                expect(toImageMapping({ ...mapping, ...description, ...partial }), JSON.stringify(partial)).to.deep.equal(mapping);
            }
        });

        it("reads an incomplete or ill-typed item as no mapping", () => {
            const broken: Record<string, unknown>[] = [
                { ...mapping, hash: HASH.toUpperCase() },
                { ...mapping, s3_url: "https://example.com/a.png" },
                { ...mapping, s3_url: `s3://${BUCKET}/../a.png` },
                { ...mapping, created_at: 1.5 },
                { ...mapping, expires_at: "1702592000" },
                { ...mapping, ttl: undefined },
                { ...mapping, ttl: -1 },
            ];
            expect(broken.filter((item) => toImageMapping(item) !== undefined)).to.deep.equal([]);
            expect(toImageMapping(undefined)).to.equal(undefined);
        });

        it("takes as a placeholder base64 of 4 to 40 characters, padded to a multiple of 4", () => {
            expect(["AAAA", "AA==", "A+/=", "A".repeat(40)].filter((value) => !isPlaceholder(value)), "placeholders refused").to.deep.equal([]);
            const bad = ["", "AAA", "A".repeat(44), "AA=A", "AAAA====", "AA-_", "AAAA\n", 42];
            expect(bad.filter((value) => isPlaceholder(value)), "not placeholders, accepted").to.deep.equal([]);
        });
    });
});
