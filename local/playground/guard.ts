/**
 * Who may talk to the playground. It listens on 127.0.0.1 only, but a web
 * page the developer visits can still reach it: a form post or an `<img>`
 * from another site goes straight to 127.0.0.1, and a site that re-points its
 * own name at 127.0.0.1 (DNS rebinding) can even read the answers, since the
 * browser then thinks they are same-origin. So every request must name the
 * playground itself in `Host` (a rebound name does not), and the API must
 * also show it comes from the playground's own page:
 *
 * - no `Origin`, or exactly the playground's origin (`null` and any other
 *   origin are refused);
 * - no `Sec-Fetch-Site`, or `same-origin` / `none` (browsers send it on every
 *   request, `<img>` and form posts included);
 * - the {@link PLAYGROUND_PROOF_HEADER} header, which only a same-origin
 *   script can set: a page elsewhere cannot add a custom header without a
 *   CORS preflight, and the playground never grants one.
 *
 * Anything else is answered 403 before any body is read or anything is done.
 */

/** Header the playground's page sends on every API call; its value does not matter, only that a script set it. */
export const PLAYGROUND_PROOF_HEADER = "x-playground";

/** What the guard looks at in a request. Header values as received (undefined when absent). */
export interface GuardInput {
    path: string;
    host?: string;
    origin?: string;
    secFetchSite?: string;
    proof?: string;
}

/** The host names the playground answers to on `port`. */
export function playgroundHosts(port: number): string[] {
    return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Why the playground refuses this request, or `undefined` when it may go on. */
export function refusal(input: GuardInput, port: number): string | undefined {
    const hosts = playgroundHosts(port);
    const host = input.host?.toLowerCase();
    if (host === undefined || !hosts.includes(host)) return `this playground answers only to http://${hosts[0]}/`;
    if (!input.path.startsWith("/api/")) return undefined;
    if (input.origin !== undefined && !hosts.some((name) => input.origin === `http://${name}`)) {
        return "the playground's API answers only its own page (Origin)";
    }
    if (input.secFetchSite !== undefined && input.secFetchSite !== "same-origin" && input.secFetchSite !== "none") {
        return "the playground's API answers only its own page (Sec-Fetch-Site)";
    }
    if (input.proof === undefined) return `the playground's API answers only its own page (no ${PLAYGROUND_PROOF_HEADER} header)`;
    return undefined;
}
