/**
 * Turns the component's response headers policy body (the
 * `aws.cloudfront.ResponseHeadersPolicy` args `securityHeadersConfig`,
 * `customHeadersConfig`, `removeHeadersConfig`, as components/distribution.ts
 * `responseHeaders(level)` returns them) into the headers CloudFront adds to
 * each response, so the emulator applies exactly what is deployed.
 *
 * The body is taken as `unknown` and read field by field: its declared type
 * allows Pulumi Inputs (promises, Outputs), which the local stack cannot
 * resolve synchronously; a value that is not a plain one is an error.
 */
import type { PolicyHeader, ResponseHeadersPolicy } from "./response-headers";

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value) || typeof (value as { then?: unknown }).then === "function") {
        throw new Error(`response headers policy: ${field} must be a plain object`);
    }
    return value as Json;
}

function text(value: unknown, field: string): string {
    if (typeof value !== "string") throw new Error(`response headers policy: ${field} must be a plain string`);
    return value;
}

function flag(value: unknown, field: string): boolean {
    if (typeof value !== "boolean") throw new Error(`response headers policy: ${field} must be true or false`);
    return value;
}

function list(value: unknown, field: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new Error(`response headers policy: ${field} must be a list`);
    return value;
}

/** The headers the security headers section adds, named as CloudFront sends them. */
function securityHeaders(config: Json): PolicyHeader[] {
    const headers: PolicyHeader[] = [];
    const contentTypeOptions = object(config.contentTypeOptions, "contentTypeOptions");
    if (contentTypeOptions) {
        headers.push({ name: "X-Content-Type-Options", value: "nosniff", override: flag(contentTypeOptions.override, "contentTypeOptions.override") });
    }
    const csp = object(config.contentSecurityPolicy, "contentSecurityPolicy");
    if (csp) {
        headers.push({
            name: "Content-Security-Policy",
            value: text(csp.contentSecurityPolicy, "contentSecurityPolicy.contentSecurityPolicy"),
            override: flag(csp.override, "contentSecurityPolicy.override"),
        });
    }
    const frameOptions = object(config.frameOptions, "frameOptions");
    if (frameOptions) {
        headers.push({ name: "X-Frame-Options", value: text(frameOptions.frameOption, "frameOptions.frameOption"), override: flag(frameOptions.override, "frameOptions.override") });
    }
    const referrer = object(config.referrerPolicy, "referrerPolicy");
    if (referrer) {
        headers.push({ name: "Referrer-Policy", value: text(referrer.referrerPolicy, "referrerPolicy.referrerPolicy"), override: flag(referrer.override, "referrerPolicy.override") });
    }
    const hsts = object(config.strictTransportSecurity, "strictTransportSecurity");
    if (hsts) {
        const maxAge = hsts.accessControlMaxAgeSec;
        if (typeof maxAge !== "number") throw new Error("response headers policy: strictTransportSecurity.accessControlMaxAgeSec must be a number");
        let value = `max-age=${maxAge}`;
        if (hsts.includeSubdomains === true) value += "; includeSubDomains";
        if (hsts.preload === true) value += "; preload";
        headers.push({ name: "Strict-Transport-Security", value, override: flag(hsts.override, "strictTransportSecurity.override") });
    }
    const xss = object(config.xssProtection, "xssProtection");
    if (xss) {
        let value = flag(xss.protection, "xssProtection.protection") ? "1" : "0";
        if (xss.modeBlock === true) value += "; mode=block";
        else if (typeof xss.reportUri === "string") value += `; report=${xss.reportUri}`;
        headers.push({ name: "X-XSS-Protection", value, override: flag(xss.override, "xssProtection.override") });
    }
    return headers;
}

/** The emulator's policy for a `ResponseHeadersPolicy` args body. */
export function policyFromArgs(body: unknown): ResponseHeadersPolicy {
    const root = object(body, "body") ?? {};
    const headers: PolicyHeader[] = [];
    const security = object(root.securityHeadersConfig, "securityHeadersConfig");
    if (security) headers.push(...securityHeaders(security));
    const custom = object(root.customHeadersConfig, "customHeadersConfig");
    for (const [i, item] of list(custom?.items, "customHeadersConfig.items").entries()) {
        const entry = object(item, `customHeadersConfig.items[${i}]`) ?? {};
        headers.push({
            name: text(entry.header, `customHeadersConfig.items[${i}].header`),
            value: text(entry.value, `customHeadersConfig.items[${i}].value`),
            override: flag(entry.override, `customHeadersConfig.items[${i}].override`),
        });
    }
    const remove = object(root.removeHeadersConfig, "removeHeadersConfig");
    const removed = list(remove?.items, "removeHeadersConfig.items").map((item, i) => text(object(item, `removeHeadersConfig.items[${i}]`)?.header, `removeHeadersConfig.items[${i}].header`));
    return { headers, remove: removed };
}
