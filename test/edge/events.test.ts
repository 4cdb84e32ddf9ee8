/**
 * The CloudFront event shapes and header helpers: the first record's event
 * type, request and response are read only when shaped as CloudFront sends
 * them (anything else is `undefined`, never a crash), and the multi-value
 * header maps are read and written by lowercase name, the first value or
 * all of them joined, with the display name kept.
 */
import { expect } from "chai";
import type { CloudFrontHeaders } from "aws-lambda";
import { eventParts, headerValue, joinedHeader, setHeader } from "../../edge/events";

const REQUEST = { uri: "/images/a", method: "GET", headers: {}, querystring: "", clientIp: "203.0.113.1" };
const RESPONSE = { status: "200", statusDescription: "OK", headers: {} };

describe("edge/events", () => {
    it("reads the first record's event type, request and response", () => {
        const event = { Records: [{ cf: { config: { eventType: "origin-response" }, request: REQUEST, response: RESPONSE } }, { cf: { config: { eventType: "viewer-request" } } }] };
        expect(eventParts(event)).to.deep.equal({ eventType: "origin-response", request: REQUEST, response: RESPONSE });
    });

    it("is undefined for what is not a CloudFront event", () => {
        for (const event of [undefined, null, "text", {}, { Records: {} }, { Records: [] }, { Records: [null] }, { Records: [{}] }, { Records: [{ cf: "x" }] }]) {
            expect(eventParts(event), JSON.stringify(event)).to.equal(undefined);
        }
    });

    it("leaves out a request or response of the wrong shape, and an event type that is not a string", () => {
        const parts = eventParts({
            Records: [{ cf: { config: { eventType: 7 }, request: { uri: "/a", method: "GET" }, response: { status: 200, headers: {} } } }],
        });
        expect(parts).to.deep.equal({ eventType: "", request: undefined, response: undefined });
        expect(eventParts({ Records: [{ cf: { request: { ...REQUEST, uri: 1 } } }] })?.request).to.equal(undefined);
        expect(eventParts({ Records: [{ cf: { request: { ...REQUEST, method: undefined } } }] })?.request).to.equal(undefined);
        expect(eventParts({ Records: [{ cf: { response: { ...RESPONSE, headers: null } } }] })?.response).to.equal(undefined);
    });

    it("headerValue: the first value, by lowercase name whatever case it is asked in", () => {
        const headers: CloudFrontHeaders = { accept: [{ key: "Accept", value: "image/avif" }, { key: "Accept", value: "image/webp" }] };
        expect(headerValue(headers, "Accept")).to.equal("image/avif");
        expect(headerValue(headers, "accept")).to.equal("image/avif");
        expect(headerValue(headers, "Range")).to.equal(undefined);
        expect(headerValue(undefined, "Accept")).to.equal(undefined);
        expect(headerValue({ accept: [] }, "Accept")).to.equal(undefined);
    });

    it("joinedHeader: every value joined by a comma, as repeated list headers combine", () => {
        const headers: CloudFrontHeaders = { accept: [{ key: "Accept", value: "image/avif" }, { key: "accept", value: "image/webp;q=0.9" }] };
        expect(joinedHeader(headers, "ACCEPT")).to.equal("image/avif, image/webp;q=0.9");
        expect(joinedHeader({ accept: [] }, "Accept")).to.equal(undefined);
        expect(joinedHeader(undefined, "Accept")).to.equal(undefined);
    });

    it("setHeader replaces every value with one, under the lowercase name with the display name as key", () => {
        const headers: CloudFrontHeaders = { "cache-control": [{ key: "Cache-Control", value: "max-age=1" }, { key: "cache-control", value: "public" }] };
        setHeader(headers, "Cache-Control", "no-store");
        setHeader(headers, "X-Content-Type-Options", "nosniff");
        expect(headers).to.deep.equal({
            "cache-control": [{ key: "Cache-Control", value: "no-store" }],
            "x-content-type-options": [{ key: "X-Content-Type-Options", value: "nosniff" }],
        });
    });
});
