/**
 * The hostile request corpus: what scanners, curious users and attackers
 * send to an image CDN, built around one real issued hash. Each case says
 * whether a correct CDN serves the image for it (`serve`: the request is a
 * plain GET/HEAD of the hash URL whatever else it carries), refuses it
 * (`refuse`: any answer but the image, a redirect or a 5xx), or may do
 * either (`either`: e.g. an absolute-form target). The checks themselves
 * are in oracle.ts. test/fixtures/hostile/paths.txt adds the classic path
 * payloads.
 */
import * as fs from "fs";
import * as path from "path";
import type { RawRequest } from "../../reliability/support/raw-http";

export type Expectation = "serve" | "refuse" | "either";

export interface HostileCase {
    category: string;
    name: string;
    request: RawRequest;
    expect: Expectation;
}

export interface CorpusContext {
    /** An issued hash whose image is in the bucket. */
    hash: string;
    /** A well-formed hash never issued. */
    missing: string;
    /** The image's object key. */
    key: string;
    /** The table item key the issuer keeps for the object (derivable from its URL). */
    pointerKey: string;
    bucket: string;
    port: number;
}

const PATHS_FILE = path.join(__dirname, "..", "..", "fixtures", "hostile", "paths.txt");

/** Percent-encodes every non-ASCII character as UTF-8 (what a browser puts on the wire). */
export function pct(text: string): string {
    return text.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
}

/** A visually similar character for each hex digit (Cyrillic, Armenian, Cherokee, Latin extensions, maths). */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
    "0": "\u041e", // Cyrillic capital O
    "1": "\u04cf", // Cyrillic palochka
    "2": "\u01a7", // Latin capital tone two
    "3": "\u0417", // Cyrillic Ze
    "4": "\u13ce", // Cherokee se
    "5": "\u01bc", // Latin capital tone five
    "6": "\u0431", // Cyrillic be
    "7": "\ud835\udfe9", // mathematical sans-serif 7
    "8": "\u0222", // Latin capital ou
    "9": "\u0563", // Armenian gim
    a: "\u0430", // Cyrillic a
    b: "\u042c", // Cyrillic soft sign
    c: "\u0441", // Cyrillic es
    d: "\u0501", // Cyrillic komi de
    e: "\u0435", // Cyrillic ie
    f: "\u0192", // Latin f with hook
};

/** The fullwidth form of a hex character (U+FF10… digits, U+FF41… letters). */
export function fullwidth(char: string): string {
    const code = char.charCodeAt(0);
    return String.fromCodePoint(code < 0x3a ? 0xff10 + (code - 0x30) : 0xff41 + (code - 0x61));
}

/** The mathematical bold form of a hex character. */
function mathBold(char: string): string {
    const code = char.charCodeAt(0);
    return String.fromCodePoint(code < 0x3a ? 0x1d7ce + (code - 0x30) : 0x1d41a + (code - 0x61));
}

function replaceAt(text: string, index: number, by: string): string {
    return text.slice(0, index) + by + text.slice(index + 1);
}

function get(target: string | Buffer, headers: Array<[string, string]> = []): RawRequest {
    return { method: "GET", target, headers };
}

/** The classic payloads of paths.txt, placeholders filled. */
export function fileCases(ctx: CorpusContext): HostileCase[] {
    const lines = fs
        .readFileSync(PATHS_FILE, "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"));
    return lines.map((line) => {
        const target = line.replace(/\{hash\}/g, ctx.hash).replace(/\{key\}/g, ctx.key).replace(/\{bucket\}/g, ctx.bucket).replace(/\{missing\}/g, ctx.missing);
        return { category: "path", name: line, request: get(target), expect: "refuse" };
    });
}

/** Look-alike characters in the hash and in `/images/`, percent-encoded and as raw UTF-8. */
export function unicodeCases(ctx: CorpusContext): HostileCase[] {
    const h = ctx.hash;
    const cases: HostileCase[] = [];
    const add = (name: string, target: string) => {
        cases.push({ category: "unicode", name: `${name} (percent-encoded)`, request: get(pct(target)), expect: "refuse" });
        cases.push({ category: "unicode", name: `${name} (raw UTF-8)`, request: get(target), expect: "refuse" });
    };
    for (const at of [0, 15, 31]) {
        add(`homoglyph at ${at}`, `/images/${replaceAt(h, at, HOMOGLYPHS[h[at]])}`);
        add(`fullwidth at ${at}`, `/images/${replaceAt(h, at, fullwidth(h[at]))}`);
        add(`mathematical bold at ${at}`, `/images/${replaceAt(h, at, mathBold(h[at]))}`);
    }
    add("every character fullwidth", `/images/${[...h].map(fullwidth).join("")}`);
    add("every character a homoglyph", `/images/${[...h].map((c) => HOMOGLYPHS[c]).join("")}`);
    add("digits as Arabic-Indic digits", `/images/${h.replace(/[0-9]/g, (d) => String.fromCodePoint(0x0660 + Number(d)))}`);
    add("digits as Devanagari digits", `/images/${h.replace(/[0-9]/g, (d) => String.fromCodePoint(0x0966 + Number(d)))}`);
    const invisible: [string, string][] = [
        ["zero-width space", "\u200b"],
        ["zero-width non-joiner", "\u200c"],
        ["zero-width joiner", "\u200d"],
        ["word joiner", "\u2060"],
        ["soft hyphen", "\u00ad"],
        ["byte order mark", "\ufeff"],
        ["right-to-left override", "\u202e"],
        ["combining acute accent", "\u0301"],
    ];
    for (const [name, char] of invisible) add(`${name} inside the hash`, `/images/${h.slice(0, 16)}${char}${h.slice(16)}`);
    add("byte order mark before the hash", `/images/\ufeff${h}`);
    for (const [name, prefix] of [
        ["Cyrillic i in images", "/\u0456mages/"],
        ["dotless i in images", "/\u0131mages/"],
        ["fullwidth IMAGES", "/\uff29\uff2d\uff21\uff27\uff25\uff33/"],
        ["fullwidth solidus", "/images\uff0f"],
        ["division slash", "/images\u2215"],
        ["fraction slash", "/images\u2044"],
    ] as const) {
        add(name, `${prefix}${h}`);
    }
    cases.push({ category: "unicode", name: "upper-case hash", request: get(`/images/${h.toUpperCase()}`), expect: "refuse" });
    cases.push({ category: "unicode", name: "upper-case first letter", request: get(`/images/${h.replace(/[a-f]/, (c) => c.toUpperCase())}`), expect: "refuse" });
    cases.push({ category: "unicode", name: "hash percent-encoded character by character", request: get(`/images/${[...h].map((c) => "%" + c.charCodeAt(0).toString(16)).join("")}`), expect: "refuse" });
    cases.push({ category: "unicode", name: "hash double percent-encoded", request: get(`/images/${[...h].map((c) => "%25" + c.charCodeAt(0).toString(16)).join("")}`), expect: "refuse" });
    cases.push({ category: "unicode", name: "first character percent-encoded", request: get(`/images/%${h.charCodeAt(0).toString(16)}${h.slice(1)}`), expect: "refuse" });
    return cases;
}

/** Methods other than GET and HEAD, bodies on GET, and HEAD itself. */
export function methodCases(ctx: CorpusContext): HostileCase[] {
    const target = `/images/${ctx.hash}`;
    const methods = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "PURGE", "REPORT", "get", "GeT", "BAN", "FOO"];
    const cases: HostileCase[] = methods.map((method) => ({ category: "method", name: method, request: { method, target }, expect: "refuse" }));
    cases.push(
        { category: "method", name: "CONNECT to the CDN itself", request: { method: "CONNECT", target: `127.0.0.1:${ctx.port}` }, expect: "refuse" },
        { category: "method", name: "OPTIONS *", request: { method: "OPTIONS", target: "*" }, expect: "refuse" },
        { category: "method", name: "HEAD of the hash URL", request: { method: "HEAD", target }, expect: "serve" },
        { category: "method", name: "HEAD of a missing hash", request: { method: "HEAD", target: `/images/${ctx.missing}` }, expect: "refuse" },
        { category: "method", name: "GET with a body", request: { method: "GET", target, headers: [["Content-Length", "5"]], body: Buffer.from("hello") }, expect: "refuse" },
        { category: "method", name: "GET with a chunked body", request: { method: "GET", target, headers: [["Transfer-Encoding", "chunked"]], body: Buffer.from("5\r\nhello\r\n0\r\n\r\n") }, expect: "refuse" },
        {
            category: "method",
            name: "GET whose body smuggles a second request for the object key",
            request: { method: "GET", target, headers: [["Content-Length", "60"]], body: Buffer.from(`GET /${ctx.key} HTTP/1.1\r\nHost: x\r\n\r\n`.padEnd(60, " ")) },
            expect: "refuse",
        },
        { category: "method", name: "Content-Length and Transfer-Encoding together", request: { method: "GET", target, headers: [["Content-Length", "0"], ["Transfer-Encoding", "chunked"]], body: Buffer.from("0\r\n\r\n") }, expect: "refuse" },
        { category: "method", name: "X-HTTP-Method-Override: DELETE", request: get(target, [["X-HTTP-Method-Override", "DELETE"]]), expect: "serve" },
        { category: "method", name: "_method=DELETE in the query", request: get(`${target}?_method=DELETE`), expect: "serve" },
    );
    return cases;
}

/** Query strings that try to steer S3, the presigner or the cache key; all are ignored for a good hash. */
export function queryCases(ctx: CorpusContext): HostileCase[] {
    const queries = [
        "X-Amz-Expires=604800",
        "X-Amz-Signature=0000000000000000000000000000000000000000000000000000000000000000",
        "X-Amz-Credential=AKIAEXAMPLEEXAMPLE00%2F20300101%2Fus-east-1%2Fs3%2Faws4_request",
        "X-Amz-Date=19700101T000000Z",
        "X-Amz-Algorithm=AWS4-HMAC-SHA1",
        "X-Amz-Security-Token=forged",
        "X-Amz-SignedHeaders=host%3Brange",
        "response-content-type=text%2Fhtml",
        "response-content-disposition=attachment%3B%20filename%3Devil.html",
        "response-cache-control=public%2C%20max-age%3D31536000",
        "response-expires=Thu%2C%2001%20Jan%202099%2000%3A00%3A00%20GMT",
        "versionId=null",
        "versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
        "acl",
        "tagging",
        "uploads",
        "list-type=2&prefix=",
        "delete",
        "torrent",
        "key=..%2F..%2Fsecret.png",
        `uri=%2F${encodeURIComponent(ctx.key)}`,
        `hash=${ctx.missing}`,
        "Expires=9999999999&Signature=forged&Key-Pair-Id=APKAEXAMPLE",
        "Policy=eyJTdGF0ZW1lbnQiOltdfQ__",
        "a=1&a=2&a=3",
        "%00=%00",
        "x=%0d%0aSet-Cookie:%20pwned%3D1",
        "x=" + "q".repeat(7000),
    ];
    const cases: HostileCase[] = queries.map((query) => ({
        category: "query",
        name: `good hash ?${query.slice(0, 60)}`,
        request: get(`/images/${ctx.hash}?${query}`),
        expect: "serve",
    }));
    for (const query of queries.slice(0, 8)) {
        cases.push({ category: "query", name: `missing hash ?${query.slice(0, 40)}`, request: get(`/images/${ctx.missing}?${query}`), expect: "refuse" });
    }
    cases.push({ category: "query", name: "object key with a presign-looking query", request: get(`/${ctx.key}?X-Amz-Expires=604800`), expect: "refuse" });
    cases.push({ category: "query", name: "query longer than the URL limit", request: get(`/images/${ctx.hash}?x=${"q".repeat(9000)}`), expect: "refuse" });
    return cases;
}

/** Over-long paths and headers, many headers. */
export function lengthCases(ctx: CorpusContext): HostileCase[] {
    const h = ctx.hash;
    const good = `/images/${h}`;
    return [
        { category: "length", name: "path of 1,025 characters (over the edge's limit)", request: get(`${good}/${"a".repeat(1024 - good.length)}`), expect: "refuse" },
        { category: "length", name: "path of 1,000 characters", request: get(`/images/${"a".repeat(992)}`), expect: "refuse" },
        { category: "length", name: "path of 8,193 bytes (over CloudFront's URL limit)", request: get(`/images/${"b".repeat(8185)}`), expect: "refuse" },
        { category: "length", name: "hash repeated 30 times", request: get(`/images/${h.repeat(30)}`), expect: "refuse" },
        { category: "length", name: "64 path segments", request: get(`/images/${"x/".repeat(64)}${h}`), expect: "refuse" },
        { category: "length", name: "header of 25 KB (over the header limit)", request: get(good, [["X-Padding", "p".repeat(25 * 1024)]]), expect: "refuse" },
        { category: "length", name: "cookie of 12 KB on the hash URL", request: get(good, [["Cookie", `session=${"c".repeat(12 * 1024)}`]]), expect: "serve" },
        { category: "length", name: "user agent of 8 KB on the hash URL", request: get(good, [["User-Agent", "u".repeat(8 * 1024)]]), expect: "serve" },
        { category: "length", name: "150 extra headers on the hash URL", request: get(good, Array.from({ length: 150 }, (_, i): [string, string] => [`X-Extra-${i}`, "v"])), expect: "serve" },
        { category: "length", name: "header name of 2 KB", request: get(good, [[`X-${"n".repeat(2048)}`, "v"]]), expect: "either" },
    ];
}

/** Host header games: other sites, missing, duplicated, absolute-form targets, forwarded-host headers. */
export function hostCases(ctx: CorpusContext): HostileCase[] {
    const good = `/images/${ctx.hash}`;
    const own = `127.0.0.1:${ctx.port}`;
    const withHost = (name: string, hosts: string[], expect: Expectation): HostileCase => ({
        category: "host",
        name,
        request: { method: "GET", target: good, headers: hosts.map((host): [string, string] => ["Host", host]) },
        expect,
    });
    return [
        withHost("Host of another site", ["evil.example"], "refuse"),
        withHost("empty Host", [""], "refuse"),
        withHost("Host with a suffix", [`${own}.evil.example`], "refuse"),
        withHost("Host with userinfo", [`evil@${own}`], "refuse"),
        withHost("Host on another port", [`127.0.0.1:${ctx.port === 1 ? 2 : ctx.port - 1}`], "refuse"),
        withHost("Host of another site first, own second", ["evil.example", own], "refuse"),
        withHost("own Host first, another site second", [own, "evil.example"], "either"),
        withHost("localhost with the port", [`localhost:${ctx.port}`], "serve"),
        withHost("upper-case LOCALHOST", [`LOCALHOST:${ctx.port}`], "serve"),
        { category: "host", name: "no Host at all", request: { method: "GET", target: good, omitHost: true }, expect: "refuse" },
        { category: "host", name: "HTTP/1.0 without Host", request: { method: "GET", target: good, omitHost: true, version: "HTTP/1.0" }, expect: "either" },
        { category: "host", name: "absolute-form target naming another site", request: get(`http://evil.example${good}`), expect: "either" },
        { category: "host", name: "absolute-form target naming the bucket endpoint", request: get(`http://${ctx.bucket}.s3.amazonaws.com/${ctx.key}`), expect: "refuse" },
        { category: "host", name: "X-Forwarded-Host of another site", request: get(good, [["X-Forwarded-Host", "evil.example"]]), expect: "serve" },
        { category: "host", name: "Forwarded host of another site", request: get(good, [["Forwarded", "host=evil.example;proto=http"]]), expect: "serve" },
        { category: "host", name: "X-Original-URL naming the object key", request: get(good, [["X-Original-URL", `/${ctx.key}`]]), expect: "serve" },
        { category: "host", name: "X-Rewrite-URL naming the object key", request: get(good, [["X-Rewrite-URL", `/${ctx.key}`]]), expect: "serve" },
        { category: "host", name: "X-Original-URL on a missing hash", request: get(`/images/${ctx.missing}`, [["X-Original-URL", good]]), expect: "refuse" },
    ];
}

/** Range and conditional requests, and headers that try to change what is fetched or cached. */
export function headerCases(ctx: CorpusContext): HostileCase[] {
    const good = `/images/${ctx.hash}`;
    const on = (name: string, headers: Array<[string, string]>, expect: Expectation = "serve", target = good): HostileCase => ({ category: "headers", name, request: get(target, headers), expect });
    return [
        on("Range bytes=0-3", [["Range", "bytes=0-3"]]),
        on("Range bytes=-4", [["Range", "bytes=-4"]]),
        on("Range past the end", [["Range", "bytes=100000-"]], "either"),
        on("Range backwards", [["Range", "bytes=5-1"]]),
        on("Range with three parts", [["Range", "bytes=0-0,2-2,4-4"]]),
        on("Range with 1,000 parts", [["Range", "bytes=" + Array.from({ length: 1000 }, (_, i) => `${i}-${i}`).join(",")]]),
        on("Range not in bytes", [["Range", "items=0-1"]]),
        on("Range garbage", [["Range", "bytes=abc"]]),
        on("If-Range with Range", [["Range", "bytes=0-3"], ["If-Range", '"forged"']]),
        on("Range on a missing hash", [["Range", "bytes=0-3"]], "refuse", `/images/${ctx.missing}`),
        on("If-None-Match: *", [["If-None-Match", "*"]], "either"),
        on("If-Modified-Since in the future", [["If-Modified-Since", "Thu, 01 Jan 2099 00:00:00 GMT"]], "either"),
        on("If-Match forged", [["If-Match", '"forged"']], "either"),
        on("Accept-Encoding gzip, br", [["Accept-Encoding", "gzip, br, deflate"]]),
        on("Authorization with a forged SigV4", [["Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20300101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"]]),
        on("X-Amz-Security-Token", [["X-Amz-Security-Token", "forged"]]),
        on("X-Amz-Date", [["X-Amz-Date", "19700101T000000Z"]]),
        on("Cookie", [["Cookie", "session=admin; role=admin"]]),
        on("Origin and Referer of another site", [["Origin", "https://evil.example"], ["Referer", "https://evil.example/page"]]),
        on("Via and X-Forwarded-For forged", [["Via", "1.1 evil"], ["X-Forwarded-For", "169.254.169.254"]]),
        on("Upgrade: websocket", [["Upgrade", "websocket"], ["Connection", "Upgrade"]], "either"),
        on("Expect: 100-continue", [["Expect", "100-continue"]], "either"),
        on("Max-Forwards: 0", [["Max-Forwards", "0"]]),
        on("Content-Type text/html on the request", [["Content-Type", "text/html"]]),
        on("Accept text/html", [["Accept", "text/html"]]),
        on("Cache-Control: no-cache from the client", [["Cache-Control", "no-cache"], ["Pragma", "no-cache"]]),
        on("header value with a NUL byte", [["X-A", "a\u0000b"]], "refuse"),
        on("folded header", [["X-A", "a\r\n b"]], "refuse"),
        on("header name with a space", [["X A", "b"]], "refuse"),
        { category: "headers", name: "HTTP/1.0", request: { method: "GET", target: good, version: "HTTP/1.0" }, expect: "serve" },
        { category: "headers", name: "HTTP/3.0", request: { method: "GET", target: good, version: "HTTP/3.0" }, expect: "refuse" },
        { category: "headers", name: "no protocol version", request: { method: "GET", target: good, version: "" }, expect: "refuse" },
        { category: "headers", name: "fragment in the target", request: get(`${good}#x`), expect: "either" },
        { category: "headers", name: "target without a leading slash", request: get(`images/${ctx.hash}`), expect: "either" },
        { category: "headers", name: "backslashes", request: get(`\\images\\${ctx.hash}`), expect: "refuse" },
        { category: "headers", name: "tab in the target", request: get(`${good}\tx`), expect: "refuse" },
        { category: "headers", name: "raw NUL in the target", request: get(`${good}\u0000`), expect: "refuse" },
    ];
}

/** Names of things that exist, as paths: the pointer item's key, the bucket, the table. */
export function nameCases(ctx: CorpusContext): HostileCase[] {
    return [
        { category: "names", name: "the object's pointer key as a hash", request: get(`/images/${encodeURIComponent(ctx.pointerKey)}`), expect: "refuse" },
        { category: "names", name: "the object's pointer key raw", request: get(`/images/${ctx.pointerKey.replace("#", "%23")}`), expect: "refuse" },
        { category: "names", name: "the pointer key's digest part", request: get(`/images/${ctx.pointerKey.slice("object#".length)}`), expect: "refuse" },
        { category: "names", name: "a missing hash", request: get(`/images/${ctx.missing}`), expect: "refuse" },
        { category: "names", name: "the bucket as a path", request: get(`/${ctx.bucket}`), expect: "refuse" },
        { category: "names", name: "the bucket listing", request: get(`/?list-type=2`), expect: "refuse" },
        { category: "names", name: "the root", request: get("/"), expect: "refuse" },
        { category: "names", name: "favicon", request: get("/favicon.ico"), expect: "refuse" },
        { category: "names", name: "robots.txt", request: get("/robots.txt"), expect: "refuse" },
    ];
}

/** Every case, in a fixed order; the first ones try to poison the cache for the good hash before any plain request. */
export function hostileCorpus(ctx: CorpusContext): HostileCase[] {
    return [...queryCases(ctx), ...headerCases(ctx), ...hostCases(ctx), ...methodCases(ctx), ...lengthCases(ctx), ...unicodeCases(ctx), ...nameCases(ctx), ...fileCases(ctx)];
}
