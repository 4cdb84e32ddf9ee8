/**
 * The local stack's sample images (local/png.ts): a checkerboard PNG that a
 * magic-byte sniffer and a decoder accept, of the size asked for, with the
 * pixels asked for; and each service's own seeded sample. Pure.
 */
import { expect } from "chai";
import { inflateSync } from "zlib";
import { checkerPng, samplePng } from "../../local/png";

describe("local stack: sample image", () => {
    it("makes a PNG that a magic-byte sniffer and a decoder accept, with the requested size", async () => {
        const png = checkerPng({ width: 5, height: 3, square: 2, colors: [[0, 0, 0], [255, 255, 255]] });
        const { fileTypeFromBuffer } = await import("file-type");
        expect(await fileTypeFromBuffer(png)).to.deep.equal({ ext: "png", mime: "image/png" });
        expect(png.readUInt32BE(16)).to.equal(5);
        expect(png.readUInt32BE(20)).to.equal(3);
        const idatLength = png.readUInt32BE(33);
        expect(png.toString("ascii", 37, 41)).to.equal("IDAT");
        const raw = inflateSync(png.subarray(41, 41 + idatLength));
        expect(raw.length).to.equal(3 * (1 + 5 * 3));
        // Row 0: filter byte, then black, black, white, white, black.
        expect([...raw.subarray(1, 16)]).to.deep.equal([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0]);
    });

    it("gives each service its own sample", () => {
        expect(samplePng("chat")).to.not.deep.equal(samplePng("discussion"));
        expect(samplePng("chat")).to.deep.equal(samplePng("chat"));
    });
});
