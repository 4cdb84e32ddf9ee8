// Each AWS service from its own module: the root of @pulumi/aws would make
// the compiler read the declarations of every service.
import * as acm from "@pulumi/aws/acm";
import * as sns from "@pulumi/aws/sns";
import { SecureImageCdn } from "secure-image-cdn";

// The on-call topic and the certificate live in us-east-1, where CloudFront
// publishes its metrics and reads certificates.
const oncall = new sns.Topic("oncall", { region: "us-east-1" });
const certificate = new acm.Certificate("images", {
    region: "us-east-1",
    domainName: "images.example.com",
    validationMethod: "DNS",
});
// Waits until the certificate is issued (its DNS records are made elsewhere).
const validation = new acm.CertificateValidation("images", {
    region: "us-east-1",
    certificateArn: certificate.arn,
});

const images = new SecureImageCdn("chat", {
    service: "chat",
    level: "required",
    aliases: ["images.example.com"],
    certificateArn: validation.certificateArn,
    tags: { team: "media", "oncall-topic": oncall.name },
    // A topic reaches the alarms of its own region only: the edge alarms in
    // the price class's other regions need a topic of theirs (preview names
    // them), or leave out `actions` and the component makes one per region.
    alarms: { actions: [oncall.arn] },
});

// The values the issuing library and DNS need...
export const baseUrl = images.baseUrl;
export const distributionDomainName = images.distributionDomainName;
export const issuer = images.issuerConfig;
// ...and the children, to build on.
export const bucketName = images.bucket.bucket;
export const tableName = images.table?.name;
export const distributionId = images.distribution.id;
