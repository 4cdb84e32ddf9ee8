import { expect } from "chai";
import exifr from "exifr";
import fc from "fast-check";
import { inspectExif, orientationExif } from "../../../issuer/image/exif";
import { thrown } from "../../support/rejection";
import { littleEndianTiff, phoneExif, thumbnailJpeg } from "./fixtures";

describe("issuer/image: reading and writing EXIF blocks", () => {
    it("the Orientation-only block is 26 bytes that exifr reads as that orientation and nothing else", async () => {
        for (let orientation = 1; orientation <= 8; orientation++) {
            const block = orientationExif(orientation);
            expect(block.length).to.equal(26);
            const read = (await exifr.parse(Buffer.from(block), { tiff: true, ifd1: true, exif: true, gps: true, translateValues: false })) as Record<string, unknown>;
            expect(read).to.deep.equal({ Orientation: orientation });
            expect(inspectExif(block)).to.deep.equal({ kinds: ["exif"], orientation, onlyOrientation: true });
        }
        expect(thrown(() => orientationExif(9), RangeError).message).to.match(/1 to 8/);
    });

    it("names what a phone's block holds, with or without the Exif header, in either byte order", async () => {
        const tiff = phoneExif(3, await thumbnailJpeg());
        const expected = ["exif", "exif:device", "exif:gps", "exif:maker-notes", "exif:owner", "exif:serial", "exif:thumbnail", "exif:time"];
        expect(inspectExif(tiff)).to.deep.equal({ kinds: expected, orientation: 3, onlyOrientation: false });
        expect(inspectExif(Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff])).kinds).to.deep.equal(expected);
        expect(inspectExif(phoneExif(6)).kinds).to.not.include("exif:thumbnail");
    });

    it("a block with Orientation and anything else is not Orientation-only; an invalid orientation counts as none", () => {
        const withMake = littleEndianTiff([[{ tag: 0x0112, value: { type: 3, values: [6] } }, { tag: 0x010f, value: { type: 2, text: "X" } }]]);
        expect(inspectExif(withMake)).to.deep.include({ orientation: 6, onlyOrientation: false });
        const invalid = littleEndianTiff([[{ tag: 0x0112, value: { type: 3, values: [9] } }]]);
        expect(inspectExif(invalid)).to.deep.equal({ kinds: ["exif"], orientation: undefined, onlyOrientation: false });
    });

    it("never throws on malformed blocks, and always reports at least `exif` (fast-check)", () => {
        const header = fc.constantFrom(Buffer.from("MM\0*", "latin1"), Buffer.from("II*\0", "latin1"), Buffer.from("Exif\0\0II*\0", "latin1"), Buffer.alloc(0));
        fc.assert(
            fc.property(header, fc.uint8Array({ maxLength: 300 }), (head, tail) => {
                const found = inspectExif(Buffer.concat([head, tail]));
                expect(found.kinds[0]).to.equal("exif");
                expect(found.orientation === undefined || (found.orientation >= 1 && found.orientation <= 8)).to.equal(true);
            }),
            { numRuns: 2000 },
        );
    });
});
