/**
 * A recording stand-in for CloudFront's CreateInvalidation API.
 *
 * There is no local CloudFront implementation to run (the local stack's
 * emulator serves viewers, not the management API, at the time of writing),
 * so this tiny loopback HTTP server receives the SDK's real request, records
 * what it asked for, and answers the way the API reference documents
 * (201, `Location`, an `<Invalidation>` document). It can also answer with a
 * CloudFront error, to test how failures are reported. It checks the parts the
 * issuer is responsible for; it does not pretend to be CloudFront otherwise.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface RecordedInvalidation {
    method: string;
    distributionId: string;
    callerReference: string;
    quantity: number;
    paths: string[];
}

export interface CloudFrontRecorder {
    endpoint: string;
    invalidations: RecordedInvalidation[];
    /** Answer the next requests with this CloudFront error code (HTTP 400), or normally when undefined. */
    failWith: string | undefined;
    /** Requests seen, including failed ones. */
    requests: number;
    close(): Promise<void>;
}

const ROUTE = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/;

export async function startCloudFrontRecorder(): Promise<CloudFrontRecorder> {
    let counter = 0;
    const recorder: CloudFrontRecorder = {
        endpoint: "",
        invalidations: [],
        failWith: undefined,
        requests: 0,
        close: () => new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            recorder.requests++;
            const body = Buffer.concat(chunks).toString("utf8");
            const route = ROUTE.exec(req.url ?? "");
            if (req.method !== "POST" || !route) {
                res.writeHead(404, { "content-type": "text/xml" }).end(errorXml("NoSuchResource", "not handled by the recorder"));
                return;
            }
            if (recorder.failWith) {
                res.writeHead(400, { "content-type": "text/xml" }).end(errorXml(recorder.failWith, "Your request has been rejected."));
                return;
            }
            const paths = [...body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => unescapeXml(m[1]));
            const invalidation: RecordedInvalidation = {
                method: req.method,
                distributionId: decodeURIComponent(route[1]),
                callerReference: unescapeXml(/<CallerReference>([^<]*)<\/CallerReference>/.exec(body)?.[1] ?? ""),
                quantity: Number(/<Quantity>(\d+)<\/Quantity>/.exec(body)?.[1] ?? NaN),
                paths,
            };
            recorder.invalidations.push(invalidation);
            const id = `I${String(++counter).padStart(13, "0")}`;
            const xml =
                `<?xml version="1.0" encoding="UTF-8"?>\n<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` +
                `<Id>${id}</Id><Status>InProgress</Status><CreateTime>${new Date().toISOString()}</CreateTime>` +
                `<InvalidationBatch><Paths><Quantity>${paths.length}</Quantity><Items>${paths.map((p) => `<Path>${escapeXml(p)}</Path>`).join("")}</Items></Paths>` +
                `<CallerReference>${escapeXml(invalidation.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`;
            res.writeHead(201, {
                "content-type": "text/xml",
                location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${route[1]}/invalidation/${id}`,
            }).end(xml);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    recorder.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return recorder;
}

function errorXml(code: string, message: string): string {
    return `<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>rec-1</RequestId></ErrorResponse>`;
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeXml(text: string): string {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
