/**
 * The alarm topics (components/topics.ts), their builder called directly
 * with a parent (a program's own component): a topic in each region it is
 * given and nowhere else, displayed for its service and region within SNS's
 * 100 characters, tagged, each address subscribed to each by email; none
 * without addresses; and the short key an address's subscription is named
 * after, which never shows the address.
 */
import { expect } from "chai";
import { addressKey, createAlarmTopics } from "../../components/topics";
import { parent } from "./support/builders";
import { deploy, ofType, RecordedResource, T } from "./support/mocks";

const TAGS = { team: "images" };

describe("components/topics: somewhere for alarms to go", () => {
    describe("with two addresses", () => {
        let resources: RecordedResource[];
        let returned: { topics: Record<string, string>; subscriptions: Record<string, string[]> };
        before(async () => {
            const deployment = await deploy(() => {
                const made = createAlarmTopics("chat", { service: "chat", regions: ["us-east-1", "ap-south-1"], emails: ["oncall@example.com", "images@example.org"], tags: TAGS }, parent());
                return {
                    topics: Object.fromEntries(Object.entries(made.topics).map(([region, topic]) => [region, topic.urn])),
                    subscriptions: Object.fromEntries(Object.entries(made.subscriptions).map(([region, list]) => [region, list.map((subscription) => subscription.urn)])),
                };
            });
            resources = deployment.resources;
            returned = deployment.outputs as unknown as typeof returned;
        });

        it("a topic in each region given and nowhere else, displayed for its service and region, tagged, under the parent; returned by region", () => {
            const topics = ofType(resources, T.topic);
            expect(topics.map((topic) => [topic.name, topic.inputs.region, topic.inputs.displayName, topic.parent])).to.deep.equal([
                ["chat-alarms-us-east-1", "us-east-1", "chat image CDN alarms (us-east-1)", "images"],
                ["chat-alarms-ap-south-1", "ap-south-1", "chat image CDN alarms (ap-south-1)", "images"],
            ]);
            for (const topic of topics) expect(topic.inputs.tags, topic.name).to.deep.equal(TAGS);
            expect(Object.keys(returned.topics)).to.deep.equal(["us-east-1", "ap-south-1"]);
            for (const region of ["us-east-1", "ap-south-1"]) expect(returned.topics[region], region).to.match(new RegExp(`::chat-alarms-${region}$`));
        });

        it("each region's subscriptions, returned under it, are in that region, on its topic, under the parent", () => {
            for (const region of ["us-east-1", "ap-south-1"]) {
                const topic = ofType(resources, T.topic).find((candidate) => candidate.inputs.region === region);
                const names = returned.subscriptions[region].map((urn) => urn.split("::").pop());
                const subscriptions = ofType(resources, T.subscription).filter((subscription) => names.includes(subscription.name));
                expect(subscriptions, region).to.have.length(2);
                for (const subscription of subscriptions) {
                    expect([subscription.inputs.region, subscription.inputs.topic, subscription.parent], subscription.name).to.deep.equal([region, topic?.state.arn, "images"]);
                }
            }
        });
    });

    it("without addresses: the topics and no subscription, an empty list for each region", async () => {
        const { resources, outputs } = await deploy(() => {
            const made = createAlarmTopics("chat", { service: "chat", regions: ["eu-west-1"], emails: [], tags: {} }, parent());
            return { subscriptions: made.subscriptions };
        });
        expect(ofType(resources, T.topic).map((topic) => topic.name)).to.deep.equal(["chat-alarms-eu-west-1"]);
        expect(ofType(resources, T.subscription)).to.deep.equal([]);
        expect(outputs.subscriptions).to.deep.equal({ "eu-west-1": [] });
    });

    it("a display name longer than SNS's 100 characters is cut there", async () => {
        const { resources } = await deploy(() => void createAlarmTopics("chat", { service: "s".repeat(90), regions: ["ap-southeast-2"], emails: [], tags: {} }, parent()));
        const [topic] = ofType(resources, T.topic);
        expect(topic.inputs.displayName).to.equal(`${"s".repeat(90)} image CDN`);
    });

    it("addressKey: ten hex characters (never the address), a different key for each address", () => {
        const addresses = ["oncall@example.com", "oncall@example.org", "images@example.com", "a@b.co"];
        const keys = addresses.map(addressKey);
        for (const key of keys) expect(key).to.match(/^[0-9a-f]{10}$/);
        expect(new Set(keys).size).to.equal(addresses.length);
    });
});
