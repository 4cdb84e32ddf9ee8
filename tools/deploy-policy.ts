/**
 * `npm run deploy-policy -- --account <id> [--stack <name>] [--out-dir <dir>]`:
 * prints the IAM policy the identity that runs `pulumi up` on that stack
 * needs (tools/deploy-policy/), scoped to the stack's instances as
 * its config file (`Pulumi.<stack>.yaml`) names them, as a JSON list of
 * managed policy documents that each fit IAM's size limit; with `--out-dir`,
 * writes them one per file instead.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { deployPolicies } from "./deploy-policy/policy";
import { planServices } from "../components/services";
import { readStackConfig } from "../local/stack-config";
import type { PolicyDocument } from "../components/policies";

export const USAGE = `Usage: npm run deploy-policy -- --account <12-digit id> [options]

Prints the least-privilege IAM policy for the identity that runs
pulumi up / preview / refresh / destroy on a stack of this project: a JSON
list of policy documents, each small enough for one customer managed policy
(6,144 characters without whitespace). Create and attach all of them.

Options:
  --account <id>       the AWS account the stack deploys into (required)
  --stack <name>       read Pulumi.<name>.yaml for the services it deploys (default: dev)
  --partition <name>   aws (default), aws-us-gov or aws-cn
  --out-dir <dir>      write each document to <dir>/deploy-policy-<n>.json instead,
                       and print the files' paths
  -h, --help           show this help`;

export interface DeployPolicyArgs {
    help: boolean;
    accountId: string;
    stack: string;
    partition: string;
    /** Write one file per document here instead of printing them. */
    outDir?: string;
}

/** Parses the command line; throws with a message naming the bad flag. */
export function parseDeployPolicyArgs(argv: readonly string[]): DeployPolicyArgs {
    const args: DeployPolicyArgs = { help: false, accountId: "", stack: "dev", partition: "aws" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "-h" || flag === "--help") {
            args.help = true;
            continue;
        }
        const value = argv[i + 1];
        if (!["--account", "--stack", "--partition", "--out-dir"].includes(flag)) throw new Error(`unknown option ${flag}`);
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
        i += 1;
        if (flag === "--account") args.accountId = value;
        else if (flag === "--stack") args.stack = value;
        else if (flag === "--out-dir") args.outDir = value;
        else args.partition = value;
    }
    if (args.help) return args;
    if (!/^\d{12}$/.test(args.accountId)) throw new Error(`--account must be a 12-digit AWS account ID (got ${JSON.stringify(args.accountId)})`);
    if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) throw new Error(`--stack must be a stack name (got ${JSON.stringify(args.stack)})`);
    if (!["aws", "aws-us-gov", "aws-cn"].includes(args.partition)) throw new Error(`--partition must be aws, aws-us-gov or aws-cn (got ${JSON.stringify(args.partition)})`);
    return args;
}

/** The policy documents for a stack of the project in `root`. */
export function stackDeployPolicy(root: string, args: DeployPolicyArgs): PolicyDocument[] {
    const project = (yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown }).name;
    if (typeof project !== "string") throw new Error("Pulumi.yaml has no project name");
    const config = readStackConfig(path.join(root, `Pulumi.${args.stack}.yaml`));
    const planned = planServices(config.services);
    const kmsKeyArns = planned.flatMap(({ args: serviceArgs }) => (typeof serviceArgs.tableKmsKeyArn === "string" ? [serviceArgs.tableKmsKeyArn] : []));
    // A replica on its way out is still one: removing it takes DeleteTableReplica.
    const hasReplicas = (regions: unknown) => Array.isArray(regions) && regions.length > 0;
    const replicatedInstances = planned.flatMap(({ name, args: serviceArgs }) => (hasReplicas(serviceArgs.replicaRegions) || hasReplicas(serviceArgs.replicaRegionsToRemove) ? [name] : []));
    return deployPolicies({ partition: args.partition, accountId: args.accountId, project, stack: args.stack, instances: planned.map((service) => service.name), kmsKeyArns, replicatedInstances });
}

/** What the tool prints: the documents as one JSON list, whatever their number. */
export function formatDeployPolicies(documents: readonly PolicyDocument[]): string {
    return `${JSON.stringify(documents, null, 2)}\n`;
}

/** Writes each document to `<dir>/deploy-policy-<n>.json` (from 1), creating `dir`; returns the paths. */
export function writeDeployPolicies(dir: string, documents: readonly PolicyDocument[]): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return documents.map((document, i) => {
        const file = path.join(dir, `deploy-policy-${i + 1}.json`);
        fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
        return file;
    });
}

function main(): void {
    let args: DeployPolicyArgs;
    try {
        args = parseDeployPolicyArgs(process.argv.slice(2));
        if (args.help) {
            process.stdout.write(`${USAGE}\n`);
            return;
        }
        const documents = stackDeployPolicy(path.join(__dirname, ".."), args);
        if (args.outDir === undefined) process.stdout.write(formatDeployPolicies(documents));
        else for (const file of writeDeployPolicies(args.outDir, documents)) process.stdout.write(`${file}\n`);
    } catch (error) {
        process.stderr.write(`deploy-policy: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
        process.exitCode = 2;
    }
}

if (require.main === module) main();
