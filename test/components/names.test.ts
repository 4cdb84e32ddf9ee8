/**
 * The children's logical names (components/names.ts): the instance, the
 * role's word and the qualifiers, hyphen-joined, a word of its own for each
 * role; the short region codes for names AWS limits, in every partition's
 * form, anything that is no region name refused; and the log group
 * CloudFront writes a distribution's Lambda@Edge validation errors to.
 */
import { expect } from "chai";
import { CHILD_ROLES, childName, cloudFrontEdgeLogGroupName, regionCode } from "../../components/names";

describe("components/names: the children's names", () => {
    it("childName: the instance, the role's word, then each qualifier, hyphen-joined", () => {
        expect(childName("chat", "distribution")).to.equal("chat-cdn");
        expect(childName("chat", "edgeLogQuery", "outcomes", "eu-west-1")).to.equal("chat-edge-query-outcomes-eu-west-1");
        expect(childName("photos", "invalidatorDeadLetters", "apse2")).to.equal("photos-inv-dlq-apse2");
    });

    it("every role has a word of its own", () => {
        const words = Object.values(CHILD_ROLES);
        expect(new Set(words).size).to.equal(words.length);
    });

    it("regionCode: isolated partitions and two-letter directions too; a name without a known direction or a number is refused", () => {
        expect(["us-iso-east-1", "us-isob-east-1", "ap-northeast-3", "cn-northwest-1", "il-central-1", "sa-east-1"].map(regionCode)).to.deep.equal(["usie1", "usibe1", "apne3", "cnnw1", "ilc1", "sae1"]);
        for (const name of ["eu-west", "eu-up-1", "eu-west-x", "", "west-1"]) expect(() => regionCode(name), JSON.stringify(name)).to.throw(`not a region name: ${name}`);
    });

    it("cloudFrontEdgeLogGroupName: CloudFront's Lambda@Edge folder, then the distribution's ID", () => {
        expect(cloudFrontEdgeLogGroupName("E2EXAMPLE")).to.equal("/aws/cloudfront/LambdaEdge/E2EXAMPLE");
    });
});
