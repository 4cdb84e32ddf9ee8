/**
 * The deployed edge code is a serialized closure: whatever the closure can
 * reach when `pulumi up` runs may end up in the zip, which anyone with
 * lambda:GetFunction (or a leaked deployment package) can read. Built here
 * for every guarded level and mode exactly as the component builds it
 * (`edgeSettingsFor` + `buildEdgeCode`), with the deploying machine's
 * environment full of recognisable secrets, then scanned.
 *
 * test/components/edge-code.test.ts and test/edge/bundle.test.ts check the three
 * AWS credential variables; this adds every other secret a deploying shell
 * holds, key-shaped strings, and traces of the deploying machine.
 * Threat: SECURITY.md, "A leaked deployment package".
 */
import { expect } from "chai";
import { randomBytes } from "crypto";
import * as os from "os";
import type { SecureImageCdnArgs } from "../../components/args";
import { resolveArgs, ResolvedGuardedSettings } from "../../components/resolve-args";
import { buildEdgeCode, serializeEdgeFactory } from "../../components/edge-code";
import { edgeSettingsFor } from "../../components/edge-settings";

const VARIANTS = {
    "required+origin": { service: "discussion", level: "required", mode: "origin" },
    "required+redirect": { service: "chat", level: "required", mode: "redirect" },
    "secured+origin": { service: "regulatory", level: "secured", mode: "origin" },
    "secured+redirect": { service: "regulatory", level: "secured", mode: "redirect" },
} satisfies Record<string, SecureImageCdnArgs>;
type Variant = keyof typeof VARIANTS;

const upper = (n: number) => Array.from(randomBytes(n), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32]).join("");

/** Secrets a deploying shell commonly holds, with recognisable random values. */
const CANARIES: Record<string, string> = {
    AWS_ACCESS_KEY_ID: `AKIA${upper(16)}`,
    AWS_SECRET_ACCESS_KEY: randomBytes(30).toString("base64"),
    AWS_SESSION_TOKEN: `IQoJb3JpZ2luX2Vj${randomBytes(60).toString("base64")}`,
    AWS_PROFILE: `canary-profile-${randomBytes(6).toString("hex")}`,
    PULUMI_ACCESS_TOKEN: `pul-${randomBytes(20).toString("hex")}`,
    PULUMI_CONFIG_PASSPHRASE: `canary-passphrase-${randomBytes(8).toString("hex")}`,
    GITHUB_TOKEN: `ghp_${randomBytes(18).toString("base64url")}`,
    NPM_TOKEN: `npm_${randomBytes(18).toString("base64url")}`,
    DATABASE_URL: `postgres://admin:${randomBytes(8).toString("hex")}@db.internal/prod`,
};

/** Shapes of credentials and keys that must never appear in deployed code. */
const KEY_SHAPES: [string, RegExp][] = [
    ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["JSON web token", /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./],
    ["GitHub token", /\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/],
    ["Pulumi token", /\bpul-[0-9a-f]{40}\b/],
    ["npm token", /\bnpm_[A-Za-z0-9]{30,}/],
    ["URL with a password", /[a-z]+:\/\/[^/\s:"']+:[^@/\s"']+@/],
    ["long base64 secret", /[A-Za-z0-9+/]{40,}={0,2}/],
];

describe("edge code secrets: nothing of the deploying machine in the deployed code", function () {
    this.timeout(120_000);
    const bundles = new Map<Variant, string>();
    const serialized = new Map<Variant, string>();

    before(async () => {
        const saved = Object.fromEntries(Object.keys(CANARIES).map((name) => [name, process.env[name]]));
        Object.assign(process.env, CANARIES);
        try {
            for (const variant of Object.keys(VARIANTS) as Variant[]) {
                const settings = edgeSettingsFor(resolveArgs(VARIANTS[variant]) as ResolvedGuardedSettings, {
                    tableName: `${variant.replace(/\W/g, "-")}-table-0a1b2c3`,
                    tableRegion: "eu-west-1",
                    bucket: `${variant.replace(/\W/g, "-")}-bucket-0a1b2c3`,
                    bucketRegion: "eu-west-1",
                });
                bundles.set(variant, await buildEdgeCode(settings));
                serialized.set(variant, await serializeEdgeFactory(settings));
            }
        } finally {
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
        }
    });

    for (const variant of Object.keys(VARIANTS) as Variant[]) {
        describe(variant, () => {
            it("holds none of the secrets in the deploying environment, bundled or as serialized", () => {
                for (const [name, value] of Object.entries(CANARIES)) {
                    expect(bundles.get(variant), name).to.not.include(value);
                    expect(serialized.get(variant), name).to.not.include(value);
                }
            });

            it("holds nothing shaped like a key, a token or a password", () => {
                const text = bundles.get(variant) ?? "";
                expect(text.length).to.be.greaterThan(1000);
                const found = KEY_SHAPES.flatMap(([what, shape]) => {
                    const match = shape.exec(text);
                    return match ? [`${what}: ${match[0].slice(0, 60)}`] : [];
                });
                expect(found).to.deep.equal([]);
            });

            it("holds no trace of the deploying machine: no home folder, project path, user or host name, no local endpoint", () => {
                const text = bundles.get(variant) ?? "";
                const traces = [os.homedir(), process.cwd(), os.hostname(), "127.0.0.1", "localhost"].filter((trace) => trace.length >= 4 && text.includes(trace));
                const user = os.userInfo().username;
                if (user.length >= 4 && new RegExp(`["'/]${user}["'/]`).test(text)) traces.push(`user ${user}`);
                expect(traces).to.deep.equal([]);
            });
        });
    }
});
