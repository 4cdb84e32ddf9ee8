/** A GET of a CDN URL as a viewer sends it (redirects not followed), with the answer's parts the tests read. */
export interface CdnAnswer {
    status: number;
    xCache: string | null;
    age: string | null;
    cacheControl: string | null;
    body: Buffer;
}

export async function cdnGet(url: string): Promise<CdnAnswer> {
    const response = await fetch(url, { redirect: "manual" });
    return {
        status: response.status,
        xCache: response.headers.get("x-cache"),
        age: response.headers.get("age"),
        cacheControl: response.headers.get("cache-control"),
        body: Buffer.from(await response.arrayBuffer()),
    };
}
