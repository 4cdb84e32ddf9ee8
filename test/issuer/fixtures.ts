/**
 * Byte fixtures for upload tests. PNG and GIF are complete 1×1 images; JPEG,
 * WebP and AVIF are their signatures followed by filler (enough for
 * content sniffing, which is all the issuer does with them).
 */

/** A complete 1×1 RGBA PNG (70 bytes). */
export const PNG_1X1 = Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a4d2d05b0000000049454e44ae426082",
    "hex",
);

/** A complete 1×1 GIF89a. */
export const GIF_1X1 = Buffer.from("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b", "hex");

/** JPEG SOI + JFIF APP0 segment, then filler. */
export const JPEG_SIGNATURE = Buffer.concat([Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"), Buffer.alloc(64, 0)]);

/** RIFF/WEBP container with a VP8 chunk header, then filler. */
export const WEBP_SIGNATURE = Buffer.concat([Buffer.from("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", "latin1"), Buffer.alloc(48, 0)]);

/** An ISO-BMFF `ftyp` box with the `avif` brand, then filler. */
export const AVIF_SIGNATURE = Buffer.concat([
    Buffer.from("0000001c667479706176696600000000617669666d6966316d696166", "hex"),
    Buffer.alloc(64, 0),
]);

/** An SVG with script: the reason SVG is refused. */
export const SVG_WITH_SCRIPT = Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(document.cookie)</script></svg>\n',
    "utf8",
);

/** HTML that a browser would run if it were served as a page. */
export const HTML_PAGE = Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>", "utf8");

/** A PDF signature: a real, recognised type that is not an allowed image. */
export const PDF_SIGNATURE = Buffer.from("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< >>\nendobj\n", "latin1");

/** Plain text. */
export const TEXT = Buffer.from("just some text, named photo.png by someone hopeful\n", "utf8");
