/**
 * Where upload forms may write, and why nothing there is ever served.
 *
 * A presigned POST stays valid until it expires (up to an hour), and S3
 * accepts every post that meets its policy: the same form can replace the
 * object after it was checked. So forms only ever write under the staging
 * prefix `<uploadPrefix>incoming/`, and no hash is ever issued for a key
 * there. `confirmUpload` reads the posted bytes once, judges them, and
 * writes what it judged (without its metadata) to a fresh key outside it (a
 * key no form was ever signed for), and serves only that; whatever is posted
 * through the form afterwards lands in staging and reaches nobody.
 *
 * (Pinning the mapping to the object version the check read was the other
 * way; it needs `?versionId=` forwarded through CloudFront to S3 in both
 * modes, `s3:GetObjectVersion` for the distribution and the edge, and cannot
 * be shown against the local S3, which keeps no versions. Writing the
 * checked bytes to a new key works the same in every level and mode, locally
 * too, with the permissions the component already grants.)
 */
import { STAGING_FOLDER } from "../core/contract";
import type { IssuerConfig } from "./config";

/** The folder, under the upload prefix, that upload forms write into (defined once in core/contract.ts: the resizer refuses it too). */
export { STAGING_FOLDER };

/** `<uploadPrefix>incoming/`: the only place an upload form can write. */
export function stagingPrefix(config: Pick<IssuerConfig, "uploadPrefix">): string {
    return config.uploadPrefix + STAGING_FOLDER;
}

/** True for a key an upload form may have written (and so may change at any moment). */
export function isStagingKey(config: Pick<IssuerConfig, "uploadPrefix">, key: string): boolean {
    return key.startsWith(stagingPrefix(config));
}
