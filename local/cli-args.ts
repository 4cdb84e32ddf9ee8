/**
 * `npm start` flags, parsed without side effects so they are tested alone.
 */
import * as path from "path";
import { DEFAULT_BASE_PORT, portPlan, PortPlan, PortOverrides } from "./ports";

export interface StartArgs {
    help: boolean;
    /** The stack config file to read. */
    configFile: string;
    /** Label for messages: `dev`, or the file name for `--config`. */
    stackLabel: string;
    dataDir: string;
    fresh: boolean;
    seed: boolean;
    ports: PortPlan;
}

export const USAGE = `Usage: npm start -- [options]

Starts the local stack: DynamoDB (dynalite), S3 (s3rver), one CloudFront
emulator per configured service running the deployed edge code, and the
playground web page. Stop it with Ctrl-C.

Options:
  --stack <name>             read Pulumi.<name>.yaml (default: dev)
  --config <file>            read this stack config file instead
  --data-dir <dir>           where data is kept (default: .local-data)
  --fresh                    start with empty data (removes the data folder's contents first)
  --no-seed                  do not seed a sample image per service
  --port <base>              lay out all ports from <base> (default: ${DEFAULT_BASE_PORT}; 0: any free ports)
                               playground <base>, CloudFront API <base>+1, DynamoDB <base>+2,
                               S3 <base>+3, CDNs <base>+10, +11, … (one per service)
  --playground-port <port>   move one part (0: any free port)
  --cloudfront-api-port <port>
  --dynamodb-port <port>
  --s3-port <port>
  --cdn-port <port>          port of the first service's CDN; the next ones follow
  -h, --help                 show this help`;

const PORT_FLAGS: Readonly<Record<string, keyof PortOverrides>> = {
    "--playground-port": "playground",
    "--cloudfront-api-port": "cloudfrontApi",
    "--dynamodb-port": "dynamodb",
    "--s3-port": "s3",
    "--cdn-port": "cdnFirst",
};

function parsePort(flag: string, value: string | undefined): number {
    if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new Error(`${flag} needs a port number from 0 to 65535 (got ${value === undefined ? "nothing" : JSON.stringify(value)})`);
    }
    return Number(value);
}

/** Parses `argv` (without node and the script). `projectDir` anchors the defaults. */
export function parseStartArgs(argv: readonly string[], projectDir: string): StartArgs {
    let stack: string | undefined;
    let config: string | undefined;
    let dataDir = path.join(projectDir, ".local-data");
    let fresh = false;
    let seed = true;
    let help = false;
    let base = DEFAULT_BASE_PORT;
    const overrides: PortOverrides = {};

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = (): string => {
            if (inline !== undefined) return inline;
            const next = argv[i + 1];
            if (next === undefined || next.startsWith("--")) throw new Error(`${flag} needs a value`);
            i += 1;
            return next;
        };
        switch (flag) {
            case "-h":
            case "--help":
                help = true;
                break;
            case "--stack":
                stack = value();
                break;
            case "--config":
                config = value();
                break;
            case "--data-dir":
                dataDir = path.resolve(projectDir, value());
                break;
            case "--fresh":
                fresh = true;
                break;
            case "--no-seed":
                seed = false;
                break;
            case "--port":
                base = parsePort(flag, value());
                break;
            default: {
                const part = PORT_FLAGS[flag];
                if (!part) throw new Error(`unknown option ${JSON.stringify(arg)} (see --help)`);
                overrides[part] = parsePort(flag, value());
            }
        }
    }
    if (stack !== undefined && config !== undefined) throw new Error("--stack and --config both name a stack config; give one");
    if (stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Error(`--stack: "${stack}" is not a stack name (letters, digits, _ . -)`);
    if (base !== 0 && base + 10 > 65535) throw new Error(`--port ${base} leaves no room for the CDN ports above it`);
    const configFile = config !== undefined ? path.resolve(projectDir, config) : path.join(projectDir, `Pulumi.${stack ?? "dev"}.yaml`);
    return {
        help,
        configFile,
        stackLabel: config !== undefined ? path.basename(configFile) : (stack ?? "dev"),
        dataDir,
        fresh,
        seed,
        ports: portPlan(base, overrides),
    };
}
