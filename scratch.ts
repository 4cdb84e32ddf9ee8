import { startTestStack } from "./test/support/local-stack";
import { checkerPng } from "./local/png";
(async () => {
  const t0 = Date.now();
  const stack = await startTestStack({ services: { services: ["chat", "regulatory"], overrides: { regulatory: { variants: { thumb: { width: 64, height: 64, eager: true } } } } }, log: (l) => console.log("LOG", l) });
  console.log("started", Date.now() - t0);
  for (const svc of stack.services) {
    const image = checkerPng({ width: 300, height: 200, square: 10, colors: [[200, 30, 30], [255, 255, 255]] });
    const t = Date.now();
    const up = await svc.local.issuer.upload(image);
    console.log(svc.name, "upload ms", Date.now() - t, JSON.stringify(up.eager), up.variants);
    for (const accept of ["image/avif,image/webp,*/*", "image/webp,*/*", "*/*"]) {
      const url = up.variants!.thumb;
      const r = await fetch(url, { headers: { Accept: accept } });
      const b = Buffer.from(await r.arrayBuffer());
      console.log(accept, r.status, r.headers.get("content-type"), r.headers.get("x-cache"), r.headers.get("cache-control"), b.length);
    }
    const bad = await fetch(up.url + "/huge"); console.log("bad", bad.status);
    console.log(svc.cdn.distribution.stats.entriesSince(0).map(e => [e.uri.slice(-20), e.status, e.result, e.originDetail, e.contentType, e.bytes]));
  }
  await stack.close();
})().catch((e) => { console.error(e); process.exit(1); });
