/**
 * The code an edge function is deployed with. Mocks record no archive
 * contents, so this builds the code exactly as the component does: settings
 * from `edgeSettingsFor` (fed with the names and regions the mocks gave the
 * table and bucket), text from `edgeCodeText` (the serialized, bundled edge
 * factory), then loads it in Node.
 */
import { expect } from "chai";
import type { SecureImageCdnArgs } from "../../components/args";
import { resolveArgs, ResolvedGuardedSettings } from "../../components/resolve-args";
import { serializeEdgeFactory } from "../../components/edge-code";
import { edgeCodeText } from "../../components/edge-function";
import { edgeSettingsFor } from "../../components/edge-settings";
import { SecureImageCdn } from "../../components/secure-image-cdn";
import type { EdgeSettings } from "../../core/edge-settings";
import { deploy, single, T } from "./support/mocks";
import { useEnv } from "../../local/aws";
import { captureEdgeLogs } from "../support/edge-logs";
import { requireEdgeCode } from "../support/edge-module";
import { requestEvent } from "../edge/fixtures";

/** Credentials present on the machine that runs `pulumi up`; none may end up in the code. */
const DEPLOYER_ENV = {
    AWS_ACCESS_KEY_ID: "AKIADEPLOYERKEY00001",
    AWS_SECRET_ACCESS_KEY: "deployer/secret/never+in+code0000000000",
    AWS_SESSION_TOKEN: "deployer-session-token-never-in-code",
} as const;

/** The role credentials Lambda puts in the environment: the only variables the edge may read. */
const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
/**
 * What Lambda reserves and sets in every region, custom variables being
 * disallowed at the edge: the role's credentials and the region the
 * function runs in (which picks the nearest copy of the table).
 */
const RESERVED_VARIABLES = [...CREDENTIAL_VARIABLES, "AWS_REGION"];

const INSTANCES = {
    chat: { service: "chat", level: "required", mode: "origin" },
    regulatory: { service: "regulatory", level: "secured", mode: "redirect" },
} satisfies Record<string, SecureImageCdnArgs>;
type Instance = keyof typeof INSTANCES;

const settings = new Map<Instance, EdgeSettings>();
const bundled = new Map<Instance, string>();
const serialized = new Map<Instance, string>();

/** A CloudFront event of the given type for a request URI. */
describe("edge function code", () => {
    before(async () => {
        const saved = Object.fromEntries(Object.keys(DEPLOYER_ENV).map((key) => [key, process.env[key]]));
        Object.assign(process.env, DEPLOYER_ENV);
        try {
            const { resources } = await deploy(() => {
                for (const name of Object.keys(INSTANCES) as Instance[]) new SecureImageCdn(name, INSTANCES[name]);
            });
            for (const name of Object.keys(INSTANCES) as Instance[]) {
                const table = single(resources, T.table, name);
                const bucket = single(resources, T.bucket, name);
                const edge = edgeSettingsFor(resolveArgs(INSTANCES[name]) as ResolvedGuardedSettings, {
                    tableName: String(table.state.name),
                    tableRegion: String(table.state.region),
                    bucket: String(bucket.state.bucket),
                    bucketRegion: String(bucket.state.region),
                });
                settings.set(name, edge);
                bundled.set(name, await edgeCodeText(edge));
            }
            // Every mode's code is reachable from the factory, so one instance's text shows all of it.
            const regulatory = settings.get("regulatory");
            if (regulatory) serialized.set("regulatory", await serializeEdgeFactory(regulatory));
        } finally {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
        }
    });

    it("captures this instance's table, regions and bucket as literals, so each instance's code differs", () => {
        for (const name of ["chat", "regulatory"] as const) {
            const edge = settings.get(name);
            const text = bundled.get(name) ?? "";
            expect(text, name).to.include(JSON.stringify(edge?.tableName)).and.include(JSON.stringify(edge?.bucket));
            expect(text, name).to.include(JSON.stringify(edge?.tableRegion));
        }
        expect(settings.get("chat")?.tableName).to.not.equal(settings.get("regulatory")?.tableName);
        expect(bundled.get("chat")).to.not.include(JSON.stringify(settings.get("regulatory")?.tableName));
    });

    it("reads no configuration from the environment: the only variables it reads are Lambda's reserved ones (credentials, AWS_REGION)", () => {
        for (const name of ["regulatory"] as const) {
            const text = serialized.get(name) ?? "";
            const read = [...text.matchAll(/\b(?:process\.env|env)\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["'`]([^"'`]+)["'`]\s*\])/g)].map((m) => m[1] ?? m[2]);
            expect(read.length, `${name}: the credential reads must be visible to this check`).to.be.greaterThan(0);
            expect(read.filter((variable) => !RESERVED_VARIABLES.includes(variable)), name).to.deep.equal([]);
            expect(read, `${name}: the region is read where the read plan is made`).to.include("AWS_REGION");
        }
    });

    it("carries none of the deploying machine's credentials", () => {
        for (const name of ["chat", "regulatory"] as const) {
            for (const value of Object.values(DEPLOYER_ENV)) {
                expect(bundled.get(name), name).to.not.include(value);
                expect(serialized.get(name) ?? "", name).to.not.include(value);
            }
        }
    });

    it("loads in Node and exports a handler that turns a malformed path away with 404 before any lookup", async () => {
        const restore = useEnv(Object.fromEntries(CREDENTIAL_VARIABLES.map((key) => [key, undefined])));
        try {
            for (const [name, eventType] of [
                ["chat", "origin-request"],
                ["regulatory", "viewer-request"],
            ] as const) {
                const { handler } = requireEdgeCode(bundled.get(name) ?? "", `edge-code-${name}`).exports;
                expect(handler, name).to.be.a("function");
                // No credentials and no network: only the path check can answer.
                const logs = captureEdgeLogs({ keep: true });
                let result: { status?: string };
                try {
                    result = await (handler as (event: unknown) => Promise<{ status?: string }>)(requestEvent(eventType, { uri: "/images/not-a-hash" }));
                } finally {
                    logs.restore();
                }
                expect(result.status, name).to.equal("404");
                // The log line names the captured service.
                expect(logs.lines.map((line) => line.service), name).to.deep.equal([INSTANCES[name].service]);
            }
        } finally {
            restore();
        }
    });
});
