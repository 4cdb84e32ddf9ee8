/**
 * `npm start` flags, parsed without side effects so they are tested alone.
 */
import * as path from "path";
import { isKnownRegion } from "../core/regions";
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
    /** `--replicas`: replicate every guarded service's table to these regions, `lagMs` behind home. */
    replication?: { regions: string[]; lagMs: number };
    /** `--edge-region`: the region each CDN emulator's function runs in, by service (`*`: the rest). */
    edgeRegions?: Record<string, string>;
}

/** Replication lag of the local replicas when `--replication-lag-ms` is not given, ms. */
export const DEFAULT_REPLICATION_LAG_MS = 1000;
/** Longest replication lag the local replicas take, ms (ten minutes). */
export const MAX_REPLICATION_LAG_MS = 600_000;

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
  --replicas <r1,r2,…>       replicate every guarded service's table to these regions
                               (one local DynamoDB each; writes reach them after the lag)
  --replication-lag-ms <ms>  how far the replicas trail home (default: ${DEFAULT_REPLICATION_LAG_MS})
  --edge-region [<service>=]<region>
                             the region the CDN emulators' edge functions run in (their
                               AWS_REGION), for every service or one; repeatable
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
    let replicas: string[] | undefined;
    let lagMs: number | undefined;
    const edgeRegions: Record<string, string> = {};
    const region = (flag: string, text: string): string => {
        if (!isKnownRegion(text)) throw new Error(`${flag}: ${JSON.stringify(text)} is not a region the edge can rank (a commercial AWS region code such as eu-west-1)`);
        return text;
    };

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
            case "--replicas": {
                const list = value().split(",").map((part) => region(flag, part.trim()));
                const repeated = list.find((entry, index) => list.indexOf(entry) !== index);
                if (repeated) throw new Error(`${flag}: ${repeated} is named twice`);
                replicas = list;
                break;
            }
            case "--replication-lag-ms": {
                const text = value();
                if (!/^\d{1,7}$/.test(text) || Number(text) > MAX_REPLICATION_LAG_MS) throw new Error(`${flag} needs a whole number of milliseconds from 0 to ${MAX_REPLICATION_LAG_MS} (got ${JSON.stringify(text)})`);
                lagMs = Number(text);
                break;
            }
            case "--edge-region": {
                const text = value();
                const [service, chosen] = text.includes("=") ? [text.slice(0, text.indexOf("=")), text.slice(text.indexOf("=") + 1)] : ["*", text];
                if (service !== "*" && !/^[a-z][a-z0-9-]{0,39}$/.test(service)) throw new Error(`${flag}: ${JSON.stringify(service)} is not a service name`);
                edgeRegions[service] = region(flag, chosen);
                break;
            }
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
    if (lagMs !== undefined && replicas === undefined) throw new Error("--replication-lag-ms needs --replicas");
    const configFile = config !== undefined ? path.resolve(projectDir, config) : path.join(projectDir, `Pulumi.${stack ?? "dev"}.yaml`);
    return {
        help,
        configFile,
        stackLabel: config !== undefined ? path.basename(configFile) : (stack ?? "dev"),
        dataDir,
        fresh,
        seed,
        ports: portPlan(base, overrides),
        ...(replicas ? { replication: { regions: replicas, lagMs: lagMs ?? DEFAULT_REPLICATION_LAG_MS } } : {}),
        ...(Object.keys(edgeRegions).length > 0 ? { edgeRegions } : {}),
    };
}
