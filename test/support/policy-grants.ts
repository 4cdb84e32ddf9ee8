/**
 * Reading IAM policy documents in tests: `Action`, `Resource` and the like
 * may be one string or a list; `grants` lists what the Allow statements
 * permit as (action, resource) pairs.
 */

/** One string or a list of them (or nothing), as a list. */
export function asList(value: unknown): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Every (action, resource) pair a policy document's Allow statements grant. */
export function grants(policy: object): [string, string][] {
    const statements = (policy as { Statement?: unknown }).Statement;
    if (!Array.isArray(statements)) return [];
    return statements
        .filter((statement: { Effect?: unknown }) => statement.Effect === "Allow")
        .flatMap((statement: { Action?: unknown; Resource?: unknown }) =>
            asList(statement.Action).flatMap((action) => asList(statement.Resource).map((resource): [string, string] => [action, resource])),
        );
}
