import sharp from "sharp";
import { phonePhoto } from "./bench/image-upload";
import { makeVariant } from "./resizer/transform";
import { MAX_VARIANT_BYTES } from "./resizer/limits";
(async () => {
  sharp.concurrency(1);
  const { jpeg } = await phonePhoto(4000, 3000, 20240601);
  console.log("photo bytes", jpeg.length);
  const limits = { limitInputPixels: 100_000_000, maxOutputBytes: MAX_VARIANT_BYTES };
  const preset = { width: 800, height: 800, fit: "inside" as const, quality: 80, formats: ["webp" as const], eager: false };
  for (let r = 0; r < 6; r++) {
    let t = process.hrtime.bigint(); const ours = await makeVariant(jpeg, preset, "webp", limits); const a = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint(); const base = await sharp(jpeg).resize(800).webp().toBuffer(); const b = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint(); const base2 = await sharp(jpeg).resize(800).webp({quality:80}).toBuffer(); const c = Number(process.hrtime.bigint() - t) / 1e6;
    console.log("ours", a.toFixed(0), ours.body.length, ours.width, ours.height, "base", b.toFixed(0), base.length, "base q80", c.toFixed(0));
  }
})();
