/**
 * The mapping table (components/table.ts), its builder called directly with
 * resolved settings and a parent (a program's own component), as the
 * component calls it: with a home region known only when the deployment
 * runs (an AWS provider's), the replicas kept and those being removed once
 * it resolves, and a replica there refused; and the table's encryption
 * refusing a customer-managed key it is not given.
 */
import { expect } from "chai";
import { createMappingTableResource, tableEncryption } from "../../components/table";
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

        it("replicas kept and replicas being removed, once home resolves: the kept ones first and protected, then the leaving ones without deletion protection", async () => {
            const { resources } = await deploy(() => {
                const settings = guarded({ service: "chat", replicaRegions: ["ap-south-1"], replicaRegionsToRemove: ["eu-west-1"] }, { homeRegion: providerRegion("us-west-2"), requireHomeRegion: true });
                createMappingTableResource("chat", settings, parent());
            });
            expect(single(resources, T.table).inputs.replicas).to.deep.equal([
                { regionName: "ap-south-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
                { regionName: "eu-west-1", pointInTimeRecovery: true, deletionProtectionEnabled: false, propagateTags: true },
            ]);
        });
    });

    describe("tableEncryption", () => {
        it("customer-managed-kms without a key is refused by the table itself, not only by the args", () => {
            expect(() => tableEncryption({ tableEncryption: "customer-managed-kms", tableKmsKeyArn: undefined, homeRegion: "eu-west-1" })).to.throw('tableEncryption "customer-managed-kms" needs tableKmsKeyArn');
        });
    });
});
