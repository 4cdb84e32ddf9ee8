/**
 * `variants` under the strict recording mocks: the resizer (function, role,
 * log group, function URL), the permissions CloudFront needs to call it,
 * the `lambda` origin access control, the second origin and the ordered
 * cache behavior with the default behavior's gate, the viewer-request
 * CloudFront Function at `required` (none at `secured`), the lifecycle rule
 * for stored variants, the resizer's alarms and dashboard row, the issuer
 * settings, and the typed children (what the edge captures of the
 * catalogue: test/components/edge-settings.test.ts). What each policy may
 * do is written out here, as an oracle independent of components/policies.ts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../components/args";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { resizerPackageFile } from "../../components/resizer-code";
import { acceptFunctionSource } from "../../edge/accept-function";
import { parseResizerSettings, RESIZER_SETTINGS_ENV } from "../../resizer/settings";
import { alarmMetric, at, deploy, json, list, MOCK_ACCOUNT, ofType, RecordedResource, single, T } from "./support/mocks";
import { rejection } from "../support/rejection";

const HOME = "eu-west-1";
const CATALOGUE = { thumb: { width: 256, height: 256, fit: "cover" as const, quality: 75, eager: true }, large: { width: 1600, height: 1600, formats: ["webp" as const, "jpeg" as const] } };

function deployOne(args: Partial<SecureImageCdnArgs> = {}, config: Record<string, string> = { "aws:region": HOME }) {
    return deploy(() => {
        const cdn = new SecureImageCdn("chat", { service: "chat", variants: CATALOGUE, ...args });
        return { issuer: cdn.outputs().issuer };
    }, config);
}

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource: string | string[]; Condition?: unknown };

/** A role's inline policy statements, the role found by its logical name. */
function statementsOf(resources: RecordedResource[], policyName: string): Statement[] {
    const policy = resources.find((r) => r.type === T.rolePolicy && r.name === policyName);
    if (!policy) throw new Error(`no role policy ${policyName}`);
    return list(json(policy.inputs, "policy"), "Statement") as Statement[];
}

describe("variants: the resizer and the way to it, under mocks", function () {
    // The first deployment of a process builds the resizer's package (about a second).
    this.timeout(120_000);

    describe("required + origin (the default level)", () => {
        let resources: RecordedResource[];
        let issuer: Record<string, unknown>;
        before(async () => {
            const deployment = await deployOne();
            resources = deployment.resources;
            issuer = deployment.outputs.issuer as unknown as Record<string, unknown>;
        });

        const resizer = () => single(resources, T.fn, "chat-resizer");
        const distribution = () => single(resources, T.distribution).inputs;

        it("the resizer: a regional arm64 function in the home region, the package as its code, its settings as its environment", async () => {
            const fn = resizer();
            expect(fn.state.region).to.equal(HOME);
            expect(fn.inputs).to.not.have.property("region");
            expect(fn.inputs).to.include({ runtime: "nodejs22.x", handler: "index.handler", memorySize: 1769, timeout: 15, reservedConcurrentExecutions: 20 });
            expect(fn.inputs.architectures).to.deep.equal(["arm64"]);
            expect(fn.inputs).to.not.have.property("publish");
            // The archive Pulumi uploads: the zip built for arm64, on disk.
            const archive = fn.inputs.code as { path?: string | Promise<string> };
            const file = await archive.path;
            expect(file).to.match(/resizer-[0-9a-f]{16}\.zip$/);
            expect(file).to.equal(await resizerPackageFile("arm64"));
            expect(fs.statSync(file as string).size).to.be.greaterThan(1_000_000);
            const bucket = single(resources, T.bucket);
            const settings = parseResizerSettings(String(at(fn.inputs, "environment", "variables", RESIZER_SETTINGS_ENV)));
            expect(settings).to.deep.equal({
                service: "chat",
                bucket: bucket.state.bucket,
                region: HOME,
                uploadPrefix: "uploads/",
                presets: {
                    thumb: { ...CATALOGUE.thumb, formats: ["avif", "webp", "jpeg", "png"] },
                    large: { ...CATALOGUE.large, fit: "inside", quality: 80, eager: false },
                },
                variantMaxAgeSeconds: 2592000,
                errorMaxAgeSeconds: 10,
                limitInputPixels: 100_000_000,
                maxOriginalBytes: 10485760,
            });
            expect(Object.keys(at(fn.inputs, "environment", "variables") as object)).to.deep.equal([RESIZER_SETTINGS_ENV]);
        });

        it("its log group: in the home region with the instance's retention, where the function logs", () => {
            const group = single(resources, T.logGroup, "chat-resizer-logs");
            expect(group.state.region).to.equal(HOME);
            expect(group.inputs.retentionInDays).to.equal(30);
            expect(at(resizer().inputs, "loggingConfig")).to.deep.equal({ logFormat: "Text", logGroup: group.state.name });
        });

        it("its role: trusted by Lambda only; reads originals under the upload prefix but never staging, reads and writes derived/ only, lists the bucket itself, logs to its group", () => {
            const role = single(resources, T.role, "chat-resizer-role");
            expect(JSON.parse(String(role.inputs.assumeRolePolicy))).to.deep.equal({
                Version: "2012-10-17",
                Statement: [{ Sid: "Lambda", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            expect(resizer().inputs.role).to.equal(role.state.arn);
            const bucketArn = String(single(resources, T.bucket).state.arn);
            const group = String(single(resources, T.logGroup, "chat-resizer-logs").state.name);
            expect(statementsOf(resources, "chat-resizer-policy")).to.deep.equal([
                { Sid: "ReadOriginalsAndVariants", Effect: "Allow", Action: "s3:GetObject", Resource: [`${bucketArn}/uploads/*`, `${bucketArn}/derived/*`] },
                { Sid: "NeverReadUnconfirmedUploads", Effect: "Deny", Action: "s3:GetObject", Resource: `${bucketArn}/uploads/incoming/*` },
                { Sid: "StoreVariants", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/derived/*` },
                { Sid: "MissingKeyIsNotFound", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
                { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${HOME}:${MOCK_ACCOUNT}:log-group:${group}:*` },
            ]);
            expect(single(resources, T.rolePolicy, "chat-resizer-policy").inputs.role).to.equal(role.id);
        });

        it("its function URL takes AWS_IAM auth only, buffered", () => {
            const url = single(resources, T.functionUrl);
            expect(url.inputs).to.deep.equal({ functionName: resizer().state.name, authorizationType: "AWS_IAM", invokeMode: "BUFFERED" });
        });

        it("CloudFront may invoke it through the URL, for this distribution only: lambda:InvokeFunctionUrl and lambda:InvokeFunction (via the URL), both with the distribution as source", () => {
            const permissions = ofType(resources, T.permission).map((p) => p.inputs);
            const source = single(resources, T.distribution).state.arn;
            expect(permissions).to.have.deep.members([
                { function: resizer().state.name, action: "lambda:InvokeFunctionUrl", principal: "cloudfront.amazonaws.com", sourceArn: source, functionUrlAuthType: "AWS_IAM" },
                { function: resizer().state.name, action: "lambda:InvokeFunction", principal: "cloudfront.amazonaws.com", sourceArn: source, invokedViaFunctionUrl: true },
            ]);
        });

        it("an origin access control of type lambda, signing every request with SigV4, beside the bucket's", () => {
            const oacs = ofType(resources, T.oac);
            expect(oacs.map((oac) => oac.name)).to.have.members(["chat-oac", "chat-resizer-oac"]);
            expect(single(resources, T.oac, "chat-resizer-oac").inputs).to.include({ originAccessControlOriginType: "lambda", signingBehavior: "always", signingProtocol: "sigv4" });
            expect(single(resources, T.oac, "chat-oac").inputs.originAccessControlOriginType).to.equal("s3");
        });

        it("the resizer's URL is a second origin, over HTTPS, through that OAC, waiting no less than the function may take", () => {
            const origins = list(distribution(), "origins") as Record<string, unknown>[];
            expect(origins.map((origin) => origin.originId)).to.deep.equal(["images", "resizer"]);
            const url = String(single(resources, T.functionUrl).state.functionUrl);
            expect(origins[1]).to.deep.equal({
                originId: "resizer",
                domainName: new URL(url).host,
                originAccessControlId: single(resources, T.oac, "chat-resizer-oac").id,
                customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], originReadTimeout: 30 },
            });
            expect(Number(resizer().inputs.timeout)).to.be.at.most(30);
        });

        it("an ordered behavior /images/*/* to it: the default behavior's cache policy, headers policy, methods and gate, the format negotiated on viewer-request first", () => {
            const defaults = at(distribution(), "defaultCacheBehavior") as Record<string, unknown>;
            const [behavior, ...others] = list(distribution(), "orderedCacheBehaviors") as Record<string, unknown>[];
            expect(others).to.deep.equal([]);
            const accept = single(resources, T.cloudFrontFunction);
            expect(behavior).to.deep.equal({
                pathPattern: "/images/*/*",
                targetOriginId: "resizer",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD"],
                cachedMethods: ["GET", "HEAD"],
                compress: false,
                cachePolicyId: defaults.cachePolicyId,
                responseHeadersPolicyId: defaults.responseHeadersPolicyId,
                lambdaFunctionAssociations: defaults.lambdaFunctionAssociations,
                functionAssociations: [{ eventType: "viewer-request", functionArn: accept.state.arn }],
            });
            // Lambda@Edge on the origin events only: never both kinds of function on one event.
            expect((behavior.lambdaFunctionAssociations as { eventType: string }[]).map((a) => a.eventType)).to.deep.equal(["origin-request", "origin-response"]);
            // The path alone is the cache key: the token is in it, never the raw Accept.
            const policy = single(resources, T.cachePolicy).inputs;
            expect(at(policy, "parametersInCacheKeyAndForwardedToOrigin", "headersConfig")).to.deep.equal({ headerBehavior: "none" });
        });

        it("the CloudFront Function: the generated negotiation for this catalogue, cloudfront-js-2.0, published", () => {
            const accept = single(resources, T.cloudFrontFunction);
            expect(accept.inputs).to.include({ runtime: "cloudfront-js-2.0", publish: true });
            expect(accept.inputs.code).to.equal(
                acceptFunctionSource({
                    thumb: { ...CATALOGUE.thumb, formats: ["avif", "webp", "jpeg", "png"] },
                    large: { ...CATALOGUE.large, fit: "inside", quality: 80, eager: false },
                }),
            );
            expect(String(accept.inputs.code)).to.include('"large":["webp","jpeg"]');
        });

        it("a lifecycle rule expires stored variants (derived/ only) no earlier than the longest hash life, beside the staging and hidden-version rules", () => {
            const rules = list(single(resources, T.lifecycle).inputs, "rules") as Record<string, unknown>[];
            expect(rules.map((rule) => rule.id)).to.deep.equal(["expire-unconfirmed-uploads", "expire-hidden-versions", "expire-stored-variants"]);
            expect(rules[2]).to.deep.equal({ id: "expire-stored-variants", status: "Enabled", filter: { prefix: "derived/" }, expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 } });
            expect(at(rules[0], "filter", "prefix")).to.equal("uploads/incoming/");
        });

        it("the resizer's alarms: errors, throttles and duration, in the home region, on its own name, notifying the home region's topic", () => {
            const alarms = ofType(resources, T.alarm).filter((alarm) => alarm.name.startsWith("chat-alarm-resizer-"));
            expect(alarms.map((alarm) => alarm.name)).to.have.members(["chat-alarm-resizer-duration", "chat-alarm-resizer-errors", "chat-alarm-resizer-throttles"]);
            const topic = single(resources, T.topic, `chat-alarms-${HOME}`);
            for (const alarm of alarms) {
                expect(alarm.inputs.region, alarm.name).to.equal(HOME);
                expect(alarmMetric(alarm.inputs).dimensions, alarm.name).to.deep.equal({ FunctionName: resizer().state.name });
                expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic.state.arn]);
                expect(alarm.inputs.treatMissingData).to.equal("notBreaching");
            }
            const byName = (name: string) => alarms.find((alarm) => alarm.name === name) as RecordedResource;
            expect(alarmMetric(byName("chat-alarm-resizer-errors").inputs)).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors", stat: "Sum" });
            expect(alarmMetric(byName("chat-alarm-resizer-throttles").inputs)).to.deep.include({ metricName: "Throttles", stat: "Sum" });
            expect(byName("chat-alarm-resizer-throttles").inputs.threshold).to.equal(0);
            expect(alarmMetric(byName("chat-alarm-resizer-duration").inputs)).to.deep.include({ metricName: "Duration", stat: "Average" });
            expect(byName("chat-alarm-resizer-duration").inputs.threshold, "half the 15 s timeout").to.equal(7500);
        });

        it("the dashboard has the resizer's row, in the home region", () => {
            const body = JSON.parse(String(single(resources, T.dashboard).inputs.dashboardBody)) as { widgets: { properties: { title?: string; region?: string } }[] };
            const titles = body.widgets.filter((widget) => widget.properties.title?.startsWith("Resizer"));
            expect(titles.map((widget) => widget.properties.title)).to.deep.equal([
                `Resizer invocations — ${HOME}`,
                `Resizer duration p50 / p99 (ms) — ${HOME}`,
                `Resizer errors and throttles — ${HOME}`,
                `Resizer concurrent executions (reserved: 20) — ${HOME}`,
            ]);
        });

        it("the issuer's config carries each preset's formats and whether it is eager, nothing of sizes", () => {
            expect(issuer.variants).to.deep.equal({ thumb: { formats: ["avif", "webp", "jpeg", "png"], eager: true }, large: { formats: ["webp", "jpeg"], eager: false } });
        });
    });

    describe("secured + origin", () => {
        it("no CloudFront Function (the gate negotiates on viewer-request itself), the same gate on the variants' behavior", async () => {
            const { resources } = await deployOne({ level: "secured" });
            expect(ofType(resources, T.cloudFrontFunction)).to.deep.equal([]);
            const inputs = single(resources, T.distribution).inputs;
            const [behavior] = list(inputs, "orderedCacheBehaviors") as Record<string, unknown>[];
            expect(behavior.functionAssociations).to.deep.equal([]);
            expect(behavior.lambdaFunctionAssociations).to.deep.equal(at(inputs, "defaultCacheBehavior", "lambdaFunctionAssociations"));
            expect((behavior.lambdaFunctionAssociations as { eventType: string }[]).map((a) => a.eventType)).to.deep.equal(["viewer-request", "origin-response"]);
            expect(ofType(resources, T.permission)).to.have.length(2);
        });
    });

    describe("without variants", () => {
        it("there is no resizer, no second origin, no ordered behavior, no CloudFront Function, no derived rule", async () => {
            const { resources, outputs } = await deployOne({ variants: undefined });
            for (const type of [T.functionUrl, T.permission, T.cloudFrontFunction]) expect(ofType(resources, type), type).to.deep.equal([]);
            // The edge function and (required + origin) home's invalidator: no resizer.
            expect(ofType(resources, T.fn).map((fn) => fn.name)).to.deep.equal(["chat-edge", "chat-inv-home"]);
            expect(ofType(resources, T.oac).map((oac) => oac.name)).to.deep.equal(["chat-oac"]);
            expect(single(resources, T.distribution).inputs).to.not.have.property("orderedCacheBehaviors");
            expect((list(single(resources, T.lifecycle).inputs, "rules") as { id: string }[]).map((rule) => rule.id)).to.deep.equal(["expire-unconfirmed-uploads", "expire-hidden-versions"]);
            expect(outputs.issuer).to.not.have.property("variants");
        });
    });

    describe("refused before anything is created, the field named", () => {
        it("a redirect instance with variants", async () => {
            const error = await rejection(deployOne({ mode: "redirect" }), Error);
            expect(error.message).to.match(/^variants apply to mode "origin" only: mode "redirect"/);
        });

        it("a public instance with variants (it has no gate)", async () => {
            const error = await rejection(deployOne({ level: "public" }), Error);
            expect(error.message).to.equal('variants does not apply to level "public", which serves objects by key without hashes or an edge function');
        });
    });

    describe("typed children", () => {
        it("each new child is a typed property, the very resource registered; a secured instance has no acceptFunction", async () => {
            const urnOf = (resource: pulumi.Resource | undefined) => resource?.urn;
            const { outputs } = await deploy(
                () => {
                    const cdn = new SecureImageCdn("chat", { service: "chat", variants: CATALOGUE });
                    const secured = new SecureImageCdn("notices", { service: "regulatory", level: "secured", variants: CATALOGUE });
                    return {
                        resizerFunction: urnOf(cdn.resizerFunction),
                        resizerRole: urnOf(cdn.resizerRole),
                        resizerRolePolicy: urnOf(cdn.resizerRolePolicy),
                        resizerLogGroup: urnOf(cdn.resizerLogGroup),
                        resizerFunctionUrl: urnOf(cdn.resizerFunctionUrl),
                        resizerInvokeUrlPermission: urnOf(cdn.resizerInvokeUrlPermission),
                        resizerInvokePermission: urnOf(cdn.resizerInvokePermission),
                        resizerOriginAccessControl: urnOf(cdn.resizerOriginAccessControl),
                        acceptFunction: urnOf(cdn.acceptFunction),
                        resizerDurationAlarm: urnOf(cdn.resizerDurationAlarm),
                        resizerErrorsAlarm: urnOf(cdn.resizerErrorsAlarm),
                        resizerThrottlesAlarm: urnOf(cdn.resizerThrottlesAlarm),
                        securedAcceptFunction: urnOf(secured.acceptFunction) ?? "none",
                    };
                },
                { "aws:region": HOME },
            );
            const urn = (type: string, name: string) => `urn:pulumi:test::secure-image-cdn::${T.component}$${type}::${name}`;
            expect(outputs).to.deep.equal({
                resizerFunction: urn(T.fn, "chat-resizer"),
                resizerRole: urn(T.role, "chat-resizer-role"),
                resizerRolePolicy: urn(T.rolePolicy, "chat-resizer-policy"),
                resizerLogGroup: urn(T.logGroup, "chat-resizer-logs"),
                resizerFunctionUrl: urn(T.functionUrl, "chat-resizer-url"),
                resizerInvokeUrlPermission: urn(T.permission, "chat-resizer-invoke-url"),
                resizerInvokePermission: urn(T.permission, "chat-resizer-invoke-function"),
                resizerOriginAccessControl: urn(T.oac, "chat-resizer-oac"),
                acceptFunction: urn(T.cloudFrontFunction, "chat-formats"),
                resizerDurationAlarm: urn(T.alarm, "chat-alarm-resizer-duration"),
                resizerErrorsAlarm: urn(T.alarm, "chat-alarm-resizer-errors"),
                resizerThrottlesAlarm: urn(T.alarm, "chat-alarm-resizer-throttles"),
                securedAcceptFunction: "none",
            });
        });
    });
});
