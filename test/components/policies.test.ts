/**
 * The component's IAM documents, as plain functions: least privilege for
 * the edge function, OAC-only reads and TLS-only access for the bucket.
 */
import { expect } from "chai";
import { bucketAccessPolicy, edgeFunctionPolicy, literalInArn, edgeLogGroupArns, edgeTrustPolicy, PolicyDocument, PolicyStatement } from "../../components/policies";
import { grants } from "../support/policy-grants";

const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/chat-table-1a2b3c4";
const BUCKET_ARN = "arn:aws:s3:::chat-bucket-1a2b3c4";
const DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/E1ABCDEF";

function edgePolicy(mode: "origin" | "redirect"): PolicyDocument {
    return edgeFunctionPolicy({ mode, tableArn: TABLE_ARN, bucketArn: BUCKET_ARN, partition: "aws", accountId: "123456789012", logGroupName: "chat-edge-logs-1a2b3c4" });
}

describe("IAM documents", () => {
    it("the edge role is assumable by Lambda and by its edge replicas, and by nothing else", () => {
        const doc = edgeTrustPolicy();
        expect(doc.Statement).to.have.length(1);
        const [statement] = doc.Statement;
        expect(statement).to.deep.include({ Effect: "Allow", Action: "sts:AssumeRole" });
        expect(statement.Principal).to.deep.equal({ Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] });
        expect(statement.Condition).to.equal(undefined);
    });

    it("origin mode: the edge may read one item of this table by key and write to its own log group, nothing more (no log group creation)", () => {
        const logs = edgeLogGroupArns("aws", "123456789012", "chat-edge-logs-1a2b3c4");
        expect(grants(edgePolicy("origin"))).to.have.deep.members([
            ["dynamodb:GetItem", TABLE_ARN],
            ["logs:CreateLogStream", logs.streams],
            ["logs:PutLogEvents", logs.streams],
        ]);
    });

    it("a table on a customer-managed key: Decrypt and DescribeKey on that key, through DynamoDB in the table's region only", () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const doc = edgeFunctionPolicy({ mode: "origin", tableArn: TABLE_ARN, tableKmsKeyArn: key, bucketArn: BUCKET_ARN, partition: "aws", accountId: "123456789012", logGroupName: "chat-edge-logs-1a2b3c4" });
        const kms = doc.Statement.filter((s) => [s.Action].flat().some((action) => action.startsWith("kms:")));
        expect(kms).to.deep.equal([
            { Sid: "DecryptTableKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: key, Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } } },
        ]);
        expect(grants(doc).filter(([action]) => !action.startsWith("kms:"))).to.have.deep.members(grants(edgePolicy("origin")));
        expect(grants(edgePolicy("origin")).filter(([action]) => action.startsWith("kms:")), "no key, no KMS grant").to.deep.equal([]);
    });

    it("redirect mode adds s3:GetObject on this bucket's objects only (to presign)", () => {
        const added = grants(edgePolicy("redirect")).filter(([action]) => action.startsWith("s3:"));
        expect(added).to.deep.equal([["s3:GetObject", `${BUCKET_ARN}/*`]]);
    });

    it("the edge never gets the index, a wildcard action or a wildcard resource", () => {
        for (const mode of ["origin", "redirect"] as const) {
            for (const [action, resource] of grants(edgePolicy(mode))) {
                expect(action, mode).to.not.include("*");
                expect(resource, mode).to.not.equal("*");
                expect(resource, mode).to.not.include("/index/");
            }
        }
    });

    it("edge logs are the function's own log group (one name in every region), in any region", () => {
        const logs = edgeLogGroupArns("aws", "123456789012", "chat-edge-logs-1a2b3c4");
        expect(logs.group).to.equal("arn:aws:logs:*:123456789012:log-group:chat-edge-logs-1a2b3c4");
        expect(logs.streams).to.equal(`${logs.group}:*`);
        expect(edgeLogGroupArns("aws-us-gov", "123456789012", "f").group).to.match(/^arn:aws-us-gov:logs:\*:/);
    });

    const bucketPolicy = (uploadPrefix = "uploads/") => bucketAccessPolicy({ bucketArn: BUCKET_ARN, distributionArn: DISTRIBUTION_ARN, uploadPrefix });

    it("the bucket lets CloudFront read objects only for this distribution", () => {
        const allow = bucketPolicy().Statement.filter((s) => s.Effect === "Allow");
        expect(allow).to.have.length(1);
        expect(allow[0]).to.deep.include({
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: `${BUCKET_ARN}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } },
        });
    });

    it("the bucket refuses CloudFront every read under the staging prefix, and every request made without TLS", () => {
        const deny = bucketPolicy().Statement.filter((s) => s.Effect === "Deny");
        expect(deny).to.deep.equal([
            {
                Sid: "NeverServeUnconfirmedUploads",
                Effect: "Deny",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${BUCKET_ARN}/uploads/incoming/*`,
            },
            {
                Sid: "DenyPlainHttp",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ] satisfies PolicyStatement[]);
    });

    it("the staging deny follows the instance's uploadPrefix, with IAM's wildcard characters in it written as literals", () => {
        const stagingResource = (uploadPrefix: string) => bucketPolicy(uploadPrefix).Statement.find((s) => s.Sid === "NeverServeUnconfirmedUploads")?.Resource;
        expect(stagingResource("user-content/")).to.equal(`${BUCKET_ARN}/user-content/incoming/*`);
        expect(stagingResource("a*b/c?d/$e/")).to.equal(`${BUCKET_ARN}/a\${*}b/c\${?}d/\${$}e/incoming/*`);
        expect(literalInArn("*?$plain")).to.equal("${*}${?}${$}plain");
    });
});
