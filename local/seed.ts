/**
 * Seeds one sample image per service, so a fresh `npm start` has a URL to
 * open at once. The sample lives at a fixed key (`<uploadPrefix>local-sample.png`),
 * so a restart stores the same bytes again and the issuer reuses the
 * sample's active hash instead of piling up new ones.
 */
import type { UploadResult } from "../issuer/upload";
import type { LocalIssuer } from "./issuers";
import { samplePng } from "./png";

export const SAMPLE_FILE_NAME = "local-sample.png";

export async function seedSample(local: LocalIssuer): Promise<UploadResult> {
    return local.issuer.upload(samplePng(local.config.service), { s3Key: `${local.config.uploadPrefix}${SAMPLE_FILE_NAME}` });
}
