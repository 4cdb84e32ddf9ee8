/**
 * What a test of one builder (`components/<file>.ts` called directly) needs
 * besides the mocks: resolved settings of the kind the builder takes, a
 * parent as a program would give one (its own component), and a home region
 * known only once the deployment runs (an AWS provider's).
 */
import * as pulumi from "@pulumi/pulumi";
import type { SecureImageCdnArgs } from "../../../components/args";
import { hasVariants, isGuarded, ResolveContext, resolveArgs, ResolvedGuardedSettings, ResolvedVariantSettings } from "../../../components/resolve-args";

/** A provider's region: known only once the deployment runs. */
export function providerRegion(region: string): pulumi.Output<string> {
    return pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(region))));
}

/** The settings of a guarded instance; throws when the args resolve to `public`. */
export function guarded(args: SecureImageCdnArgs, context: ResolveContext = {}): ResolvedGuardedSettings {
    const settings = resolveArgs(args, context);
    if (!isGuarded(settings)) throw new Error("expected a guarded level");
    return settings;
}

/** The settings of an instance with variants; throws when the args have none. */
export function withVariants(args: SecureImageCdnArgs, context: ResolveContext = {}): ResolvedVariantSettings {
    const settings = resolveArgs(args, context);
    if (!hasVariants(settings)) throw new Error("expected variants");
    return settings;
}

/** A program's own component, to parent what a builder makes (its logical name is `images`). */
export function parent(): pulumi.ComponentResource {
    return new pulumi.ComponentResource("consumer:index:Images", "images");
}
