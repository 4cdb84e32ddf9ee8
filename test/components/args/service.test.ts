/**
 * The service group (components/args/service.ts): the service name, the
 * tags with the service tag added, and tag values given as Outputs checked
 * when they resolve with the message a plain one gets.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { checkedTags, checkTagValue, resolveServiceName, resolveTags, SERVICE_DEFAULTS, SERVICE_TAG, validateInstanceName } from "../../../components/args/service";
import { deploy } from "../support/mocks";
import { rejection, thrown } from "../../support/rejection";

describe("args: service and tags", () => {
    it("the service name is checked by core's rule, worded with the field", () => {
        expect(resolveServiceName({ service: "chat-eu" })).to.equal("chat-eu");
        expect(thrown(() => resolveServiceName({ service: "Chat" }), Error).message).to.equal(
            'service must be 1-40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (got "Chat")',
        );
        expect(thrown(() => validateInstanceName("chat--eu"), Error).message).to.match(/^name must be 1-40/);
    });

    it("no tags given: the default (none) plus the service tag", () => {
        expect(SERVICE_DEFAULTS.tags).to.deep.equal({});
        expect(resolveTags({}, "chat")).to.deep.equal({ [SERVICE_TAG]: "chat" });
        expect(resolveTags({ tags: { team: "media" } }, "chat")).to.deep.equal({ team: "media", [SERVICE_TAG]: "chat" });
    });

    it("refuses reserved and overriding keys, too many tags, and plain values that are not strings", () => {
        expect(() => resolveTags({ tags: { "aws:owner": "me" } }, "chat")).to.throw(/^tags: key "aws:owner"/);
        expect(() => resolveTags({ tags: { [SERVICE_TAG]: "other" } }, "chat")).to.throw(/is set by the component/);
        expect(() => resolveTags({ tags: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, "v"])) }, "chat")).to.throw(/^tags may hold at most 40 entries \(got 41\)/);
        expect(() => resolveTags({ tags: { team: 7 as never } }, "chat")).to.throw(/^tags: value of "team" must be a string/);
        expect(() => resolveTags({ tags: ["a"] as never }, "chat")).to.throw(/^tags must be an object/);
    });

    it("an Output value is kept up front and checked when it resolves, failing with the plain value's message", async () => {
        const later = pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve("x".repeat(257)))));
        const tags = resolveTags({ tags: { team: later } }, "chat");
        expect(tags.team).to.equal(later);
        const plainMessage = thrown(() => checkTagValue("team", "x".repeat(257)), Error).message;
        const error = await rejection(deploy(() => ({ team: checkedTags(tags).team })), Error);
        expect(error.message).to.equal(plainMessage);
        const { outputs } = await deploy(() => ({ tags: checkedTags({ team: pulumi.output("media"), plain: "kept" }) }));
        expect(outputs.tags).to.deep.equal({ team: "media", plain: "kept" });
    });
});
