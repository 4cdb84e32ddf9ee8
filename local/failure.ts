/**
 * When a part of the running stack fails in a way nothing caught (an
 * exception thrown from a callback of dynalite, s3rver or the emulator), the
 * process cannot go on as if all were well: some port may be dead. `npm
 * start` then says which part failed and how on stderr, stops every server,
 * removes the state file (so the CLI does not trip on a stack that is gone)
 * and exits with code 1. This is the last line of defence: no request is
 * meant to get here (local/dynalite-front.ts, local/guard.ts, the fuzz test).
 */

/** Parts of the stack by where their code lives, most specific first. */
const PARTS: readonly [RegExp, string][] = [
    [/node_modules[\\/]dynalite[\\/]/, "DynamoDB (dynalite)"],
    [/node_modules[\\/](s3rver|koa[^\\/]*|busboy)[\\/]/, "S3 (s3rver)"],
    [/local[\\/]replication\.ts/, "DynamoDB replicator"],
    [/local[\\/]cloudfront[\\/]control-api\.ts/, "CloudFront API"],
    [/local[\\/]cloudfront[\\/]/, "CDN (CloudFront emulator)"],
    [/\.edge-build[\\/]/, "CDN (edge function)"],
    [/local[\\/]playground[\\/]/, "playground"],
];

/** The part an error came from, read from the first frame of its stack that names one. */
export function failedPart(error: unknown): string | undefined {
    const stack = error instanceof Error ? error.stack : undefined;
    if (!stack) return undefined;
    for (const line of stack.split("\n").slice(1)) {
        const part = PARTS.find(([where]) => where.test(line))?.[1];
        if (part) return part;
    }
    return undefined;
}

/** The first frame of an error's stack (`file:line:column`), for the message. */
function firstFrame(error: unknown): string | undefined {
    const stack = error instanceof Error ? error.stack : undefined;
    const frame = stack?.split("\n").find((line) => /^\s+at /.test(line));
    return frame?.trim().replace(/^at /, "");
}

/** The one line `npm start` prints before it stops because of `error`. */
export function failureLine(error: unknown): string {
    const part = failedPart(error);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const frame = firstFrame(error);
    return `${part ?? "a part of the local stack"} failed (${message}${frame ? `, at ${frame}` : ""}); stopping everything`;
}
