/**
 * The deployed bucket policy, applied to the emulator's origin fetches.
 * s3rver checks no policy, so without this the local CDN would serve what S3
 * refuses CloudFront in AWS (an unconfirmed upload under the staging
 * prefix, for one). The decision is read from the policy document the
 * component deploys (components/policies.ts `bucketAccessPolicy`, built for
 * the local bucket and distribution), never from a rule of its own.
 *
 * The evaluation is IAM's for one request against a resource-based policy
 * (IAM User Guide, "Policy evaluation logic"): a matching Deny wins, else a
 * matching Allow allows, else the request is denied implicitly. A statement
 * matches when its principal, action, resource and every condition do. It
 * reads what the component's documents use: `Principal` `"*"` or
 * `{ Service }`, `Action` and `Resource` with the `*` and `?` wildcards and
 * the `${*}`, `${?}`, `${$}` literals, and the `StringEquals`, `StringLike`
 * and `Bool` condition operators ("IAM JSON policy elements: Condition
 * operators"). Anything else (`NotAction`, another operator, …) throws:
 * the emulator never guesses what a statement means.
 */
import { CLOUDFRONT_SERVICE, PolicyDocument, PolicyStatement } from "../../components/policies";
import { objectKeyOf, Origin, OriginResponse } from "./origin";

/** One request as IAM sees it. */
export interface PolicyRequest {
    /** The calling service principal, e.g. `cloudfront.amazonaws.com`. */
    service: string;
    /** e.g. `s3:GetObject`. */
    action: string;
    /** e.g. `arn:aws:s3:::bucket/key`. */
    resource: string;
    /** Condition keys of the request (names compared case-insensitively), e.g. `AWS:SourceArn`, `aws:SecureTransport`. */
    context: Record<string, string>;
}

export type PolicyDecision = "allow" | "explicit-deny" | "implicit-deny";

/** Fixed policy variables that stand for a character IAM otherwise reads as a wildcard or a variable. */
const LITERALS: Record<string, string> = { "${*}": "*", "${?}": "?", "${$}": "$" };

/** A Resource or Action pattern as a regular expression: `*` any run, `?` one character, `${*}` etc. themselves. */
function patternToRegExp(pattern: string, flags: string): RegExp {
    let source = "";
    for (let i = 0; i < pattern.length; ) {
        const literal = Object.keys(LITERALS).find((token) => pattern.startsWith(token, i));
        if (literal) {
            source += escapeRegExp(LITERALS[literal]);
            i += literal.length;
        } else if (pattern.startsWith("${", i)) {
            throw new Error(`the local bucket policy check cannot resolve the policy variable in ${JSON.stringify(pattern)}`);
        } else {
            const char = pattern[i];
            source += char === "*" ? "[\\s\\S]*" : char === "?" ? "[\\s\\S]" : escapeRegExp(char);
            i += 1;
        }
    }
    return new RegExp(`^${source}$`, flags);
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function asList(value: string | string[] | undefined): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function principalMatches(principal: PolicyStatement["Principal"], service: string): boolean {
    if (principal === "*") return true;
    if (principal === undefined) throw new Error("the local bucket policy check needs a Principal in every statement of a bucket policy");
    if ("Service" in principal) return asList(principal.Service).includes(service);
    return false;
}

/** One condition operator applied to one key's value(s): true when any given value matches. */
function conditionMatches(operator: string, actual: string | undefined, expected: string[]): boolean {
    // A key the request does not carry matches no operator read here (none is an ...IfExists one).
    switch (operator) {
        case "StringEquals":
            return actual !== undefined && expected.includes(actual);
        case "StringLike":
            return actual !== undefined && expected.some((pattern) => patternToRegExp(pattern, "").test(actual));
        case "Bool":
            return actual !== undefined && expected.some((value) => value.toLowerCase() === actual.toLowerCase());
        default:
            throw new Error(`the local bucket policy check cannot evaluate the condition operator ${operator}`);
    }
}

function statementMatches(statement: PolicyStatement, request: PolicyRequest): boolean {
    for (const element of ["NotAction", "NotResource", "NotPrincipal"]) {
        if (element in statement) throw new Error(`the local bucket policy check cannot evaluate ${element}`);
    }
    if (!principalMatches(statement.Principal, request.service)) return false;
    if (!asList(statement.Action).some((action) => patternToRegExp(action, "i").test(request.action))) return false;
    if (!asList(statement.Resource).some((resource) => patternToRegExp(resource, "").test(request.resource))) return false;
    const context = new Map(Object.entries(request.context).map(([key, value]) => [key.toLowerCase(), value]));
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
        for (const [key, expected] of Object.entries(keys)) {
            if (!conditionMatches(operator, context.get(key.toLowerCase()), asList(expected))) return false;
        }
    }
    return true;
}

/** What `document` decides for `request`. */
export function evaluatePolicy(document: PolicyDocument, request: PolicyRequest): PolicyDecision {
    const matching = document.Statement.filter((statement) => statementMatches(statement, request));
    if (matching.some((statement) => statement.Effect === "Deny")) return "explicit-deny";
    return matching.some((statement) => statement.Effect === "Allow") ? "allow" : "implicit-deny";
}

export interface BucketPolicyCheck {
    /** The bucket policy the component would attach to this bucket. */
    policy: PolicyDocument;
    /** `arn:aws:s3:::<bucket>` */
    bucketArn: string;
    /** The distribution's ARN, which its OAC reads on behalf of (`AWS:SourceArn`). */
    distributionArn: string;
}

/** S3's answer when a policy refuses a read ("Error responses", S3 API reference: AccessDenied, 403). */
function accessDenied(): OriginResponse {
    const body = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    return { status: 403, statusDescription: "Forbidden", headers: [["Content-Type", "application/xml"]], body };
}

/**
 * `origin`, with every fetch first judged as S3 would judge CloudFront's OAC
 * read of that key (`s3:GetObject` by `cloudfront.amazonaws.com` for this
 * distribution, over TLS as CloudFront's origin requests to S3 are):
 * anything but an allow is S3's 403 AccessDenied, and s3rver is never asked.
 */
export function policyCheckedOrigin(origin: Origin, check: BucketPolicyCheck): Origin {
    return {
        async fetch(request) {
            const key = objectKeyOf(request.uri);
            // A path S3 cannot decode is its 400 InvalidURI before any policy is read: the origin says so.
            if (key === undefined) return origin.fetch(request);
            const decision = evaluatePolicy(check.policy, {
                service: CLOUDFRONT_SERVICE,
                action: "s3:GetObject",
                resource: `${check.bucketArn}/${key}`,
                context: { "AWS:SourceArn": check.distributionArn, "aws:SecureTransport": "true" },
            });
            return decision === "allow" ? origin.fetch(request) : accessDenied();
        },
    };
}
