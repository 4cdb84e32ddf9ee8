/**
 * The edge function and its role (components/edge-function.ts), the builder
 * called directly with resolved settings, a table, a bucket, a log group
 * name known only once the deployment runs and a parent (a program's own
 * component): the function takes its memory and timeout from the settings
 * and logs to the group it is given, its code is the module `edgeCodeText`
 * builds for the names and regions of the table and bucket it is given (a
 * bucket in another region than the table's, so a swap shows), its role
 * may write to that group, and the code is built once per distinct
 * settings.
 */
import { expect } from "chai";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEdgeFunction, edgeCodeText } from "../../components/edge-function";
import { edgeSettingsFor } from "../../components/edge-settings";
import { createMappingTableResource } from "../../components/table";
import type { EdgeSettings } from "../../core/edge-settings";
import { guarded, parent } from "./support/builders";
import { deploy, json, list, MOCK_ACCOUNT, RecordedResource, single, T } from "./support/mocks";

const BUCKET_REGION = "eu-central-1";
const LOG_GROUP = "chat-edge-logs-1a2b3c4";
const SETTINGS = guarded({ service: "chat", mode: "redirect", edge: { memorySizeMb: 256, timeoutSeconds: 4 } });

/** The files of a recorded archive input, each file's text. */
async function archiveTexts(archive: unknown): Promise<Record<string, string>> {
    const assets = await (archive as { assets: Promise<Record<string, { text: Promise<string> }>> }).assets;
    return Object.fromEntries(await Promise.all(Object.entries(assets).map(async ([file, asset]) => [file, await asset.text] as const)));
}

describe("components/edge-function: the edge function and its role", function () {
    // The deployment builds the edge code (Pulumi's closure serialization, then esbuild).
    this.timeout(60_000);

    let resources: RecordedResource[];
    const settings = new Map<string, EdgeSettings>();
    const bundled = new Map<string, string>();
    before(async () => {
        ({ resources } = await deploy(() => {
            const owner = parent();
            const table = createMappingTableResource("chat", SETTINGS, owner);
            const bucket = new aws.s3.Bucket("chat-bucket", { region: BUCKET_REGION }, { parent: owner });
            const logGroupName = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(LOG_GROUP))));
            createEdgeFunction("chat", SETTINGS, { table, bucket, logGroupName }, owner);
        }));
        const table = single(resources, T.table);
        const bucket = single(resources, T.bucket);
        settings.set(
            "chat",
            edgeSettingsFor(SETTINGS, { tableName: String(table.state.name), tableRegion: String(table.state.region), bucket: String(bucket.state.bucket), bucketRegion: String(bucket.state.region) }),
        );
        bundled.set("chat", await edgeCodeText(settings.get("chat") as EdgeSettings));
    });

    it("the function: the settings' memory and timeout, described by service, level and mode, run as its role, logging as text to the group it is given; all three under the parent", () => {
        const fn = single(resources, T.fn);
        expect(fn.inputs).to.include({ memorySize: 256, timeout: 4, description: "Hash check of the chat image CDN (required, redirect)" });
        expect(fn.inputs.loggingConfig).to.deep.equal({ logFormat: "Text", logGroup: LOG_GROUP });
        expect(fn.inputs.role).to.equal(single(resources, T.role).state.arn);
        expect([fn, single(resources, T.role), single(resources, T.rolePolicy)].map((resource) => [resource.name, resource.parent])).to.deep.equal([
            ["chat-edge", "images"],
            ["chat-edge-role", "images"],
            ["chat-edge-policy", "images"],
        ]);
    });

    it("its code: one module, the handler's, the text edgeCodeText builds for the names and regions of the table and the bucket it is given", async () => {
        const files = await archiveTexts(single(resources, T.fn).inputs.code);
        expect(Object.keys(files)).to.deep.equal(["__index.js"]);
        expect(single(resources, T.fn).inputs.handler).to.equal("__index.handler");
        expect(files["__index.js"]).to.equal(bundled.get("chat"));
    });

    it("its role may write to the group it is given, once that name resolves, in the account and partition the provider answers", () => {
        const statements = list(json(single(resources, T.rolePolicy).inputs, "policy"), "Statement") as { Sid: string; Resource: unknown }[];
        expect(statements.find((statement) => statement.Sid === "WriteLogs")?.Resource).to.equal(`arn:aws:logs:*:${MOCK_ACCOUNT}:log-group:${LOG_GROUP}:*`);
    });

    it("is built once per distinct settings and reused as the same text", async () => {
        const edge = settings.get("chat");
        if (!edge) throw new Error("settings missing");
        const first = edgeCodeText(edge);
        expect(edgeCodeText({ ...edge })).to.equal(first);
        expect(await first).to.equal(bundled.get("chat"));
    });
});
