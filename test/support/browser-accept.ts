/**
 * The `Accept` headers real browsers send for images (`<img>` requests),
 * with the token each must get for a preset allowing every format. Current
 * ones first, then old ones without AVIF or without either. Shared by the
 * negotiation tests and the CloudFront Function tests, so both are held to
 * the same table.
 */
export interface BrowserAccept {
    browser: string;
    accept: string | undefined;
    /** Token for a preset with formats avif, webp, jpeg, png. */
    token: "avif" | "webp" | "fallback";
}

export const BROWSER_IMAGE_ACCEPT: readonly BrowserAccept[] = [
    { browser: "Chrome 131", accept: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", token: "avif" },
    { browser: "Edge 131 (Chromium)", accept: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", token: "avif" },
    { browser: "Firefox 133", accept: "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", token: "avif" },
    {
        browser: "Safari 18",
        accept: "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
        token: "avif",
    },
    { browser: "Safari 15 (WebP, no AVIF)", accept: "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5", token: "webp" },
    { browser: "Chrome 84 (WebP, no AVIF)", accept: "image/webp,image/apng,image/*,*/*;q=0.8", token: "webp" },
    { browser: "Firefox 90 (WebP, no AVIF)", accept: "image/webp,*/*", token: "webp" },
    { browser: "Safari 13 (neither)", accept: "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5", token: "fallback" },
    { browser: "Edge 18 (EdgeHTML)", accept: "image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", token: "fallback" },
    { browser: "Internet Explorer 11", accept: "image/png, image/svg+xml, image/jxr, image/*; q=0.8, */*; q=0.5", token: "fallback" },
    { browser: "Firefox 60 (neither)", accept: "*/*", token: "fallback" },
    { browser: "no Accept header (curl, crawlers)", accept: undefined, token: "fallback" },
];
