/**
 * The edge handler's pure logic (minimal first version: path check, lookup,
 * 404/403, rewrite). Takes its settings and clients as arguments; never
 * imports Pulumi.
 */
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from "aws-lambda";
import { parseImagePath, parseS3Url, toImageMapping, ImageMapping } from "./contract";
import type { EdgeSettings } from "./settings";

/** Reads one mapping by hash. */
export interface MappingStore {
    get(hash: string, consistent: boolean): Promise<ImageMapping | undefined>;
}

export interface EdgeContext {
    settings: EdgeSettings;
    store: MappingStore;
    now: () => number;
}

export async function handleRequest(event: CloudFrontRequestEvent, ctx: EdgeContext): Promise<CloudFrontRequestResult> {
    const request = event.Records[0].cf.request;
    const hash = parseImagePath(request.uri);
    if (!hash) return { status: "404", statusDescription: "Not Found" };
    const item = toImageMapping((await ctx.store.get(hash, true)) as unknown as Record<string, unknown>);
    const location = item && parseS3Url(item.s3_url);
    if (!item || !location || location.bucket !== ctx.settings.bucket) return { status: "404", statusDescription: "Not Found" };
    if (item.expires_at <= ctx.now() / 1000) return { status: "403", statusDescription: "Forbidden" };
    request.uri = "/" + location.key.split("/").map(encodeURIComponent).join("/");
    return request;
}
