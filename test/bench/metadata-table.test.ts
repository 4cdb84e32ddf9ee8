/**
 * The table in SECURITY.md of what each format keeps and loses is measured
 * (bench/metadata-table.ts): it must be what the code does now, and what it
 * says must hold: nothing personal kept, planted text gone, pixels untouched
 * wherever the format allows.
 */
import { expect } from "chai";
import * as fs from "fs";
import { thrown } from "../support/rejection";
import { metadataTable, TABLE_END, TABLE_FILE, TABLE_START, withTable } from "../../bench/metadata-table";

describe("SECURITY.md's table of what uploads keep and lose (bench/metadata-table.ts)", () => {
    let generated: string;
    before(async function () {
        this.timeout(60_000);
        generated = await metadataTable();
    });

    it("is the table the script measures now (run it with --write after a change)", () => {
        const document = fs.readFileSync(TABLE_FILE, "utf8");
        expect(withTable(document, generated)).to.equal(document);
        expect(document.indexOf(TABLE_START)).to.be.below(document.indexOf(TABLE_END));
    });

    it("keeps nothing personal, leaves no planted text, and re-encodes nothing (every format's pixels identical)", () => {
        const rows = generated.split("\n").slice(2).map((line) => line.split(" | "));
        expect(rows.map((cells) => cells[0].replace(/^\| /, "").split(" ")[0])).to.deep.equal(["JPEG", "PNG", "WebP", "GIF", "AVIF"]);
        for (const [format, carried, kept, removed, pixels] of rows) {
            expect(kept, format).to.not.match(/GPS|device|serial|owner|time|maker notes|XMP|IPTC|comment|thumbnail|trailing|planted/);
            expect(carried, format).to.match(/XMP/);
            expect(removed, format).to.match(/XMP/);
            expect(pixels, format).to.equal("identical");
        }
    });

    it("withTable replaces only what lies between the markers, and refuses a document without them", () => {
        const document = `before\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
        expect(withTable(document, "new")).to.equal(`before\n${TABLE_START}\nnew\n${TABLE_END}\nafter\n`);
        expect(thrown(() => withTable("no markers", "new"), Error).message).to.match(/has no .* section/);
    });
});
