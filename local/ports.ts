/**
 * Where the local stack listens. One base port lays everything out
 * (default 4500); each part can be moved on its own; 0 lets the system pick
 * free ports (the state file and the printed table say which).
 *
 *   base + 0    playground (web page and its JSON API)
 *   base + 1    CloudFront API (invalidations) and emulator counters
 *   base + 2    DynamoDB (dynalite)
 *   base + 3    S3 (s3rver)
 *   base + 10…  one CDN (CloudFront distribution) per service, in config order
 */

export const DEFAULT_BASE_PORT = 4500;

export interface PortPlan {
    playground: number;
    cloudfrontApi: number;
    dynamodb: number;
    s3: number;
    /** Port of the first service's CDN; the next services take the following ports. 0: any free port each. */
    cdnFirst: number;
}

export type PortOverrides = Partial<PortPlan>;

/** The plan for a base port (0: every part on a free port) with per-part overrides. */
export function portPlan(base: number = DEFAULT_BASE_PORT, overrides: PortOverrides = {}): PortPlan {
    const at = (offset: number) => (base === 0 ? 0 : base + offset);
    const plan: PortPlan = {
        playground: overrides.playground ?? at(0),
        cloudfrontApi: overrides.cloudfrontApi ?? at(1),
        dynamodb: overrides.dynamodb ?? at(2),
        s3: overrides.s3 ?? at(3),
        cdnFirst: overrides.cdnFirst ?? at(10),
    };
    return plan;
}

/** The CDN port of the service at `index` (0 stays 0). */
export function cdnPort(plan: PortPlan, index: number): number {
    return plan.cdnFirst === 0 ? 0 : plan.cdnFirst + index;
}

/** Every fixed port the plan uses for `serviceCount` services, with what listens there. */
export function fixedPorts(plan: PortPlan, serviceCount: number): Array<{ port: number; what: string }> {
    const ports = [
        { port: plan.playground, what: "playground" },
        { port: plan.cloudfrontApi, what: "CloudFront API (emulator)" },
        { port: plan.dynamodb, what: "DynamoDB (dynalite)" },
        { port: plan.s3, what: "S3 (s3rver)" },
    ];
    for (let i = 0; i < serviceCount; i++) ports.push({ port: cdnPort(plan, i), what: `CDN #${i + 1} (CloudFront emulator)` });
    return ports.filter((entry) => entry.port !== 0);
}

/** Throws when two parts would share a port, or a port is out of range. */
export function checkPortPlan(plan: PortPlan, serviceCount: number): void {
    const seen = new Map<number, string>();
    for (const { port, what } of fixedPorts(plan, serviceCount)) {
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${what}: port ${port} is not a valid port (1-65535, or 0 for any)`);
        const other = seen.get(port);
        if (other) throw new Error(`${what} and ${other} would both use port ${port}; move one of them`);
        seen.set(port, what);
    }
}
