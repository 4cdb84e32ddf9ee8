/**
 * The trace's items as an in-process `MappingStore` (edge/dynamo.ts), for
 * the CDN model, where DynamoDB is not what is measured: it answers reads
 * as GetItem would (the projected wire item, or nothing) and counts them.
 */
import type { MappingStore } from "../../edge/dynamo";
import { mappingOf, TraceItem } from "./trace";

export interface CountingStore extends MappingStore {
    reads(): number;
}

export function traceStore(items: readonly TraceItem[], bucket: string): CountingStore {
    const byHash = new Map(items.map((item) => [item.hash, item]));
    let reads = 0;
    return {
        async read(hash) {
            reads += 1;
            const item = byHash.get(hash);
            if (!item) return { ok: true, item: undefined, attempts: 1 };
            const mapping = mappingOf(item, bucket);
            return { ok: true, item: { s3_url: { S: mapping.s3_url }, expires_at: { N: String(mapping.expires_at) } }, attempts: 1 };
        },
        reads: () => reads,
    };
}
