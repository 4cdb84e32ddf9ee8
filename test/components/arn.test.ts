/**
 * Reading ARNs (components/arn.ts): the region of a regional ARN, and a
 * refusal, naming the ARN, of one that names no region (a global service's,
 * or a string that is no ARN at all).
 */
import { expect } from "chai";
import { regionOfArn } from "../../components/arn";

describe("components/arn: the region an ARN names", () => {
    it("a regional ARN's region; a global one (IAM) is refused", () => {
        expect(regionOfArn("arn:aws:cloudwatch:ap-south-1:123456789012:alarm:x")).to.equal("ap-south-1");
        expect(() => regionOfArn("arn:aws:iam::123456789012:role/x")).to.throw(/not a regional ARN/);
    });
});
