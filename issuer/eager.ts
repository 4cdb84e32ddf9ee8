/**
 * Eager presets (the default `thumb`): made when an image is uploaded, so
 * the chat list's thumbnail exists before anyone asks for it. Each token a
 * viewer's `Accept` can lead to (the preset's AVIF and WebP, and the
 * fallback) is asked for through the CDN, exactly as a viewer asks: the
 * same gate checks the hash, the same resizer makes and stores the variant,
 * and CloudFront keeps a copy. So the issuer needs no permission it does
 * not already have, and nothing is made that a viewer could not have made.
 *
 * Warming never fails the upload: the image is stored and its hash issued
 * before it starts, and a variant that could not be made now is made on its
 * first request instead. The result says which were made and which not.
 */
import { cdnVariantUrl, negotiatedTokens, VariantToken } from "../core/variants";
import type { IssuerContext } from "./context";

/** One eager variant asked for. */
export interface WarmedVariant {
    preset: string;
    token: VariantToken;
    url: string;
    /** True when the CDN answered 200 with the variant. */
    ok: boolean;
    /** The CDN's status, when it answered. */
    status?: number;
    /** Why it is not made, when it is not: a status, a timeout or a network error's name. */
    error?: string;
    /** How long it took, milliseconds. */
    ms: number;
}

/** What making the eager presets came to. */
export interface EagerWarming {
    /** True when every eager variant was made (or none was asked for). */
    ok: boolean;
    variants: WarmedVariant[];
}

/** Asks the CDN for every negotiable token of every eager preset, all at once; never throws. */
export async function warmEagerVariants(ctx: IssuerContext, hash: string): Promise<EagerWarming | undefined> {
    const catalogue = ctx.config.variants;
    if (catalogue === undefined || !ctx.warmEagerVariants) return undefined;
    const wanted = Object.entries(catalogue)
        .filter(([, preset]) => preset.eager)
        .flatMap(([name, preset]) => negotiatedTokens(preset.formats).map((token) => ({ preset: name, token })));
    const variants = await Promise.all(wanted.map(({ preset, token }) => warmOne(ctx, preset, token, cdnVariantUrl(ctx.config.cdnBaseUrl, hash, preset, token))));
    return { ok: variants.every((variant) => variant.ok), variants };
}

async function warmOne(ctx: IssuerContext, preset: string, token: VariantToken, url: string): Promise<WarmedVariant> {
    const started = ctx.now();
    const done = (fields: Pick<WarmedVariant, "ok" | "status" | "error">): WarmedVariant => ({ preset, token, url, ...fields, ms: Math.max(0, ctx.now() - started) });
    try {
        const response = await ctx.fetch(url, { signal: AbortSignal.timeout(ctx.eagerTimeoutMs), redirect: "manual" });
        // Read to the end: the variant is made once the whole answer is there.
        await response.arrayBuffer();
        return response.status === 200 ? done({ ok: true, status: 200 }) : done({ ok: false, status: response.status, error: `status ${response.status}` });
    } catch (error) {
        const name = error instanceof Error ? error.name : "error";
        return done({ ok: false, error: name === "TimeoutError" ? `no answer within ${ctx.eagerTimeoutMs} ms` : name });
    }
}
