/**
 * `ImageIssuer`: the issuing library's entry point, one per service. It holds
 * the config, the caller's clients and the options, and delegates to the
 * operation modules (issue, revoke, erase, upload).
 */
import type { IssuerClients } from "./clients";
import type { IssuerConfig } from "./config";
import { createContext, IssuerContext, IssuerOptions } from "./context";
import { deleteObject, ObjectErasure } from "./erase";
import { generateSecureUrl, inspect, Inspection, IssuedUrl, resolve } from "./issue";
import { ObjectRevocation, revoke, revokeObject, Revocation } from "./revoke";
import { confirmUpload, createUploadForm, upload, UploadForm, UploadFormOptions, UploadOptions, UploadResult } from "./upload";
import { variantUrl, VariantUrl } from "./variants";

export class ImageIssuer {
    private readonly ctx: IssuerContext;

    /** Validates `config` (throws `ConfigError`); the clients are used as given. */
    constructor(config: IssuerConfig, clients: IssuerClients, options: IssuerOptions = {}) {
        this.ctx = createContext(config, clients, options);
    }

    /** The validated configuration. */
    get config(): IssuerConfig {
        return this.ctx.config;
    }

    /** `<cdnBaseUrl>/images/<hash>` for an object `s3://<bucket>/<key>`, reusing its active hash while it has life left. */
    generateSecureUrl(s3Url: string): Promise<IssuedUrl> {
        return generateSecureUrl(this.ctx, s3Url);
    }

    /**
     * `<cdnBaseUrl>/images/<hash>/<preset>` (the format negotiated from each
     * viewer's `Accept`), or `…/<preset>.<format>` for one format: checked
     * against the service's catalogue, no AWS call.
     */
    variantUrl(hash: string, preset: string, format?: string): VariantUrl {
        return variantUrl(this.ctx.config, hash, preset, format);
    }

    /** What a hash maps to, when it expires, whether it is live. */
    inspect(hash: string): Promise<Inspection> {
        return inspect(this.ctx, hash);
    }

    /** Like `inspect`, but `ExpiredError` for an expired hash. */
    resolve(hash: string): Promise<Inspection> {
        return resolve(this.ctx, hash);
    }

    /** Deletes a hash's mapping and invalidates its CDN path. */
    revoke(hash: string): Promise<Revocation> {
        return revoke(this.ctx, hash);
    }

    /** Revokes every hash of an object. */
    revokeObject(s3Url: string): Promise<ObjectRevocation> {
        return revokeObject(this.ctx, s3Url);
    }

    /**
     * Erases an object for good: revokes every hash, deletes every version of
     * the original and of each derived copy (delete markers included) and
     * invalidates every path of each hash; says what it removed and from when
     * nothing of it is served. Idempotent: an interrupted run is finished by
     * running it again. Only keys under the upload prefix, never staging.
     */
    deleteObject(s3Url: string): Promise<ObjectErasure> {
        return deleteObject(this.ctx, s3Url);
    }

    /** A presigned POST for one image of a given type and size. */
    createUploadForm(options: UploadFormOptions): Promise<UploadForm> {
        return createUploadForm(this.ctx, options);
    }

    /** Checks an object posted through a form by its bytes, then issues its URL. */
    confirmUpload(s3Url: string): Promise<UploadResult> {
        return confirmUpload(this.ctx, s3Url);
    }

    /** Checks, stores and issues an image given as bytes or a file path. */
    upload(input: Uint8Array | string, options?: UploadOptions): Promise<UploadResult> {
        return upload(this.ctx, input, options);
    }
}
