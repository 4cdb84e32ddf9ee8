/**
 * The service requirements table and the step from stack config to the
 * instances a stack deploys. Pure; no Pulumi runtime.
 */
import { expect } from "chai";
import { DEFAULT_VARIANT_PRESETS } from "../../core/variants";
import type { SecureImageCdnArgs } from "../../components/args";
import { hasVariants, resolveArgs } from "../../components/resolve-args";
import { defaultServices, planServices, SERVICE_CATALOG } from "../../components/services";

describe("services table and stack config", () => {
    it("the table holds the five services at their levels: discussion and chat required, marketplace and nudges public, regulatory secured", () => {
        const levels = Object.fromEntries(Object.entries(SERVICE_CATALOG).map(([name, entry]) => [name, entry.level]));
        expect(levels).to.deep.equal({ discussion: "required", chat: "required", marketplace: "public", nudges: "public", regulatory: "secured" });
        for (const [name, entry] of Object.entries(SERVICE_CATALOG)) {
            expect(entry.description, name).to.match(/\S.{10,}/);
        }
    });

    it("with no config a stack deploys discussion and chat only", () => {
        expect(defaultServices()).to.deep.equal(["discussion", "chat"]);
        expect(planServices(undefined).map((p) => p.name)).to.deep.equal(["discussion", "chat"]);
        expect(planServices({}).map((p) => p.name)).to.deep.equal(["discussion", "chat"]);
    });

    it("each planned service gets its table level, its variants and its name as the service", () => {
        const plan = planServices({ services: ["regulatory", "marketplace", "chat"] });
        expect(plan).to.deep.equal([
            { name: "chat", args: { level: "required", variants: DEFAULT_VARIANT_PRESETS, service: "chat" } },
            { name: "marketplace", args: { level: "public", service: "marketplace" } },
            { name: "regulatory", args: { level: "secured", service: "regulatory" } },
        ]);
    });

    it("an override changes only its own service; delivering by redirect drops the service's default variants", () => {
        const plan = planServices({ services: ["discussion", "chat"], overrides: { chat: { mode: "redirect", signedUrlTtlSeconds: 120 } } });
        expect(plan.find((p) => p.name === "chat")?.args).to.deep.equal({ level: "required", mode: "redirect", signedUrlTtlSeconds: 120, service: "chat" });
        expect(plan.find((p) => p.name === "discussion")?.args).to.deep.equal({ level: "required", variants: DEFAULT_VARIANT_PRESETS, service: "discussion" });
    });

    it("variants per service through the overrides: their own catalogue, {} for none, and redirect with variants refused naming the field", () => {
        const own = { card: { width: 400, height: 300, eager: true } };
        expect(planServices({ overrides: { chat: { variants: own } } }).find((p) => p.name === "chat")?.args.variants).to.deep.equal(own);
        const none = planServices({ overrides: { discussion: { variants: {} } } }).find((p) => p.name === "discussion")?.args;
        expect(hasVariants(resolveArgs(none as SecureImageCdnArgs))).to.equal(false);
        expect(() => planServices({ overrides: { chat: { mode: "redirect", variants: own } } })).to.throw(/^secure-image-cdn:overrides\.chat: variants apply to mode "origin" only/);
        expect(() => planServices({ services: ["regulatory"], overrides: { regulatory: { variants: own, resizer: { reservedConcurrency: 5 } } } })).to.not.throw();
        expect(() => planServices({ services: ["marketplace"], overrides: { marketplace: { variants: own } } })).to.throw(/^secure-image-cdn:overrides\.marketplace: variants does not apply to level "public"/);
    });

    it("an override may change a service's level", () => {
        expect(planServices({ services: ["marketplace"], overrides: { marketplace: { level: "required" } } })[0].args.level).to.equal("required");
    });

    describe("refused, naming the config key", () => {
        const cases: [string, unknown, RegExp][] = [
            ["an unknown service", { services: ["discussion", "forum"] }, /^secure-image-cdn:services: unknown service\(s\) forum \(known: discussion, chat, marketplace, nudges, regulatory\)/],
            ["services that is not a list", { services: "discussion" }, /^secure-image-cdn:services must be a list of service names/],
            ["a service listed twice", { services: ["chat", "chat"] }, /^secure-image-cdn:services lists chat more than once/],
            ["an empty service list", { services: [] }, /^secure-image-cdn:services is empty/],
            ["an override of an unknown service", { overrides: { forum: {} } }, /^secure-image-cdn:overrides: unknown service forum/],
            ["an override of a service this stack does not deploy", { overrides: { marketplace: { priceClass: "PriceClass_All" } } }, /^secure-image-cdn:overrides\.marketplace: service marketplace is not deployed by this stack \(services: discussion, chat\)/],
            ["an override with an unknown field", { overrides: { chat: { ttl: 5 } } }, /^secure-image-cdn:overrides\.chat: unknown field\(s\) ttl/],
            ["an override that renames the service", { overrides: { chat: { service: "talk" } } }, /^secure-image-cdn:overrides\.chat\.service cannot be set/],
            ["an override with an invalid value", { overrides: { chat: { mode: "proxy" } } }, /^secure-image-cdn:overrides\.chat: mode must be one of origin, redirect/],
            ["an override that is not an object", { overrides: { chat: "redirect" } }, /^secure-image-cdn:overrides\.chat must be an object/],
            ["overrides that is not an object", { overrides: ["chat"] }, /^secure-image-cdn:overrides must be an object keyed by service name/],
            ["an unknown config key", { services: ["chat"], extra: true }, /^services config: unknown key\(s\) extra/],
        ];
        for (const [what, config, message] of cases) {
            it(what, () => {
                expect(() => planServices(config)).to.throw(message);
            });
        }
    });
});
