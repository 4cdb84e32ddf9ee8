/**
 * Fuzzing the metadata removers (for AVIF its container walk, whose
 * refusals send a file to the re-encode fallback): random bytes behind each format's
 * signature, every kind of truncation of a real file, and random bytes
 * overwritten in one. Whatever comes in, a remover either refuses it with
 * RefusedContentError or returns a well-formed file of its format that it
 * leaves unchanged when given again.
 */
import { expect } from "chai";
import fc from "fast-check";
import { RefusedContentError } from "../../../issuer/errors";
import { stripAvifContainer } from "../../../issuer/image/avif-container";
import { stripGif } from "../../../issuer/image/gif";
import { readBoxes } from "../../../issuer/image/isobmff";
import { stripJpeg } from "../../../issuer/image/jpeg";
import { stripPng } from "../../../issuer/image/png";
import { removeMetadata } from "../../../issuer/image/strip";
import type { StrippedImage } from "../../../issuer/image/stripped";
import { stripWebp } from "../../../issuer/image/webp";
import { AVIF_1X1, GIF_1X1, JPEG_1X1, PNG_1X1, WEBP_1X1 } from "../fixtures";
import { commentGif, phoneAvif, phoneJpeg, phoneWebp, textPng } from "./fixtures";

interface Format {
    name: string;
    strip: (bytes: Uint8Array) => StrippedImage;
    signature: Buffer;
    /** Checks the container's own bookkeeping on an output. */
    wellFormed: (out: Buffer) => void;
    sample: () => Promise<Buffer>;
}

const FORMATS: Format[] = [
    {
        name: "JPEG",
        strip: stripJpeg,
        signature: Buffer.from("ffd8ff", "hex"),
        wellFormed: (out) => expect(out.subarray(-2).toString("hex")).to.equal("ffd9"),
        sample: () => phoneJpeg(6),
    },
    {
        name: "PNG",
        strip: stripPng,
        signature: PNG_1X1.subarray(0, 8),
        wellFormed: (out) => expect(out.subarray(-8, -4).toString("latin1")).to.equal("IEND"),
        sample: () => textPng(6),
    },
    {
        name: "WebP",
        strip: stripWebp,
        signature: Buffer.from("RIFF\0\0\0\0WEBP", "latin1"),
        wellFormed: (out) => {
            expect(out.subarray(0, 4).toString("latin1")).to.equal("RIFF");
            expect(out.readUInt32LE(4)).to.equal(out.length - 8);
        },
        sample: () => phoneWebp(6),
    },
    {
        name: "GIF",
        strip: stripGif,
        signature: GIF_1X1.subarray(0, 6),
        wellFormed: (out) => expect(out.at(-1)).to.equal(0x3b),
        sample: () => commentGif(),
    },
    {
        name: "AVIF",
        strip: stripAvifContainer,
        // The phone fixture's ftyp header: size 28, 'ftyp', brand 'avif'.
        signature: Buffer.from("0000001c66747970617669660000", "hex"),
        wellFormed: (out) => {
            // Boxes that fill the file exactly: ftyp, meta, and the media data, nothing else.
            const types = readBoxes(out, 0, out.length, true).map((b) => b.type);
            expect(types[0]).to.equal("ftyp");
            expect(types.filter((t) => t === "meta")).to.have.length(1);
            expect(types.every((t) => ["ftyp", "meta", "mdat"].includes(t))).to.equal(true);
        },
        sample: () => phoneAvif(),
    },
];

/** Refused, or a well-formed output that a second pass leaves as it is. */
function checkOne(format: Format, input: Uint8Array): "refused" | "stripped" {
    let result: StrippedImage;
    try {
        result = format.strip(input);
    } catch (error) {
        expect(error, `${format.name}: only refusals`).to.be.instanceOf(RefusedContentError);
        return "refused";
    }
    const out = Buffer.from(result.bytes);
    expect(out.subarray(0, 2).equals(Buffer.from(input).subarray(0, 2)), `${format.name}: same signature`).to.equal(true);
    format.wellFormed(out);
    const again = format.strip(result.bytes);
    expect(again.removed, `${format.name}: a second pass finds nothing to remove`).to.deep.equal([]);
    expect(again.bytes).to.equal(result.bytes);
    return "stripped";
}

describe("issuer/image: metadata removers under random and truncated input (fast-check)", () => {
    for (const format of FORMATS) {
        describe(format.name, () => {
            let sample: Buffer;
            before(async () => {
                sample = await format.sample();
            });

            it("random bytes after the signature: a refusal or a well-formed, stable file", () => {
                fc.assert(
                    fc.property(fc.uint8Array({ maxLength: 600 }), (tail) => {
                        checkOne(format, Buffer.concat([format.signature, tail]));
                    }),
                    { numRuns: 400 },
                );
            });

            it("every truncation of a real file: refused unless only the trailer was cut", () => {
                const outcomes = new Set<string>();
                for (let length = 0; length < sample.length; length++) outcomes.add(checkOne(format, sample.subarray(0, length)));
                expect(outcomes.has("refused")).to.equal(true);
            });

            it("random bytes overwritten in a real file: a refusal or a well-formed, stable file", () => {
                fc.assert(
                    fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
                        const mutated = Buffer.from(sample);
                        for (const [at, value] of edits) mutated[at % mutated.length] = value;
                        checkOne(format, mutated);
                    }),
                    { numRuns: 400 },
                );
            });
        });
    }

    it("every accepted type goes to its remover", async () => {
        for (const [type, bytes] of [
            ["image/jpeg", JPEG_1X1],
            ["image/png", PNG_1X1],
            ["image/webp", WEBP_1X1],
            ["image/gif", GIF_1X1],
            ["image/avif", AVIF_1X1],
        ] as const) {
            const result = await removeMetadata(bytes, type);
            expect(result.bytes, type).to.equal(bytes);
            expect(result.reencoded).to.equal(false);
        }
        // A PNG given as a JPEG is refused by the JPEG walk, not passed through.
        const error = await removeMetadata(PNG_1X1, "image/jpeg").then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(RefusedContentError);
    });
});
