/**
 * The infra tests' Pulumi runtime mocks: one recording mock per deployment,
 * outputs synthesized the way AWS would compute them, and a strict `call`
 * that refuses any provider function the component is not meant to use.
 *
 * `deploy(program)` runs a program inside a Pulumi stack (as the language
 * host does), records every resource with its inputs and its `protect`
 * option, and resolves only once every registration has finished, so one
 * test's late registrations can never leak into the next. Mocks are global
 * to the process, so every deployment installs a fresh set.
 *
 * A program may create AWS providers (`aws.Provider`): as with AWS, a
 * resource created with one is in the provider's region unless it names
 * its own, and `aws.getRegion` answers the region of the provider it is
 * asked through. Without one, resources are in {@link MOCK_REGION}.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { emulateEngineTransforms } from "./engine-transforms";

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { leakedPromises } = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises(): [Set<Promise<unknown>>, string] };

export const MOCK_PROJECT = "secure-image-cdn";
export const MOCK_STACK = "test";
export const MOCK_ACCOUNT = "123456789012";
export const MOCK_PARTITION = "aws";
/** The provider region of the mocked stack (not us-east-1, so misplaced resources show). */
export const MOCK_REGION = "eu-west-1";

export interface RecordedResource {
    type: string;
    name: string;
    /** The id the mock gave it (what other resources receive as `.id`). */
    id: string | undefined;
    inputs: Record<string, unknown>;
    state: Record<string, unknown>;
    /** The `protect` option the resource was constructed with. */
    protect: boolean | undefined;
    /** Logical name of the parent resource. */
    parent: string | undefined;
    /** Logical names of the resources given in its `dependsOn` option (a plain list). */
    dependsOn?: string[];
}

export interface RecordedCall {
    token: string;
    inputs: Record<string, unknown>;
}

/** Computes a resource's outputs from its name, its inputs and the region of its provider. */
type Synthesizer = (name: string, inputs: Record<string, unknown>, providerRegion: string) => Record<string, unknown>;

/** A stable stand-in for a provider-generated suffix. */
function suffix(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 7);
}

/** The region a resource is in: its own `region`, else its provider's. */
function regionOf(inputs: Record<string, unknown>, providerRegion: string): string {
    return typeof inputs.region === "string" ? inputs.region : providerRegion;
}

/** What a provider would auto-name a resource without an explicit name. */
function autoName(name: string, inputs: Record<string, unknown>, field = "name"): string {
    const given = inputs[field];
    return typeof given === "string" ? given : `${name}-${suffix(name)}`;
}

/** Computed outputs per resource type; a type not listed here is an error. */
const SYNTHESIZERS: Record<string, Synthesizer> = {
    "aws:s3/bucket:Bucket": (name, inputs, providerRegion) => {
        const bucket = autoName(name, inputs, "bucket");
        const region = regionOf(inputs, providerRegion);
        return {
            bucket,
            region,
            arn: `arn:${MOCK_PARTITION}:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        };
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:s3/bucketVersioning:BucketVersioning": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:s3/bucketPolicy:BucketPolicy": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion) }),
    "aws:dynamodb/table:Table": (name, inputs, providerRegion) => {
        const tableName = autoName(name, inputs);
        const region = regionOf(inputs, providerRegion);
        const arn = `arn:${MOCK_PARTITION}:dynamodb:${region}:${MOCK_ACCOUNT}:table/${tableName}`;
        const label = "2025-01-01T00:00:00.000";
        // A stream (and each replica's) exists once the table has one on.
        const stream = inputs.streamEnabled === true ? { streamArn: `${arn}/stream/${label}`, streamLabel: label } : {};
        const replicas = Array.isArray(inputs.replicas)
            ? {
                  replicas: (inputs.replicas as { regionName: string }[]).map((replica) => {
                      const replicaArn = `arn:${MOCK_PARTITION}:dynamodb:${replica.regionName}:${MOCK_ACCOUNT}:table/${tableName}`;
                      return { ...replica, arn: replicaArn, streamArn: `${replicaArn}/stream/${label}`, streamLabel: label };
                  }),
              }
            : {};
        return { name: tableName, region, arn, ...stream, ...replicas };
    },
    "aws:sqs/queue:Queue": (name, inputs, providerRegion) => {
        const queueName = autoName(name, inputs);
        const region = regionOf(inputs, providerRegion);
        return { name: queueName, region, arn: `arn:${MOCK_PARTITION}:sqs:${region}:${MOCK_ACCOUNT}:${queueName}`, url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${queueName}` };
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": (name, inputs, providerRegion) => {
        const region = regionOf(inputs, providerRegion);
        const uuid = `${suffix(name, "mapping")}0-1111-2222-3333-444455556666`;
        return { region, uuid, arn: `arn:${MOCK_PARTITION}:lambda:${region}:${MOCK_ACCOUNT}:event-source-mapping:${uuid}`, functionArn: inputs.functionName, state: "Enabled" };
    },
    "aws:iam/role:Role": (name, inputs) => {
        const roleName = autoName(name, inputs);
        return { name: roleName, arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT}:role/${roleName}` };
    },
    "aws:iam/rolePolicy:RolePolicy": (name, inputs) => ({ name: autoName(name, inputs) }),
    "aws:lambda/function:Function": (name, inputs, providerRegion) => {
        const functionName = autoName(name, inputs);
        const region = regionOf(inputs, providerRegion);
        const arn = `arn:${MOCK_PARTITION}:lambda:${region}:${MOCK_ACCOUNT}:function:${functionName}`;
        const version = inputs.publish === true ? "1" : "$LATEST";
        return { name: functionName, region, arn, version, qualifiedArn: `${arn}:${version}` };
    },
    "aws:lambda/functionUrl:FunctionUrl": (name, inputs, providerRegion) => {
        const region = regionOf(inputs, providerRegion);
        const urlId = suffix(name, "url").repeat(5).slice(0, 32);
        return {
            region,
            urlId,
            functionUrl: `https://${urlId}.lambda-url.${region}.on.aws/`,
            functionArn: `arn:${MOCK_PARTITION}:lambda:${region}:${MOCK_ACCOUNT}:function:${String(inputs.functionName)}`,
        };
    },
    "aws:lambda/permission:Permission": (name, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion), statementId: typeof inputs.statementId === "string" ? inputs.statementId : `${name}-${suffix(name)}` }),
    "aws:cloudfront/function:Function": (name, inputs) => {
        const functionName = autoName(name, inputs);
        return { name: functionName, arn: `arn:${MOCK_PARTITION}:cloudfront::${MOCK_ACCOUNT}:function/${functionName}`, etag: `E${suffix(name, "etag").toUpperCase()}`, status: "UNASSOCIATED" };
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": (name, inputs) => ({ name: autoName(name, inputs) }),
    "aws:cloudfront/cachePolicy:CachePolicy": (name, inputs) => ({ name: autoName(name, inputs) }),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (name, inputs) => ({ name: autoName(name, inputs) }),
    "aws:cloudfront/distribution:Distribution": (name) => {
        const id = `E${suffix(name, "distribution").toUpperCase()}`;
        return {
            id,
            arn: `arn:${MOCK_PARTITION}:cloudfront::${MOCK_ACCOUNT}:distribution/${id}`,
            domainName: `d${suffix(name, "domain")}.cloudfront.net`,
            hostedZoneId: "Z2FDTNDATAQYW2",
        };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, inputs, providerRegion) => {
        const alarmName = autoName(name, inputs);
        return { name: alarmName, arn: `arn:${MOCK_PARTITION}:cloudwatch:${regionOf(inputs, providerRegion)}:${MOCK_ACCOUNT}:alarm:${alarmName}` };
    },
    "aws:cloudwatch/logGroup:LogGroup": (name, inputs, providerRegion) => {
        const groupName = autoName(name, inputs);
        return { name: groupName, region: regionOf(inputs, providerRegion), arn: `arn:${MOCK_PARTITION}:logs:${regionOf(inputs, providerRegion)}:${MOCK_ACCOUNT}:log-group:${groupName}` };
    },
    "aws:cloudwatch/queryDefinition:QueryDefinition": (name, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion), queryDefinitionId: suffix(name, "query") }),
    "aws:cloudwatch/dashboard:Dashboard": (_, inputs, providerRegion) => ({
        region: regionOf(inputs, providerRegion),
        dashboardArn: `arn:${MOCK_PARTITION}:cloudwatch::${MOCK_ACCOUNT}:dashboard/${String(inputs.dashboardName)}`,
    }),
    "aws:sns/topic:Topic": (name, inputs, providerRegion) => {
        const topicName = autoName(name, inputs);
        const region = regionOf(inputs, providerRegion);
        return { name: topicName, region, arn: `arn:${MOCK_PARTITION}:sns:${region}:${MOCK_ACCOUNT}:${topicName}` };
    },
    "aws:sns/topicSubscription:TopicSubscription": (name, inputs, providerRegion) => ({
        region: regionOf(inputs, providerRegion),
        // An email subscription stays pending until the address confirms it.
        arn: inputs.protocol === "email" ? "pending confirmation" : `${String(inputs.topic)}:${suffix(name, "subscription")}`,
        pendingConfirmation: inputs.protocol === "email",
    }),
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": () => ({}),
    // What a program that uses the component creates around it.
    "aws:acm/certificate:Certificate": (name, inputs, providerRegion) => {
        const region = regionOf(inputs, providerRegion);
        return { region, arn: `arn:${MOCK_PARTITION}:acm:${region}:${MOCK_ACCOUNT}:certificate/${suffix(name)}0-1111-2222-3333-444455556666`, status: "PENDING_VALIDATION" };
    },
    "aws:acm/certificateValidation:CertificateValidation": (_, inputs, providerRegion) => ({ region: regionOf(inputs, providerRegion), certificateArn: inputs.certificateArn }),
};

/** Component resources the programs under test may create: the stack, the component, and a program's own component around instances. */
const COMPONENT_TYPES = new Set(["pulumi:pulumi:Stack", "secure-image-cdn:index:SecureImageCdn", "consumer:index:Images"]);

/** AWS providers a program may create around the component (their state is their inputs, as Pulumi's). */
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** Provider functions the component may call, and what they answer (given the region of the provider asked). */
const CALLS: Record<string, (providerRegion: string) => Record<string, unknown>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT,
        arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT}:user/tester`,
        userId: "AIDATESTER",
        id: MOCK_ACCOUNT,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: MOCK_PARTITION,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: MOCK_PARTITION,
    }),
    // The provider's own region, as the AWS provider answers it (from its configuration, no AWS call).
    "aws:index/getRegion:getRegion": (providerRegion) => ({
        region: providerRegion,
        name: providerRegion,
        id: providerRegion,
        endpoint: `ec2.${providerRegion}.amazonaws.com`,
        description: providerRegion,
    }),
};

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: Omit<RecordedResource, "protect" | "parent" | "dependsOn">[] = [];
    readonly calls: RecordedCall[] = [];
    /** The region of each AWS provider the program created, by its id. */
    private readonly providerRegions = new Map<string, string>();

    /** The region of the provider a registration or a call names (`<urn>::<id>`), or the stack's default provider's. */
    private regionOfProvider(reference: string | undefined): string {
        const id = reference?.split("::").pop();
        return (id !== undefined ? this.providerRegions.get(id) : undefined) ?? MOCK_REGION;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        if (COMPONENT_TYPES.has(args.type)) {
            this.resources.push({ type: args.type, name: args.name, id: undefined, inputs, state: {} });
            return { id: undefined, state: {} };
        }
        if (args.type === AWS_PROVIDER_TYPE) {
            if (typeof inputs.region !== "string") throw new Error(`AWS provider "${args.name}" without a region: the mocks cannot tell where its resources are`);
            const id = `${args.name}-id-${suffix(args.type, args.name)}`;
            this.providerRegions.set(id, inputs.region);
            this.resources.push({ type: args.type, name: args.name, id, inputs, state: inputs });
            return { id, state: inputs };
        }
        const synthesize = SYNTHESIZERS[args.type];
        if (!synthesize) {
            throw new Error(`unexpected resource ${args.type} "${args.name}": the mocks know no such child`);
        }
        // A synthesizer may choose the id (CloudFront's E…); it is not part of the state.
        const { id: chosenId, ...computed } = synthesize(args.name, inputs, this.regionOfProvider(args.provider));
        const state = { ...inputs, ...computed };
        const id = typeof chosenId === "string" ? chosenId : `${args.name}-id-${suffix(args.type, args.name)}`;
        this.resources.push({ type: args.type, name: args.name, id, inputs, state });
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = CALLS[args.token];
        if (!answer) throw new Error(`unexpected call ${args.token}: the mocks allow only ${Object.keys(CALLS).join(", ")}`);
        this.calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        return answer(this.regionOfProvider(args.provider));
    }
}

/** The value of an Output, once known. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

export interface Deployment<T> {
    /** What the program returned, with Outputs resolved (as stack outputs). */
    outputs: T;
    resources: RecordedResource[];
    calls: RecordedCall[];
    /** Resources constructed while the program itself ran (before any Output resolved). */
    constructedByProgram: number;
    /** What `pulumi.log.warn` would have printed, with the logical name of the resource it named. */
    warnings: { message: string; resource: string | undefined }[];
}

/**
 * Runs `program` in a fresh mocked stack and resolves once every resource it
 * constructed has been registered. `config` replaces the stack config.
 */
export async function deploy<T extends Record<string, unknown> | void>(
    program: () => T,
    config: Record<string, string> = {},
): Promise<Deployment<pulumi.Unwrap<T>>> {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, MOCK_PROJECT, MOCK_STACK, false);
    emulateEngineTransforms();
    pulumi.runtime.setAllConfig(config);

    const constructed: { type: string; name: string; protect: boolean | undefined; parent: string | undefined; dependsOn: pulumi.Resource[]; resource: pulumi.Resource }[] = [];
    let constructedByProgram = -1;
    let programError: unknown;
    const run = async () => {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((args) => {
                const parent = args.opts.parent;
                constructed.push({
                    type: args.type,
                    name: args.name,
                    protect: args.opts.protect,
                    parent: parent ? nameOf(parent, constructed) : undefined,
                    dependsOn: Array.isArray(args.opts.dependsOn) ? (args.opts.dependsOn as pulumi.Resource[]) : args.opts.dependsOn instanceof pulumi.Resource ? [args.opts.dependsOn] : [],
                    resource: args.resource,
                });
                return undefined;
            });
            try {
                const result = program();
                constructedByProgram = constructed.length;
                return result ?? {};
            } catch (error) {
                programError = error;
                return {};
            }
        });
        // Every registration must finish before the next test installs new mocks.
        await Promise.all(constructed.map((entry) => promiseOf(entry.resource.urn)));
        return outputs;
    };
    // A failed input (an apply that throws) never resolves its resource's
    // Outputs; Pulumi reports it as an unhandled rejection, which fails the
    // deployment here instead of hanging the test. Every resource that takes
    // the failed input reports it, in the same turn of the event loop, so
    // the listener stays a turn longer to take them all.
    // Warnings are recorded for the tests that read them, not printed.
    const warnings: { message: string; resource: string | undefined }[] = [];
    const log = pulumi.log as { warn: (message: string, resource?: pulumi.Resource) => Promise<void> };
    const printWarning = log.warn;
    log.warn = (message, resource) => {
        warnings.push({ message, resource: resource ? nameOf(resource, constructed) : undefined });
        return Promise.resolve();
    };
    let fail: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const onRejection = (reason: unknown) => fail(reason);
    process.on("unhandledRejection", onRejection);
    let outputs: unknown;
    try {
        outputs = await Promise.race([run(), failed]);
        // A component registers its outputs once they resolve, after its children: that call
        // must reach this deployment's mocks, not the next test's.
        await Promise.race([settings.waitForRPCs(), failed]);
    } catch (error) {
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        // The deployment is over: the resources that took the failed input
        // stay registering forever. A real run logs the error and exits
        // failed, which keeps Pulumi's exit-time leak report quiet; here the
        // process goes on, so this deployment's pending promises are taken
        // off that report, as Pulumi's own mock tests do after a deliberately
        // stuck registration.
        leakedPromises();
        throw error;
    } finally {
        process.off("unhandledRejection", onRejection);
        log.warn = printWarning;
    }
    if (programError !== undefined) throw programError;

    const resources: RecordedResource[] = mocks.resources
        .filter((recorded) => recorded.type !== "pulumi:pulumi:Stack")
        .map((recorded) => {
            const options = constructed.find((entry) => entry.type === recorded.type && entry.name === recorded.name);
            const dependsOn = (options?.dependsOn ?? []).map((resource) => nameOf(resource, constructed) ?? "<unknown>");
            return { ...recorded, protect: options?.protect, parent: options?.parent, dependsOn };
        });
    return { outputs: outputs as pulumi.Unwrap<T>, resources, calls: mocks.calls, constructedByProgram, warnings };
}

function nameOf(resource: pulumi.Resource, constructed: { name: string; resource: pulumi.Resource }[]): string | undefined {
    return constructed.find((entry) => entry.resource === resource)?.name ?? "<stack>";
}

/** Resources of one type, optionally only those named `<prefix>-…`. */
export function ofType(resources: RecordedResource[], type: string, prefix?: string): RecordedResource[] {
    return resources.filter((r) => r.type === type && (prefix === undefined || r.name === prefix || r.name.startsWith(`${prefix}-`)));
}

/** The single resource of a type (under a prefix); throws when there is not exactly one. */
export function single(resources: RecordedResource[], type: string, prefix?: string): RecordedResource {
    const found = ofType(resources, type, prefix);
    if (found.length !== 1) throw new Error(`expected one ${type}${prefix ? ` under ${prefix}` : ""}, found ${found.length}`);
    return found[0];
}

/** Resource type tokens the tests look for. */
export const T = {
    component: "secure-image-cdn:index:SecureImageCdn",
    bucket: "aws:s3/bucket:Bucket",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    table: "aws:dynamodb/table:Table",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    cloudFrontFunction: "aws:cloudfront/function:Function",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
    headersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    distribution: "aws:cloudfront/distribution:Distribution",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queryDefinition: "aws:cloudwatch/queryDefinition:QueryDefinition",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    monitoring: "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    queue: "aws:sqs/queue:Queue",
    eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
} as const;

/**
 * The value at a path inside recorded inputs (objects by key, lists by
 * index), or `undefined` when any step is missing.
 */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const step of path) {
        if (typeof current !== "object" || current === null) return undefined;
        current = (current as Record<string | number, unknown>)[step];
    }
    return current;
}

/** The list at a path; throws (failing the test) when it is not a list. */
export function list(value: unknown, ...path: (string | number)[]): unknown[] {
    const found = at(value, ...path);
    if (!Array.isArray(found)) throw new Error(`expected a list at ${path.join(".") || "<root>"}, got ${JSON.stringify(found)}`);
    return found;
}

/** The JSON document in a string input (policies), parsed. */
export function json(value: unknown, ...path: (string | number)[]): Record<string, unknown> {
    const found = at(value, ...path);
    if (typeof found !== "string") throw new Error(`expected a JSON string at ${path.join(".")}, got ${JSON.stringify(found)}`);
    return JSON.parse(found) as Record<string, unknown>;
}

/**
 * The metric an alarm judges, from its recorded inputs: the metric query
 * that returns data, or, for metric math, the metric its expression passes
 * through (`IF(sample >= n, value, 0)` judges `value`), or for a sum of
 * counts (`FILL(a, 0) + FILL(b, 0)…`) the first of them.
 */
export function alarmMetric(inputs: Record<string, unknown>): { namespace: string; metricName: string; stat: string; dimensions: Record<string, unknown> } {
    const queries = list(inputs, "metricQueries") as { id: string; metric?: Record<string, unknown>; expression?: string; returnData?: boolean }[];
    const returned = queries.filter((query) => query.returnData === true);
    if (returned.length !== 1) throw new Error(`an alarm returns exactly one query's data, got ${returned.length}`);
    const expression = returned[0].expression ?? "";
    const judgedId = /^IF\(/.test(expression) ? /, (\w+), 0\)$/.exec(expression)?.[1] : /^FILL\((\w+), 0\)/.exec(expression)?.[1];
    const judged = returned[0].metric ? returned[0] : queries.find((query) => query.id === judgedId);
    if (!judged?.metric) throw new Error(`cannot tell which metric alarm ${JSON.stringify(returned[0])} judges`);
    return judged.metric as { namespace: string; metricName: string; stat: string; dimensions: Record<string, unknown> };
}
