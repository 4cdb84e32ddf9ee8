/**
 * Generated hostile requests (fast-check): the hash URL mutated by a few
 * inserts, replacements and deletions drawn from what breaks parsers
 * (encodings, dots, slashes, NULs, look-alikes), under a random method,
 * query and a few tricky headers. A request is expected to be served only
 * when it is still a plain GET/HEAD of exactly the hash URL.
 */
import * as fc from "fast-check";
import type { RawRequest } from "../../reliability/support/raw-http";
import { fullwidth, HOMOGLYPHS, pct, Expectation } from "./corpus";
import { effectivePath } from "./oracle";

const FRAGMENTS = [
    "%", ".", "..", "/", "//", "\\", "%2e", "%2E", "%2f", "%2F", "%5c", "%00", "%25", "%2500", "?", ";", ":", "@", "*", "~",
    "A", "F", "0", "9", "g", "z", "%20", "+", "%0d%0a", "%c0%ae", "%e2%80%8b", "%ef%bb%bf", "#", "&", "=", "images/",
    ...Object.values(HOMOGLYPHS).map(pct),
    ...["0", "7", "a", "f"].map((c) => pct(fullwidth(c))),
];

type Mutation = { op: "insert" | "replace"; at: number; text: string } | { op: "delete"; at: number } | { op: "upper"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), at: fc.nat(45), text: fc.constantFrom(...FRAGMENTS) }),
    fc.record({ op: fc.constant("replace" as const), at: fc.nat(45), text: fc.constantFrom(...FRAGMENTS) }),
    fc.record({ op: fc.constant("delete" as const), at: fc.nat(45) }),
    fc.record({ op: fc.constant("upper" as const), at: fc.nat(45) }),
);

function apply(target: string, change: Mutation): string {
    const at = Math.min(change.at, target.length);
    switch (change.op) {
        case "insert":
            return target.slice(0, at) + change.text + target.slice(at);
        case "replace":
            return target.slice(0, at) + change.text + target.slice(at + 1);
        case "delete":
            return target.slice(0, at) + target.slice(at + 1);
        case "upper":
            return target.slice(0, at) + target.charAt(at).toUpperCase() + target.slice(at + 1);
    }
}

const QUERIES = ["X-Amz-Expires=604800", "response-content-type=text%2Fhtml", "versionId=1", "acl", "X-Amz-Signature=00", "uri=%2Fuploads%2Fx.png", "a=%00"];

const HEADER_NAMES = ["Range", "X-Forwarded-Host", "X-Original-URL", "If-None-Match", "Cookie", "Authorization", "X-Amz-Date", "Origin", "Accept-Encoding", "Cache-Control", "X-HTTP-Method-Override"];

export interface GeneratedRequest {
    request: RawRequest;
    expect: Expectation;
}

/** Hostile requests around `/images/<hash>`. */
export function generatedRequests(hash: string): fc.Arbitrary<GeneratedRequest> {
    const good = `/images/${hash}`;
    return fc
        .record({
            method: fc.constantFrom("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"),
            changes: fc.array(mutation, { maxLength: 4 }),
            query: fc.option(fc.oneof(fc.constantFrom(...QUERIES), fc.stringMatching(/^[A-Za-z0-9=&%._~-]{0,40}$/)), { nil: undefined }),
            headers: fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,38}[\x21-\x7e]$/)), { maxLength: 3 }),
        })
        .map(({ method, changes, query, headers }) => {
            const path = changes.reduce(apply, good);
            const target = query === undefined ? path : `${path}?${query}`;
            const serves = (method === "GET" || method === "HEAD") && effectivePath(target) === good;
            return { request: { method, target, headers }, expect: serves ? "serve" : "refuse" };
        });
}
