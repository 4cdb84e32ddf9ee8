/**
 * Every IAM document the component makes, found by scanning every input of
 * every resource in the recording (so a policy added later is checked too),
 * for every level and mode, with two instances of one level in the same
 * stack so that a grant naming the wrong instance shows:
 *
 * - the bucket is reachable only through its own distribution: each bucket
 *   policy has exactly the OAC read for that instance's distribution, the
 *   deny of every CloudFront read under its staging prefix (unconfirmed
 *   uploads) and the TLS-only deny, and nothing else in the stack opens the bucket;
 * - least privilege: no wildcard action, no bare `*` resource, no
 *   NotAction/NotResource/NotPrincipal, and every Allow names this
 *   instance's own table (and its customer-managed key), bucket or log
 *   group, or for an invalidator its own distribution, queues and log group.
 *
 * test/components/policies.test.ts and aws-rules.test.ts check the documents'
 * exact contents; this file checks the properties over whatever exists.
 * Threats: SECURITY.md, "Someone who finds the bucket" and "A compromised edge function".
 */
import { expect } from "chai";
import type { SecureImageCdnArgs } from "../../components/args";
import { childName } from "../../components/names";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import { at, deploy, Deployment, ofType, RecordedResource, single, T } from "../components/support/mocks";
import { asList } from "../support/policy-grants";

/** The customer-managed key of the `keyed` instance's table. */
const TABLE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const INSTANCES = {
    discussion: { service: "discussion", level: "required", mode: "origin" },
    keyed: { service: "chat", level: "required", mode: "origin", tableEncryption: "customer-managed-kms", tableKmsKeyArn: TABLE_KEY },
    chat: { service: "chat", level: "required", mode: "redirect" },
    forum: { service: "discussion", level: "required", mode: "origin", uploadPrefix: "forum-media/" },
    notices: { service: "regulatory", level: "secured", mode: "origin" },
    regulatory: { service: "regulatory", level: "secured", mode: "redirect" },
    marketplace: { service: "marketplace", level: "public" },
} satisfies Record<string, SecureImageCdnArgs>;
type Instance = keyof typeof INSTANCES;
const NAMES = Object.keys(INSTANCES) as Instance[];

/** The instances with an invalidator (required + origin): one, at home (no replicas here). */
const INVALIDATED = NAMES.filter((name) => INSTANCES[name].level === "required" && "mode" in INSTANCES[name] && INSTANCES[name].mode === "origin");

interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    Action?: unknown;
    Resource?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
    [other: string]: unknown;
}

interface FoundDocument {
    resource: RecordedResource;
    field: string;
    statements: Statement[];
}

/** Every JSON string with a `Statement` list anywhere in a value, with where it was. */
function documentsIn(value: unknown, path: string, found: { field: string; statements: Statement[] }[]): void {
    if (typeof value === "string" && value.includes("Statement")) {
        try {
            const parsed = JSON.parse(value) as { Statement?: unknown };
            if (Array.isArray(parsed.Statement)) found.push({ field: path, statements: parsed.Statement as Statement[] });
        } catch {
            // Not JSON: not a policy.
        }
    } else if (Array.isArray(value)) {
        value.forEach((item, i) => documentsIn(item, `${path}[${i}]`, found));
    } else if (typeof value === "object" && value !== null) {
        for (const [key, item] of Object.entries(value)) documentsIn(item, path ? `${path}.${key}` : key, found);
    }
}

/** The instance a resource belongs to, by its name prefix. */
function ownerOf(resource: RecordedResource): Instance {
    const owner = NAMES.find((name) => resource.name === name || resource.name.startsWith(`${name}-`));
    if (!owner) throw new Error(`resource ${resource.name} belongs to no instance`);
    return owner;
}

describe("policies: the bucket's only door is its distribution; every grant is this instance's and narrow", function () {
    this.timeout(120_000);
    let deployment: Deployment<void>;
    let documents: FoundDocument[];

    const one = (instance: Instance, type: string) => single(deployment.resources, type, instance);
    const arnOf = (instance: Instance, type: string) => String(one(instance, type).state.arn);

    before(async () => {
        deployment = await deploy(() => {
            for (const name of NAMES) new SecureImageCdn(name, INSTANCES[name]);
        });
        documents = deployment.resources.flatMap((resource) => {
            const found: { field: string; statements: Statement[] }[] = [];
            documentsIn(resource.inputs, "", found);
            return found.map((doc) => ({ resource, ...doc }));
        });
    });

    it("finds every policy the component makes: a bucket policy per instance, a trust and a permission policy per edge function and per invalidator", () => {
        const where = documents.map((doc) => `${doc.resource.type} ${doc.field}`).sort();
        const functions = NAMES.filter((name) => INSTANCES[name].level !== "public").length + INVALIDATED.length;
        expect(INVALIDATED).to.deep.equal(["discussion", "keyed", "forum"]);
        expect(where.filter((w) => w === `${T.bucketPolicy} policy`)).to.have.length(NAMES.length);
        expect(where.filter((w) => w === `${T.role} assumeRolePolicy`)).to.have.length(functions);
        expect(where.filter((w) => w === `${T.rolePolicy} policy`)).to.have.length(functions);
        expect(where).to.have.length(NAMES.length + 2 * functions);
    });

    it("no statement anywhere uses NotAction, NotResource or NotPrincipal", () => {
        const inverted = documents.flatMap((doc) => doc.statements.filter((s) => "NotAction" in s || "NotResource" in s || "NotPrincipal" in s).map((s) => `${doc.resource.name}: ${JSON.stringify(s)}`));
        expect(inverted).to.deep.equal([]);
    });

    it("every bucket policy: exactly CloudFront's GetObject on its own objects for its own distribution, except under the staging prefix, plus the TLS-only deny", () => {
        for (const name of NAMES) {
            const doc = documents.find((d) => d.resource.type === T.bucketPolicy && ownerOf(d.resource) === name);
            if (!doc) throw new Error(`${name}: no bucket policy`);
            expect(doc.resource.inputs.bucket, name).to.equal(one(name, T.bucket).id);
            const bucketArn = arnOf(name, T.bucket);
            const distributionArn = arnOf(name, T.distribution);
            const allows = doc.statements.filter((s) => s.Effect === "Allow");
            const denies = doc.statements.filter((s) => s.Effect === "Deny");
            expect(allows.length + denies.length, `${name}: every statement is an Allow or a Deny`).to.equal(doc.statements.length);
            expect(allows, name).to.have.length(1);
            const [allow] = allows;
            expect(allow.Principal, name).to.deep.equal({ Service: "cloudfront.amazonaws.com" });
            expect(asList(allow.Action), name).to.deep.equal(["s3:GetObject"]);
            expect(asList(allow.Resource), name).to.deep.equal([`${bucketArn}/*`]);
            expect(allow.Condition, name).to.deep.equal({ StringEquals: { "AWS:SourceArn": distributionArn } });
            expect(denies, name).to.have.length(2);
            const [staging, plainHttp] = denies;
            // Nothing under the staging prefix (unconfirmed uploads) is ever read by any distribution, at every level.
            expect(staging.Principal, name).to.deep.equal({ Service: "cloudfront.amazonaws.com" });
            expect(asList(staging.Action), name).to.deep.equal(["s3:GetObject"]);
            expect(asList(staging.Resource), name).to.deep.equal([`${bucketArn}/${(INSTANCES[name] as SecureImageCdnArgs).uploadPrefix ?? "uploads/"}incoming/*`]);
            expect(staging.Condition, name).to.equal(undefined);
            expect(plainHttp.Principal, name).to.equal("*");
            expect(plainHttp.Condition, name).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
            expect(asList(plainHttp.Resource).sort(), name).to.deep.equal([bucketArn, `${bucketArn}/*`].sort());
        }
    });

    it("each distribution reads only its own bucket, and each bucket admits only the distribution that reads it", () => {
        for (const name of NAMES) {
            const origins = one(name, T.distribution).inputs.origins as { domainName?: unknown; originAccessControlId?: unknown }[];
            expect(origins.map((o) => o.domainName), name).to.deep.equal([one(name, T.bucket).state.bucketRegionalDomainName]);
            expect(origins[0].originAccessControlId, name).to.equal(one(name, T.oac).id);
        }
        // No two instances share a distribution ARN or a bucket ARN in their grants.
        const admitted = NAMES.map((name) => arnOf(name, T.distribution));
        expect(new Set(admitted).size).to.equal(NAMES.length);
    });

    it("nothing else opens a bucket: all four public-access blocks on, no ACL, website, access point or object resource, no policy on the bucket itself", () => {
        const openers = deployment.resources.filter((r) => /^aws:s3(control)?\/(bucketAcl|bucketWebsite|accessPoint|multiRegionAccessPoint|bucketObject|objectCopy|bucketCors)/i.test(r.type));
        expect(openers.map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
        for (const name of NAMES) {
            const bucket = one(name, T.bucket);
            for (const field of ["acl", "grants", "website", "policy", "corsRules"]) expect(bucket.inputs[field], `${name}.${field}`).to.equal(undefined);
            const block = one(name, T.publicAccess);
            expect(block.inputs, name).to.deep.include({ bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        }
    });

    it("least privilege: every Allow names actions without wildcards and only this instance's own table, bucket or log group", () => {
        const problems: string[] = [];
        for (const doc of documents) {
            const name = ownerOf(doc.resource);
            const own = [arnOf(name, T.bucket)];
            if (INSTANCES[name].level !== "public") {
                // The function's own log group: one name in every region (us-east-1's, auto-named), what the function is configured to log to.
                const logGroup = String(at(single(deployment.resources, T.fn, `${name}-edge`).inputs, "loggingConfig", "logGroup"));
                const created = ofType(deployment.resources, T.logGroup, childName(name, "edgeLogGroup")).map((r) => r.state.name);
                expect(created.length, name).to.be.greaterThan(0);
                expect(created.every((groupName) => groupName === logGroup), `${name}: its log groups are the one it logs to`).to.equal(true);
                own.push(arnOf(name, T.table), `log-group:${logGroup}:`);
                if ("tableKmsKeyArn" in INSTANCES[name]) own.push(TABLE_KEY);
            }
            if (INVALIDATED.includes(name)) {
                // The invalidator's: the distribution it invalidates, its queues, its log group (the table's stream is under the table's ARN).
                own.push(arnOf(name, T.distribution), String(single(deployment.resources, T.logGroup, `${name}-inv-logs`).state.arn));
                own.push(...deployment.resources.filter((r) => r.type === T.queue && ownerOf(r) === name).map((r) => String(r.state.arn)));
            }
            const others = NAMES.filter((other) => other !== name).flatMap((other) => deployment.resources.filter((r) => ownerOf(r) === other && r.state.arn !== undefined).map((r) => String(r.state.arn)));
            for (const statement of doc.statements.filter((s) => s.Effect === "Allow")) {
                const label = `${doc.resource.name} ${statement.Sid ?? ""}`;
                for (const action of asList(statement.Action)) if (action.includes("*")) problems.push(`${label}: wildcard action ${action}`);
                if (doc.field === "assumeRolePolicy") {
                    if (statement.Resource !== undefined) problems.push(`${label}: a trust policy with a Resource`);
                    continue;
                }
                const resources = asList(statement.Resource);
                if (resources.length === 0) problems.push(`${label}: no Resource`);
                for (const resource of resources) {
                    if (resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource)) problems.push(`${label}: bare * resource ${resource}`);
                    if (!own.some((mine) => resource.includes(mine))) problems.push(`${label}: ${resource} is not this instance's`);
                    if (others.some((theirs) => resource.startsWith(theirs))) problems.push(`${label}: ${resource} belongs to another instance`);
                }
            }
        }
        expect(problems).to.deep.equal([]);
    });

    it("KMS: only the instance whose table is on a customer-managed key may use a key, that key, through DynamoDB in the table's region", () => {
        const kms = documents.flatMap((doc) =>
            doc.statements.filter((s) => asList(s.Action).some((action) => action.startsWith("kms:"))).map((statement) => ({ owner: ownerOf(doc.resource), statement })),
        );
        // The edge reads the table with it; the invalidator reads the table's stream, encrypted with the same key.
        expect(kms.map(({ owner }) => owner)).to.deep.equal(["keyed", "keyed"]);
        const region = String(one("keyed", T.table).state.region);
        const via = { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } };
        expect(kms.map(({ statement }) => statement)).to.have.deep.members([
            { Sid: "DecryptTableKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: TABLE_KEY, Condition: via },
            { Sid: "DecryptTableStream", Effect: "Allow", Action: "kms:Decrypt", Resource: TABLE_KEY, Condition: via },
        ]);
    });

    it("roles are trusted by Lambda (and the edge's by its edge replicas) only, get no managed policies, and nothing else in IAM is made", () => {
        const iam = deployment.resources.filter((r) => r.type.startsWith("aws:iam/"));
        expect([...new Set(iam.map((r) => r.type))].sort()).to.deep.equal([T.role, T.rolePolicy].sort());
        for (const doc of documents.filter((d) => d.field === "assumeRolePolicy")) {
            const edge = doc.resource.name.endsWith("-edge-role");
            for (const statement of doc.statements) {
                expect(statement.Principal, doc.resource.name).to.deep.equal({ Service: edge ? ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] : "lambda.amazonaws.com" });
                expect(asList(statement.Action), doc.resource.name).to.deep.equal(["sts:AssumeRole"]);
            }
            expect(doc.resource.inputs.managedPolicyArns, doc.resource.name).to.equal(undefined);
        }
    });
});
