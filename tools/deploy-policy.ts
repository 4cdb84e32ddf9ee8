/**
 * `npm run deploy-policy -- --account <id> [--stack <name>]`: prints the IAM
 * policy the identity that runs `pulumi up` on that stack needs
 * (components/deploy-policy.ts), scoped to the stack's instances as its
 * config file (`Pulumi.<stack>.yaml`) names them.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { deployPolicy } from "../components/deploy-policy";
import { planServices } from "../components/services";
import { readStackConfig } from "../local/stack-config";
import type { PolicyDocument } from "../components/policies";

export const USAGE = `Usage: npm run deploy-policy -- --account <12-digit id> [options]

Prints the least-privilege IAM policy (JSON) for the identity that runs
pulumi up / preview / refresh / destroy on a stack of this project.

Options:
  --account <id>       the AWS account the stack deploys into (required)
  --stack <name>       read Pulumi.<name>.yaml for the services it deploys (default: dev)
  --partition <name>   aws (default), aws-us-gov or aws-cn
  -h, --help           show this help`;

export interface DeployPolicyArgs {
    help: boolean;
    accountId: string;
    stack: string;
    partition: string;
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
        if (!["--account", "--stack", "--partition"].includes(flag)) throw new Error(`unknown option ${flag}`);
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
        i += 1;
        if (flag === "--account") args.accountId = value;
        else if (flag === "--stack") args.stack = value;
        else args.partition = value;
    }
    if (args.help) return args;
    if (!/^\d{12}$/.test(args.accountId)) throw new Error(`--account must be a 12-digit AWS account ID (got ${JSON.stringify(args.accountId)})`);
    if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) throw new Error(`--stack must be a stack name (got ${JSON.stringify(args.stack)})`);
    if (!["aws", "aws-us-gov", "aws-cn"].includes(args.partition)) throw new Error(`--partition must be aws, aws-us-gov or aws-cn (got ${JSON.stringify(args.partition)})`);
    return args;
}

/** The policy for a stack of the project in `root`. */
export function stackDeployPolicy(root: string, args: DeployPolicyArgs): PolicyDocument {
    const project = (yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown }).name;
    if (typeof project !== "string") throw new Error("Pulumi.yaml has no project name");
    const config = readStackConfig(path.join(root, `Pulumi.${args.stack}.yaml`));
    const planned = planServices(config.services);
    const kmsKeyArns = planned.flatMap(({ args: serviceArgs }) => (typeof serviceArgs.tableKmsKeyArn === "string" ? [serviceArgs.tableKmsKeyArn] : []));
    const replicatedInstances = planned.flatMap(({ name, args: serviceArgs }) => (Array.isArray(serviceArgs.replicaRegions) && serviceArgs.replicaRegions.length > 0 ? [name] : []));
    return deployPolicy({ partition: args.partition, accountId: args.accountId, project, stack: args.stack, instances: planned.map((service) => service.name), kmsKeyArns, replicatedInstances });
}

function main(): void {
    let args: DeployPolicyArgs;
    try {
        args = parseDeployPolicyArgs(process.argv.slice(2));
        if (args.help) {
            process.stdout.write(`${USAGE}\n`);
            return;
        }
        process.stdout.write(`${JSON.stringify(stackDeployPolicy(path.join(__dirname, ".."), args), null, 2)}\n`);
    } catch (error) {
        process.stderr.write(`deploy-policy: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
        process.exitCode = 2;
    }
}

if (require.main === module) main();
