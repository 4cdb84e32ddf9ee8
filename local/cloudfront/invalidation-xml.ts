/**
 * The XML of CloudFront's invalidation API (`2020-05-31`), as the AWS SDK's
 * CloudFront client sends and expects it:
 *
 *   request  <InvalidationBatch xmlns="…/2020-05-31/"><Paths><Quantity>n</Quantity>
 *              <Items><Path>/a</Path>…</Items></Paths><CallerReference>…</CallerReference></InvalidationBatch>
 *   response <Invalidation xmlns="…"><Id/><Status/><CreateTime/><InvalidationBatch>…</InvalidationBatch></Invalidation>
 *   error    <ErrorResponse xmlns="…"><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 *
 * The request document is flat and fixed, so it is read with a few exact
 * patterns rather than a general XML parser (none is a direct dependency of
 * this package; the SDK's own parser is an internal detail of the SDK).
 * Anything that does not fit the shape is refused as MalformedXML.
 */
import { MAX_INVALIDATION_PATHS } from "../../core/limits";

export const CLOUDFRONT_XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

/** CloudFront's limits on one invalidation batch (the path count is core/limits.ts MAX_INVALIDATION_PATHS). */
export const MAX_PATH_LENGTH = 4000;

export interface InvalidationBatch {
    paths: string[];
    callerReference: string;
}

export interface Invalidation {
    id: string;
    status: "InProgress" | "Completed";
    createTime: Date;
    batch: InvalidationBatch;
}

/** An API error with the code and HTTP status CloudFront uses for it. */
export class CloudFrontApiError extends Error {
    constructor(
        readonly code: string,
        message: string,
        readonly httpStatus: number,
    ) {
        super(message);
        this.name = "CloudFrontApiError";
    }
}

function decodeEntities(text: string): string {
    return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
        switch (entity) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return '"';
            case "apos":
                return "'";
            default:
                return String.fromCodePoint(entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
        }
    });
}

export function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function malformed(detail: string): CloudFrontApiError {
    return new CloudFrontApiError("MalformedXML", `The XML document is not a valid InvalidationBatch: ${detail}.`, 400);
}

function single(xml: string, tag: string): string | undefined {
    const matches = [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))];
    if (matches.length > 1) throw malformed(`more than one <${tag}>`);
    return matches[0]?.[1];
}

/** Reads and checks a CreateInvalidation request body. */
export function parseInvalidationBatch(xml: string): InvalidationBatch {
    const body = xml.replace(/^\s*<\?xml[^>]*\?>/, "").trim();
    const root = /^<InvalidationBatch(?:\s+xmlns="[^"]*")?\s*>([\s\S]*)<\/InvalidationBatch>$/.exec(body);
    if (!root) throw malformed("the root element must be <InvalidationBatch>");
    const inner = root[1];
    const paths = single(inner, "Paths");
    if (paths === undefined) throw malformed("<Paths> is missing");
    const quantityText = single(paths, "Quantity");
    if (quantityText === undefined || !/^\d+$/.test(quantityText.trim())) throw malformed("<Quantity> is missing or not a number");
    const items = single(paths, "Items") ?? "";
    const pathList = [...items.matchAll(/<Path>([\s\S]*?)<\/Path>/g)].map((match) => decodeEntities(match[1]));
    const callerReference = single(inner, "CallerReference");
    if (callerReference === undefined || callerReference.trim() === "") throw malformed("<CallerReference> is missing");

    const quantity = Number(quantityText.trim());
    if (quantity !== pathList.length) {
        throw new CloudFrontApiError("InconsistentQuantities", "The value of Quantity and the size of Items don't match.", 400);
    }
    if (quantity === 0) throw new CloudFrontApiError("InvalidArgument", "An invalidation needs at least one path.", 400);
    if (quantity > MAX_INVALIDATION_PATHS) throw new CloudFrontApiError("BatchTooLarge", `An invalidation holds at most ${MAX_INVALIDATION_PATHS} paths.`, 413);
    for (const path of pathList) {
        if (!path.startsWith("/")) throw new CloudFrontApiError("InvalidArgument", `Invalidation path "${path}" must begin with "/".`, 400);
        if (path.length > MAX_PATH_LENGTH) throw new CloudFrontApiError("InvalidArgument", `An invalidation path is at most ${MAX_PATH_LENGTH} characters.`, 400);
        if (path.slice(0, -1).includes("*")) throw new CloudFrontApiError("InvalidArgument", `Invalidation path "${path}" may use "*" only as its last character.`, 400);
    }
    return { paths: pathList, callerReference: decodeEntities(callerReference) };
}

function batchXml(batch: InvalidationBatch): string {
    const items = batch.paths.map((path) => `<Path>${escapeXml(path)}</Path>`).join("");
    return (
        `<InvalidationBatch><Paths><Quantity>${batch.paths.length}</Quantity><Items>${items}</Items></Paths>` +
        `<CallerReference>${escapeXml(batch.callerReference)}</CallerReference></InvalidationBatch>`
    );
}

/** The body of CreateInvalidation's and GetInvalidation's answers. */
export function invalidationXml(invalidation: Invalidation): string {
    return (
        `<?xml version="1.0" encoding="UTF-8"?>\n<Invalidation xmlns="${CLOUDFRONT_XMLNS}">` +
        `<Id>${escapeXml(invalidation.id)}</Id><Status>${invalidation.status}</Status>` +
        `<CreateTime>${invalidation.createTime.toISOString()}</CreateTime>${batchXml(invalidation.batch)}</Invalidation>`
    );
}

/** An error body in CloudFront's format. */
export function errorXml(error: CloudFrontApiError, requestId: string): string {
    const type = error.httpStatus >= 500 ? "Receiver" : "Sender";
    return (
        `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${CLOUDFRONT_XMLNS}"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
        `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
    );
}
