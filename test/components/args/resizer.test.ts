/** The resizer group (components/args/resizer.ts): its knobs' defaults and bounds, and only with variants. */
import { expect } from "chai";
import { RESIZER_DEFAULTS, resolveResizer } from "../../../components/args/resizer";
import { resolveArgs } from "../../../components/resolve-args";
import { thrown } from "../../support/rejection";

describe("args: resizer", () => {
    it("nothing given: 20 at once, one full vCPU's memory (1769 MB), 15 s", () => {
        expect(resolveResizer(undefined, true)).to.deep.equal({ reservedConcurrency: 20, memorySizeMb: 1769, timeoutSeconds: 15 });
        expect(resolveResizer({}, true)).to.deep.equal({ ...RESIZER_DEFAULTS });
    });

    it("bounds: memory at least 1024 MB (the worst original let through peaked at 522 MB), timeout within CloudFront's 30 s, concurrency 1-1000", () => {
        expect(thrown(() => resolveResizer({ memorySizeMb: 512 }, true), Error).message).to.equal("resizer.memorySizeMb must be a whole number from 1024 to 10240 (got 512)");
        expect(thrown(() => resolveResizer({ timeoutSeconds: 31 }, true), Error).message).to.equal("resizer.timeoutSeconds must be a whole number from 1 to 30 (got 31)");
        expect(thrown(() => resolveResizer({ reservedConcurrency: 0 }, true), Error).message).to.equal("resizer.reservedConcurrency must be a whole number from 1 to 1000 (got 0)");
        expect(thrown(() => resolveResizer({ memory: 2048 } as never, true), Error).message).to.match(/^unknown field resizer\.memory /);
        expect(resolveResizer({ reservedConcurrency: 1, memorySizeMb: 1024, timeoutSeconds: 30 }, true)).to.deep.equal({ reservedConcurrency: 1, memorySizeMb: 1024, timeoutSeconds: 30 });
    });

    it("is refused without variants: there is no resizer to size", () => {
        expect(thrown(() => resolveArgs({ service: "chat", resizer: { reservedConcurrency: 5 } }), Error).message).to.equal("resizer applies only with variants: without a catalogue there is no resizer function");
        expect(thrown(() => resolveArgs({ service: "marketplace", level: "public", resizer: {} }), Error).message).to.match(/^resizer does not apply to level "public"/);
    });
});
