/**
 * Errors the issuing library throws. Each has a stable `code` a caller can
 * switch on. Messages are written here, never copied from the AWS SDK: an SDK
 * message can hold account ids, ARNs or request details, so the original error
 * is only kept as a non-enumerable `cause` (it does not show up in JSON or in
 * a shallow log of the error object).
 */

/** Stable error codes; the CLI prints them and tests assert on them. */
export type IssuerErrorCode =
    | "INVALID_INPUT"
    | "NOT_FOUND"
    | "EXPIRED"
    | "REFUSED_CONTENT"
    | "THROTTLED"
    | "CONFLICT"
    | "UPSTREAM"
    | "CONFIG";

/** Base class of every error the library throws on purpose. */
export abstract class IssuerError extends Error {
    abstract readonly code: IssuerErrorCode;

    constructor(message: string, cause?: unknown) {
        super(message);
        this.name = new.target.name;
        if (cause !== undefined) {
            Object.defineProperty(this, "cause", { value: cause, enumerable: false, writable: true, configurable: true });
        }
    }

    /** `{ code, message }`: what the CLI's `--json` prints for an error. */
    toJSON(): { code: IssuerErrorCode; message: string } {
        return { code: this.code, message: this.message };
    }
}

/** A malformed argument: bad hash, bad `s3://` URL, another bucket, a key outside the upload prefix. */
export class InvalidInputError extends IssuerError {
    readonly code = "INVALID_INPUT" as const;
}

/** No mapping exists for the hash (never issued, revoked, or deleted by TTL). */
export class NotFoundError extends IssuerError {
    readonly code = "NOT_FOUND" as const;
}

/** The mapping exists but its `expires_at` has passed. */
export class ExpiredError extends IssuerError {
    readonly code = "EXPIRED" as const;
}

/** The bytes are not an allowed image (judged by content, never by name), are empty or too big. */
export class RefusedContentError extends IssuerError {
    readonly code = "REFUSED_CONTENT" as const;
}

/** AWS kept throttling after the SDK's retries with backoff; try again later. */
export class ThrottledError extends IssuerError {
    readonly code = "THROTTLED" as const;
}

/** Concurrent writers or a repeating hash generator kept the operation from settling. */
export class ConflictError extends IssuerError {
    readonly code = "CONFLICT" as const;
}

/** An AWS call failed for another reason (unreachable, access denied, server error). */
export class UpstreamError extends IssuerError {
    readonly code = "UPSTREAM" as const;
}

/** The configuration is missing, malformed, or names resources that do not exist. */
export class ConfigError extends IssuerError {
    readonly code = "CONFIG" as const;
}

/** True for errors thrown on purpose by this library. */
export function isIssuerError(error: unknown): error is IssuerError {
    return error instanceof IssuerError;
}
