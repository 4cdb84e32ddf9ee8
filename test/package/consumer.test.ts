/**
 * Another Pulumi program using the component from the npm package by name
 * (test/package/consumer/index.ts, the TypeScript example of the README):
 * its own on-call topic, certificate and a tag taken from another resource
 * flow into the component; it reads the bucket, the table and the
 * distribution. The program is type-checked against the package's published
 * types, then run under mocks while every `apply` callback is watched for
 * resource registrations.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { watchApplies } from "../components/support/apply-watch";
import { at, deploy, Deployment, ofType, RecordedResource, single, T } from "../components/support/mocks";
import { SharedBuild, sharedBuild } from "../support/shared-build";
import { ROOT } from "./installed";

describe("another program using the package from npm (test/package/consumer)", function () {
    this.timeout(180_000);

    let build: SharedBuild;
    let program: string;
    let deployment: Deployment<Record<string, unknown>>;
    let registeredInApply: string[];
    let applyCallbacks: number;

    /** Loads the consumer program afresh, as the language host would. */
    function runProgram(): Record<string, unknown> {
        delete require.cache[require.resolve(program)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(program) as Record<string, unknown>;
    }

    before(async function () {
        // Built once per run (the package, and the consumer program type-checked against it); another test file's process may be building it.
        this.timeout(600_000);
        build = await sharedBuild();
        program = path.join(build.consumerDir, "index.ts");
        const watch = watchApplies();
        try {
            deployment = await deploy(runProgram, { "aws:region": "eu-west-1" });
        } finally {
            watch.stop();
        }
        registeredInApply = watch.registeredInApply;
        applyCallbacks = watch.callbacks;
    });

    it("type-checks against the package's published types (Outputs where the values come from other resources)", () => {
        expect(build.consumerImportResolvedTo, "the program's import of the package").to.equal(path.join(build.installedDir, "dist", "lib.d.ts"));
        expect(build.consumerDiagnostics.join("\n\n"), "tsc -p test/package/consumer/tsconfig.json").to.equal("");
    });

    it("took the component from the installed package, by its name", () => {
        expect(fs.readFileSync(program, "utf8")).to.match(/from "secure-image-cdn"/);
        const loaded = Object.keys(require.cache);
        expect(loaded).to.include(path.join(build.installedDir, "dist", "components", "secure-image-cdn.js"));
        expect(loaded.filter((file) => file.startsWith(path.join(ROOT, "dist") + path.sep))).to.deep.equal([]);
    });

    it("the topic's ARN reaches the alarms of its region (us-east-1) and no other", () => {
        const topic = single(deployment.resources, T.topic);
        const arn = String(topic.state.arn);
        expect(arn).to.match(/^arn:aws:sns:us-east-1:/);
        const alarms = ofType(deployment.resources, T.alarm);
        expect(alarms.length).to.be.greaterThan(2);
        for (const alarm of alarms) {
            const expected = alarm.inputs.region === "us-east-1" ? [arn] : [];
            expect(alarm.inputs.alarmActions, `${alarm.name} alarmActions`).to.deep.equal(expected);
            expect(alarm.inputs.okActions, `${alarm.name} okActions`).to.deep.equal(expected);
        }
    });

    it("the certificate's ARN (through its validation) reaches the distribution with the alias", () => {
        const certificateArn = single(deployment.resources, T.certificate).state.arn;
        expect(certificateArn).to.match(/^arn:aws:acm:us-east-1:/);
        const distribution = single(deployment.resources, T.distribution);
        expect(at(distribution.inputs, "viewerCertificate", "acmCertificateArn")).to.equal(certificateArn);
        expect(distribution.inputs.aliases).to.deep.equal(["images.example.com"]);
    });

    it("the tag value taken from another resource tags every taggable child", () => {
        const topicName = single(deployment.resources, T.topic).state.name;
        const children: RecordedResource[] = deployment.resources.filter((r) => r.parent === "chat" && r.inputs.tags !== undefined);
        expect(children.map((r) => r.type)).to.include.members([T.bucket, T.table, T.role, T.fn, T.distribution, T.alarm]);
        for (const child of children) expect(child.inputs.tags, child.name).to.deep.include({ team: "media", "oncall-topic": topicName });
    });

    it("the program reaches the bucket, the table and the distribution, and the values the issuer and DNS need", () => {
        const { outputs, resources } = deployment;
        const distribution = single(resources, T.distribution);
        expect(outputs).to.deep.include({
            bucketName: single(resources, T.bucket).state.bucket,
            tableName: single(resources, T.table).state.name,
            distributionId: distribution.id,
            distributionDomainName: distribution.state.domainName,
            baseUrl: "https://images.example.com",
        });
        expect(at(outputs, "issuer", "cdnBaseUrl")).to.equal("https://images.example.com");
        expect(at(outputs, "issuer", "tableName")).to.equal(single(resources, T.table).state.name);
    });

    it("no resource is registered while an apply callback runs", () => {
        expect(applyCallbacks, "apply callbacks seen while watching").to.be.greaterThan(10);
        expect(registeredInApply).to.deep.equal([]);
        expect(deployment.constructedByProgram).to.equal(deployment.resources.length);
    });

    it("(the watch does see a resource registered inside an apply)", async () => {
        const watch = watchApplies();
        try {
            await deploy(() => {
                pulumi.output("oncall").apply((name) => new aws.sns.Topic(name, { region: "us-east-1" }));
            });
        } finally {
            watch.stop();
        }
        expect(watch.registeredInApply).to.deep.equal([`${T.topic}::oncall`]);
    });
});
