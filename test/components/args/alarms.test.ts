/**
 * The alarms group (components/args/alarms.ts): its defaults, the edge
 * regions that follow the price class, and the routing of actions to the
 * alarms of their own region, up front for plain ones and when they resolve
 * for Outputs, or when the home region (a provider's) resolves.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_DEFAULTS, alarmActionsIn, alarmRegions, DEFAULT_EDGE_ALARM_REGIONS, resolveAlarms, routeAlarmActions } from "../../../components/args/alarms";
import { edgeRegionsOf } from "../../../core/regions";
import { deploy } from "../support/mocks";
import { rejection } from "../../support/rejection";

const TOPIC = (region: string) => `arn:aws:sns:${region}:123456789012:oncall`;
const required = { level: "required", priceClass: "PriceClass_100" } as const;

/** A provider's region: known only once the deployment runs. */
function providerRegion(region: string): pulumi.Output<string> {
    return pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(region))));
}

describe("args: alarms", () => {
    it("nothing given: on, topics made by the component, the price class's edge regions, its thresholds", () => {
        const alarms = resolveAlarms(undefined, required);
        expect(alarms).to.deep.include({ enabled: true, createTopics: true, email: [], actions: [], actionsByRegion: {} });
        expect(alarms).to.include({ errorRatePercent: ALARM_DEFAULTS.errorRatePercent, durationMs: ALARM_DEFAULTS.durationMs, minRequests: ALARM_DEFAULTS.minRequests, replicationLatencyMs: ALARM_DEFAULTS.replicationLatencyMs });
        expect(alarms.edgeRegions).to.deep.equal([...DEFAULT_EDGE_ALARM_REGIONS]);
        expect(resolveAlarms({}, { level: "required", priceClass: "PriceClass_All" }).edgeRegions).to.deep.equal([...edgeRegionsOf("PriceClass_All")]);
        expect(resolveAlarms({}, { level: "public", priceClass: "PriceClass_All" }).edgeRegions, "no edge function, no edge alarms").to.deep.equal([]);
    });

    it("routes plain actions to their region's alarms up front, and refuses a topic where there is none", () => {
        expect(resolveAlarms({ actions: [TOPIC("us-east-1"), TOPIC("eu-west-1")] }, required).actionsByRegion).to.deep.equal({ "us-east-1": [TOPIC("us-east-1")], "eu-west-1": [TOPIC("eu-west-1")] });
        expect(() => resolveAlarms({ actions: [TOPIC("ap-south-1")] }, required)).to.throw(/^alarms\.actions: topic .* is in ap-south-1, where this instance has no alarm/);
        expect(resolveAlarms({ actions: [TOPIC("ap-south-1")], edgeRegions: ["us-east-1"] }, { ...required, homeRegion: "ap-south-1" }).actionsByRegion, "home has the replication alarms").to.deep.equal({ "ap-south-1": [TOPIC("ap-south-1")] });
    });

    it("with a provider's home region, a plain action is checked for its form up front and routed when home resolves", async () => {
        const home = providerRegion("ap-south-1");
        const alarms = resolveAlarms({ actions: [TOPIC("us-east-1"), TOPIC("ap-south-1")], edgeRegions: ["us-east-1"] }, { ...required, homeRegion: home });
        expect(alarms.homeRegion).to.equal(home);
        expect(alarmRegions(alarms), "the regions named when the program runs").to.deep.equal(["us-east-1"]);
        expect(() => resolveAlarms({ actions: ["arn:aws:sqs:us-east-1:123456789012:q"] }, { ...required, homeRegion: home })).to.throw(/^alarms\.actions must hold SNS topic ARNs/);
        const { outputs } = await deploy(() => ({ home: alarmActionsIn(home, alarms), east: alarmActionsIn("us-east-1", alarms) }));
        expect(outputs).to.deep.equal({ home: [TOPIC("ap-south-1")], east: [TOPIC("us-east-1")] });
        const elsewhere = resolveAlarms({ actions: [TOPIC("eu-west-1")], edgeRegions: ["us-east-1"] }, { ...required, homeRegion: providerRegion("ap-south-1") });
        const error = await rejection(deploy(() => ({ east: alarmActionsIn("us-east-1", elsewhere) })), Error);
        expect(error.message).to.match(/^alarms\.actions: topic .* is in eu-west-1, where this instance has no alarm \(alarms are in us-east-1, ap-south-1\)/);
    });

    it("the replica regions with an invalidator have alarms too: a topic there is accepted, and routed to them", () => {
        const alarms = resolveAlarms({ actions: [TOPIC("ap-southeast-2")], edgeRegions: ["us-east-1"] }, { ...required, homeRegion: "eu-west-1", replicaAlarmRegions: ["ap-southeast-2"] });
        expect(alarmRegions(alarms)).to.deep.equal(["us-east-1", "eu-west-1", "ap-southeast-2"]);
        expect(alarms.actionsByRegion).to.deep.equal({ "ap-southeast-2": [TOPIC("ap-southeast-2")] });
        expect(() => resolveAlarms({ actions: [TOPIC("ap-southeast-2")], edgeRegions: ["us-east-1"] }, { ...required, homeRegion: "eu-west-1" })).to.throw(/is in ap-southeast-2, where this instance has no alarm/);
        expect(resolveAlarms({ enabled: false }, { ...required, homeRegion: "eu-west-1", replicaAlarmRegions: ["ap-southeast-2"] }).replicaAlarmRegions, "alarms off: none").to.deep.equal([]);
    });

    it("routeAlarmActions: any region while the regions are not known, duplicates never", () => {
        expect(routeAlarmActions([TOPIC("sa-east-1")], undefined)).to.deep.equal({ "sa-east-1": [TOPIC("sa-east-1")] });
        expect(() => routeAlarmActions([TOPIC("sa-east-1"), TOPIC("sa-east-1")], undefined)).to.throw(/^alarms\.actions lists .* more than once/);
    });

    it("refuses what cannot notify anyone, and unknown fields", () => {
        expect(() => resolveAlarms({ enabled: false, actions: [TOPIC("us-east-1")] }, required)).to.throw(/^alarms\.actions does not apply when alarms\.enabled is false/);
        expect(() => resolveAlarms({ email: ["a@example.com"], actions: [TOPIC("us-east-1")] }, required)).to.throw(/^alarms\.email subscribes the topics the component creates/);
        expect(() => resolveAlarms({ edgeRegions: ["us-east-1"] }, { level: "public", priceClass: "PriceClass_100" })).to.throw(/^alarms\.edgeRegions does not apply to level "public"/);
        expect(() => resolveAlarms({ topic: "x" } as never, required)).to.throw(/^unknown field alarms\.topic/);
    });
});
