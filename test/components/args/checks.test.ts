/**
 * The args another program often takes from its own resources (alarm
 * action ARNs, tag values, aliases, the certificate ARN) given as Outputs:
 * they reach the children, action ARNs still reach only the alarms of their
 * own region, and a value that resolves to something invalid fails the
 * deployment with the message the same plain value gets up front. Plain
 * args that decide what exists are refused as Outputs.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../../components/args";
import { resolveArgs } from "../../../components/resolve-args";
import { SecureImageCdn } from "../../../components/secure-image-cdn";
import { rejection, thrown } from "../../support/rejection";
import { alarmMetric, at, deploy, ofType, single, T } from "../support/mocks";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0d4e5f6a-1111-2222-3333-444455556666";
const TOPIC_US_EAST = "arn:aws:sns:us-east-1:123456789012:oncall";
const TOPIC_EU = "arn:aws:sns:eu-west-1:123456789012:oncall-eu";

/** A value known only once the deployment runs, as another resource's output would be. */
function later<T>(value: T): pulumi.Output<pulumi.Unwrap<T>> {
    return pulumi.output(new Promise<T>((resolve) => setImmediate(() => resolve(value))));
}

/**
 * The message of a deployment failure without the prefixes Pulumi adds on
 * the way out, one per property it was serializing (`error serializing
 * property "tags": …`), which name where the value was going.
 */
function ownMessage(error: Error): string {
    return error.message.replace(/^(error serializing property "[^"]*": )+/, "");
}

/** The error a deployment of one instance fails with (a test failure when it does not fail). */
function deploymentError(args: SecureImageCdnArgs): Promise<Error> {
    return rejection(
        deploy(() => {
            new SecureImageCdn(args.service, args);
        }),
        Error,
    );
}

/** The error `resolveArgs` throws for plain args. */
function planError(args: SecureImageCdnArgs): Error {
    return thrown(() => resolveArgs(args), Error);
}

describe("SecureImageCdn args given as Outputs", () => {
    describe("reach the children", () => {
        it("tag values from other resources tag every taggable child", async () => {
            const { resources } = await deploy(() => {
                new SecureImageCdn("chat", { service: "chat", tags: { team: later("media"), "cost-center": "42" } });
            });
            const taggable = resources.filter((r) => r.type !== T.component && r.inputs.tags !== undefined);
            expect(taggable.map((r) => r.type)).to.include.members([T.bucket, T.table, T.role, T.fn, T.distribution, T.alarm]);
            for (const child of taggable) {
                expect(child.inputs.tags, child.name).to.deep.include({ team: "media", "cost-center": "42", "secure-image-cdn:service": "chat" });
            }
        });

        it("aliases from other resources reach the distribution, and the first is the domain and base URL", async () => {
            const { resources, outputs } = await deploy(() => ({
                out: new SecureImageCdn("chat", {
                    service: "chat",
                    aliases: [later("img.example.com"), "cdn.example.com"],
                    certificateArn: later(CERT),
                }).outputs(),
            }));
            const distribution = single(resources, T.distribution).inputs;
            expect(distribution.aliases).to.deep.equal(["img.example.com", "cdn.example.com"]);
            expect(at(distribution, "viewerCertificate", "acmCertificateArn")).to.equal(CERT);
            expect(outputs.out.domainName).to.equal("img.example.com");
            expect(outputs.out.baseUrl).to.equal("https://img.example.com");
            expect(outputs.out.issuer.cdnBaseUrl).to.equal("https://img.example.com");
        });

        it("action ARNs from other resources reach only the alarms of their own region", async () => {
            const { resources } = await deploy(() => {
                new SecureImageCdn("chat", {
                    service: "chat",
                    alarms: { actions: [later(TOPIC_US_EAST), later(TOPIC_EU)], edgeRegions: ["us-east-1", "eu-west-1", "ap-south-1"] },
                });
            });
            // The edge's alarms (the home invalidator's, in eu-west-1 too, are keyed by their name).
            const byKey = new Map(
                ofType(resources, T.alarm).map((a) => [
                    a.name.startsWith("chat-alarm-invalidator-") ? a.name : `${alarmMetric(a.inputs).namespace} ${alarmMetric(a.inputs).metricName} ${String(a.inputs.region)}`,
                    a.inputs,
                ]),
            );
            expect([...byKey.keys()]).to.have.members([
                "AWS/CloudFront 5xxErrorRate us-east-1",
                "AWS/CloudFront LambdaExecutionError us-east-1",
                ...["us-east-1", "eu-west-1", "ap-south-1"].flatMap((region) => ["Duration", "Errors", "Throttles"].map((metric) => `AWS/Lambda ${metric} ${region}`)),
                ...["errors", "throttles", "iterator-age", "dead-letters"].map((kind) => `chat-alarm-invalidator-${kind}-home`),
            ]);
            expect(at(byKey.get("chat-alarm-invalidator-errors-home"), "alarmActions"), "home (eu-west-1)").to.deep.equal([TOPIC_EU]);
            for (const key of ["AWS/CloudFront 5xxErrorRate us-east-1", "AWS/CloudFront LambdaExecutionError us-east-1", "AWS/Lambda Duration us-east-1", "AWS/Lambda Errors us-east-1"]) {
                expect(at(byKey.get(key), "alarmActions"), key).to.deep.equal([TOPIC_US_EAST]);
                expect(at(byKey.get(key), "okActions"), key).to.deep.equal([TOPIC_US_EAST]);
            }
            expect(at(byKey.get("AWS/Lambda Duration eu-west-1"), "alarmActions")).to.deep.equal([TOPIC_EU]);
            expect(at(byKey.get("AWS/Lambda Throttles ap-south-1"), "alarmActions")).to.deep.equal([]);
        });

        it("plain and Output actions mix: each alarm gets its region's topics of both kinds", async () => {
            const { resources } = await deploy(() => {
                new SecureImageCdn("chat", { service: "chat", alarms: { actions: [TOPIC_EU, later(TOPIC_US_EAST)], edgeRegions: ["us-east-1", "eu-west-1"] } });
            });
            const lambdaEu = ofType(resources, T.alarm).find((a) => alarmMetric(a.inputs).namespace === "AWS/Lambda" && a.inputs.region === "eu-west-1");
            const cloudFront = ofType(resources, T.alarm).find((a) => alarmMetric(a.inputs).namespace === "AWS/CloudFront");
            expect(at(lambdaEu?.inputs, "alarmActions")).to.deep.equal([TOPIC_EU]);
            expect(at(cloudFront?.inputs, "alarmActions")).to.deep.equal([TOPIC_US_EAST]);
        });

        it("Outputs in the args create nothing inside an apply: every resource was constructed by the program", async () => {
            const { resources, constructedByProgram } = await deploy(() => {
                new SecureImageCdn("chat", { service: "chat", tags: { team: later("media") }, aliases: [later("img.example.com")], certificateArn: later(CERT), alarms: { actions: [later(TOPIC_US_EAST)] } });
            });
            expect(resources.length).to.be.greaterThan(10);
            expect(constructedByProgram).to.equal(resources.length);
        });
    });

    describe("a value that resolves to something invalid fails the deployment with the plain value's message", () => {
        const cases: [string, SecureImageCdnArgs, SecureImageCdnArgs][] = [
            [
                "a tag value over 256 characters",
                { service: "chat", tags: { team: later("x".repeat(257)) } },
                { service: "chat", tags: { team: "x".repeat(257) } },
            ],
            [
                "an alias that is not a domain name",
                { service: "chat", aliases: [later("https://img.example.com")], certificateArn: CERT },
                { service: "chat", aliases: ["https://img.example.com"], certificateArn: CERT },
            ],
            [
                "the same alias twice, once plain and once an Output",
                { service: "chat", aliases: ["img.example.com", later("img.example.com")], certificateArn: CERT },
                { service: "chat", aliases: ["img.example.com", "img.example.com"], certificateArn: CERT },
            ],
            [
                "a certificate outside us-east-1",
                { service: "chat", aliases: ["img.example.com"], certificateArn: later(CERT.replace("us-east-1", "eu-west-1")) },
                { service: "chat", aliases: ["img.example.com"], certificateArn: CERT.replace("us-east-1", "eu-west-1") },
            ],
            [
                "an alarm action that is not an SNS topic ARN",
                { service: "chat", alarms: { actions: [later("arn:aws:sqs:us-east-1:123456789012:q")] } },
                { service: "chat", alarms: { actions: ["arn:aws:sqs:us-east-1:123456789012:q"] } },
            ],
            [
                "an alarm action in a region without an alarm",
                { service: "chat", alarms: { actions: [later("arn:aws:sns:ap-south-1:123456789012:oncall")] } },
                { service: "chat", alarms: { actions: ["arn:aws:sns:ap-south-1:123456789012:oncall"] } },
            ],
            [
                "the same alarm action twice, once plain and once an Output",
                { service: "chat", alarms: { actions: [TOPIC_US_EAST, later(TOPIC_US_EAST)] } },
                { service: "chat", alarms: { actions: [TOPIC_US_EAST, TOPIC_US_EAST] } },
            ],
        ];
        for (const [what, withOutput, plain] of cases) {
            it(what, async () => {
                const expected = planError(plain).message;
                const error = await deploymentError(withOutput);
                expect(error.message).to.match(/^error serializing property "\w+": /);
                expect(ownMessage(error)).to.equal(expected);
            });
        }
    });

    describe("args that decide what exists are refused as Outputs, naming the field, before anything is registered", () => {
        const cases: [string, SecureImageCdnArgs, RegExp][] = [
            ["the level", { service: "chat", level: later("public") as never }, /^level must be known when the program runs/],
            ["the service", { service: later("chat") as never }, /^service must be known when the program runs/],
            ["the list of aliases", { service: "chat", aliases: later(["img.example.com"]) as never, certificateArn: CERT }, /^aliases must be known when the program runs/],
            ["the tags object", { service: "chat", tags: later({ team: "media" }) as never }, /^tags must be known when the program runs/],
            ["the list of alarm actions", { service: "chat", alarms: { actions: later([TOPIC_US_EAST]) as never } }, /^alarms\.actions must be known when the program runs/],
            ["the edge alarm regions", { service: "chat", alarms: { edgeRegions: later(["us-east-1"]) as never } }, /^alarms\.edgeRegions must be known when the program runs/],
            ["an edge knob", { service: "chat", edge: { timeoutSeconds: later(5) as never } }, /^edge\.timeoutSeconds must be known when the program runs/],
        ];
        for (const [what, args, message] of cases) {
            it(what, async () => {
                const { resources } = await deploy(() => {
                    expect(() => new SecureImageCdn("chat", args)).to.throw(message);
                });
                expect(resources).to.deep.equal([]);
            });
        }
    });
});
