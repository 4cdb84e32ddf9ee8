/**
 * The CloudFront emulator's header helpers (local/cloudfront/headers.ts):
 * header lists looked up and changed without regard to case, converted to
 * and from the multi-value map of Lambda@Edge events (names lowercased, each
 * entry keeping its own spelling, repeats kept in order), read from Node's
 * raw and parsed request headers, and stripped of hop-by-hop headers. Pure.
 */
import { expect } from "chai";
import {
    fromCloudFrontHeaders,
    fromIncomingHeaders,
    fromRawHeaders,
    getHeader,
    HeaderList,
    hasHeader,
    toCloudFrontHeaders,
    withHeader,
    withoutHeader,
    withoutHopByHop,
} from "../../../local/cloudfront/headers";

describe("local CloudFront emulator: header lists", () => {
    const list: HeaderList = [
        ["Content-Type", "image/png"],
        ["Set-Cookie", "a=1"],
        ["set-cookie", "b=2"],
    ];

    it("looks a header up in any case, the first value when it repeats", () => {
        expect(getHeader(list, "content-type")).to.equal("image/png");
        expect(getHeader(list, "SET-COOKIE")).to.equal("a=1");
        expect(getHeader(list, "etag")).to.equal(undefined);
        expect(hasHeader(list, "CONTENT-type")).to.equal(true);
        expect(hasHeader([["X-Empty", ""]], "x-empty"), "an empty value is still there").to.equal(true);
        expect(hasHeader(list, "etag")).to.equal(false);
    });

    it("withHeader replaces every value of the name, in any case, and leaves the list it was given alone", () => {
        expect(withHeader(list, "SET-COOKIE", "c=3")).to.deep.equal([
            ["Content-Type", "image/png"],
            ["SET-COOKIE", "c=3"],
        ]);
        expect(withoutHeader(list, "set-COOKIE")).to.deep.equal([["Content-Type", "image/png"]]);
        expect(list).to.have.length(3);
    });

    it("to the event's map: lowercase names, each entry with its own spelling, repeats in order; and back", () => {
        const map = toCloudFrontHeaders(list);
        expect(map).to.deep.equal({
            "content-type": [{ key: "Content-Type", value: "image/png" }],
            "set-cookie": [
                { key: "Set-Cookie", value: "a=1" },
                { key: "set-cookie", value: "b=2" },
            ],
        });
        expect(fromCloudFrontHeaders(map)).to.deep.equal(list);
    });

    it("an entry of the event's map without a key takes the map's name; no map is no headers", () => {
        expect(fromCloudFrontHeaders({ "cache-control": [{ value: "max-age=60" }] })).to.deep.equal([["cache-control", "max-age=60"]]);
        expect(fromCloudFrontHeaders(undefined)).to.deep.equal([]);
    });

    it("reads Node's raw headers in pairs, as sent, and its parsed headers one value per entry", () => {
        expect(fromRawHeaders(["Host", "127.0.0.1", "X-A", "1", "x-a", "2"])).to.deep.equal([
            ["Host", "127.0.0.1"],
            ["X-A", "1"],
            ["x-a", "2"],
        ]);
        expect(fromRawHeaders(["Host", "127.0.0.1", "Dangling"]), "a name without a value is dropped").to.deep.equal([["Host", "127.0.0.1"]]);
        expect(fromIncomingHeaders({ "content-type": "image/png", "set-cookie": ["a=1", "b=2"], age: undefined })).to.deep.equal([
            ["content-type", "image/png"],
            ["set-cookie", "a=1"],
            ["set-cookie", "b=2"],
        ]);
    });

    it("drops the hop-by-hop headers, in any case, and keeps the rest", () => {
        const headers: HeaderList = [
            ["Connection", "keep-alive"],
            ["Keep-Alive", "timeout=5"],
            ["Transfer-Encoding", "chunked"],
            ["TE", "trailers"],
            ["Trailer", "Expires"],
            ["Upgrade", "h2c"],
            ["Proxy-Connection", "keep-alive"],
            ["Content-Length", "3"],
            ["ETag", '"3"'],
        ];
        expect(withoutHopByHop(headers)).to.deep.equal([
            ["Content-Length", "3"],
            ["ETag", '"3"'],
        ]);
    });
});
