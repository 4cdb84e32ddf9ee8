/**
 * The resizer's function URL as the distribution's second origin. The
 * module is the deployed one: `bundleResizerHandler` (resizer/package.ts)
 * bundles resizer/entry.ts exactly as the deployment package's `index.js`,
 * the text is written under `.edge-build/` (so its `require("sharp")` and
 * `require("@aws-sdk/client-s3")` resolve to the project's, as the package's
 * resolve to the ones beside it and the runtime's) and loaded with
 * `require`. Each service's handler is made by the module's own
 * `handlerFromEnvironment` from the `RESIZER_SETTINGS` value the component
 * sets, pointed at the local S3: the same code on the same settings, only
 * in this process instead of a Lambda execution environment.
 *
 * Each origin fetch becomes a function URL request event (payload format
 * 2.0: `rawPath`, `rawQueryString`, lowercase `headers`,
 * `requestContext.http.method`), and the handler's result becomes the
 * origin's response (a base64 body decoded), as Lambda's function URLs do
 * (AWS Lambda Developer Guide, "Invoking Lambda function URLs"). Not
 * emulated: the SigV4 check of the `AWS_IAM` auth type and of the OAC's
 * signature (only the distribution reaches this origin here), reserved
 * concurrency and throttling.
 */
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from "aws-lambda";
import { AsyncLocalStorage } from "async_hooks";
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { bundleResizerHandler } from "../../resizer/package";
import type { ResizerLogLine } from "../../resizer/log";
import { EDGE_BUILD_DIR } from "./edge-runner";
import type { HeaderList } from "./headers";
import type { Origin, OriginRequest, OriginResponse } from "./origin";

/** A function URL handler (the resizer's). */
export type FunctionUrlHandler = (event: LambdaFunctionURLEvent) => Promise<APIGatewayProxyStructuredResultV2>;

/** What the deployed resizer module exports that the local stack uses. */
export interface ResizerModule {
    handlerFromEnvironment(env: Record<string, string | undefined>, log?: (line: ResizerLogLine) => void): FunctionUrlHandler;
    /** The module file. */
    file: string;
}

let loaded: Promise<ResizerModule> | undefined;

/** The deployed resizer module, bundled and loaded once per process. */
export function loadResizerModule(directory: string = EDGE_BUILD_DIR): Promise<ResizerModule> {
    loaded ??= bundleResizerHandler().then((code) => {
        fs.mkdirSync(directory, { recursive: true });
        const file = path.join(directory, `resizer-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`);
        if (!fs.existsSync(file)) {
            const temporary = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(temporary, code);
            fs.renameSync(temporary, file);
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exports = require(file) as Partial<ResizerModule>;
        if (typeof exports.handlerFromEnvironment !== "function") throw new Error(`${file} exports no handlerFromEnvironment`);
        return { handlerFromEnvironment: exports.handlerFromEnvironment, file };
    });
    loaded.catch(() => (loaded = undefined));
    return loaded;
}

/** An origin that is a function URL, with what its invocations logged. */
export interface FunctionUrlOrigin extends Origin {
    /** The URL's host (`<id>.lambda-url.<region>.on.aws` in AWS). */
    readonly host: string;
    /** Invocations so far. */
    readonly invocations: number;
}

/**
 * A function URL origin around `handler`. `makeHandler` receives the log
 * function to hand the handler's module, so each request's log line (the
 * resizer's: `source: stored | made | joined`) comes back with its answer
 * as the response's `detail`.
 */
export function functionUrlOrigin(host: string, makeHandler: (log: (line: ResizerLogLine) => void) => FunctionUrlHandler, onLog?: (line: ResizerLogLine) => void): FunctionUrlOrigin {
    const current = new AsyncLocalStorage<(line: ResizerLogLine) => void>();
    const handler = makeHandler((line) => {
        onLog?.(line);
        current.getStore()?.(line);
    });
    let invocations = 0;
    return {
        host,
        get invocations() {
            return invocations;
        },
        async fetch(request: OriginRequest): Promise<OriginResponse> {
            invocations += 1;
            let logged: ResizerLogLine | undefined;
            const result = await current.run((line) => (logged = line), () => handler(urlEvent(host, request)));
            return responseOf(result, logged);
        },
    };
}

/** The request event Lambda builds for a function URL call. */
export function urlEvent(host: string, request: OriginRequest): LambdaFunctionURLEvent {
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) {
        const lower = name.toLowerCase();
        headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
    }
    headers.host = host;
    const question = request.uri.indexOf("?");
    const rawPath = question < 0 ? request.uri : request.uri.slice(0, question);
    const rawQueryString = question < 0 ? "" : request.uri.slice(question + 1);
    const now = new Date();
    const id = host.split(".")[0];
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        headers,
        requestContext: {
            accountId: "anonymous",
            apiId: id,
            domainName: host,
            domainPrefix: id,
            http: { method: request.method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "Amazon CloudFront" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: now.toUTCString(),
            timeEpoch: now.getTime(),
        },
        isBase64Encoded: false,
    };
}

/** A function URL's answer as the origin response CloudFront gets. */
function responseOf(result: APIGatewayProxyStructuredResultV2, logged: ResizerLogLine | undefined): OriginResponse {
    const headers: HeaderList = Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]);
    const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
    const status = result.statusCode ?? 200;
    return {
        status,
        statusDescription: "",
        headers,
        body,
        ...(logged?.source !== undefined ? { detail: logged.source } : {}),
    };
}
