/**
 * The issuer and variants (issuer/variants.ts, issuer/eager.ts): variant
 * URLs checked against the service's catalogue as its config records it,
 * the config's `variants` field checked, the CLI's `url` command, and eager
 * presets that never fail an upload: against dynalite and s3rver, with a
 * real HTTP server standing in for a CDN that refuses or says nothing.
 * Eager presets made through the real local CDN are in
 * test/local/variants.test.ts.
 */
import { expect } from "chai";
import { promises as fs } from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { validateIssuerConfig, IssuerConfig } from "../../issuer/config";
import { ConfigError, InvalidInputError } from "../../issuer/errors";
import { variantUrl } from "../../issuer/variants";
import { closeServer } from "../../local/net";
import { cliInProcess } from "./cli-in-process";
import { PNG_1X1 } from "./fixtures";
import { TestService, useWorld } from "./world";
import { thrown } from "../support/rejection";

const HASH = "0123456789abcdef0123456789abcdef";
const CATALOGUE = { thumb: { formats: ["avif", "webp", "jpeg", "png"], eager: true }, small: { formats: ["webp", "jpeg"], eager: false } } as IssuerConfig["variants"];

describe("issuer: variants", () => {
    describe("variant URLs", () => {
        const config = { service: "chat", cdnBaseUrl: "https://images.example.com", variants: CATALOGUE };

        it("the negotiated URL, or one format's, under the hash", () => {
            expect(variantUrl(config, HASH, "thumb")).to.deep.equal({ url: `https://images.example.com/images/${HASH}/thumb`, hash: HASH, preset: "thumb" });
            expect(variantUrl(config, HASH, "small", "webp")).to.deep.equal({ url: `https://images.example.com/images/${HASH}/small.webp`, hash: HASH, preset: "small", format: "webp" });
            expect(variantUrl(config, HASH, "small", "fallback").url).to.equal(`https://images.example.com/images/${HASH}/small.fallback`);
        });

        it("refuses what the edge would answer with its generic 404: an unknown preset, a format the preset does not allow, a bad hash", () => {
            expect(thrown(() => variantUrl(config, HASH, "huge"), InvalidInputError).message).to.equal('unknown preset "huge": service \'chat\' has thumb, small');
            expect(thrown(() => variantUrl(config, HASH, "small", "avif"), InvalidInputError).message).to.equal("preset 'small' is not served as \"avif\": it has webp, jpeg, fallback");
            expect(thrown(() => variantUrl(config, HASH, "thumb", "gif"), InvalidInputError).message).to.match(/is not served as "gif"/);
            expect(thrown(() => variantUrl(config, HASH, "__proto__"), InvalidInputError).message).to.match(/^unknown preset/);
            thrown(() => variantUrl(config, HASH.toUpperCase(), "thumb"), InvalidInputError);
            expect(thrown(() => variantUrl({ service: "notices", cdnBaseUrl: "https://x.example.com" }, HASH, "thumb"), ConfigError).message).to.match(/^service 'notices' has no image variants/);
        });
    });

    describe("the config's variants", () => {
        const base = {
            service: "chat",
            level: "required",
            region: "eu-west-1",
            tableName: "chat-table",
            bucket: "chat-bucket",
            cdnBaseUrl: "https://images.example.com",
            distributionId: "E123",
            hashTtlSeconds: 86400,
            uploadPrefix: "uploads/",
            maxUploadBytes: 1024,
        };

        it("kept as each preset's formats and eager flag", () => {
            expect(validateIssuerConfig({ ...base, variants: CATALOGUE }).variants).to.deep.equal(CATALOGUE);
            expect(validateIssuerConfig(base)).to.not.have.property("variants");
        });

        it("refused with the field named when malformed", () => {
            expect(thrown(() => validateIssuerConfig({ ...base, variants: [] }), ConfigError).message).to.equal("issuer config: field 'variants' must be an object of presets by name");
            expect(thrown(() => validateIssuerConfig({ ...base, variants: { thumb: { formats: ["gif"], eager: true } } }), ConfigError).message).to.equal(
                "issuer config: field variants.thumb must be a non-empty list of distinct formats from avif, webp, jpeg, png",
            );
            expect(thrown(() => validateIssuerConfig({ ...base, variants: { thumb: { formats: ["webp"] } } }), ConfigError).message).to.equal("issuer config: field 'variants.thumb.eager' must be true or false");
            expect(thrown(() => validateIssuerConfig({ ...base, variants: { "Thumb!": { formats: ["webp"], eager: false } } }), ConfigError).message).to.match(/preset name "Thumb!"/);
        });
    });

    describe("uploads and the CLI", () => {
        const world = useWorld();
        /** A CDN that answers every request with one status, or never answers. */
        let cdn: http.Server;
        let cdnBase: string;
        let answer: number | "silence" = 503;
        const asked: string[] = [];

        before(async () => {
            cdn = http.createServer((req, res) => {
                asked.push(req.url ?? "");
                if (answer === "silence") return;
                res.statusCode = answer;
                res.end("Service Unavailable");
            });
            await new Promise<void>((resolve) => cdn.listen(0, "127.0.0.1", resolve));
            cdnBase = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
        });
        after(async () => {
            cdn.closeAllConnections();
            await closeServer(cdn);
        });

        async function service(overrides: Partial<IssuerConfig> = {}): Promise<TestService> {
            return world.newService({ cdnBaseUrl: cdnBase, variants: CATALOGUE, ...overrides });
        }

        it("an upload asks the CDN for every token a viewer can get of each eager preset, and stands when none can be made", async () => {
            answer = 503;
            asked.length = 0;
            const svc = await service();
            const result = await svc.issuer().upload(PNG_1X1);
            expect(result.hash).to.match(/^[0-9a-f]{32}$/);
            expect(result.variants).to.deep.equal({ thumb: `${cdnBase}/images/${result.hash}/thumb`, small: `${cdnBase}/images/${result.hash}/small` });
            expect(asked.sort()).to.deep.equal(["avif", "fallback", "webp"].map((token) => `/images/${result.hash}/thumb.${token}`));
            expect(result.eager?.ok).to.equal(false);
            expect(result.eager?.variants.map((variant) => [variant.token, variant.ok, variant.status, variant.error])).to.deep.equal([
                ["avif", false, 503, "status 503"],
                ["webp", false, 503, "status 503"],
                ["fallback", false, 503, "status 503"],
            ]);
            // The mapping is there: the upload stood.
            expect((await svc.issuer().inspect(result.hash as string)).live).to.equal(true);
        });

        it("a CDN that says nothing, or that cannot be reached, is given up on without failing the upload", async () => {
            answer = "silence";
            const quiet = await (await service()).issuer({ eagerTimeoutMs: 1 }).upload(PNG_1X1);
            expect(quiet.eager?.variants.map((variant) => variant.error)).to.deep.equal(["no answer within 1 ms", "no answer within 1 ms", "no answer within 1 ms"]);
            const closed = await service({ cdnBaseUrl: "http://127.0.0.1:1" });
            const unreachable = await closed.issuer().upload(PNG_1X1);
            expect(unreachable.hash).to.match(/^[0-9a-f]{32}$/);
            expect(unreachable.eager?.ok).to.equal(false);
            expect(unreachable.eager?.variants.every((variant) => variant.status === undefined && typeof variant.error === "string")).to.equal(true);
        });

        it("warmEagerVariants: false asks nothing; a service without variants asks nothing and says nothing of them", async () => {
            asked.length = 0;
            answer = 200;
            const off = await (await service()).issuer({ warmEagerVariants: false }).upload(PNG_1X1);
            expect(off).to.not.have.property("eager");
            expect(Object.keys(off.variants ?? {})).to.deep.equal(["thumb", "small"]);
            const none = await (await world.newService({ cdnBaseUrl: cdnBase })).issuer().upload(PNG_1X1);
            expect(none).to.not.have.any.keys("eager", "variants");
            expect(asked).to.deep.equal([]);
        });

        it("the CLI: `url <hash>` and `url <hash> --preset <name> [--format <format>]`, checked against the catalogue", async () => {
            const svc = await service();
            const dir = await fs.mkdtemp(path.join(os.tmpdir(), "sic-cli-url-"));
            try {
                const outputs = path.join(dir, "outputs.json");
                await fs.writeFile(outputs, JSON.stringify({ services: { chat: { issuer: svc.config } } }));
                const cli = (argv: string[]) => cliInProcess([...argv, "--outputs", outputs], dir, {});
                expect((await cli(["url", HASH])).stdout).to.deep.equal([`${cdnBase}/images/${HASH}  (the original of ${HASH})`]);
                expect((await cli(["url", HASH, "--preset", "thumb"])).stdout).to.deep.equal([`${cdnBase}/images/${HASH}/thumb  (thumb of ${HASH}, format negotiated from the viewer's Accept)`]);
                const json = await cli(["url", HASH, "--preset", "small", "--format", "webp", "--json"]);
                expect(JSON.parse(json.stdout.join("\n"))).to.deep.equal({ url: `${cdnBase}/images/${HASH}/small.webp`, hash: HASH, preset: "small", format: "webp" });
                const wrong = await cli(["url", HASH, "--preset", "small", "--format", "avif"]);
                expect([wrong.code, wrong.stderr[0]]).to.deep.equal([2, "secure-image-cdn: preset 'small' is not served as \"avif\": it has webp, jpeg, fallback"]);
                expect((await cli(["url", HASH, "--format", "webp"])).stderr[0]).to.equal("secure-image-cdn: --format needs --preset: a format is a variant's");
                expect((await cli(["issue", "s3://b/k", "--preset", "thumb"])).stderr[0]).to.equal("secure-image-cdn: --preset is only for 'url'");
                expect((await cli(["url", "not-a-hash", "--preset", "thumb"])).code).to.equal(2);
            } finally {
                await fs.rm(dir, { recursive: true, force: true });
            }
        });
    });
});
