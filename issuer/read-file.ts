/**
 * Reading a file someone named: the `upload` argument, `--outputs`,
 * `SECURE_IMAGE_CDN_OUTPUTS`. Only a regular file is read, and only up to a
 * cap, judged on the opened file itself (so what is checked is what is
 * read): `/dev/zero` would never end and a FIFO would wait for a writer for
 * ever, so a device, a FIFO, a socket or a folder is refused from what it
 * is before a byte is read, and a file over the cap from its size. Each
 * caller turns a refusal into its own typed error.
 */
import { constants, promises as fs, Stats } from "fs";

/** Why a file was not read. */
export type FileRefusal =
    | { reason: "unreadable"; code?: string; cause: unknown }
    | { reason: "not-a-file"; kind: string }
    | { reason: "too-large"; bytes: number };

/** Bytes read at a time; a file that grows while it is read is still cut off at the cap. */
const CHUNK_BYTES = 64 * 1024;

/** What a non-regular file is, in words for a message. */
function kindOf(stat: Stats): string {
    if (stat.isDirectory()) return "a folder";
    if (stat.isFIFO()) return "a FIFO";
    if (stat.isCharacterDevice()) return "a character device";
    if (stat.isBlockDevice()) return "a block device";
    if (stat.isSocket()) return "a socket";
    return "a special file";
}

/**
 * The bytes of `file` when it is a regular file of at most `maxBytes`;
 * otherwise throws `refuse(why)`.
 */
export async function readRegularFile(file: string, maxBytes: number, refuse: (refusal: FileRefusal) => Error): Promise<Buffer> {
    let handle: fs.FileHandle;
    try {
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
        handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
        throw refuse({ reason: "unreadable", code: (error as { code?: string }).code, cause: error });
    }
    try {
        const stat = await handle.stat();
        if (!stat.isFile()) throw refuse({ reason: "not-a-file", kind: kindOf(stat) });
        if (stat.size > maxBytes) throw refuse({ reason: "too-large", bytes: stat.size });
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.alloc(CHUNK_BYTES);
            let bytesRead: number;
            try {
                ({ bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null));
            } catch (error) {
                throw refuse({ reason: "unreadable", code: (error as { code?: string }).code, cause: error });
            }
            if (bytesRead === 0) break;
            total += bytesRead;
            if (total > maxBytes) throw refuse({ reason: "too-large", bytes: total });
            chunks.push(chunk.subarray(0, bytesRead));
        }
        return Buffer.concat(chunks, total);
    } finally {
        await handle.close();
    }
}
