/**
 * The edge function's logs (components/logs.ts), the builders called
 * directly with a parent (a program's own component): us-east-1's group,
 * auto-named, whichever regions are given, every other region's group
 * taking its name, each with the retention period and tags; the saved
 * queries of each region reading that name there, named for the project,
 * stack and instance; and CloudFront's groups for the function's invalid
 * responses, in exactly the regions given, named after the distribution's
 * ID once it resolves.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { createCloudFrontEdgeLogs, createEdgeLogs } from "../../components/logs";
import { edgeLogQueries, logQueryName } from "../../components/log-queries";
import { parent } from "./support/builders";
import { deploy, MOCK_PROJECT, MOCK_STACK, ofType, RecordedResource, T } from "./support/mocks";

const TAGS = { team: "images" };

/** The log group with exactly this logical name. */
function group(resources: RecordedResource[], name: string): RecordedResource {
    const found = ofType(resources, T.logGroup).filter((candidate) => candidate.name === name);
    if (found.length !== 1) throw new Error(`expected one log group named ${name}, found ${found.length}`);
    return found[0];
}

describe("components/logs: the edge function's log groups and saved queries", () => {
    describe("createEdgeLogs, given regions without us-east-1 first", () => {
        let resources: RecordedResource[];
        let groupName: string;
        before(async () => {
            const deployment = await deploy(() => ({ groupName: createEdgeLogs("chat", { regions: ["eu-west-1", "us-east-1", "ap-south-1"], retentionDays: 7, tags: TAGS }, parent()).groupName }));
            resources = deployment.resources;
            groupName = deployment.outputs.groupName;
        });

        it("us-east-1's group, once, auto-named; every other region's takes its name; each with the retention period and tags, under the parent", () => {
            const groups = ofType(resources, T.logGroup);
            expect(groups.map((made) => [made.name, made.inputs.region])).to.have.deep.members([
                ["chat-edge-logs", "us-east-1"],
                ["chat-edge-logs-eu-west-1", "eu-west-1"],
                ["chat-edge-logs-ap-south-1", "ap-south-1"],
            ]);
            const primary = group(resources, "chat-edge-logs");
            const others = groups.filter((candidate) => candidate !== primary);
            expect(primary.inputs).to.not.have.property("name");
            for (const other of others) expect(other.inputs.name, other.name).to.equal(primary.state.name);
            for (const each of groups) expect([each.inputs.retentionInDays, each.inputs.tags, each.parent], each.name).to.deep.equal([7, TAGS, "images"]);
            expect(groupName).to.equal(primary.state.name);
        });

        it("the saved queries: each in each region, reading the group there (its one name), named in the project's, stack's and instance's folder", () => {
            const queries = ofType(resources, T.queryDefinition);
            const groups = ofType(resources, T.logGroup);
            const expected = ["us-east-1", "eu-west-1", "ap-south-1"].flatMap((region) =>
                edgeLogQueries().map((query) => ({
                    name: `chat-edge-query-${query.key}-${region}`,
                    region,
                    title: logQueryName(MOCK_PROJECT, MOCK_STACK, "chat", query),
                    queryString: query.queryString,
                    logGroupNames: [groups.find((candidate) => candidate.inputs.region === region)?.state.name],
                })),
            );
            expect(
                queries.map((query) => ({ name: query.name, region: query.inputs.region, title: query.inputs.name, queryString: query.inputs.queryString, logGroupNames: query.inputs.logGroupNames })),
            ).to.have.deep.members(expected);
            expect(queries.map((query) => query.inputs.name)).to.include(`${MOCK_PROJECT}/${MOCK_STACK}/chat/edge outcomes and latency`);
        });
    });

    it("createEdgeLogs without us-east-1 among the regions: its group is made all the same, the others named after it", async () => {
        const { resources } = await deploy(() => void createEdgeLogs("chat", { regions: ["eu-west-1"], retentionDays: 30, tags: {} }, parent()));
        expect(ofType(resources, T.logGroup).map((made) => [made.name, made.inputs.region])).to.have.deep.members([
            ["chat-edge-logs", "us-east-1"],
            ["chat-edge-logs-eu-west-1", "eu-west-1"],
        ]);
        expect(group(resources, "chat-edge-logs-eu-west-1").inputs.name).to.equal(group(resources, "chat-edge-logs").state.name);
    });

    it("createCloudFrontEdgeLogs: a group in each region given and no other, named after the distribution's ID once it resolves, with the retention period, returned by region", async () => {
        const { resources, outputs } = await deploy(() => {
            const distributionId = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve("E2EXAMPLE"))));
            const groups = createCloudFrontEdgeLogs("chat", { distributionId, regions: ["eu-west-1", "ap-south-1"], retentionDays: 14, tags: TAGS }, parent());
            return { regions: Object.keys(groups), names: pulumi.all(Object.values(groups).map((made) => made.urn.apply((urn) => urn.split("::").pop()))) };
        });
        expect(ofType(resources, T.logGroup).map((made) => [made.name, made.inputs.region, made.inputs.name, made.inputs.retentionInDays, made.parent])).to.have.deep.members([
            ["chat-cloudfront-edge-logs-eu-west-1", "eu-west-1", "/aws/cloudfront/LambdaEdge/E2EXAMPLE", 14, "images"],
            ["chat-cloudfront-edge-logs-ap-south-1", "ap-south-1", "/aws/cloudfront/LambdaEdge/E2EXAMPLE", 14, "images"],
        ]);
        expect(outputs).to.deep.equal({ regions: ["eu-west-1", "ap-south-1"], names: ["chat-cloudfront-edge-logs-eu-west-1", "chat-cloudfront-edge-logs-ap-south-1"] });
    });
});
