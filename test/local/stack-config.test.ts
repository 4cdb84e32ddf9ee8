/**
 * A Pulumi stack file as the local stack reads it (local/stack-config.ts):
 * the services, their overrides and aws:region; an empty file or no config
 * key as the defaults; and a message naming the file and what is wrong
 * with it. Pure: the YAML is given as text.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../local/stack-config";

describe("local stack: stack config", () => {
    it("reads services, overrides and aws:region from a Pulumi stack file", () => {
        const config = parseStackConfig(
            [
                "config:",
                "  aws:region: eu-west-1",
                "  secure-image-cdn:services: [chat, marketplace]",
                "  secure-image-cdn:overrides:",
                "    chat:",
                "      mode: redirect",
            ].join("\n"),
            "Pulumi.test.yaml",
        );
        expect(config.region).to.equal("eu-west-1");
        expect(config.services).to.deep.equal({ services: ["chat", "marketplace"], overrides: { chat: { mode: "redirect" } } });
    });

    it("an empty file or no config key means the defaults", () => {
        expect(parseStackConfig("", "f").services).to.deep.equal({});
        expect(parseStackConfig("# nothing set yet\n\n", "f").services).to.deep.equal({});
        expect(parseStackConfig("encryptionsalt: x\n", "f").services).to.deep.equal({});
    });

    it("says which file is broken and how", () => {
        expect(() => parseStackConfig("config: [\n", "Pulumi.bad.yaml")).to.throw(/Pulumi\.bad\.yaml is not valid YAML/);
        expect(() => parseStackConfig("config:\n  aws:region: 42\n", "Pulumi.bad.yaml")).to.throw(/aws:region/);
        expect(() => parseStackConfig("- a\n", "Pulumi.bad.yaml")).to.throw(/expected a mapping/);
    });
});
