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

    it("the fourth field whatever follows it (a qualified function's ARN) and whatever the partition", () => {
        expect(regionOfArn("arn:aws:lambda:us-east-1:123456789012:function:chat-edge:3")).to.equal("us-east-1");
        expect(regionOfArn("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/chat-table")).to.equal("cn-north-1");
    });

    it("refuses, naming it, an S3 bucket's ARN (no region) and a string that is no ARN", () => {
        expect(() => regionOfArn("arn:aws:s3:::chat-bucket")).to.throw("not a regional ARN: arn:aws:s3:::chat-bucket");
        expect(() => regionOfArn("chat-bucket")).to.throw("not a regional ARN: chat-bucket");
    });
});
