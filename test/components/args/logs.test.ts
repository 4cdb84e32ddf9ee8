/** The logs group (components/args/logs.ts): how long the edge function's logs are kept, and where it gets log groups. */
import { expect } from "chai";
import { edgeLogRegions, LOG_DEFAULTS, LOG_GUARDED_ONLY, resolveLogs } from "../../../components/args/logs";
import { REGIONAL_EDGE_CACHE_REGIONS } from "../../../core/regions";

describe("args: logs", () => {
    it("nothing given: 30 days; only CloudWatch Logs' periods; a public instance has no logs to keep", () => {
        expect(resolveLogs({})).to.deep.equal({ logRetentionDays: 30 });
        expect(LOG_DEFAULTS.logRetentionDays).to.equal(30);
        expect(resolveLogs({ logRetentionDays: 14 })).to.deep.equal({ logRetentionDays: 14 });
        expect(() => resolveLogs({ logRetentionDays: 31 })).to.throw(/^logRetentionDays must be one of 1, 3, 5, 7, 14, 30,.* \(got 31\)/);
        expect([...LOG_GUARDED_ONLY]).to.deep.equal(["logRetentionDays"]);
    });

    it("log groups in every regional edge cache region, plus any region the edge alarms add", () => {
        expect(edgeLogRegions({ alarms: { edgeRegions: ["eu-west-1"] } })).to.have.members([...REGIONAL_EDGE_CACHE_REGIONS]);
        expect(edgeLogRegions({ alarms: { edgeRegions: ["ca-central-1"] } })).to.have.members([...REGIONAL_EDGE_CACHE_REGIONS, "ca-central-1"]);
    });
});
