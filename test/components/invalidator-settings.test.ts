/**
 * components/invalidator-settings.ts: what the component writes into each
 * invalidator's environment and the local stack hands its in-process one,
 * from one function.
 */
import { expect } from "chai";
import { parseInvalidatorSettings } from "../../invalidator/settings";
import { invalidatorSettingsFor } from "../../components/invalidator-settings";
import { isGuarded, resolveArgs, ResolvedGuardedSettings } from "../../components/resolve-args";

function guarded(args: Parameters<typeof resolveArgs>[0]): ResolvedGuardedSettings {
    const settings = resolveArgs(args, { homeRegion: "eu-west-1" });
    if (!isGuarded(settings)) throw new Error("expected a guarded level");
    return settings;
}

const PLACEMENT = { region: "ap-southeast-2", distributionId: "E2ABC", queueUrl: "https://sqs.ap-southeast-2.amazonaws.com/123456789012/chat-inv-queue" };

describe("components/invalidator-settings", () => {
    it("without variants: the exact path of a hash, the delay from the edge's timeout (75 s by default), the placement as given", () => {
        const settings = invalidatorSettingsFor(guarded({ service: "chat" }), PLACEMENT);
        expect(settings).to.deep.equal({ service: "chat", ...PLACEMENT, reinvalidateAfterSeconds: 75, variants: false });
        // What the function reads back from its environment.
        expect(parseInvalidatorSettings(JSON.stringify(settings))).to.deep.equal(settings);
    });

    it("with variants: the one wildcard path per hash", () => {
        const settings = invalidatorSettingsFor(guarded({ service: "chat", variants: { thumb: { width: 256, height: 256 } } }), PLACEMENT);
        expect(settings.variants).to.equal(true);
    });

    it("the delay follows the edge's timeout: twice it, plus the S3 origin's 30 s and 30 s and 5 s of margin", () => {
        expect(invalidatorSettingsFor(guarded({ service: "chat", edge: { timeoutSeconds: 10 } }), PLACEMENT).reinvalidateAfterSeconds).to.equal(85);
    });
});
