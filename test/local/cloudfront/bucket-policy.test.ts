/**
 * The local origin applies the bucket policy the component deploys: the
 * evaluation (IAM's: explicit Deny wins, then Allow, else denied) on the
 * very document `bucketAccessPolicy` makes for the local bucket, and the
 * checked origin in front of s3rver, which alone would serve anything.
 */
import { expect } from "chai";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bucketAccessPolicy, PolicyDocument } from "../../../components/policies";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalServer, startLocalS3 } from "../../../local/aws";
import { evaluatePolicy, policyCheckedOrigin, PolicyRequest } from "../../../local/cloudfront/bucket-policy";
import { bucketOrigin, Origin } from "../../../local/cloudfront/origin";
import { localBucketArn, planLocalServices } from "../../../local/plan";

const BUCKET = "local-shop-images";
const BUCKET_ARN = localBucketArn(BUCKET);
const DISTRIBUTION_ARN = "arn:aws:cloudfront::000000000000:distribution/ELOCALSHOP";

function read(key: string, changes: Partial<PolicyRequest> = {}, context: Record<string, string> = {}): PolicyRequest {
    return {
        service: "cloudfront.amazonaws.com",
        action: "s3:GetObject",
        resource: `${BUCKET_ARN}/${key}`,
        context: { "AWS:SourceArn": DISTRIBUTION_ARN, "aws:SecureTransport": "true", ...context },
        ...changes,
    };
}

describe("local origin: the deployed bucket policy, applied", function () {
    this.timeout(30_000);
    const policy = bucketAccessPolicy({ bucketArn: BUCKET_ARN, distributionArn: DISTRIBUTION_ARN, uploadPrefix: "uploads/" });

    describe("evaluatePolicy on the component's own document", () => {
        it("CloudFront for this distribution reads a served key, never one under the staging prefix", () => {
            expect(evaluatePolicy(policy, read("uploads/3f2a.png"))).to.equal("allow");
            expect(evaluatePolicy(policy, read("uploads/incoming/3f2a.png"))).to.equal("explicit-deny");
            expect(evaluatePolicy(policy, read("uploads/incoming/"))).to.equal("explicit-deny");
            // Only that exact prefix: a look-alike folder is an ordinary key.
            expect(evaluatePolicy(policy, read("uploads/incoming-old/3f2a.png"))).to.equal("allow");
            expect(evaluatePolicy(policy, read("uploads/x/incoming/3f2a.png"))).to.equal("allow");
            expect(evaluatePolicy(policy, read("Uploads/incoming/3f2a.png")), "keys are case-sensitive").to.equal("allow");
        });

        it("another distribution, another principal, another action, plain HTTP: not allowed", () => {
            expect(evaluatePolicy(policy, read("uploads/a.png", {}, { "AWS:SourceArn": "arn:aws:cloudfront::000000000000:distribution/EOTHER" }))).to.equal("implicit-deny");
            expect(evaluatePolicy(policy, read("uploads/a.png", { service: "lambda.amazonaws.com" }))).to.equal("implicit-deny");
            expect(evaluatePolicy(policy, read("uploads/a.png", { action: "s3:PutObject" }))).to.equal("implicit-deny");
            expect(evaluatePolicy(policy, read("uploads/a.png", {}, { "aws:SecureTransport": "false" }))).to.equal("explicit-deny");
            expect(evaluatePolicy(policy, read("uploads/a.png", { action: "S3:getobject" })), "actions are case-insensitive").to.equal("allow");
            expect(evaluatePolicy(policy, read("uploads/a.png", {}, { "aws:sourcearn": DISTRIBUTION_ARN })), "condition keys are case-insensitive").to.equal("allow");
        });

        it("IAM's wildcard characters in an upload prefix are literals (${*}, ${?}, ${$}), not wildcards", () => {
            const odd = bucketAccessPolicy({ bucketArn: BUCKET_ARN, distributionArn: DISTRIBUTION_ARN, uploadPrefix: "a*b?$/" });
            expect(evaluatePolicy(odd, read("a*b?$/incoming/x.png"))).to.equal("explicit-deny");
            expect(evaluatePolicy(odd, read("aXXbY$/incoming/x.png"))).to.equal("allow");
        });

        it("a statement it cannot read is an error, never a guess", () => {
            const withStatement = (statement: Record<string, unknown>): PolicyDocument => ({ Version: "2012-10-17", Statement: [statement as unknown as PolicyDocument["Statement"][number]] });
            const base = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` };
            expect(() => evaluatePolicy(withStatement({ ...base, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }), read("a"))).to.throw(/IpAddress/);
            expect(() => evaluatePolicy(withStatement({ ...base, NotAction: "s3:PutObject" }), read("a"))).to.throw(/NotAction/);
            expect(() => evaluatePolicy(withStatement({ ...base, Resource: `${BUCKET_ARN}/\${aws:username}/*` }), read("a"))).to.throw(/policy variable/);
        });

        it("the local stack plans each service's bucket policy with the component's function, for its own upload prefix", () => {
            const [plan] = planLocalServices({ services: ["marketplace"], overrides: { marketplace: { uploadPrefix: "shop/" } } });
            expect(plan.bucketPolicy).to.deep.equal(bucketAccessPolicy({ bucketArn: localBucketArn(plan.bucket), distributionArn: plan.distributionArn, uploadPrefix: "shop/" }));
            expect(plan.distributionArn).to.equal(`arn:aws:cloudfront::000000000000:distribution/${plan.distributionId}`);
        });
    });

    describe("policyCheckedOrigin in front of s3rver", () => {
        let dir: string;
        let s3: LocalServer;
        let raw: Origin;
        let checked: Origin;

        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "sic-policy-"));
            s3 = await startLocalS3({ dataDir: dir, buckets: [BUCKET] });
            const client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
            for (const key of ["uploads/incoming/posted.png", "uploads/served.png"]) {
                await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(key), ContentType: "image/png" }));
            }
            client.destroy();
            raw = bucketOrigin({ endpoint: s3.endpoint, bucket: BUCKET, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
            checked = policyCheckedOrigin(raw, { policy, bucketArn: BUCKET_ARN, distributionArn: DISTRIBUTION_ARN });
        });
        after(async () => {
            await s3?.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        const get = (origin: Origin, uri: string, method: "GET" | "HEAD" = "GET") => origin.fetch({ method, uri, headers: [] });

        it("s3rver alone serves the staging key (it checks no policy); through the check it is S3's 403 AccessDenied", async () => {
            expect((await get(raw, "/uploads/incoming/posted.png")).status).to.equal(200);
            for (const uri of ["/uploads/incoming/posted.png", "/uploads/%69ncoming/posted.png", "/uploads%2Fincoming%2Fposted.png"]) {
                for (const method of ["GET", "HEAD"] as const) {
                    const answer = await get(checked, uri, method);
                    expect(answer.status, `${method} ${uri}`).to.equal(403);
                    expect(answer.body.toString(), uri).to.not.include("uploads/incoming/posted.png");
                    if (method === "GET") expect(answer.body.toString()).to.include("<Code>AccessDenied</Code>");
                }
            }
        });

        it("serves what the policy allows, and leaves a path S3 cannot decode to S3's own 400", async () => {
            const served = await get(checked, "/uploads/served.png");
            expect(served.status).to.equal(200);
            expect(served.body.toString()).to.equal("uploads/served.png");
            expect((await get(checked, "/uploads/%E0%A4%A")).status).to.equal(400);
        });
    });
});
