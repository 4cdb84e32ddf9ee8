/**
 * What the issuing library lets applications upload: under `uploadPrefix`,
 * up to `maxUploadBytes`. The issuer checks its config against the same
 * bounds (core/contract.ts, core/bounds.ts).
 */
import { maxUploadBytesProblem } from "../../core/bounds";
import { uploadPrefixProblem } from "../../core/contract";
import { checked, fieldList } from "./checks";

/** Where uploads go and how large they may be. */
export interface UploadArgs {
    /**
     * Key prefix under which the issuer lets applications upload.
     * @default "uploads/"
     */
    uploadPrefix?: string;
    /**
     * Largest upload the issuer's presigned POST accepts, bytes; at most 5 GiB.
     * @default 10485760 (10 MiB)
     */
    maxUploadBytes?: number;
}

/** The defaults of {@link UploadArgs}. */
export const UPLOAD_DEFAULTS = {
    uploadPrefix: "uploads/",
    /** 10 MiB. */
    maxUploadBytes: 10 * 1024 * 1024,
} as const;

/** The fields of {@link UploadArgs}. */
export const UPLOAD_FIELDS = fieldList<UploadArgs>()(["uploadPrefix", "maxUploadBytes"]);

/** {@link UploadArgs} resolved. */
export interface ResolvedUpload {
    uploadPrefix: string;
    maxUploadBytes: number;
}

/** The upload prefix and size limit, checked. */
export function resolveUpload(args: UploadArgs): ResolvedUpload {
    const uploadPrefix = args.uploadPrefix ?? UPLOAD_DEFAULTS.uploadPrefix;
    checked(uploadPrefix, "uploadPrefix", uploadPrefixProblem(uploadPrefix));
    const maxUploadBytes = args.maxUploadBytes ?? UPLOAD_DEFAULTS.maxUploadBytes;
    checked(maxUploadBytes, "maxUploadBytes", maxUploadBytesProblem(maxUploadBytes));
    return { uploadPrefix, maxUploadBytes };
}
