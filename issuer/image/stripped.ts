/**
 * What every per-format metadata remover returns, and the pieces they share:
 * the output buffer they assemble and the refusal they throw for bytes they
 * cannot walk.
 *
 * Why our own code: the npm packages that remove metadata without
 * re-encoding cover part of the job only. `exif-be-gone` looks for APP1
 * byte patterns anywhere in a JPEG stream (it can cut into entropy-coded
 * data), handles JPEG EXIF/XMP and PNG text chunks but not IPTC, comments,
 * MPF or trailers, GIF, or WebP's XMP, VP8X flags and RIFF size; `piexifjs` and `exifremove` handle
 * JPEG EXIF only. Each format's container is simple enough to walk exactly,
 * and a walk that keeps only what is known to be needed (an allowlist)
 * fails safe when a format grows a new kind of metadata.
 */
import { RefusedContentError } from "../errors";

/** An image with its metadata removed. */
export interface StrippedImage {
    bytes: Uint8Array;
    /** What was taken out, by kind, sorted (`exif`, `exif:gps`, `xmp`, `iptc`, `comment`, `trailer`, …). */
    removed: string[];
    /** Metadata kept on purpose, sorted: `icc` (the colour profile), `exif:orientation`. */
    kept: string[];
}

/** Collects output pieces and the kinds removed and kept. */
export class Assembly {
    private readonly parts: Uint8Array[] = [];
    private readonly removedKinds = new Set<string>();
    private readonly keptKinds = new Set<string>();
    /** False until something was left out or rewritten: then the input is returned as it came. */
    changed = false;

    push(part: Uint8Array): void {
        this.parts.push(part);
    }

    remove(...kinds: string[]): void {
        this.changed = true;
        for (const kind of kinds) this.removedKinds.add(kind);
    }

    keep(kind: string): void {
        this.keptKinds.add(kind);
    }

    /** The result: the input itself when nothing changed (so a clean image is stored byte for byte), else the assembled bytes. */
    finish(input: Uint8Array): StrippedImage {
        const kept = [...this.keptKinds].sort();
        if (!this.changed) return { bytes: input, removed: [], kept };
        return { bytes: concat(this.parts), removed: [...this.removedKinds].sort(), kept };
    }
}

/** The error for bytes a remover cannot walk: the upload is refused, naming the format and the fault. */
export function refuse(format: string, reason: string, cause?: unknown): RefusedContentError {
    return new RefusedContentError(`refused: the ${format} is malformed (${reason}); its metadata cannot be removed safely`, cause);
}

/** One buffer from several. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
        out.set(part, at);
        at += part.length;
    }
    return out;
}
