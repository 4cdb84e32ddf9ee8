/**
 * A recording stand-in for CloudFront's CreateInvalidation API, for the
 * issuer tests. The local stack's CloudFront API (local/cloudfront/
 * control-api.ts) invalidates running distributions; the issuer tests need
 * none, only to see the request the SDK really sent and to make the API fail
 * on demand. So this loopback server reads the request with the local API's
 * own parser (which checks it the way CloudFront does), records what it
 * asked for, and answers with the same XML the local API sends: 201, a
 * `Location` and an `<Invalidation>` document, or a CloudFront error.
 */
import * as http from "http";
import { closeServer, listenOn } from "../../local/net";
import { CloudFrontApiError, errorXml, invalidationXml, parseInvalidationBatch } from "../../local/cloudfront/invalidation-xml";

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
    const fail = (res: http.ServerResponse, error: CloudFrontApiError) => res.writeHead(error.httpStatus, { "content-type": "text/xml" }).end(errorXml(error, "recorder-1"));
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            recorder.requests++;
            const route = ROUTE.exec(req.url ?? "");
            if (req.method !== "POST" || !route) return fail(res, new CloudFrontApiError("NoSuchResource", "Not handled by the recorder.", 404));
            if (recorder.failWith) return fail(res, new CloudFrontApiError(recorder.failWith, "Your request has been rejected.", 400));
            let batch;
            try {
                batch = parseInvalidationBatch(Buffer.concat(chunks).toString("utf8"));
            } catch (error) {
                if (error instanceof CloudFrontApiError) return fail(res, error);
                throw error;
            }
            const distributionId = decodeURIComponent(route[1]);
            recorder.invalidations.push({ method: req.method, distributionId, callerReference: batch.callerReference, quantity: batch.paths.length, paths: batch.paths });
            const id = `I${String(++counter).padStart(13, "0")}`;
            res.writeHead(201, {
                "content-type": "text/xml",
                location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${route[1]}/invalidation/${id}`,
            }).end(invalidationXml({ id, status: "InProgress", createTime: new Date(), batch }));
        });
    });
    const port = await listenOn(server, 0, "CloudFront recorder");
    const recorder: CloudFrontRecorder = {
        endpoint: `http://127.0.0.1:${port}`,
        invalidations: [],
        failWith: undefined,
        requests: 0,
        close: () => closeServer(server),
    };
    return recorder;
}
