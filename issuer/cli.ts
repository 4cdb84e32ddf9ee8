#!/usr/bin/env node
/**
 * `secure-image-cdn`: upload, issue, inspect and revoke from a shell.
 *
 *   secure-image-cdn upload <file> [--key <s3-key>]
 *   secure-image-cdn issue <s3-url>
 *   secure-image-cdn inspect <hash>
 *   secure-image-cdn revoke <hash>
 *   secure-image-cdn revoke-object <s3-url>
 *   secure-image-cdn delete-object <s3-url>
 *   secure-image-cdn url <hash> [--preset <name> [--format <format>]]
 *
 * with `--service <name>`, `--outputs <file>`, `--json`, `--help`.
 * Exit codes: 0 done, 1 the operation failed, 2 bad arguments.
 * `main(argv, io)` runs in-process (the tests call it); the last lines run it
 * when the file is executed.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cdnImageUrl, parseS3Url } from "../core/contract";
import { createClients, destroyClients } from "./clients";
import { formatErasure, formatInspection, formatIssued, formatObjectRevocation, formatRevocation, formatUpload, formatVariantUrl, terminalSafe, terminalSafeJson } from "./cli-format";
import { LOCAL_STACK_STATE_FILE, loadIssuerConfig, OUTPUTS_ENV_VAR } from "./config";
import { requireHash } from "./context";
import { InvalidInputError, isIssuerError } from "./errors";
import { ImageIssuer } from "./issuer";
import { show } from "./show";

/** Where the CLI writes and what it reads from its surroundings; injectable for tests. */
export interface CliIo {
    /** Writes one line (no newline needed) to standard output. */
    stdout(line: string): void;
    /** Writes one line to standard error. */
    stderr(line: string): void;
    env: NodeJS.ProcessEnv;
    cwd: string;
}

export const USAGE =
    "usage: secure-image-cdn <upload <file> | issue <s3-url> | inspect <hash> | revoke <hash> | revoke-object <s3-url> | delete-object <s3-url> | url <hash>> " +
    "[--service <name>] [--outputs <file>] [--key <s3-key>] [--preset <name>] [--format <format>] [--json] [--help]";

const HELP = `${USAGE}

Commands:
  upload <file>           check the file is a JPEG, PNG, GIF, WebP or AVIF image (by its bytes),
                          store it under the service's upload prefix and print its CDN URL
  issue <s3-url>          print the CDN URL of s3://<bucket>/<key>, reusing its active hash
  inspect <hash>          show what a hash maps to, when it expires and whether it is live
  revoke <hash>           delete a hash's mapping (its CloudFront paths are invalidated: by the
                          service's invalidator, or by this command where there is none);
                          says when the hash stops working at the service's level and mode
  revoke-object <s3-url>  revoke every hash of an object (and says the same)
  delete-object <s3-url>  erase an object for good: revoke every hash, delete every version of it and of
                          its derived copies (variants), invalidate every path; says from when nothing
                          of it is served. Only keys under the upload prefix; run it again if it fails
  url <hash>              print the CDN URL of a hash; with --preset, of that variant (the format
                          negotiated from each viewer's Accept), with --format too, in that format

Options:
  --service <name>  the service to act for (default: the only service in the outputs)
  --outputs <file>  a 'pulumi stack output --json' file (default: $${OUTPUTS_ENV_VAR},
                    else the running local stack's ${LOCAL_STACK_STATE_FILE})
  --key <s3-key>    upload only: the key to store under (must be under the upload prefix)
  --preset <name>   url only: a preset of the service's variants (e.g. thumb)
  --format <format> url only, with --preset: avif, webp, jpeg, png (those the preset allows) or fallback
  --json            print the result as JSON
  -h, --help        print this help

Exit codes: 0 done, 1 the operation failed, 2 bad arguments.`;

type Command = "upload" | "issue" | "inspect" | "revoke" | "revoke-object" | "delete-object" | "url";
const COMMANDS: readonly Command[] = ["upload", "issue", "inspect", "revoke", "revoke-object", "delete-object", "url"];

interface ParsedArgs {
    command: Command;
    argument: string;
    service?: string;
    outputs?: string;
    key?: string;
    preset?: string;
    format?: string;
    json: boolean;
}

/** Thrown for malformed command lines; exit code 2. */
class UsageError extends Error {}

export async function main(argv: string[], given: CliIo = processIo()): Promise<number> {
    const wantsJson = argv.includes("--json");
    // Everything the CLI prints goes through here: values from S3 keys, configs and errors may hold
    // characters that rewrite what a terminal shows (escapes, bidirectional overrides).
    const safe = (text: string) => (wantsJson && /^[[{]/.test(text) ? terminalSafeJson(text) : text.split("\n").map(terminalSafe).join("\n"));
    const io: CliIo = { ...given, stdout: (text) => given.stdout(safe(text)), stderr: (text) => given.stderr(safe(text)) };
    let args: ParsedArgs | "help";
    try {
        args = parseCommandLine(argv);
    } catch (error) {
        if (error instanceof UsageError) return usageFailure(io, error.message);
        throw error;
    }
    if (args === "help") {
        io.stdout(HELP);
        return 0;
    }
    try {
        // Argument shapes are checked before any configuration is read.
        if (args.command === "inspect" || args.command === "revoke" || args.command === "url") requireHash(args.argument);
        if ((args.command === "issue" || args.command === "revoke-object" || args.command === "delete-object") && !parseS3Url(args.argument)) {
            throw new InvalidInputError(`not a valid object URL: ${show(args.argument)} (expected s3://<bucket>/<key>)`);
        }
        const config = await loadIssuerConfig({ service: args.service, outputsFile: args.outputs, env: io.env, cwd: io.cwd });
        const clients = createClients(config);
        try {
            const issuer = new ImageIssuer(config, clients);
            const line = await run(issuer, args, io.cwd);
            io.stdout(args.json ? JSON.stringify(line.result, null, 2) : line.text);
        } finally {
            destroyClients(clients);
        }
        return 0;
    } catch (error) {
        if (error instanceof InvalidInputError) return usageFailure(io, error.message, wantsJson ? error.toJSON() : undefined);
        if (isIssuerError(error)) {
            io.stderr(wantsJson ? JSON.stringify({ error: error.toJSON() }) : `secure-image-cdn: ${error.code}: ${error.message}`);
            return 1;
        }
        const message = error instanceof Error ? error.message : String(error);
        io.stderr(wantsJson ? JSON.stringify({ error: { code: "INTERNAL", message } }) : `secure-image-cdn: unexpected error: ${message}`);
        return 1;
    }
}

async function run(issuer: ImageIssuer, args: ParsedArgs, cwd: string): Promise<{ result: object; text: string }> {
    switch (args.command) {
        case "upload": {
            const result = await issuer.upload(path.resolve(cwd, args.argument), args.key === undefined ? {} : { s3Key: args.key });
            return { result, text: formatUpload(result) };
        }
        case "issue": {
            const result = await issuer.generateSecureUrl(args.argument);
            return { result, text: formatIssued(result) };
        }
        case "inspect": {
            const result = await issuer.inspect(args.argument);
            return { result, text: formatInspection(result) };
        }
        case "revoke": {
            const result = await issuer.revoke(args.argument);
            return { result, text: formatRevocation(result) };
        }
        case "revoke-object": {
            const result = await issuer.revokeObject(args.argument);
            return { result, text: formatObjectRevocation(result) };
        }
        case "delete-object": {
            const result = await issuer.deleteObject(args.argument);
            return { result, text: formatErasure(result) };
        }
        case "url": {
            // No AWS call: the URL is built from the config and checked against its catalogue.
            const result = args.preset === undefined ? { url: cdnImageUrl(issuer.config.cdnBaseUrl, args.argument), hash: args.argument } : issuer.variantUrl(args.argument, args.preset, args.format);
            return { result, text: formatVariantUrl(result) };
        }
    }
}

function parseCommandLine(argv: string[]): ParsedArgs | "help" {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                service: { type: "string" },
                outputs: { type: "string" },
                key: { type: "string" },
                preset: { type: "string" },
                format: { type: "string" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
    } catch (error) {
        // parseArgs reports unknown options and missing option values as TypeErrors with ERR_PARSE_ARGS_* codes.
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
        throw error;
    }
    const { values, positionals } = parsed;
    if (values.help) return "help";
    const [command, ...rest] = positionals;
    if (command === undefined) throw new UsageError("a command is required");
    if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command ${show(command)}`);
    if (rest.length !== 1) throw new UsageError(`'${command}' takes exactly one argument (got ${rest.length})`);
    if (values.key !== undefined && command !== "upload") throw new UsageError("--key is only for 'upload'");
    if (values.preset !== undefined && command !== "url") throw new UsageError("--preset is only for 'url'");
    if (values.format !== undefined && values.preset === undefined) throw new UsageError("--format needs --preset: a format is a variant's");
    for (const [name, value] of [["service", values.service], ["outputs", values.outputs], ["key", values.key], ["preset", values.preset], ["format", values.format]] as const) {
        if (value !== undefined && value.trim() === "") throw new UsageError(`--${name} needs a value`);
    }
    return {
        command: command as Command,
        argument: rest[0],
        service: values.service,
        outputs: values.outputs,
        key: values.key,
        preset: values.preset,
        format: values.format,
        json: values.json === true,
    };
}

function usageFailure(io: CliIo, message: string, json?: object): number {
    if (json) io.stderr(JSON.stringify({ error: json }));
    else io.stderr(`secure-image-cdn: ${message}`);
    io.stderr(USAGE);
    return 2;
}

function processIo(): CliIo {
    return {
        stdout: (line) => process.stdout.write(line + "\n"),
        stderr: (line) => process.stderr.write(line + "\n"),
        env: process.env,
        cwd: process.cwd(),
    };
}

if (require.main === module) {
    // The SDK warns on Node 20 about releases after January 2027 on every run; the lock file pins working versions.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`secure-image-cdn: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
