/**
 * CloudFront's cache behavior path patterns: which behavior a request takes
 * is decided from its path, as received, before any function runs; ordered
 * behaviors are tried in order and the default takes the rest. In a pattern
 * `*` matches any run of characters (`/` included) and `?` exactly one, and
 * matching is case-sensitive (CloudFront Developer Guide, "Path pattern").
 */

/** True when the URI path `uri` matches the path pattern `pattern`. */
export function pathPatternMatches(pattern: string, uri: string): boolean {
    const source = pattern
        .split("")
        .map((char) => (char === "*" ? "[\\s\\S]*" : char === "?" ? "[\\s\\S]" : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    // A pattern's leading `/` is optional: CloudFront reads `images/*` as `/images/*`.
    return new RegExp(`^${pattern.startsWith("/") ? "" : "/"}${source}$`).test(uri);
}
