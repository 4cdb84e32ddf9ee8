/**
 * Byte fixtures for upload tests: complete 1×1 images of every accepted type
 * (the issuer decodes what it stores), and content it must refuse. The
 * images were written by sharp 0.35 (libvips 8.18) from a 1×1 RGB pixel
 * (200, 40, 40): `sharp({ create: { width: 1, height: 1, channels: 3,
 * background: { r: 200, g: 40, b: 40 } } })` then `.png({ compressionLevel: 9 })`,
 * `.jpeg({ quality: 50 })`, `.webp({ quality: 50 })`, `.avif({ quality: 50 })`;
 * none carries metadata, so upload stores them byte for byte.
 */

/** A complete 1×1 RGB PNG with a pHYs chunk (90 bytes). */
export const PNG_1X1 = Buffer.from(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000970485973000003e8000003e801b57b526b0000000c4944415408d76338a1a1010002d40119d47390fb0000000049454e44ae426082",
    "hex",
);

/** A complete 1×1 GIF89a. */
export const GIF_1X1 = Buffer.from("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b", "hex");

/** A complete 1×1 baseline JPEG without APP segments (269 bytes). */
export const JPEG_1X1 = Buffer.from(
    "ffd8ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc00011080001000103012200021101031101ffc4001500010100000000000000000000000000000005ffc40014100100000000000000000000000000000000ffc4001501010100000000000000000000000000000406ffc40014110100000000000000000000000000000000ffda000c03010002110311003f0096004a67ffd9",
    "hex",
);

/** A complete 1×1 lossy WebP (simple format: one VP8 chunk). */
export const WEBP_1X1 = Buffer.from("524946463600000057454250565038202a0000009001009d012a0100010002c04c25a00274ba00039800feec265f5f0053d51ffce25fc91fa05da0000000", "hex");

/** A complete 1×1 AVIF without EXIF or XMP items. */
export const AVIF_1X1 = Buffer.from(
    "0000001c6674797061766966000000006d696631617669666d696166000000d66d657461000000000000002168646c720000000000000000706963740000000000000000000000000000000022696c6f63000000004440000100010000000000fa000100000000000000230000002369696e6600000000000100000015696e6665020000000001000061763031000000000e7069746d0000000000010000005669707270000000386970636f0000000c61763143812002000000001469737065000000000000000100000001000000107069786900000000030808080000001669706d6100000000000000010001038102030000002b6d64617412000a073800069010d069321619426304c0003400009040c91c6147c7f2d64bc5c886",
    "hex",
);

/** JPEG SOI + JFIF APP0 segment, then filler: passes the type sniff, but is no image. */
export const JPEG_SIGNATURE_ONLY = Buffer.concat([Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"), Buffer.alloc(64, 0)]);

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
