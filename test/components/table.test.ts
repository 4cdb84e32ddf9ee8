/**
 * The mapping table (components/table.ts), its builder called directly with
 * resolved settings and a parent (a program's own component), as the
 * component calls it: the replicas once a home region known only when the
 * deployment runs (an AWS provider's) resolves, and a replica there refused.
 */
import { expect } from "chai";
import { createMappingTableResource } from "../../components/table";
import { guarded, parent, providerRegion } from "./support/builders";
import { deploy, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";

describe("components/table: the mapping table", () => {
    describe("with a provider's home region", () => {
        it("the table: its replicas once home resolves; a replica at home fails the table, naming where home came from", async () => {
            const { resources } = await deploy(() => {
                createMappingTableResource("chat", guarded({ service: "chat", replicaRegions: ["eu-west-1"] }, { homeRegion: providerRegion("us-west-2"), requireHomeRegion: true }), parent());
            });
            const table = single(resources, T.table);
            expect(table.parent).to.equal("images");
            expect(table.inputs.replicas).to.deep.equal([{ regionName: "eu-west-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true }]);
            const error = await rejection(
                deploy(() => {
                    createMappingTableResource("chat", guarded({ service: "chat", replicaRegions: ["us-west-2"] }, { homeRegion: providerRegion("us-west-2"), requireHomeRegion: true }), parent());
                }),
                Error,
            );
            expect(error.message).to.match(/replicaRegions\[0\] is the home region us-west-2 \(the region of the component's AWS provider\), where the table itself lives$/);
        });
    });
});
