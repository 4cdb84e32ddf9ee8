/**
 * The home region of an instance: where its bucket and its table are
 * created, and so where the table's `ReplicationLatency` alarms go and the
 * region a customer-managed table key must be in.
 *
 * The children are created with the component's AWS provider: the one its
 * resource options give (`provider`, or `providers` as a map with an `aws`
 * entry or as a list, or the parent's), else the stack's default provider,
 * whose region is the stack's `aws:region`.
 * - Without a provider, home is `aws:region`, a plain name known when the
 *   program runs: every check against it runs before anything is created.
 * - With a provider, home is the provider's region. Pulumi keeps no plain
 *   copy of a provider's inputs (`aws.Provider.region` is an Output), so it
 *   is read the way pulumi-awsx reads it, `aws.getRegionOutput({}, {
 *   provider })`: the provider answers from its own configuration (its
 *   `region`, or its profile's), without calling AWS. It is known during
 *   the deployment, at `pulumi preview` already when the provider's region
 *   is itself a plain value. Nothing that decides which resources exist
 *   depends on it: the `ReplicationLatency` alarms take it as their region
 *   (an input), and the checks against home (no replica there, the table
 *   key there, a topic of the instance there for those alarms) run when it
 *   resolves, failing the resource they feed with the message a plain home
 *   gets up front.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** The home region: a name when known as the program runs (`aws:region`), an Output when it is a provider's. */
export type HomeRegion = pulumi.Input<string>;

/** Where the home region comes from, as error messages name it. */
export function homeRegionSource(home: HomeRegion): string {
    return typeof home === "string" ? "aws:region" : "the region of the component's AWS provider";
}

/**
 * The AWS provider the component's children are created with, when its
 * options give one: `provider` (an AWS one), `providers.aws`, the AWS one
 * of a `providers` list, or the parent's, in that order (Pulumi's own
 * order); undefined for the stack's default provider.
 */
export function awsProviderOf(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    if (opts === undefined) return undefined;
    if (aws.Provider.isInstance(opts.provider)) return opts.provider;
    const providers = opts.providers;
    const listed = Array.isArray(providers) ? providers.find((provider) => aws.Provider.isInstance(provider)) : providers?.aws;
    if (listed !== undefined) return listed;
    return opts.parent?.getProvider("aws::");
}

/**
 * The home region for these options: the provider's region (an Output) when
 * they give an AWS provider, else the stack's `aws:region` (undefined when
 * the stack sets none).
 */
export function homeRegionOf(opts: pulumi.ComponentResourceOptions | undefined): HomeRegion | undefined {
    const provider = awsProviderOf(opts);
    if (provider === undefined) return configuredRegion();
    return aws.getRegionOutput({}, { provider }).region;
}

/** The stack's `aws:region`: the default provider's region. Undefined when the stack sets none. */
export function configuredRegion(): string | undefined {
    return new pulumi.Config("aws").get("region");
}
