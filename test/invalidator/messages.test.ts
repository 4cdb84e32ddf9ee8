/**
 * The invalidator's queue messages: the bodies it writes for a batch's
 * hashes (cut into messages of at most MAX_HASHES_PER_MESSAGE, in order),
 * and reading a body back, where anything that is not exactly one of its
 * own (another step, no hashes, too many, a hash of the wrong shape, not
 * JSON) comes back as `undefined`, for the dead-letter queue.
 */
import { expect } from "chai";
import { MAX_HASHES_PER_MESSAGE, messageBodies, parseMessageBody } from "../../invalidator/messages";
import { hashOf } from "./fixtures";

/** `count` distinct hashes, each its index in hex padded to 32 digits. */
function hashes(count: number): string[] {
    return Array.from({ length: count }, (_, i) => i.toString(16).padStart(32, "0"));
}

describe("invalidator/messages", () => {
    it("one body per MAX_HASHES_PER_MESSAGE hashes, in order, each read back as written", () => {
        const all = hashes(2 * MAX_HASHES_PER_MESSAGE + 1);
        const bodies = messageBodies("again", all);
        expect(bodies).to.have.length(3);
        const read = bodies.map(parseMessageBody);
        expect(read.map((message) => message?.hashes.length)).to.deep.equal([MAX_HASHES_PER_MESSAGE, MAX_HASHES_PER_MESSAGE, 1]);
        expect(read.flatMap((message) => message?.hashes ?? [])).to.deep.equal(all);
        expect(read.every((message) => message?.step === "again")).to.equal(true);
    });

    it("no hashes, no message", () => {
        expect(messageBodies("now", [])).to.deep.equal([]);
    });

    it("reads back both steps", () => {
        expect(parseMessageBody(JSON.stringify({ step: "now", hashes: [hashOf("a")] }))).to.deep.equal({ step: "now", hashes: [hashOf("a")] });
        expect(parseMessageBody(JSON.stringify({ step: "again", hashes: [hashOf("b")] }))).to.deep.equal({ step: "again", hashes: [hashOf("b")] });
    });

    it("anything that is not one of its own is undefined", () => {
        const bodies: string[] = [
            "not json",
            "null",
            '"text"',
            JSON.stringify([hashOf("a")]),
            JSON.stringify({ hashes: [hashOf("a")] }),
            JSON.stringify({ step: "later", hashes: [hashOf("a")] }),
            JSON.stringify({ step: "now" }),
            JSON.stringify({ step: "now", hashes: [] }),
            JSON.stringify({ step: "now", hashes: hashOf("a") }),
            JSON.stringify({ step: "now", hashes: [hashOf("a"), "a".repeat(31)] }),
            JSON.stringify({ step: "now", hashes: [hashOf("a").toUpperCase()] }),
            JSON.stringify({ step: "now", hashes: [hashOf("a"), 7] }),
            JSON.stringify({ step: "now", hashes: hashes(MAX_HASHES_PER_MESSAGE + 1) }),
        ];
        for (const body of bodies) expect(parseMessageBody(body), body.slice(0, 80)).to.equal(undefined);
    });

    it("a body of exactly MAX_HASHES_PER_MESSAGE hashes is read", () => {
        expect(parseMessageBody(JSON.stringify({ step: "now", hashes: hashes(MAX_HASHES_PER_MESSAGE) }))?.hashes).to.have.length(MAX_HASHES_PER_MESSAGE);
    });
});
