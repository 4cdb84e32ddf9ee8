import { expect } from "chai";
import { dynamoEndpoint, encodeObjectKey, endpointHost, objectLocation, parseEndpoint } from "../../edge/endpoints";
import { settings } from "./fixtures";

describe("edge endpoints", () => {
    it("targets the table's own region, wherever the function runs", () => {
        expect(dynamoEndpoint(settings({ tableRegion: "eu-west-1" }))).to.deep.equal({ protocol: "https:", hostname: "dynamodb.eu-west-1.amazonaws.com" });
        expect(dynamoEndpoint(settings({ tableRegion: "cn-north-1" }))).to.deep.equal({ protocol: "https:", hostname: "dynamodb.cn-north-1.amazonaws.com.cn" });
        expect(dynamoEndpoint(settings({ endpoints: { dynamodb: "http://127.0.0.1:8000" } }))).to.deep.equal({ protocol: "http:", hostname: "127.0.0.1", port: 8000 });
    });

    it("uses virtual-hosted S3 URLs in AWS and path style locally", () => {
        expect(objectLocation(settings({ bucket: "b-1", bucketRegion: "us-east-1" }))).to.deep.equal({
            endpoint: { protocol: "https:", hostname: "b-1.s3.us-east-1.amazonaws.com" },
            pathPrefix: "/",
        });
        expect(objectLocation(settings({ bucket: "b-1", endpoints: { s3: "http://localhost:4569" } }))).to.deep.equal({
            endpoint: { protocol: "http:", hostname: "localhost", port: 4569 },
            pathPrefix: "/b-1/",
        });
    });

    it("accepts only bare http(s) origins as overrides", () => {
        for (const bad of ["ftp://x", "http://x/path", "http://u:p@x", "http://x?q=1", "not a url"]) expect(() => parseEndpoint(bad), bad).to.throw();
        expect(endpointHost(parseEndpoint("http://[::1]:9000"))).to.equal("[::1]:9000");
        expect(endpointHost(parseEndpoint("https://example.com"))).to.equal("example.com");
    });

    it("percent-encodes each key segment per RFC 3986 and keeps the slashes", () => {
        expect(encodeObjectKey("a/b c/d.jpg")).to.equal("a/b%20c/d.jpg");
        expect(encodeObjectKey("x!'()*+,;=&$@:?#[]%.jpg")).to.equal("x%21%27%28%29%2A%2B%2C%3B%3D%26%24%40%3A%3F%23%5B%5D%25.jpg");
        expect(encodeObjectKey("日本/ü-_.~")).to.equal("%E6%97%A5%E6%9C%AC/%C3%BC-_.~");
    });
});
