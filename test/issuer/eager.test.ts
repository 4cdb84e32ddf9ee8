/**
 * Making eager presets at upload time (issuer/eager.ts) on its own, with
 * the issuer context's injectable `fetch`: nothing asked for a service
 * without variants or with warming off; each negotiable token and the
 * fallback of each eager preset asked for once, under the CDN base without
 * its trailing slash, redirects not followed, each answer read to its end;
 * the outcome per variant (made on 200 only, the status, a timeout named
 * with the configured limit, a network error by its name) and overall, and
 * how long each took by the context's clock. Against a real HTTP server on
 * the loopback where the answer is what matters, a stub elsewhere. Uploads
 * that warm through the issuer are in variants.test.ts.
 */
import { expect } from "chai";
import * as http from "http";
import type { AddressInfo } from "net";
import { createClients, destroyClients, IssuerClients } from "../../issuer/clients";
import type { IssuerConfig } from "../../issuer/config";
import { createContext, IssuerContext, IssuerOptions } from "../../issuer/context";
import { warmEagerVariants } from "../../issuer/eager";
import { closeServer } from "../../local/net";

const HASH = "0123456789abcdef0123456789abcdef";
const CATALOGUE = {
    thumb: { formats: ["avif", "webp", "jpeg", "png"], eager: true },
    small: { formats: ["webp", "jpeg"], eager: false },
    card: { formats: ["png"], eager: true },
} as IssuerConfig["variants"];

const BASE_CONFIG: IssuerConfig = {
    service: "chat",
    level: "required",
    region: "eu-west-1",
    tableName: "chat-table",
    bucket: "chat-bucket",
    cdnBaseUrl: "https://images.example.com/",
    distributionId: "E123",
    hashTtlSeconds: 86400,
    uploadPrefix: "uploads/",
    maxUploadBytes: 1024,
    variants: CATALOGUE,
    // Never called here: the clients exist because a context holds them.
    endpoints: { dynamodb: "http://127.0.0.1:1", s3: "http://127.0.0.1:1", cloudfront: "http://127.0.0.1:1" },
};

/** One call the stub fetch received. */
interface Call {
    url: string;
    init: RequestInit | undefined;
}

describe("issuer/eager", () => {
    let clients: IssuerClients;
    before(() => {
        clients = createClients(BASE_CONFIG);
    });
    after(() => destroyClients(clients));

    function context(options: IssuerOptions, config: Partial<IssuerConfig> = {}): IssuerContext {
        return createContext({ ...BASE_CONFIG, ...config }, clients, options);
    }

    /** A fetch that records its calls and answers each with `answer`. */
    function recording(answer: (url: string, init: RequestInit | undefined) => Promise<Response> | Response): { fetch: typeof fetch; calls: Call[] } {
        const calls: Call[] = [];
        const stub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
            const url = String(input);
            calls.push({ url, init });
            return answer(url, init);
        };
        return { fetch: stub as typeof fetch, calls };
    }

    it("asks nothing and says nothing for a service without variants, or with warming off", async () => {
        const { fetch, calls } = recording(() => new Response("x"));
        expect(await warmEagerVariants(context({ fetch }, { variants: undefined }), HASH)).to.equal(undefined);
        expect(await warmEagerVariants(context({ fetch, warmEagerVariants: false }), HASH)).to.equal(undefined);
        expect(calls).to.deep.equal([]);
    });

    it("asks for each negotiable token and the fallback of each eager preset, once, without following redirects", async () => {
        const { fetch, calls } = recording(() => new Response("variant"));
        const result = await warmEagerVariants(context({ fetch }), HASH);
        const base = `https://images.example.com/images/${HASH}`;
        expect(calls.map((call) => call.url)).to.deep.equal([`${base}/thumb.avif`, `${base}/thumb.webp`, `${base}/thumb.fallback`, `${base}/card.fallback`]);
        for (const call of calls) {
            expect(call.init?.redirect).to.equal("manual");
            expect(call.init?.signal).to.be.instanceOf(AbortSignal);
            expect(call.init?.signal?.aborted).to.equal(false);
        }
        expect(result?.variants.map((variant) => [variant.preset, variant.token, variant.url])).to.deep.equal([
            ["thumb", "avif", `${base}/thumb.avif`],
            ["thumb", "webp", `${base}/thumb.webp`],
            ["thumb", "fallback", `${base}/thumb.fallback`],
            ["card", "fallback", `${base}/card.fallback`],
        ]);
    });

    it("says ok, with an empty list, for a catalogue with no eager preset", async () => {
        const { fetch, calls } = recording(() => new Response("x"));
        const result = await warmEagerVariants(context({ fetch }, { variants: { small: CATALOGUE!.small } }), HASH);
        expect(result).to.deep.equal({ ok: true, variants: [] });
        expect(calls).to.deep.equal([]);
    });

    it("against a real server: made on 200 only; another status, a redirect included, named and not followed", async () => {
        const asked: string[] = [];
        const server = http.createServer((req, res) => {
            asked.push(req.url ?? "");
            if (req.url?.endsWith(".avif")) res.writeHead(200, { "content-type": "image/avif" }).end(Buffer.alloc(2048, 1));
            else if (req.url?.endsWith(".webp")) res.writeHead(302, { location: "/elsewhere" }).end();
            else if (req.url?.includes("/thumb.")) res.writeHead(503).end("busy");
            else res.writeHead(204).end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const port = (server.address() as AddressInfo).port;
            const result = await warmEagerVariants(context({}, { cdnBaseUrl: `http://127.0.0.1:${port}` }), HASH);
            expect(result?.ok).to.equal(false);
            expect(result?.variants.map((variant) => [variant.token, variant.ok, variant.status, variant.error])).to.deep.equal([
                ["avif", true, 200, undefined],
                ["webp", false, 302, "status 302"],
                ["fallback", false, 503, "status 503"],
                ["fallback", false, 204, "status 204"],
            ]);
            expect(result?.variants[0]).to.not.have.property("error");
            expect(asked.sort()).to.deep.equal([`/images/${HASH}/card.fallback`, `/images/${HASH}/thumb.avif`, `/images/${HASH}/thumb.fallback`, `/images/${HASH}/thumb.webp`]);
        } finally {
            await closeServer(server);
        }
    });

    it("is ok only when every variant was made", async () => {
        const all = recording(() => new Response("v"));
        expect((await warmEagerVariants(context({ fetch: all.fetch }), HASH))?.ok).to.equal(true);
        const one = recording((url) => new Response("v", { status: url.endsWith("card.fallback") ? 500 : 200 }));
        const result = await warmEagerVariants(context({ fetch: one.fetch }), HASH);
        expect(result?.ok).to.equal(false);
        expect(result?.variants.map((variant) => variant.ok)).to.deep.equal([true, true, true, false]);
    });

    it("reads each answer to its end before counting the variant made", async () => {
        let pulled = 0;
        const chunks = 5;
        const { fetch } = recording(
            () =>
                new Response(
                    new ReadableStream<Uint8Array>({
                        pull(controller) {
                            pulled++;
                            if (pulled > chunks) controller.close();
                            else controller.enqueue(new Uint8Array(16));
                        },
                    }),
                ),
        );
        const result = await warmEagerVariants(context({ fetch }, { variants: { card: CATALOGUE!.card } }), HASH);
        expect(result?.ok).to.equal(true);
        expect(pulled).to.equal(chunks + 1);
    });

    it("names a timeout with the configured limit, a network error by its name, and never throws", async () => {
        const timeout = recording(() => Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError")));
        const timedOut = await warmEagerVariants(context({ fetch: timeout.fetch, eagerTimeoutMs: 1234 }), HASH);
        expect(timedOut?.variants.map((variant) => [variant.ok, variant.status, variant.error])[0]).to.deep.equal([false, undefined, "no answer within 1234 ms"]);
        expect(timedOut?.variants[0]).to.not.have.property("status");

        const network = recording(() => Promise.reject(new TypeError("fetch failed")));
        expect((await warmEagerVariants(context({ fetch: network.fetch }), HASH))?.variants.map((variant) => variant.error)).to.deep.equal(["TypeError", "TypeError", "TypeError", "TypeError"]);

        const odd = recording(() => Promise.reject("not an error"));
        const oddResult = await warmEagerVariants(context({ fetch: odd.fetch }), HASH);
        expect(oddResult?.ok).to.equal(false);
        expect(oddResult?.variants.map((variant) => variant.error)).to.deep.equal(["error", "error", "error", "error"]);
    });

    it("a body that fails half way counts as not made", async () => {
        const { fetch } = recording(
            () =>
                new Response(
                    new ReadableStream<Uint8Array>({
                        pull(controller) {
                            controller.error(new RangeError("cut"));
                        },
                    }),
                ),
        );
        const result = await warmEagerVariants(context({ fetch }, { variants: { card: CATALOGUE!.card } }), HASH);
        expect(result?.variants.map((variant) => [variant.ok, variant.error])).to.deep.equal([[false, "RangeError"]]);
    });

    it("times each variant by the context's clock, never below zero", async () => {
        let clock = 1_000;
        const slow = recording(() => {
            clock += 250;
            return new Response("v");
        });
        const result = await warmEagerVariants(context({ fetch: slow.fetch, now: () => clock }, { variants: { card: CATALOGUE!.card } }), HASH);
        expect(result?.variants.map((variant) => variant.ms)).to.deep.equal([250]);

        const backwards = recording(() => {
            clock -= 5_000;
            return new Response("v");
        });
        const skewed = await warmEagerVariants(context({ fetch: backwards.fetch, now: () => clock }, { variants: { card: CATALOGUE!.card } }), HASH);
        expect(skewed?.variants.map((variant) => variant.ms)).to.deep.equal([0]);
    });
});
